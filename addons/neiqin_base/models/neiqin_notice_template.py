from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import notice_text

# The channels a template is written for; e-mails keep Odoo's mail
# templates and their layout.
TEMPLATE_CHANNELS = [("platform", "Platform Message"), ("sms", "SMS")]


class NeiqinNoticeTemplate(models.Model):
    """The short plain-text body of a notice of one kind on one channel,
    translated: each customer reads it in their own language."""

    _name = "neiqin.notice.template"
    _description = "Customer notice template"
    _order = "res_model, kind, channel"

    name = fields.Char(required=True, translate=True)
    res_model = fields.Char(
        string="Document Model", required=True, help="The documents the notice is about."
    )
    kind = fields.Char(required=True, help="The notice's key, as the module queues it.")
    channel = fields.Selection(TEMPLATE_CHANNELS, required=True)
    body = fields.Text(
        required=True,
        translate=True,
        help="Plain text. Placeholders, written between braces, are replaced by the "
        "document's values: {customer}, {order}, {platform_order_no}, {carrier}, "
        "{tracking_number}, {amount}, {shop}. Nothing else between braces is accepted.",
    )
    sms_segments = fields.Integer(
        string="SMS Segments",
        compute="_compute_sms_segments",
        help="How many SMS the text takes before its placeholders are filled "
        "(70 Chinese characters each).",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "model_kind_channel_uniq",
            "unique(res_model, kind, channel)",
            "A notice has one template per channel.",
        ),
    ]

    @api.model
    def _placeholders(self):
        """The placeholders templates may use (engine/notice_text.py)."""
        return dict(notice_text.PLACEHOLDERS)

    @api.depends("body")
    def _compute_sms_segments(self):
        for template in self:
            template.sms_segments = notice_text.sms_segments(template.body)

    @api.constrains("body")
    def _check_body(self):
        allowed = self._placeholders()
        for template in self:
            unknown, unpaired = notice_text.unknown_placeholders(template.body, allowed)
            if unknown or unpaired:
                raise ValidationError(
                    self.env._(
                        "The template %(name)s uses placeholders that do not exist: "
                        "%(unknown)s. Use only %(allowed)s, each between single braces.",
                        name=template.name,
                        unknown=", ".join(f"{{{name}}}" for name in unknown)
                        or self.env._("an unpaired brace"),
                        allowed=", ".join(f"{{{name}}}" for name in allowed),
                    )
                )

    def _render(self, values):
        """The template's body, in the environment's language, with
        ``values`` (a dict of placeholder values) filled in."""
        self.ensure_one()
        return notice_text.render(self.body, values)
