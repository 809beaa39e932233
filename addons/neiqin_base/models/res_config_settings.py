from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    neiqin_calendar_id = fields.Many2one(related="company_id.neiqin_calendar_id", readonly=False)
    neiqin_escalation_hours = fields.Float(
        related="company_id.neiqin_escalation_hours", readonly=False
    )
    neiqin_dq_batch_size = fields.Integer(
        string="Save Scan Results Every (issues)",
        config_parameter="neiqin_base.dq_batch_size",
        default=20000,
        help="The scheduled data check saves its results each time it has opened, reopened "
        "or closed this many issues, so that a long check that stops keeps what it found.",
    )
