from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    neiqin_low_rating_threshold = fields.Integer(
        string="Low Rating at or Below",
        default=1,
        help="A customer rating at or below this value (1 not satisfied, 3 okay, 5 satisfied) "
        "opens a follow-up activity for the service lead and offers a complaint ticket.",
    )

    @api.constrains("neiqin_low_rating_threshold")
    def _check_neiqin_low_rating_threshold(self):
        for company in self:
            if not 0 <= company.neiqin_low_rating_threshold <= 5:
                raise ValidationError(
                    self.env._("The low rating threshold is a rating from 0 to 5.")
                )
