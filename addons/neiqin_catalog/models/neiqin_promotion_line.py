from odoo import api, fields, models
from odoo.exceptions import ValidationError


class NeiqinPromotionLine(models.Model):
    """A product of a promotion: its promotional price and the quantity
    the campaign expects to sell."""

    _name = "neiqin.promotion.line"
    _description = "Promotion product"
    _order = "promotion_id, sequence, id"
    _check_company_auto = True

    promotion_id = fields.Many2one(
        "neiqin.promotion", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="promotion_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="promotion_id.currency_id")
    product_tmpl_id = fields.Many2one(
        "product.template",
        string="Product",
        required=True,
        index=True,
        check_company=True,
        domain=[("sale_ok", "=", True)],
    )
    regular_price = fields.Float(
        related="product_tmpl_id.list_price", string="Regular Price", digits="Product Price"
    )
    promo_price = fields.Float(string="Promotional Price", digits="Product Price", required=True)
    expected_qty = fields.Float(string="Expected Quantity", digits="Product Unit of Measure")

    _sql_constraints = [
        (
            "promotion_product_uniq",
            "unique (promotion_id, product_tmpl_id)",
            "A product appears once in a promotion.",
        ),
    ]

    @api.constrains("promo_price", "expected_qty")
    def _check_amounts(self):
        for line in self:
            if line.promo_price <= 0 or line.expected_qty < 0:
                raise ValidationError(
                    self.env._(
                        "%(product)s: the promotional price must be above zero and the "
                        "expected quantity not negative.",
                        product=line.product_tmpl_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        promotions = self.env["neiqin.promotion"].browse(
            {vals["promotion_id"] for vals in vals_list if vals.get("promotion_id")}
        )
        promotions._check_preparable()
        return super().create(vals_list)

    def write(self, vals):
        self.promotion_id._check_preparable()
        return super().write(vals)

    def unlink(self):
        self.promotion_id._check_preparable()
        return super().unlink()
