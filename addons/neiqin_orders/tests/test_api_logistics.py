from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import API_GROUPS, OrdersCase


@tagged("post_install", "-at_install")
class TestApiLogistics(OrdersCase):
    """Carrier events reach the delivery they are about, once it has
    shipped."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api_user = cls._user("ord_api_logistics", API_GROUPS)

    def _api(self):
        return self.env["sale.order"].with_user(self.api_user)

    def _confirmed(self):
        order = self._order(neiqin_paid_amount=80.0, neiqin_payment_ref="PAY-L")
        order.action_confirm()
        return order, order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")

    def _ship(self, picking, tracking):
        picking.carrier_id = self.carrier
        picking.carrier_tracking_ref = tracking
        picking.move_ids.quantity = picking.move_ids.product_uom_qty
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        return picking

    def _event(self, tracking, status="delivered", **extra):
        return {"tracking_number": tracking, "status": status, **extra}

    # ------------------------------------------------------------ events
    def test_event_of_a_delivery_not_shipped_is_refused(self):
        order, picking = self._confirmed()
        picking.write({"carrier_id": self.carrier.id, "carrier_tracking_ref": "TX20000001"})
        step = order.neiqin_step_id
        results = self._api().api_push_logistics_events(
            [
                self._event("TX20000001", "in_transit", event_id="ev-1"),
                self._event("TX20000001", "delivered", event_id="ev-2"),
            ]
        )
        self.assertEqual([r["status"] for r in results], ["error", "error"], results)
        self.assertIn(f"{picking.name} is not shipped yet", results[1]["message"])
        self.assertFalse(picking.neiqin_logistics_event_ids)
        self.assertFalse(picking.neiqin_logistics_state)
        self.assertEqual(order.neiqin_step_id, step, "the process goes on as before")
        self.assertNotEqual(order.neiqin_step_state, "done")

    def test_event_dated_in_the_future_is_refused(self):
        _order, picking = self._confirmed()
        self._ship(picking, "TX20000002")
        now = fields.Datetime.now()

        def at(delta):
            return (now + delta).strftime("%Y-%m-%dT%H:%M:%SZ")

        results = self._api().api_push_logistics_events(
            [
                self._event("TX20000002", "delivered", event_at=at(timedelta(days=2))),
                self._event("TX20000002", "in_transit", event_at=at(timedelta(minutes=30))),
            ]
        )
        self.assertEqual([r["status"] for r in results], ["error", "created"], results)
        self.assertIn("is in the future", results[0]["message"])
        self.assertEqual(picking.neiqin_logistics_state, "in_transit")
        later = self._api().api_push_logistics_events(
            [self._event("TX20000002", "delivered", event_at=at(timedelta(minutes=40)))]
        )
        self.assertEqual(later[0]["status"], "created", "a later event still moves the status")
        self.assertEqual(picking.neiqin_logistics_state, "delivered")
