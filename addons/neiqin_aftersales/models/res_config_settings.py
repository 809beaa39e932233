from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    neiqin_low_rating_threshold = fields.Integer(
        related="company_id.neiqin_low_rating_threshold", readonly=False
    )
