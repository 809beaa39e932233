import xmlrpc.client

from odoo.tests import HttpCase, tagged

from .common import OrdersData, tmall_payload


@tagged("post_install", "-at_install")
class TestXmlRpc(OrdersData, HttpCase):
    """The integration API over real XML-RPC, as a connector would call it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_orders_data()
        cls.api_user = cls._user(
            "ord_api",
            "neiqin_base.group_neiqin_clerk,sales_team.group_sale_salesman,stock.group_stock_user,"
            "base.group_partner_manager",
            password="ord_api_pw",
        )

    def call(self, method, *args):
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, "ord_api", "ord_api_pw", {})
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, "ord_api_pw", "sale.order", method, list(args)
        )

    def _payload(self, number, **extra):
        return tmall_payload(number, **{"payment_ref": f"ALI-{number}", **extra})

    def test_upsert_valid_invalid_and_repeated(self):
        results = self.call(
            "api_upsert_orders",
            [
                self._payload("X-1"),
                self._payload("X-2", lines=[{"sku": "NOPE", "qty": 1}]),
                {"platform": "tmall"},
                self._payload("X-3", customer={"name": "A", "country_code": "ZZ"}),
            ],
        )
        self.assertEqual(
            [r["status"] for r in results], ["created", "error", "error", "error"], results
        )
        self.assertIn("unknown SKU NOPE", results[1]["message"])
        self.assertIn("platform_order_no is required", results[2]["message"])
        self.assertIn("Unknown country code ZZ", results[3]["message"])
        order = self.env["sale.order"].browse(results[0]["id"])
        self.assertEqual(order.neiqin_platform_order_no, "X-1")
        self.assertEqual(order.amount_total, 160)
        self.assertEqual(order.neiqin_payment_state, "paid")
        self.assertFalse(
            self.env["sale.order"].search([("neiqin_platform_order_no", "in", ["X-2", "X-3"])])
        )

        again = self.call("api_upsert_orders", [self._payload("X-1")])
        self.assertEqual(again[0]["status"], "unchanged")
        changed = self.call(
            "api_upsert_orders", [self._payload("X-1", buyer_remark="Leave at the door")]
        )
        self.assertEqual(changed[0]["status"], "updated")
        self.assertEqual(
            self.env["sale.order"].search_count([("neiqin_platform_order_no", "=", "X-1")]), 1
        )
        self.assertEqual(
            self.env["res.partner"].search_count([("ref", "=", "tmall:buyer-77")]),
            1,
            "customer matched, not duplicated",
        )

    def test_two_updates_of_one_order_in_one_call(self):
        results = self.call(
            "api_upsert_orders",
            [self._payload("W-1"), self._payload("W-1", buyer_remark="Ring twice")],
        )
        self.assertEqual([r["status"] for r in results], ["created", "updated"], results)
        self.assertEqual(results[0]["id"], results[1]["id"])
        order = self.env["sale.order"].browse(results[0]["id"])
        self.assertEqual(order.neiqin_buyer_remark, "Ring twice")

    def test_tracking_events_and_status(self):
        created = self.call("api_upsert_orders", [self._payload("Y-1")])[0]
        order = self.env["sale.order"].browse(created["id"])
        order.action_confirm()
        results = self.call(
            "api_set_tracking_numbers",
            [
                {
                    "platform": "tmall",
                    "platform_order_no": "Y-1",
                    "tracking_number": "TX55555555",
                    "carrier": "TX",
                },
                {"platform_order_no": "Y-1", "tracking_number": "123", "carrier": "TX"},
                {"order": "NOPE", "tracking_number": "TX55555556"},
            ],
        )
        self.assertEqual([r["status"] for r in results], ["updated", "error", "error"])
        picking = order.picking_ids
        self.assertEqual(picking.carrier_tracking_ref, "TX55555555")
        repeat = self.call(
            "api_set_tracking_numbers",
            [{"picking": picking.name, "tracking_number": "TX55555555", "carrier": "TX"}],
        )
        self.assertEqual(repeat[0]["status"], "unchanged")
        # Carriers report on parcels that left: the delivery is validated.
        picking.move_ids.quantity = picking.move_ids.product_uom_qty
        picking.button_validate()

        events = self.call(
            "api_push_logistics_events",
            [
                {
                    "tracking_number": "TX55555555",
                    "status": "in_transit",
                    "event_id": "ev-1",
                    "location": "Shanghai",
                },
                {"tracking_number": "TX55555555", "status": "teleported", "event_id": "ev-2"},
                {"tracking_number": "TX00000000", "status": "delivered", "event_id": "ev-3"},
            ],
        )
        self.assertEqual([e["status"] for e in events], ["created", "error", "error"])

        status = self.call("api_get_order_status", ["Y-1", "UNKNOWN"])
        self.assertEqual(status[0]["review_state"], "approved")
        self.assertEqual(status[0]["payment_state"], "paid")
        self.assertEqual(status[0]["deliveries"][0]["tracking_number"], "TX55555555")
        self.assertEqual(status[0]["deliveries"][0]["logistics_state"], "in_transit")
        self.assertEqual(status[1], {"platform_order_no": "UNKNOWN", "found": False})

    def test_malformed_items_are_answered_one_by_one(self):
        results = self.call(
            "api_upsert_orders",
            [
                self._payload("Q-1", lines=5),
                {"platform_order_no": {"nested": [1, {"deeper": "x"}]}},
                "not an order",
                self._payload("Q-2", lines=[{"sku": "T-TEE", "qty": "two"}]),
                self._payload("Q-3", date_order="0001-01-01T00:00:00+05:00"),
                self._payload("Q-4"),
            ],
        )
        self.assertEqual([r["index"] for r in results], list(range(6)))
        self.assertEqual([r["status"] for r in results], ["error"] * 5 + ["created"], results)
        self.assertEqual(results[0]["platform_order_no"], "Q-1")
        self.assertFalse(results[1]["platform_order_no"])
        self.assertIn("qty must be a number", results[3]["message"])
        self.assertIn("date_order must be between", results[4]["message"])

    def test_api_respects_access_rights(self):
        portal = self._user("ord_portal", "base.group_portal", password="ord_portal_pw")
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, portal.login, "ord_portal_pw", {})
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.xmlrpc_object.execute_kw(
                self.env.cr.dbname,
                uid,
                "ord_portal_pw",
                "sale.order",
                "api_upsert_orders",
                [[self._payload("Z-1")]],
            )
        # Odoo's XML-RPC fault code 4 is an AccessError: refused before any item
        self.assertEqual(caught.exception.faultCode, 4)
        self.assertFalse(self.env["sale.order"].search([("neiqin_platform_order_no", "=", "Z-1")]))
