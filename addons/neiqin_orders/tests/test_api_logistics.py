from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import API_GROUPS, OrdersCase


@tagged("post_install", "-at_install")
class TestApiLogistics(OrdersCase):
    """Carrier events reach the delivery they are about, once it has
    shipped, and tracking numbers lead to one delivery."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api_user = cls._user("ord_api_logistics", API_GROUPS)

    def _api(self):
        return self.env["sale.order"].with_user(self.api_user)

    def _confirmed(self):
        order = self._order(neiqin_platform_paid=80.0, neiqin_payment_ref="PAY-L")
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

    def test_event_of_a_tracking_number_on_several_deliveries_needs_the_picking(self):
        _first_order, first = self._confirmed()
        _second_order, second = self._confirmed()
        self._ship(first, "TX20000003")
        self._ship(second, "TX20000003")
        results = self._api().api_push_logistics_events(
            [
                self._event("TX20000003", "in_transit"),
                self._event("TX20000003", "in_transit", picking=second.name),
                self._event("TX20000004", "in_transit", picking=first.name),
            ]
        )
        self.assertEqual([r["status"] for r in results], ["error", "created", "error"], results)
        self.assertIn(
            "is on several deliveries: send the delivery reference", results[0]["message"]
        )
        self.assertEqual(results[1]["picking"], second.name)
        self.assertIn("does not have the tracking number TX20000004", results[2]["message"])
        self.assertEqual(second.neiqin_logistics_state, "in_transit")
        self.assertEqual(first.neiqin_logistics_state, "shipped")

    # ------------------------------------------------------------ tracking numbers
    def test_tracking_number_of_another_delivery_is_refused(self):
        _first_order, first = self._confirmed()
        _second_order, second = self._confirmed()
        _third_order, third = self._confirmed()
        first.write({"carrier_id": self.carrier.id, "carrier_tracking_ref": "TX20000005"})
        results = self._api().api_set_tracking_numbers(
            [
                {"picking": second.name, "tracking_number": "TX20000005", "carrier": "TX"},
                {"picking": second.name, "tracking_number": "TX20000006", "carrier": "TX"},
                {"picking": third.name, "tracking_number": "TX20000006", "carrier": "TX"},
                {"picking": first.name, "tracking_number": "TX20000005", "carrier": "TX"},
            ]
        )
        self.assertEqual(
            [r["status"] for r in results], ["error", "updated", "error", "unchanged"], results
        )
        self.assertIn(
            f"The tracking number TX20000005 is already on the delivery {first.name}",
            results[0]["message"],
        )
        self.assertIn(
            f"The tracking number TX20000006 is given to {second.name} earlier in this call",
            results[2]["message"],
        )
        self.assertEqual(second.carrier_tracking_ref, "TX20000006")
        self.assertFalse(third.carrier_tracking_ref)

    def test_tracking_number_of_a_delivery_one_cannot_read_is_not_named(self):
        _first_order, first = self._confirmed()
        _second_order, second = self._confirmed()
        first.write({"carrier_id": self.carrier.id, "carrier_tracking_ref": "TX20000007"})
        first.origin = "RESTRICTED"
        self.env["ir.rule"].create(
            {
                "name": "test: restricted deliveries",
                "model_id": self.env.ref("stock.model_stock_picking").id,
                "groups": [(4, self.env.ref("stock.group_stock_user").id)],
                "domain_force": "[('origin', '!=', 'RESTRICTED')]",
            }
        )
        self.assertFalse(first.with_user(self.api_user).has_access("read"))
        results = self._api().api_set_tracking_numbers(
            [{"picking": second.name, "tracking_number": "TX20000007", "carrier": "TX"}]
        )
        self.assertEqual(results[0]["status"], "error")
        self.assertIn("TX20000007 is already on another delivery", results[0]["message"])
        self.assertNotIn(first.name, results[0]["message"])
        self.assertFalse(second.carrier_tracking_ref)

    def test_tracking_number_of_a_cancelled_delivery_may_be_reused(self):
        first_order, first = self._confirmed()
        _second_order, second = self._confirmed()
        first.write({"carrier_id": self.carrier.id, "carrier_tracking_ref": "TX20000008"})
        first_order._action_cancel()
        self.assertEqual(first.state, "cancel")
        results = self._api().api_set_tracking_numbers(
            [{"picking": second.name, "tracking_number": "TX20000008", "carrier": "TX"}]
        )
        self.assertEqual(results[0]["status"], "updated", results)
