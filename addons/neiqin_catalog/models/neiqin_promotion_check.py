from odoo import fields, models

CHECKS = [
    ("information", "Information complete"),
    ("published", "Published on the channels"),
    ("price_regular", "Below the regular price"),
    ("price_cost", "Above cost"),
    ("pricelist", "Price on the pricelist"),
    ("stock", "Stock covers the expected quantity"),
    ("left_discounted", "Pricelist item left after the end"),
    ("list_price_lowered", "List price lowered"),
]


class NeiqinPromotionCheck(models.Model):
    """One result of a promotion's checklist: the pre-launch checks, then
    the post-campaign check (nothing left discounted). Written by the
    checklist only; everyone who reads the promotion reads them."""

    _name = "neiqin.promotion.check"
    _description = "Promotion checklist result"
    _order = "promotion_id, section, result, id"

    promotion_id = fields.Many2one(
        "neiqin.promotion", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="promotion_id.company_id", store=True, index=True)
    section = fields.Selection(
        [("pre", "Pre-launch"), ("post", "Post-campaign")], required=True, readonly=True
    )
    check_type = fields.Selection(CHECKS, string="Check", required=True, readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product", readonly=True)
    result = fields.Selection([("failed", "Failed"), ("ok", "OK")], required=True, readonly=True)
    detail = fields.Char(readonly=True)
