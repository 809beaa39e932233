from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    neiqin_blacklisted = fields.Boolean(
        string="Blacklisted",
        tracking=True,
        groups="neiqin_base.group_neiqin_clerk",
        help="Orders of this customer stop at review (fraud, abuse, unpaid debts).",
    )
    neiqin_blacklist_reason = fields.Char(
        string="Blacklist Reason", tracking=True, groups="neiqin_base.group_neiqin_clerk"
    )
