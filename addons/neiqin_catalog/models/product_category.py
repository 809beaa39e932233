from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.neiqin_base.engine.guard import require_group

from .product_template_lifecycle import REVIEWED_STATES


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

    def write(self, vals):
        if not ({"name", "parent_id"} & set(vals)) or not self:
            return super().write(vals)
        # The path a channel shows (服装 / 卫衣) is the category's full name:
        # renaming or moving a category changes it for the products of the
        # category and of its subcategories.
        before = {category.id: category.complete_name for category in self}
        result = super().write(vals)
        self.flush_recordset(["complete_name"])
        renamed = self.filtered(lambda c: c.complete_name != before[c.id])
        if renamed:
            renamed._neiqin_send_products_to_review()
        return result

    def _neiqin_send_products_to_review(self):
        """The reviewed products of these categories and their subcategories
        go back through the review, as after an edit of their category: one
        search, then one engine write per new state."""
        # sudo: every product of the renamed categories is concerned,
        # whatever company the user who renamed them reads; the ids come
        # from the categories they were allowed to write, not from a caller.
        products = (
            self.env["product.template"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [("categ_id", "child_of", self.ids), ("neiqin_info_state", "in", REVIEWED_STATES)]
            )
        )
        if products:
            # Stamped with the user who renamed them (sudo keeps the uid):
            # they may not approve these products' review either.
            products._neiqin_info_track_edit()

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

    @api.model
    def _neiqin_check_recategorizer(self):
        require_group(
            self.env,
            "neiqin_base.group_neiqin_clerk",
            self.env._("Only the back-office staff re-categorise products."),
        )

    @api.model
    def _neiqin_move_products(self, moves):
        """Move products to new categories: ``moves`` is [(product, new
        category)]; one write per category, for back-office staff, refused
        as a whole when a product is one the user may not change (another
        company's), named by the id they sent: its name is not theirs to
        read. The re-categorisation and the suggestions both end here."""
        _ = self.env._
        self._neiqin_check_recategorizer()
        products = self.env["product.template"].union(*(product for product, __ in moves))
        foreign = products - products._filtered_access("write")
        if foreign:
            raise UserError(
                _(
                    "Products of another company cannot be re-categorised here (ids %s).",
                    ", ".join(str(pid) for pid in foreign.ids),
                )
            )
        by_category = defaultdict(list)
        for product, category in moves:
            if product.categ_id != category:
                by_category[category].append(product.id)
        for category, product_ids in by_category.items():
            products.browse(product_ids).write({"categ_id": category.id})
