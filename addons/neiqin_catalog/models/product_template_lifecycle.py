from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.neiqin_base.engine.guard import engine_writes, require_group

from .product_template import CUSTOMER_FACING

# The four-eyes override of a manager approving their own edit: the engine's.
OVERRIDE_FIELDS = {
    "neiqin_info_override_reason",
    "neiqin_info_override_by_id",
    "neiqin_info_override_at",
}
# States whose edit sends the product back through the review.
REVIEWED_STATES = ("to_review", "approved", "published")


def refuse_connector(env):
    """A connector's API user (a PIM feeding the catalogue) enters product
    information; it never reviews nor publishes it: a second identity of
    whoever holds its password would make the four eyes two of one person."""
    if not env.su and env.user.has_group("neiqin_base.group_neiqin_connector"):
        raise AccessError(
            env._(
                "A connector's API user enters product information; reviewing and publishing "
                "it is for the back-office staff in person."
            )
        )


class ProductTemplate(models.Model):
    """The product-information lifecycle: edits of customer-facing fields are
    tracked, a colleague who did not make them reviews them (four eyes), the
    approved values are kept to show the next review what changed."""

    _inherit = "product.template"

    # The board shows every state as a column, empty or not.
    neiqin_info_state = fields.Selection(group_expand=True)
    neiqin_info_changes = fields.Html(
        string="What Changed",
        compute="_compute_neiqin_info_changes",
        sanitize=False,
        groups="neiqin_base.group_neiqin_clerk",
        help="The customer-facing information that differs from what the last review " "approved.",
    )
    neiqin_info_override_reason = fields.Text(
        string="Own Approval Reason",
        readonly=True,
        copy=False,
        help="Why a manager approved information they had edited themselves.",
    )
    neiqin_info_override_by_id = fields.Many2one(
        "res.users", string="Own Approval By", readonly=True, copy=False
    )
    neiqin_info_override_at = fields.Datetime(string="Own Approval On", readonly=True, copy=False)
    neiqin_info_is_mine = fields.Boolean(
        string="Edited by Me",
        compute="_compute_neiqin_info_is_mine",
        search="_search_neiqin_info_is_mine",
    )
    neiqin_info_has_live_listing = fields.Boolean(
        string="Published on a Channel",
        compute="_compute_neiqin_info_has_live_listing",
        help="A channel shows the product: after an edit it shows the old information until "
        "the product is approved and published again.",
    )

    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | OVERRIDE_FIELDS

    # ------------------------------------------------------------ computes
    @api.depends_context("uid")
    @api.depends("neiqin_info_editor_id")
    def _compute_neiqin_info_is_mine(self):
        for product in self:
            product.neiqin_info_is_mine = product.neiqin_info_editor_id == self.env.user

    def _search_neiqin_info_is_mine(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Edited by Me."))
        if (operator == "=") == value:
            return [("neiqin_info_editor_id", "=", self.env.uid)]
        return [
            "|",
            ("neiqin_info_editor_id", "=", False),
            ("neiqin_info_editor_id", "!=", self.env.uid),
        ]

    @api.depends("neiqin_listing_ids.state")
    def _compute_neiqin_info_has_live_listing(self):
        live = set(self._neiqin_info_live_ids())
        for product in self:
            product.neiqin_info_has_live_listing = product.id in live

    def _neiqin_info_live_ids(self):
        """Ids of those of these products published on a channel (one query)."""
        ids = [pid for pid in self.ids if pid]
        if not ids:
            return []
        # Which of these products (read or written by the caller) a channel
        # shows; the listings' own access is not the question.
        groups = (
            self.env["neiqin.product.listing"]
            .sudo()
            ._read_group(
                [("product_tmpl_id", "in", ids), ("state", "=", "published")],
                ["product_tmpl_id"],
            )
        )
        return [product.id for (product,) in groups]

    @api.depends(*CUSTOMER_FACING, "neiqin_info_snapshot")
    @api.depends_context("lang")
    def _compute_neiqin_info_changes(self):
        current = self._neiqin_info_values()
        for product in self:
            snapshot = product.neiqin_info_snapshot
            lines = []
            if snapshot:
                lines = product._neiqin_info_diff(snapshot, current.get(product.id, {}))
            product.neiqin_info_changes = (
                Markup("<ul>%s</ul>") % Markup("").join(lines) if lines else False
            )

    def _neiqin_info_diff(self, old, new):
        """HTML lines, one per customer-facing field whose value differs."""
        lines = []
        for name in CUSTOMER_FACING:
            before, after = old.get(name), new.get(name)
            if before == after:
                continue
            label = self._fields[name]._description_string(self.env)
            if name == "image_1920":
                text = self.env._("image replaced") if before and after else None
                text = text or (self.env._("image added") if after else self.env._("image removed"))
                lines.append(Markup("<li><b>%s</b>: %s</li>") % (label, text))
                continue
            lines.append(
                Markup("<li><b>%s</b>: <del>%s</del> → <ins>%s</ins></li>")
                % (label, self._neiqin_info_show(name, before), self._neiqin_info_show(name, after))
            )
        return lines

    def _neiqin_info_show(self, name, value):
        if value in (None, False, ""):
            return self.env._("(empty)")
        if name == "categ_id":
            return escape(value[1])
        return escape(str(value))

    def _neiqin_info_values(self):
        """{product id: its customer-facing values as the snapshot keeps them}:
        the image as a checksum, the category as [id, name]."""
        values = {}
        images = self._neiqin_info_image_checksums()
        for product in self:
            values[product.id] = {
                "name": product.name or False,
                "description_sale": product.description_sale or False,
                "image_1920": images.get(product.id, False),
                "list_price": product.list_price,
                "categ_id": product.categ_id and [product.categ_id.id, product.categ_id.name],
                "barcode": product.barcode or False,
            }
        return values

    def _neiqin_info_image_checksums(self):
        """{product id: the SHA-1 of its image}, from the images' attachments
        (one query; the image itself is neither read nor decoded)."""
        ids = [pid for pid in self.ids if pid]
        if not ids:
            return {}
        self.flush_recordset(["image_1920"])
        # The checksums of the images of products the caller reads: the
        # attachments of image fields are not searchable otherwise.
        rows = (
            self.env["ir.attachment"]
            .sudo()
            .search_read(
                [
                    ("res_model", "=", self._name),
                    ("res_field", "=", "image_1920"),
                    ("res_id", "in", ids),
                ],
                ["res_id", "checksum"],
            )
        )
        return {row["res_id"]: row["checksum"] for row in rows}

    # ------------------------------------------------------------ tracking edits
    @api.model_create_multi
    def create(self, vals_list):
        products = super().create(vals_list)
        # The creator is the first editor: they may not approve it either.
        with engine_writes():
            products.write(products._neiqin_info_stamp())
        return products

    def _neiqin_info_stamp(self):
        """The values recording that the current user edited the information."""
        return {
            "neiqin_info_editor_id": self.env.uid,
            "neiqin_info_editor_ids": [Command.link(self.env.uid)],
            "neiqin_info_edited_at": fields.Datetime.now(),
        }

    def _update_field_translations(self, field_name, translations, digest=None, source_lang=None):
        """A translation of a customer-facing text (the name a channel shows
        in Chinese, say) is an edit of the information too: the translation
        dialog writes it without ``write``."""
        result = super()._update_field_translations(
            field_name, translations, digest=digest, source_lang=source_lang
        )
        if field_name in CUSTOMER_FACING and translations:
            self._neiqin_info_track_edit()
        return result

    def write(self, vals):
        names = [name for name in CUSTOMER_FACING if name in vals]
        if not names or not self:
            return super().write(vals)
        edited = self._neiqin_info_edited(vals, names)
        result = super().write(vals)
        if edited:
            edited._neiqin_info_track_edit()
        return result

    def _neiqin_info_edited(self, vals, names):
        """Those of these products whose customer-facing value ``vals``
        changes (read for all of them at once, before the write)."""
        edited = self.browse()
        for name in names:
            field = self._fields[name]
            if field.type == "binary":
                edited |= self
                continue
            try:
                new = field.convert_to_record(field.convert_to_cache(vals[name], self), self)
            except (ValueError, TypeError):
                edited |= self
                continue
            edited |= self.filtered(lambda p, name=name, new=new: p[name] != new)
        return edited

    def _neiqin_info_track_edit(self):
        """Record who edited these products' customer-facing information and
        send the reviewed ones back: a published product (or one whose
        channels show it) needs an update, the others are drafts again. One
        engine write per new state, whatever the number of products."""
        stamp = self._neiqin_info_stamp()
        reviewed = self.filtered(lambda p: p.neiqin_info_state in REVIEWED_STATES)
        live = set(reviewed._neiqin_info_live_ids())
        to_update = reviewed.filtered(lambda p: p.neiqin_info_state == "published" or p.id in live)
        to_draft = reviewed - to_update
        with engine_writes():
            if self - reviewed:
                (self - reviewed).write(stamp)
            if to_update:
                to_update.write({**stamp, "neiqin_info_state": "needs_update"})
            if to_draft:
                to_draft.write({**stamp, "neiqin_info_state": "draft"})
        in_process = (to_update | to_draft).filtered("neiqin_process_id")
        (in_process & to_update)._neiqin_enter_step("update")
        (in_process & to_draft)._neiqin_enter_step("entry")

    def _neiqin_check_manual_step(self):
        """The information steps follow the review and publishing: only the
        monitoring of a published product is finished by hand."""
        result = super()._neiqin_check_manual_step()
        moved = self.filtered(lambda p: p.neiqin_step_id.code != "monitor")
        if moved:
            raise UserError(
                self.env._(
                    "Product information moves through its steps by submitting, approving and "
                    "publishing it; only the monitoring of a published product is finished by "
                    "hand: %s",
                    ", ".join(moved.mapped("display_name")),
                )
            )
        return result

    # ------------------------------------------------------------ checks
    def _neiqin_info_check_clerk(self):
        require_group(
            self.env,
            "neiqin_base.group_neiqin_clerk",
            self.env._("Only back-office staff can move product information through its review."),
        )
        refuse_connector(self.env)

    def _neiqin_info_check_state(self, states, action):
        wrong = self.filtered(lambda p: p.neiqin_info_state not in states)
        if wrong:
            labels = dict(self._fields["neiqin_info_state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(action)s is for products whose information is %(states)s: %(products)s.",
                    action=action,
                    states=", ".join(labels[s] for s in states),
                    products=", ".join(
                        f"{p.display_name} ({labels[p.neiqin_info_state]})" for p in wrong
                    ),
                )
            )

    def _neiqin_info_check_four_eyes(self):
        """No one who edited the information since its last approval
        approves it: the last editor, nor anyone whose edit came before."""
        user = self.env.user
        own = self.filtered(
            lambda p: p.neiqin_info_editor_id == user or user in p.neiqin_info_editor_ids
        )
        if own:
            raise AccessError(
                self.env._(
                    "You edited the information of %s: a colleague who did not edit it must "
                    "review it (four eyes).",
                    ", ".join(own.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------ actions
    def action_neiqin_info_submit(self):
        """Button: the information is ready, a colleague reviews it."""
        self._neiqin_info_check_clerk()
        self._neiqin_info_check_state(
            ("draft", "needs_update"), self.env._("Submitting for review")
        )
        with engine_writes():
            self.write({"neiqin_info_state": "to_review"})
        self.filtered("neiqin_process_id")._neiqin_enter_step("review")
        return True

    def action_neiqin_info_approve(self):
        """Button: a colleague who did not edit the information approves it."""
        self._neiqin_info_check_clerk()
        self._neiqin_info_check_state(("to_review",), self.env._("Approval"))
        self._neiqin_info_check_four_eyes()
        self._neiqin_info_approve()
        return True

    def _neiqin_info_approve(self, override_reason=None):
        """Approve these products: keep the approved values, the reviewer and
        the date; the products move on to publishing."""
        now = fields.Datetime.now()
        values = self._neiqin_info_values()
        vals = {
            "neiqin_info_state": "approved",
            "neiqin_info_editor_ids": [Command.clear()],
            "neiqin_info_reviewer_id": self.env.uid,
            "neiqin_info_reviewed_at": now,
            "neiqin_info_override_reason": override_reason or False,
            "neiqin_info_override_by_id": override_reason and self.env.uid,
            "neiqin_info_override_at": override_reason and now,
        }
        with engine_writes():
            for product in self:
                product.write({**vals, "neiqin_info_snapshot": values[product.id]})
        self.filtered("neiqin_process_id")._neiqin_enter_step("publish")

    def action_neiqin_info_send_back(self):
        """Button: send the information back to its editor, with a reason
        (wizard)."""
        self._neiqin_info_check_clerk()
        self._neiqin_info_check_state(("to_review",), self.env._("Sending back"))
        return self._neiqin_info_wizard("send_back", self.env._("Send Back"))

    def action_neiqin_info_approve_own(self):
        """Button: a manager approves information they edited, with a reason
        (wizard)."""
        self._neiqin_info_check_manager()
        self._neiqin_info_check_state(("to_review",), self.env._("Approval"))
        return self._neiqin_info_wizard("approve_own", self.env._("Approve Own Edit"))

    def _neiqin_info_wizard(self, mode, title):
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": "neiqin.info.review.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "active_model": self._name,
                "active_ids": self.ids,
                "default_mode": mode,
            },
        }

    def _neiqin_info_check_manager(self):
        require_group(
            self.env,
            "neiqin_base.group_neiqin_manager",
            self.env._("Only a back-office manager can approve information they edited."),
        )

    @staticmethod
    def _neiqin_info_reason(env, reason):
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(env._("Write the reason."))
        return reason

    def _neiqin_info_send_back(self, reason):
        """Send these products back to entry (or to update when a channel
        shows them), the reason in their chatter."""
        self._neiqin_info_check_clerk()
        self._neiqin_info_check_state(("to_review",), self.env._("Sending back"))
        reason = self._neiqin_info_reason(self.env, reason)
        live = set(self._neiqin_info_live_ids())
        to_update = self.filtered(lambda p: p.id in live)
        to_draft = self - to_update
        with engine_writes():
            if to_update:
                to_update.write({"neiqin_info_state": "needs_update"})
            if to_draft:
                to_draft.write({"neiqin_info_state": "draft"})
        to_update.filtered("neiqin_process_id")._neiqin_enter_step("update")
        to_draft.filtered("neiqin_process_id")._neiqin_enter_step("entry")
        for product in self:
            product.message_post(body=self.env._("Information sent back: %s", reason))

    def _neiqin_info_approve_own(self, reason):
        """A manager approves information they edited themselves: the four
        eyes waived with a written reason, kept on the product and in its
        chatter."""
        self._neiqin_info_check_manager()
        self._neiqin_info_check_state(("to_review",), self.env._("Approval"))
        reason = self._neiqin_info_reason(self.env, reason)
        self._neiqin_info_approve(override_reason=reason)
        for product in self:
            product.message_post(
                body=self.env._("Own edit approved by a manager, four eyes waived: %s", reason)
            )

    def action_neiqin_info_publish(self):
        """Button: publish the product on all its channels at once."""
        self.env["neiqin.product.listing"]._neiqin_check_publisher()
        # A listing withdrawn on purpose is published again by its own button.
        listings = self.neiqin_listing_ids.filtered(lambda r: r.state != "unpublished")
        missing = self - listings.product_tmpl_id
        if missing:
            raise UserError(
                self.env._(
                    "Add the product's channels (Channels tab) before publishing it: %s",
                    ", ".join(missing.mapped("display_name")),
                )
            )
        listings._neiqin_publish()
        return True

    # ------------------------------------------------------------ demo
    def _neiqin_info_demo_as(self, login_xmlid, method, *args):
        """Demo data: run one lifecycle step on these products as a demo
        user. The superuser's only (demo files)."""
        allowed = {
            "write",
            "action_neiqin_info_submit",
            "action_neiqin_info_approve",
            "_neiqin_info_send_back",
            "action_neiqin_info_publish",
        }
        if not self.env.su or method not in allowed:
            raise AccessError(self.env._("Only demo data may act as another user."))
        user = self.env.ref(login_xmlid)
        return getattr(self.with_user(user), method)(*args)
