from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    neiqin_platform_tax_included = fields.Boolean(
        related="company_id.neiqin_platform_tax_included", readonly=False
    )
    neiqin_tax_excluded_platforms = fields.Char(
        related="company_id.neiqin_tax_excluded_platforms", readonly=False
    )
    neiqin_tax_included_fpos_id = fields.Many2one(
        related="company_id.neiqin_tax_included_fpos_id", readonly=False
    )
