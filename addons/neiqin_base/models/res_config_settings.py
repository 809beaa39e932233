from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    neiqin_calendar_id = fields.Many2one(related="company_id.neiqin_calendar_id", readonly=False)
    neiqin_escalation_hours = fields.Float(
        related="company_id.neiqin_escalation_hours", readonly=False
    )
    neiqin_dq_batch_size = fields.Integer(
        string="Data-quality Issues per Commit",
        config_parameter="neiqin_base.dq_batch_size",
        default=20000,
        help="The data-quality cron commits the issues it opens, reopens and closes "
        "by batches of this size.",
    )
