from odoo import fields, models


class ProductPricelistItem(models.Model):
    """The promotion that wrote a pricelist item: its prices are removed
    when the promotion ends or is cancelled."""

    _inherit = "product.pricelist.item"

    neiqin_promotion_id = fields.Many2one(
        "neiqin.promotion", string="Promotion", index="btree_not_null", ondelete="set null"
    )
