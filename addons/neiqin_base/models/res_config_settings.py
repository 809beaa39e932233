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
    neiqin_notice_channels = fields.Char(
        related="company_id.neiqin_notice_channels", readonly=False
    )
    neiqin_quiet_start_hour = fields.Float(
        related="company_id.neiqin_quiet_start_hour", readonly=False
    )
    neiqin_quiet_end_hour = fields.Float(related="company_id.neiqin_quiet_end_hour", readonly=False)
    neiqin_notice_claim_minutes = fields.Integer(
        string="Connector Claim Time (minutes)",
        config_parameter="neiqin_base.notice_claim_minutes",
        default=15,
        help="A notice a connector pulled and did not acknowledge within this time goes "
        "back to the queue.",
    )
    neiqin_notice_retry_limit = fields.Integer(
        string="Notice Attempts",
        config_parameter="neiqin_base.notice_retry_limit",
        default=3,
        help="How many times a notice is tried before it is shown to the clerks as failed.",
    )
