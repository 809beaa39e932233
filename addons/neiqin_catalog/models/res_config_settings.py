from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    neiqin_description_min_chars = fields.Integer(
        related="company_id.neiqin_description_min_chars", readonly=False
    )
    neiqin_image_min_px = fields.Integer(related="company_id.neiqin_image_min_px", readonly=False)
