from odoo import Command, models
from odoo.tools import SQL

from odoo.addons.neiqin_base.engine.guard import require_group

from .rma_returns import SETTLED_STATES


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

    def _neiqin_dq_check_aftersales_refund(self, rule):
        """Orders not shipped yet with a refund asked from after-sales: an
        RMA of theirs not settled (exchanges and resends aside), or an open
        ticket of type refund on them whose returns of the order are not
        all settled. The issue is settled with the refund (or its
        cancellation), or when the ticket closes."""
        return self._neiqin_orders_from_sql(
            SQL(
                """
                SELECT o.id
                  FROM sale_order o
                 WHERE o.id = ANY(%(ids)s)
                   AND EXISTS (
                        SELECT 1
                          FROM stock_picking p
                          JOIN stock_picking_type t ON t.id = p.picking_type_id
                         WHERE p.sale_id = o.id AND t.code = 'outgoing'
                           AND p.state NOT IN ('done', 'cancel'))
                   AND (EXISTS (
                            SELECT 1
                              FROM rma r
                              LEFT JOIN rma_operation op ON op.id = r.operation_id
                             WHERE r.order_id = o.id
                               AND r.state NOT IN %(settled)s
                               AND COALESCE(op.neiqin_kind, '') NOT IN ('exchange', 'resend'))
                        OR EXISTS (
                            SELECT 1
                              FROM helpdesk_ticket_sale_order_rel rel
                              JOIN helpdesk_ticket tk ON tk.id = rel.helpdesk_ticket_id
                              LEFT JOIN helpdesk_ticket_stage st ON st.id = tk.stage_id
                             WHERE rel.sale_order_id = o.id
                               AND tk.neiqin_service_type = 'refund'
                               AND tk.active
                               AND NOT COALESCE(st.closed, false)
                               AND NOT EXISTS (
                                    SELECT 1 FROM rma r2
                                     WHERE r2.neiqin_ticket_id = tk.id AND r2.order_id = o.id)))
                """,
                ids=self.ids,
                settled=SETTLED_STATES,
            )
        )
