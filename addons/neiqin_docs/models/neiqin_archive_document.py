from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from .neiqin_archive_category import ARCHIVE_KINDS


class NeiqinArchiveDocument(models.Model):
    """One document of the operations archive (运营档案): a procedure, a
    report, meeting minutes, a job description. Read by the employees of
    its company, or only by the groups it names; every change is traced
    in its chatter, and a change of its content keeps the previous text."""

    _name = "neiqin.archive.document"
    _description = "Archive document"
    _inherit = ["mail.thread"]
    _order = "write_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Title", required=True, tracking=True, index="trigram")
    category_id = fields.Many2one(
        "neiqin.archive.category", required=True, tracking=True, index=True
    )
    tag_ids = fields.Many2many("neiqin.archive.tag", string="Tags")
    kind = fields.Selection(
        selection=ARCHIVE_KINDS,
        compute="_compute_kind",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        tracking=True,
    )
    content = fields.Html(index="trigram")
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "neiqin_archive_document_attachment_rel",
        "document_id",
        "attachment_id",
        string="Attachments",
    )
    owner_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    group_ids = fields.Many2many(
        "res.groups",
        "neiqin_archive_document_group_rel",
        "document_id",
        "group_id",
        string="Readable By",
        help="The groups whose members read this document; empty: every employee of the company.",
    )
    res_model = fields.Char(string="Filed Model", readonly=True, index=True)
    res_id = fields.Many2oneReference(string="Filed Record", model_field="res_model", readonly=True)
    res_name = fields.Char(string="Filed From", readonly=True)
    search_text = fields.Char(
        string="Title or Content",
        compute="_compute_search_text",
        search="_search_search_text",
        help="Finds the documents whose title or content contains the words searched.",
    )

    _sql_constraints = [
        (
            "filed_record_uniq",
            "unique (res_model, res_id)",
            "A record is filed once in the archive: its document is updated instead.",
        )
    ]

    @api.depends("category_id.kind")
    def _compute_kind(self):
        for document in self:
            document.kind = document.category_id.kind or document.kind or "other"

    def _compute_search_text(self):
        self.search_text = False

    def _search_search_text(self, operator, value):
        if operator not in ("ilike", "like", "=ilike", "not ilike"):
            raise UserError(self.env._("Search the title or content with 'contains'."))
        if operator == "not ilike":
            return ["&", ("name", "not ilike", value), ("content", "not ilike", value)]
        return ["|", ("name", operator, value), ("content", operator, value)]

    # ------------------------------------------------------------------ traceability
    def write(self, vals):
        """A new content is logged with the one it replaces (who, when,
        and the previous text), one note per document."""
        previous = {}
        if "content" in vals:
            previous = {document.id: document.content for document in self}
        result = super().write(vals)
        if previous:
            changed = self.filtered(
                lambda d: html2plaintext(d.content or "") != html2plaintext(previous[d.id] or "")
            )
            for document in changed:
                old = previous[document.id] or Markup("")
                # The note shows the stored (sanitised) previous content.
                document._message_log(
                    body=Markup("<p>%s</p><blockquote>%s</blockquote>")
                    % (
                        self.env._("Content changed; the previous content was:"),
                        Markup(old),
                    )
                )
        return result

    # ------------------------------------------------------------------ filing
    @api.model
    def _neiqin_file(self, records, category_xmlid):
        """File ``records`` (any model) in the archive under the category
        ``category_xmlid``: one document per record, updated when the
        record is filed again. The records may give the document's values
        with ``_neiqin_archive_values()`` (a dict of values by record id:
        name, content, kind, company_id); by default their name. They are
        told the documents with ``_neiqin_archive_filed(documents_by_id)``
        when they define it. Returns the documents.

        Called by the server code of an action the user may run on the
        records (closing a meeting, approving a job description), which
        has checked that right: the archive is written on their behalf."""
        if not records:
            return self.browse()
        records.check_access("read")
        category = self.env.ref(category_xmlid)
        if category._name != "neiqin.archive.category":
            raise UserError(self.env._("%s is not an archive category.", category_xmlid))
        if hasattr(records, "_neiqin_archive_values"):
            values = records._neiqin_archive_values()
        else:
            values = {
                record.id: {
                    "name": record.display_name,
                    "company_id": record["company_id"].id
                    if "company_id" in record._fields
                    else self.env.company.id,
                }
                for record in records
            }
        # sudo: the documents filed are those of ``records``, records the
        # caller's own action just went through (see above), in one batch.
        Archive = self.sudo()
        existing = {
            document.res_id: document
            for document in Archive.search(
                [("res_model", "=", records._name), ("res_id", "in", records.ids)]
            )
        }
        documents_by_id = {}
        to_create = []
        for record in records:
            vals = {**values[record.id], "category_id": category.id}
            document = existing.get(record.id)
            if document:
                document.write(vals)
                documents_by_id[record.id] = document
            else:
                vals.update(
                    {
                        "res_model": records._name,
                        "res_id": record.id,
                        "res_name": record.display_name,
                        "owner_id": self.env.user.id,
                    }
                )
                to_create.append(vals)
        if to_create:
            created = Archive.create(to_create)
            documents_by_id.update(zip(created.mapped("res_id"), created, strict=True))
        if hasattr(records, "_neiqin_archive_filed"):
            records._neiqin_archive_filed(
                {rid: doc.with_env(self.env) for rid, doc in documents_by_id.items()}
            )
        return self.browse([documents_by_id[record.id].id for record in records])

    def action_open_filed_record(self):
        self.ensure_one()
        if not self.res_model or self.res_model not in self.env:
            raise UserError(self.env._("This document files no record."))
        record = self.env[self.res_model].browse(self.res_id).exists()
        if not record:
            raise UserError(self.env._("The filed record no longer exists."))
        record.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }
