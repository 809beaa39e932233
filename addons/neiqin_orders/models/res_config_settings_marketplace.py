from odoo import fields, models


# Kept apart from the module's other extension of this model while that one
# changes on other branches; to be merged into it afterwards.
class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    neiqin_platform_tax_included = fields.Boolean(
        related="company_id.neiqin_platform_tax_included", readonly=False
    )
    neiqin_tax_excluded_platforms = fields.Char(
        related="company_id.neiqin_tax_excluded_platforms", readonly=False
    )
    neiqin_tax_included_fpos_id = fields.Many2one(
        related="company_id.neiqin_tax_included_fpos_id", readonly=False
    )
