from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.models import MAGIC_COLUMNS

from ..engine.actions import document_action, model_labels
from ..engine.guard import engine_writes, require_group

LEAD = "neiqin_base.group_neiqin_lead"
# The record's history, written by the record itself: the reference and the
# reporter when it is created, the state and who confirmed and closed it by
# the leads' actions, the document's name from the document.
ENGINE_FIELDS = {
    "name",
    "reported_by_id",
    "state",
    "confirmed_by_id",
    "confirmed_at",
    "closed_at",
    "res_name",
}
# What the people a confirmed record concerns may still write: closing needs
# the correction, and the correction (what was done about it) comes from
# them after the lead confirmed the facts. It is tracked, the lead reads it
# before closing, and closing freezes it.
WHILE_CONFIRMED = {"correction"}


class NeiqinResponsibility(models.Model):
    """Responsibility record (责任追踪): an error, delay or complaint traced to
    a step of a process, naming its owner, cause, correction and KPI effect.

    It moves open → confirmed → closed by the leads' actions only; its
    state, reference, reporter and confirmation are its own
    (``neiqin.engine.mixin``). Once confirmed, it feeds the KPI appraisal:
    only a lead other than its owner changes it, except its correction while
    it is confirmed. It names a document (and a step passage of that
    document) its author may read."""

    _name = "neiqin.responsibility"
    _description = "Responsibility record"
    _inherit = ["mail.thread", "mail.activity.mixin", "neiqin.engine.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        [("open", "Open"), ("confirmed", "Confirmed"), ("closed", "Closed")],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    responsibility_type = fields.Selection(
        [("error", "Error"), ("delay", "Delay"), ("complaint", "Complaint"), ("other", "Other")],
        string="Type",
        required=True,
        default="error",
        tracking=True,
    )
    res_model = fields.Char(string="Document Model", index=True)
    res_id = fields.Many2oneReference(string="Document ID", model_field="res_model", index=True)
    res_name = fields.Char(
        string="Document", compute="_compute_res_name", store=True, precompute=True
    )
    res_model_label = fields.Char(string="Document Type", compute="_compute_res_model_label")
    res_ref = fields.Reference(
        selection="_selection_res_ref",
        string="Document Link",
        compute="_compute_res_ref",
        help="The document the record is about, opened with a click.",
    )
    step_log_id = fields.Many2one(
        "neiqin.step.log",
        string="Step Passage",
        # Any passage the user sees until a document is named, then that
        # document's passages only.
        domain="res_model and [('res_model', '=', res_model), ('res_id', '=', res_id)] or []",
        help="The step passage (a document's time in one step) the record is traced to: "
        "it names the document, the step, the owner and the team.",
    )
    step_id = fields.Many2one(
        "neiqin.process.step",
        compute="_compute_step_id",
        store=True,
        precompute=True,
        readonly=False,
        tracking=True,
    )
    process_id = fields.Many2one(related="step_id.process_id", store=True)
    owner_user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        required=True,
        tracking=True,
        index=True,
        check_company=True,
        compute="_compute_owner",
        store=True,
        precompute=True,
        readonly=False,
    )
    owner_team_id = fields.Many2one(
        "neiqin.team",
        string="Team",
        tracking=True,
        index=True,
        check_company=True,
        compute="_compute_owner",
        store=True,
        precompute=True,
        readonly=False,
    )
    reported_by_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True, copy=False
    )
    occurred_on = fields.Date(default=fields.Date.context_today, required=True, tracking=True)
    cause = fields.Text(required=True, tracking=True)
    correction = fields.Text(tracking=True, help="What was done to fix it and to avoid it again.")
    kpi_points = fields.Float(
        string="KPI Points",
        tracking=True,
        help="Points deducted from the owner's appraisal (a positive number).",
    )
    confirmed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    confirmed_at = fields.Datetime(readonly=True, copy=False)
    closed_at = fields.Datetime(readonly=True, copy=False)
    can_amend = fields.Boolean(
        compute="_compute_can_amend",
        help="Whether the current user may change the record once a lead confirmed it: "
        "a lead who is not its owner.",
    )

    _sql_constraints = [
        ("kpi_points_positive", "CHECK(kpi_points >= 0)", "KPI points are a positive deduction."),
    ]

    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | ENGINE_FIELDS

    @api.depends("res_model", "res_id")
    def _compute_res_name(self):
        for rec in self:
            # Read with the rights of whoever names the document: create and
            # write refuse a document they may not read (_check_document).
            doc = rec._document()
            rec.res_name = doc.display_name if doc else False

    @api.depends("res_model")
    def _compute_res_model_label(self):
        labels = model_labels(self.env, self.mapped("res_model"))
        for rec, label in zip(self, labels, strict=True):
            rec.res_model_label = label

    @api.model
    def _selection_res_ref(self):
        # sudo: the list of models is no secret (a Reference field needs it
        # to show its value); the documents are read with the user's rights.
        return [(model.model, model.name) for model in self.env["ir.model"].sudo().search([])]

    @api.depends_context("uid")
    @api.depends("res_model", "res_id")
    def _compute_res_ref(self):
        # A link only to the documents the user may open (one check per
        # model): the name stays readable in res_name for the others.
        readable = set()
        for model_name, recs in self.grouped("res_model").items():
            Model = self.env.get(model_name) if model_name else None
            if Model is None or Model._abstract or Model._transient:
                continue
            docs = Model.browse({rec.res_id for rec in recs if rec.res_id}).exists()
            readable.update((model_name, doc_id) for doc_id in docs._filtered_access("read").ids)
        for rec in self:
            key = (rec.res_model, rec.res_id)
            rec.res_ref = f"{rec.res_model},{rec.res_id}" if key in readable else False

    @api.depends_context("uid")
    @api.depends("owner_user_id")
    def _compute_can_amend(self):
        lead = self.env.user.has_group(LEAD)
        for rec in self:
            rec.can_amend = lead and rec.owner_user_id != self.env.user

    def _document(self):
        """The document the record names, if it exists (not access-checked)."""
        self.ensure_one()
        if self.res_model in self.env and self.res_id:
            return self.env[self.res_model].browse(self.res_id).exists()
        return None

    @api.depends("step_log_id")
    def _compute_step_id(self):
        for rec in self:
            if rec.step_log_id:
                rec.step_id = rec.step_log_id.step_id

    @api.depends("step_log_id", "step_id")
    def _compute_owner(self):
        """The passage's owner and team; without a passage, the team (and
        the user, for a step owned by one) the step names, when the record
        has none yet."""
        for rec in self:
            if rec.step_log_id:
                rec.owner_user_id = rec.step_log_id.owner_user_id or rec.owner_user_id
                rec.owner_team_id = rec.step_log_id.owner_team_id or rec.owner_team_id
            elif rec.step_id:
                if rec.step_id.owner_type == "user" and not rec.owner_user_id:
                    rec.owner_user_id = rec.step_id.owner_user_id
                rec.owner_team_id = rec.owner_team_id or rec.step_id.owner_team_id

    @api.onchange("step_log_id")
    def _onchange_step_log_id(self):
        # In the form, a passage chosen for a record naming no document
        # brings its document (create and write do the same on the server).
        if self.step_log_id and not self.res_model:
            self.res_model = self.step_log_id.res_model
            self.res_id = self.step_log_id.res_id

    @api.constrains("step_log_id", "step_id")
    def _check_step_of_passage(self):
        for rec in self:
            if rec.step_log_id and rec.step_id != rec.step_log_id.step_id:
                raise ValidationError(
                    self.env._(
                        "A responsibility record traced to a step passage names the step of "
                        "that passage (%(step)s).",
                        step=rec.step_log_id.step_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        check = not self._neiqin_engine_may_write()
        for vals in vals_list:
            log = self._passage(vals.get("step_log_id"), check)
            if log and not vals.get("res_model") and not vals.get("res_id"):
                vals.update(res_model=log.res_model, res_id=log.res_id)
            if check:
                self._check_document(vals.get("res_model"), vals.get("res_id"), log)
        # The caller's values are checked by the engine mixin; the reference
        # is the record's own.
        records = super().create(vals_list)
        with engine_writes():
            for record in records.filtered(lambda r: r.name == "/"):
                record.name = self.env["ir.sequence"].next_by_code("neiqin.responsibility") or "/"
        return records

    def write(self, vals):
        if not self._neiqin_engine_may_write():
            self._check_may_change(vals)
            if {"res_model", "res_id", "step_log_id"} & set(vals):
                vals = self._check_document_change(vals)
        return super().write(vals)

    def _passage(self, log_id, check):
        """The step passage ``log_id``, refused unless the user may read it."""
        log = self.env["neiqin.step.log"].browse(log_id or ())
        if log and check and not (log.exists() and log.has_access("read")):
            raise AccessError(
                self.env._(
                    "This step passage does not exist or you may not see it: a responsibility "
                    "record can only be traced to a passage you can open."
                )
            )
        return log

    def _check_document(self, res_model, res_id, log):
        """Refuse a document the user may not read, and a passage of another
        document. The same message whether the document exists or not: it
        tells nothing the user may not see."""
        _ = self.env._
        if log and (log.res_model, log.res_id) != (res_model or False, res_id or False):
            raise ValidationError(
                _(
                    "The step passage %(passage)s is a passage of another document: trace the "
                    "record to a passage of the document it is about.",
                    passage=log.display_name,
                )
            )
        if not res_model and not res_id:
            return
        doc = None
        if (
            isinstance(res_model, str)
            and res_model in self.env
            and not (self.env[res_model]._abstract or self.env[res_model]._transient)
            and isinstance(res_id, int)
            and res_id > 0
        ):
            doc = self.env[res_model].browse(res_id).exists()
        if not doc or not doc.has_access("read"):
            raise AccessError(
                _(
                    "The document %(model)s %(id)s does not exist or you may not read it: a "
                    "responsibility record can only name a document you can open.",
                    model=res_model or "-",
                    id=res_id or "-",
                )
            )

    def _check_document_change(self, vals):
        """Check the document and passage these records will name after
        ``vals``; a passage given to records naming no document yet brings
        its document. Return the values to write."""
        keys = {"res_model", "res_id"}
        log = self._passage(vals.get("step_log_id"), True) if "step_log_id" in vals else None
        if log and not keys & set(vals) and not any(self.mapped("res_model")):
            vals = {**vals, "res_model": log.res_model, "res_id": log.res_id}
        for rec in self:
            rec._check_document(
                vals.get("res_model", rec.res_model),
                vals.get("res_id", rec.res_id),
                rec.step_log_id if log is None else log,
            )
        return vals

    def _check_may_change(self, vals):
        """Once a lead confirmed a record, only a lead who is not its owner
        changes it; the people it concerns may still write its correction
        until it is closed. Chatter and activities stay open to all."""
        mail = set(self.env["mail.thread"]._fields) | set(self.env["mail.activity.mixin"]._fields)
        names = set(vals) - (mail - set(MAGIC_COLUMNS))
        if not names:
            return
        for rec in self.filtered(lambda r: r.state != "open" and not r.can_amend):
            allowed = WHILE_CONFIRMED if rec.state == "confirmed" else set()
            if any(rec._neiqin_changes(name, vals[name]) for name in names - allowed):
                raise AccessError(
                    self.env._(
                        "%(record)s was confirmed by a lead: only a lead other than its owner "
                        "can change it. Its correction can be written until it is closed.",
                        record=rec.name,
                    )
                )

    def _check_lead(self):
        _ = self.env._
        require_group(
            self.env,
            LEAD,
            _("Only a back-office lead can confirm or close responsibility records."),
        )
        if not self.env.su and self.filtered(lambda r: r.owner_user_id == self.env.user):
            raise AccessError(
                _(
                    "A lead does not confirm, close or reopen a responsibility record of "
                    "their own: another lead does."
                )
            )

    def action_confirm(self):
        self._check_lead()
        if self.filtered(lambda r: r.state != "open"):
            raise UserError(self.env._("Only open responsibility records can be confirmed."))
        with engine_writes():
            self.write(
                {
                    "state": "confirmed",
                    "confirmed_by_id": self.env.uid,
                    "confirmed_at": fields.Datetime.now(),
                }
            )

    def action_close(self):
        self._check_lead()
        if self.filtered(lambda r: r.state != "confirmed"):
            raise UserError(self.env._("Only confirmed responsibility records can be closed."))
        missing = self.filtered(lambda r: not r.correction)
        if missing:
            raise UserError(
                self.env._(
                    "Write the correction before closing: %s", ", ".join(missing.mapped("name"))
                )
            )
        with engine_writes():
            self.write({"state": "closed", "closed_at": fields.Datetime.now()})

    def action_reopen(self):
        self._check_lead()
        if self.filtered(lambda r: r.state == "open"):
            raise UserError(
                self.env._("Only confirmed or closed responsibility records can be reopened.")
            )
        with engine_writes():
            self.write(
                {
                    "state": "open",
                    "confirmed_by_id": False,
                    "confirmed_at": False,
                    "closed_at": False,
                }
            )

    def action_open_document(self):
        self.ensure_one()
        if not self.res_model or not self.res_id:
            return False
        return document_action(self.res_model, self.res_id)
