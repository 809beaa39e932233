from odoo import api, fields, models
from odoo.tools import SQL


class ProductCategory(models.Model):
    """Categories with the number of their products for sale, a filter for
    the empty ones, and the flag of the categories whose products still
    have to be sorted (the catch-all "All" category is one)."""

    _inherit = "product.category"

    neiqin_product_count = fields.Integer(
        string="Products for Sale",
        compute="_compute_neiqin_product_count",
        help="Active products for sale directly in this category (not its subcategories).",
    )
    neiqin_is_empty = fields.Boolean(
        string="Empty",
        compute="_compute_neiqin_product_count",
        search="_search_neiqin_is_empty",
    )
    neiqin_to_sort = fields.Boolean(
        string="Products To Sort",
        help="Products in this category are not categorised yet: the category "
        "suggestion proposes a real category for them.",
    )

    def _compute_neiqin_product_count(self):
        counts = dict(
            self.env["product.template"]._read_group(
                [("categ_id", "in", self.ids), ("sale_ok", "=", True)],
                ["categ_id"],
                ["__count"],
            )
        )
        for category in self:
            category.neiqin_product_count = counts.get(category, 0)
            category.neiqin_is_empty = not category.neiqin_product_count

    def _search_neiqin_is_empty(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        products = self.env["product.template"]._search([("sale_ok", "=", True)])
        used = products.subselect(SQL.identifier(products.table, "categ_id"))
        empty = (operator == "=") == bool(value)
        return [("id", "not in" if empty else "in", used)]

    @api.model
    def _neiqin_to_sort_domain(self):
        """The products still to categorise: in a category flagged to sort."""
        return [("categ_id.neiqin_to_sort", "=", True)]

    def action_neiqin_open_products(self):
        """The category's products, in the catalog's product list."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "neiqin_catalog.action_neiqin_product"
        )
        action["domain"] = [("categ_id", "=", self.id)]
        action["context"] = {"default_categ_id": self.id, "default_sale_ok": True}
        action["display_name"] = self.display_name
        return action
