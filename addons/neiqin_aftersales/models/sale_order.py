from odoo import Command, models

from odoo.addons.neiqin_base.engine.guard import require_group


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def action_neiqin_new_ticket(self):
        """Open a new service ticket about this order: its customer, the
        order and its products filled in."""
        self.ensure_one()
        require_group(
            self.env,
            "neiqin_base.group_neiqin_clerk",
            self.env._("Only back-office staff can open a service ticket from an order."),
        )
        self.check_access("read")
        products = self.order_line.filtered(lambda line: not line.display_type).product_id
        products = products.filtered(lambda p: p.type != "service")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Ticket"),
            "res_model": "helpdesk.ticket",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_sale_order_ids": [Command.set(self.ids)],
                "default_neiqin_product_ids": [Command.set(products.ids)],
                "default_name": self.env._("About order %s", self.name),
                "default_company_id": self.company_id.id,
            },
        }
