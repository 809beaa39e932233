from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.neiqin_base.engine.guard import require_group


class NeiqinRecategorizeWizard(models.TransientModel):
    """Move the selected products to another category: the preview shows
    each product's current and new category before anything is written."""

    _name = "neiqin.recategorize.wizard"
    _description = "Bulk re-categorisation"

    categ_id = fields.Many2one("product.category", string="New Category", required=True)
    product_tmpl_ids = fields.Many2many("product.template", string="Products")
    line_ids = fields.One2many(
        "neiqin.recategorize.line",
        "wizard_id",
        string="Preview",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "product.template":
            values["product_tmpl_ids"] = [Command.set(self.env.context.get("active_ids") or [])]
        return values

    @api.depends("categ_id", "product_tmpl_ids")
    def _compute_line_ids(self):
        for wizard in self:
            wizard.line_ids = [Command.clear()] + [
                Command.create({"product_tmpl_id": product.id, "new_categ_id": wizard.categ_id.id})
                for product in wizard.product_tmpl_ids
            ]

    def action_apply(self):
        """Write the new categories: one write per target category."""
        self.ensure_one()
        _ = self.env._
        require_group(
            self.env,
            "neiqin_base.group_neiqin_clerk",
            _("Only the back-office staff re-categorise products."),
        )
        lines = self.line_ids.filtered("new_categ_id")
        if not lines:
            raise UserError(_("Nothing to re-categorise: choose products and a category."))
        # The companies are read as the engine, only to refuse: a product
        # of another company is refused by its id, its name is not shown.
        foreign = lines.sudo().product_tmpl_id.filtered(
            lambda p: p.company_id and p.company_id not in self.env.companies
        )
        if foreign:
            raise UserError(
                _(
                    "Products of another company cannot be re-categorised here (ids %s).",
                    ", ".join(str(pid) for pid in foreign.ids),
                )
            )
        by_category = defaultdict(list)
        for line in lines:
            if line.product_tmpl_id.categ_id != line.new_categ_id:
                by_category[line.new_categ_id].append(line.product_tmpl_id.id)
        Product = self.env["product.template"]
        for category, product_ids in by_category.items():
            Product.browse(product_ids).write({"categ_id": category.id})
        return {"type": "ir.actions.act_window_close"}


class NeiqinRecategorizeLine(models.TransientModel):
    """One product of the preview: its current and its new category."""

    _name = "neiqin.recategorize.line"
    _description = "Bulk re-categorisation preview line"

    wizard_id = fields.Many2one("neiqin.recategorize.wizard", required=True, ondelete="cascade")
    product_tmpl_id = fields.Many2one("product.template", string="Product", required=True)
    current_categ_id = fields.Many2one(
        related="product_tmpl_id.categ_id", string="Current Category"
    )
    new_categ_id = fields.Many2one("product.category", string="New Category")
