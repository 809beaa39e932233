from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestRefundRequest(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env.ref("neiqin_aftersales.rule_order_aftersales_refund")

    def _confirmed_order(self):
        """A confirmed order whose delivery has not left."""
        order = self._order(lines=[(self.tee, 1, 80.0)])
        order.action_neiqin_review()
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        return order

    def _ship(self, order, user=None):
        picking = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        picking = picking.with_user(user or self.clerk)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.button_validate()
        return picking

    def test_refund_ticket_blocks_dispatch_until_refunded(self):
        order = self._confirmed_order()
        ticket = self._ticket(order, neiqin_service_type="refund")
        with self.assertRaisesRegex(UserError, "Refund requested from after-sales"):
            self._ship(order)
        wizard = self._return_wizard(ticket)
        self.assertEqual(wizard.kind, "refund_only")
        self.assertEqual(wizard.line_ids.quantity, 1.0, "ordered, nothing delivered yet")
        wizard.action_create()
        rma = self._returns_of(ticket)
        self.assertEqual(rma.state, "refunded")
        self.assertTrue(rma.refund_id)
        self.assertEqual(self._ship(order).state, "done")

    def test_closing_the_ticket_releases_dispatch(self):
        order = self._confirmed_order()
        ticket = self._ticket(order, neiqin_service_type="refund")
        with self.assertRaisesRegex(UserError, "Refund requested from after-sales"):
            self._ship(order)
        closed = self.env["helpdesk.ticket.stage"].search([("closed", "=", True)], limit=1)
        ticket.sudo().stage_id = closed
        self.assertEqual(self._ship(order).state, "done")

    def test_open_refund_rma_blocks_and_cancelling_releases(self):
        order = self._confirmed_order()
        rma = (
            self.env["rma"]
            .with_user(self.clerk)
            .create(
                {
                    "partner_id": order.partner_id.id,
                    "order_id": order.id,
                    "product_id": self.tee.id,
                    "product_uom_qty": 1,
                    "product_uom": self.tee.uom_id.id,
                    "operation_id": self.env.ref("neiqin_aftersales.rma_operation_refund_only").id,
                    "location_id": order.warehouse_id.rma_loc_id.id,
                }
            )
        )
        self.assertFlagged(self.rule, order, among=order)
        rma.with_user(self.clerk).action_cancel()
        self.assertFlagged(self.rule, order.browse(), among=order)
        self.assertEqual(self._ship(order).state, "done")

    def test_shipped_orders_and_other_requests_are_not_flagged(self):
        shipped = self._shipped_order(lines=[(self.tee, 1, 80.0)])
        self._ticket(shipped, neiqin_service_type="refund")
        pending = self._confirmed_order()
        self._ticket(pending, neiqin_service_type="exchange")
        refund = self._confirmed_order()
        self._ticket(refund, neiqin_service_type="refund")
        self.assertFlagged(self.rule, refund, among=shipped | pending | refund)

    def test_the_check_is_set_based(self):
        orders = self._confirmed_order() | self._confirmed_order()
        for order in orders:
            self._ticket(order, neiqin_service_type="refund")
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(1):
            flagged = orders._neiqin_dq_check_aftersales_refund(self.rule)
        self.assertEqual(flagged, orders)
        more = orders | self._confirmed_order() | self._confirmed_order()
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(1):
            more._neiqin_dq_check_aftersales_refund(self.rule)
