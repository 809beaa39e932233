from odoo import api, fields, models


class NeiqinOrderOverrideWizard(models.TransientModel):
    _name = "neiqin.order.override.wizard"
    _description = "Override order review exceptions"

    order_ids = fields.Many2many("sale.order", string="Orders")
    exception_summary = fields.Text(string="Exceptions", compute="_compute_exception_summary")
    reason = fields.Text(required=True, help="Kept on the order and in its chatter.")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "sale.order":
            values["order_ids"] = [fields.Command.set(self.env.context.get("active_ids") or [])]
        return values

    @api.depends("order_ids")
    def _compute_exception_summary(self):
        for wizard in self:
            orders = wizard.order_ids._origin
            wizard.exception_summary = orders._neiqin_exception_message(
                orders._neiqin_blocking_issues()
            )

    def action_override(self):
        self.ensure_one()
        self.order_ids._neiqin_override(self.reason)
        for order in self.order_ids:
            order.message_post(body=self.env._("Review exceptions overridden: %s", self.reason))
        return {"type": "ir.actions.act_window_close"}
