from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from odoo.addons.neiqin_base.engine import notice_text

# The placeholders a standard reply may use on a ticket, and what they stand
# for: the notices' own (neiqin_base) and the ticket's.
REPLY_PLACEHOLDERS = {
    **notice_text.PLACEHOLDERS,
    "ticket": "the ticket's number",
    "order": "the reference of the ticket's first order",
    "tracking_number": "the tracking number of the order's delivery",
    "refund_amount": "the refunds of the ticket's returns, with their currency",
    "return_address": "the address the customer sends a return to",
    "deadline": "the current step's deadline, in the customer's time zone",
    "agent": "the user the ticket is assigned to",
}
# Written by the usage counter only (one SQL UPDATE per use).
USAGE_FIELDS = {"usage_count", "last_used_at"}


class NeiqinReplyTemplate(models.Model):
    """A standard reply (标准话术): plain text with placeholders, translated
    so that each customer reads it in their own language, proposed on the
    tickets of its service types, category and process step."""

    _name = "neiqin.reply.template"
    _inherit = ["neiqin.engine.mixin"]
    _description = "Standard reply"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    body = fields.Text(
        required=True,
        translate=True,
        help="Plain text. Placeholders between single braces are replaced by the ticket's "
        "values: {customer}, {ticket}, {order}, {platform_order_no}, {carrier}, "
        "{tracking_number}, {amount}, {refund_amount}, {return_address}, {deadline}, "
        "{agent}, {shop}. Nothing else between braces is accepted.",
    )
    category_id = fields.Many2one(
        "helpdesk.ticket.category",
        help="Proposed first on the tickets of this category; empty: any category.",
    )
    service_type_ids = fields.Many2many(
        "neiqin.service.type",
        string="Service Types",
        help="Proposed on the tickets of these service types; empty: every type.",
    )
    step_id = fields.Many2one(
        "neiqin.process.step",
        string="Process Step",
        domain="[('process_id.code', '=', 'service')]",
        help="Proposed first on the tickets in this step of the customer-service process.",
    )
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one("res.company", help="Empty: the template serves every company.")
    usage_count = fields.Integer(string="Times Used", readonly=True, copy=False, default=0)
    last_used_at = fields.Datetime(string="Last Used", readonly=True, copy=False)

    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | USAGE_FIELDS

    @api.model
    def _placeholders(self):
        """The placeholders a reply may use, and what they stand for."""
        return dict(REPLY_PLACEHOLDERS)

    @api.constrains("body")
    def _check_body(self):
        allowed = self._placeholders()
        for template in self:
            unknown, unpaired = notice_text.unknown_placeholders(template.body, allowed)
            if unknown or unpaired:
                wrong = [f"{{{name}}}" for name in unknown]
                if unpaired:
                    wrong.append(self.env._("an unpaired brace"))
                raise ValidationError(
                    self.env._(
                        "The standard reply %(name)s cannot use %(wrong)s. Use only "
                        "%(allowed)s, each a plain name between single braces.",
                        name=template.name,
                        wrong=", ".join(wrong),
                        allowed=", ".join(f"{{{name}}}" for name in allowed),
                    )
                )

    def _neiqin_render(self, tickets):
        """{ticket id: the template's body in the ticket customer's language,
        its placeholders filled with the ticket's values}."""
        self.ensure_one()
        values = tickets._neiqin_reply_values()
        texts = {}
        bodies = {}
        for ticket in tickets:
            lang = ticket._neiqin_reply_lang()
            if lang not in bodies:
                bodies[lang] = self.with_context(lang=lang).body
            texts[ticket.id] = notice_text.render(bodies[lang], values[ticket.id])
        return texts

    def _neiqin_mark_used(self):
        """Count one more use of each template, in one UPDATE: concurrent
        uses each add theirs (the row lock orders them)."""
        if not self:
            return
        self.env.cr.execute(
            SQL(
                """
                UPDATE neiqin_reply_template
                   SET usage_count = COALESCE(usage_count, 0) + 1,
                       last_used_at = (now() AT TIME ZONE 'UTC')
                 WHERE id = ANY(%s)
                """,
                self.ids,
            )
        )
        self.invalidate_recordset(list(USAGE_FIELDS))
