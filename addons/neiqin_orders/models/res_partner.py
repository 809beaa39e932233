from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.phone_validation.tools.phone_validation import phone_parse


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
    neiqin_phone_valid = fields.Boolean(
        string="Phone Valid",
        compute="_compute_neiqin_phone_valid",
        store=True,
        help="The mobile number, else the phone number, is a valid number for the contact's "
        "country (its company's country when it has none). Order review reads it, so a "
        "number is parsed once when it changes, not at every review.",
    )

    @api.depends("mobile", "phone", "country_id", "company_id.country_id")
    def _compute_neiqin_phone_valid(self):
        fallback = self.env.company.country_id
        for partner in self:
            number = partner.mobile or partner.phone
            valid = False
            if number:
                country = partner.country_id or partner.company_id.country_id or fallback
                try:
                    phone_parse(number, country.code or None)
                    valid = True
                except UserError:
                    valid = False
            partner.neiqin_phone_valid = valid
