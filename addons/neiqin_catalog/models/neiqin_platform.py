from odoo import api, fields, models
from odoo.exceptions import ValidationError


class NeiqinPlatform(models.Model):
    """A sales channel's limit on the length of a product title: a listing
    whose title is longer cannot be published there."""

    _inherit = "neiqin.platform"

    neiqin_title_max_length = fields.Integer(
        string="Title Length Limit",
        help="The most characters a product title may have on this channel, counted as the "
        "channel counts them; 0: no limit.",
    )
    neiqin_title_counts_cjk_double = fields.Boolean(
        string="Chinese Characters Count Double",
        help="The channel counts a Chinese (or any full-width, non-ASCII) character of a "
        "title as two, as Taobao and Tmall do: a 60 limit holds 30 Chinese characters.",
    )

    @api.constrains("neiqin_title_max_length")
    def _check_neiqin_title_max_length(self):
        if any(platform.neiqin_title_max_length < 0 for platform in self):
            raise ValidationError(
                self.env._("A title length limit is a number of characters, 0 for none.")
            )

    def write(self, vals):
        result = super().write(vals)
        if {"neiqin_title_max_length", "neiqin_title_counts_cjk_double"} & set(vals):
            self.env["neiqin.product.listing"]._neiqin_update_completeness(platform_ids=self.ids)
        return result
