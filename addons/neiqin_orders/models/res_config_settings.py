from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    neiqin_review_scope = fields.Selection(related="company_id.neiqin_review_scope", readonly=False)
    neiqin_review_domain = fields.Char(related="company_id.neiqin_review_domain", readonly=False)
    neiqin_auto_approve = fields.Boolean(related="company_id.neiqin_auto_approve", readonly=False)
    neiqin_send_notices = fields.Boolean(related="company_id.neiqin_send_notices", readonly=False)
    neiqin_confirm_approved = fields.Boolean(
        related="company_id.neiqin_confirm_approved", readonly=False
    )
    neiqin_platform_tax_included = fields.Boolean(
        related="company_id.neiqin_platform_tax_included", readonly=False
    )
    neiqin_tax_excluded_platforms = fields.Char(
        related="company_id.neiqin_tax_excluded_platforms", readonly=False
    )
    neiqin_tax_included_fpos_id = fields.Many2one(
        related="company_id.neiqin_tax_included_fpos_id", readonly=False
    )
