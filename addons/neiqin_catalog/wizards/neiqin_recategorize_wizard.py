from odoo import Command, api, fields, models
from odoo.exceptions import UserError


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
        self.env["product.category"]._neiqin_check_recategorizer()
        lines = self.line_ids.filtered("new_categ_id")
        if not lines:
            raise UserError(self.env._("Nothing to re-categorise: choose products and a category."))
        self.env["product.category"]._neiqin_move_products(
            [(line.product_tmpl_id, line.new_categ_id) for line in lines]
        )
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
