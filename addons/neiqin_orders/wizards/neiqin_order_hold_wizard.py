from odoo import api, fields, models


class NeiqinOrderHoldWizard(models.TransientModel):
    """A clerk holds quotations (挂起) with a reason and, optionally, the time
    the review releases them by itself."""

    _name = "neiqin.order.hold.wizard"
    _description = "Hold orders"

    order_ids = fields.Many2many("sale.order", string="Orders", required=True)
    reason = fields.Text(
        required=True, help="Why the orders are held: kept on each order and in its chatter."
    )
    hold_until = fields.Datetime(
        string="Release On",
        help="The review releases the orders by itself at this time, and approves them if "
        "nothing else stops them. Empty: until a clerk releases them.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "sale.order" and context.get("active_ids"):
            values["order_ids"] = [fields.Command.set(list(context["active_ids"]))]
        return values

    def action_hold(self):
        """Hold the orders (the clerk's role and the release time are
        checked by the hold itself)."""
        self.ensure_one()
        self.order_ids._neiqin_hold(self.reason, self.hold_until)
        return {"type": "ir.actions.act_window_close"}
