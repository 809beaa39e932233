from odoo import models
from odoo.tools import SQL

from .rma_returns import SETTLED_STATES


class SaleOrder(models.Model):
    _inherit = "sale.order"

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
