"""Idempotency keys on the order API (the helper's own behaviour is tested
in neiqin_base): a connector that sends an item again with its key gets the
first answer, and nothing is applied twice."""

from odoo.tests import HttpCase, tagged

from .common import API_GROUPS, OrdersCase, OrdersData


@tagged("post_install", "-at_install")
class TestApiIdempotency(OrdersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api_user = cls._user("ord_api_idem", API_GROUPS)

    def _api(self):
        return self.env["sale.order"].with_user(self.api_user)

    def _orders(self, number):
        return self.env["sale.order"].search([("neiqin_platform_order_no", "=", number)])

    def test_repeated_order_answers_its_first_result(self):
        payload = self._order_payload("IK-1", idempotency_key="push-1")
        first = self._api().api_upsert_orders([payload])
        again = self._api().api_upsert_orders([dict(payload)])
        self.assertEqual(first[0]["status"], "created")
        self.assertEqual(again, [{**first[0], "replayed": True}])
        self.assertEqual(len(self._orders("IK-1")), 1)
        # Without the key, the platform order number still finds it.
        plain = self._api().api_upsert_orders([self._order_payload("IK-1")])
        self.assertEqual(plain[0]["status"], "unchanged")

    def test_reused_key_with_other_values_changes_nothing(self):
        self._api().api_upsert_orders([self._order_payload("IK-2", idempotency_key="push-2")])
        order = self._orders("IK-2")
        results = self._api().api_upsert_orders(
            [self._order_payload("IK-2", paid_amount=0, idempotency_key="push-2")]
        )
        self.assertEqual(results[0]["status"], "error")
        self.assertEqual(results[0]["platform_order_no"], "IK-2")
        self.assertIn("Idempotency key push-2 was used with another payload", results[0]["message"])
        self.assertEqual(order.neiqin_platform_paid, 80.0)

    def test_tracking_numbers_and_events_take_keys(self):
        order = self._order(neiqin_platform_paid=80.0, neiqin_payment_ref="PAY-IK")
        order.action_confirm()
        item = {"order": order.name, "tracking_number": "TX30000001", "carrier": "TX"}
        keyed = {**item, "idempotency_key": "track-1"}
        first = self._api().api_set_tracking_numbers([keyed])
        again = self._api().api_set_tracking_numbers([dict(keyed)])
        self.assertEqual(first[0]["status"], "updated", first)
        self.assertEqual(again, [{**first[0], "replayed": True}])
        picking = order.picking_ids
        picking.move_ids.quantity = picking.move_ids.product_uom_qty
        picking.button_validate()
        event = {"tracking_number": "TX30000001", "status": "in_transit", "idempotency_key": "e-1"}
        pushed = self._api().api_push_logistics_events([event])
        repeat = self._api().api_push_logistics_events([dict(event)])
        self.assertEqual(pushed[0]["status"], "created", pushed)
        self.assertTrue(repeat[0]["replayed"])
        self.assertEqual(
            len(picking.neiqin_logistics_event_ids.filtered(lambda e: e.state == "in_transit")),
            1,
            "an event without the carrier's id is recorded once all the same",
        )

    def test_tracking_import_reads_no_keys(self):
        """The bulk import shares the tracking code, not the API's keys."""
        order = self._order()
        order.action_confirm()
        item = {"order": order.name, "tracking_number": "TX30000002", "idempotency_key": "i-1"}
        self.env["stock.picking"].with_user(self.api_user)._neiqin_set_tracking([item])
        self.assertFalse(self.env["neiqin.idempotency.key"].search([("key", "=", "i-1")]))


@tagged("post_install", "-at_install")
class TestXmlRpcIdempotency(OrdersData, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_orders_data()
        cls._user("ord_api_idem_rpc", API_GROUPS, password="ord_api_idem_rpc_pw")

    def test_repeat_over_xmlrpc_is_answered_from_the_key(self):
        db = self.env.cr.dbname
        uid = self.xmlrpc_common.authenticate(db, "ord_api_idem_rpc", "ord_api_idem_rpc_pw", {})

        def call(payload):
            return self.xmlrpc_object.execute_kw(
                db, uid, "ord_api_idem_rpc_pw", "sale.order", "api_upsert_orders", [[payload]]
            )

        payload = self._order_payload("IK-RPC", idempotency_key="rpc-1")
        first = call(payload)
        again = call(payload)
        self.assertEqual(first[0]["status"], "created", first)
        self.assertEqual(again, [{**first[0], "replayed": True}])
