from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    neiqin_price_floor = fields.Float(
        string="Price Floor",
        digits="Product Price",
        help="Lowest net unit price allowed on an order; below it the order stops at review.",
    )
