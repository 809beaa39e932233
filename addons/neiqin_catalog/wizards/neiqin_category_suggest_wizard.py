from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..engine.category_suggest import CategoryModel


class NeiqinCategorySuggestWizard(models.TransientModel):
    """Suggest a category for the products still to sort (those in a
    category flagged *Products To Sort*, the catch-all "All" one out of the
    box), learnt from the names of the products already categorised."""

    _name = "neiqin.category.suggest.wizard"
    _description = "Category suggestions"

    product_tmpl_ids = fields.Many2many(
        "product.template",
        string="Products",
        help="The products to categorise; empty: every product still to sort.",
    )
    categ_ids = fields.Many2many(
        "product.category",
        string="Suggest Among",
        help="Learn from and suggest these categories only; empty: every category not "
        "flagged to sort.",
    )
    line_ids = fields.One2many("neiqin.category.suggest.line", "wizard_id", string="Suggestions")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "product.template":
            values["product_tmpl_ids"] = [Command.set(self.env.context.get("active_ids") or [])]
        return values

    def _products_to_sort(self):
        Product = self.env["product.template"]
        domain = Product.env["product.category"]._neiqin_to_sort_domain()
        if self.product_tmpl_ids:
            domain = [("id", "in", self.product_tmpl_ids.ids), *domain]
        return Product.search_fetch(domain, ["name", "categ_id"], order="id")

    def _learn(self, exclude):
        """The model of the categorised products' names (one query)."""
        domain = [("categ_id.neiqin_to_sort", "=", False), ("id", "not in", exclude.ids)]
        if self.categ_ids:
            domain.append(("categ_id", "in", self.categ_ids.ids))
        rows = self.env["product.template"].search_read(domain, ["name", "categ_id"], load=None)
        return CategoryModel((row["categ_id"], row["name"]) for row in rows)

    def action_suggest(self):
        """Fill the suggestions: the best category of each product to sort,
        with a confidence from 0 to 100."""
        self.ensure_one()
        products = self._products_to_sort()
        model = self._learn(products)
        lines = []
        for product in products:
            categ_id, confidence = model.suggest(product.name)
            if categ_id:
                lines.append(
                    Command.create(
                        {
                            "product_tmpl_id": product.id,
                            "categ_id": categ_id,
                            "confidence": confidence,
                            "is_selected": confidence >= 50,
                        }
                    )
                )
        self.line_ids = [Command.clear(), *lines]
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_accept(self):
        """Move the selected products to their suggested category: one
        write per category."""
        self.ensure_one()
        self.env["product.category"]._neiqin_check_recategorizer()
        selected = self.line_ids.filtered("is_selected")
        if not selected:
            raise UserError(self.env._("Select the suggestions to accept."))
        self.env["product.category"]._neiqin_move_products(
            [(line.product_tmpl_id, line.categ_id) for line in selected]
        )
        return {"type": "ir.actions.act_window_close"}


class NeiqinCategorySuggestLine(models.TransientModel):
    """A suggested category for one product."""

    _name = "neiqin.category.suggest.line"
    _description = "Category suggestion"
    _order = "confidence desc, id"

    wizard_id = fields.Many2one("neiqin.category.suggest.wizard", required=True, ondelete="cascade")
    product_tmpl_id = fields.Many2one("product.template", string="Product", required=True)
    current_categ_id = fields.Many2one(related="product_tmpl_id.categ_id", string="Now In")
    categ_id = fields.Many2one("product.category", string="Suggested Category", required=True)
    confidence = fields.Integer(help="From 0 to 100: the suggested category's share of the scores.")
    is_selected = fields.Boolean(string="Accept")
