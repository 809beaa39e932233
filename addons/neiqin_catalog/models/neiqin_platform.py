from odoo import api, fields, models
from odoo.exceptions import ValidationError


class NeiqinPlatform(models.Model):
    """A sales channel's limit on the length of a product title: a listing
    whose title is longer cannot be published there."""

    _inherit = "neiqin.platform"

    neiqin_title_max_length = fields.Integer(
        string="Title Length Limit",
        help="The most characters a product title may have on this channel; 0: no limit.",
    )

    @api.constrains("neiqin_title_max_length")
    def _check_neiqin_title_max_length(self):
        if any(platform.neiqin_title_max_length < 0 for platform in self):
            raise ValidationError(
                self.env._("A title length limit is a number of characters, 0 for none.")
            )

    def write(self, vals):
        result = super().write(vals)
        if "neiqin_title_max_length" in vals:
            self.env["neiqin.product.listing"]._neiqin_update_completeness(platform_ids=self.ids)
        return result
