from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import API_GROUPS, OrdersCase


@tagged("post_install", "-at_install")
class TestApiPayloads(OrdersCase):
    """Whatever a connector sends, every item gets its own answer: a
    malformed item is refused with a clear message, the others go on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api_user = cls._user("ord_api_payloads", API_GROUPS)

    def _api(self):
        return self.env["sale.order"].with_user(self.api_user)

    def _upsert(self, *items):
        orders_before = self.env["sale.order"].search_count([])
        partners_before = self.env["res.partner"].search_count([])
        results = self._api().api_upsert_orders(list(items))
        self.assertEqual([r["index"] for r in results], list(range(len(items))), results)
        created = sum(r["status"] == "created" for r in results)
        self.assertEqual(self.env["sale.order"].search_count([]), orders_before + created)
        if not created:
            self.assertEqual(self.env["res.partner"].search_count([]), partners_before)
        return results

    def assertRefused(self, result, *words):
        self.assertEqual(result["status"], "error", result)
        for word in words:
            self.assertIn(word, result["message"])

    def test_wrong_types_are_refused_item_by_item(self):
        payload = self._order_payload
        results = self._upsert(
            payload("T-1", lines=5),
            payload("T-2", customer="Li Lei"),
            payload("T-3", lines=[{"sku": "T-TEE", "qty": 1}, 7, "x"]),
            payload("T-4", lines=[{"sku": "T-TEE", "qty": "2"}]),
            payload("T-5", lines=[[{"sku": "T-TEE", "qty": 1}]]),
            [payload("T-6")],
            payload("T-7", paid_amount="80"),
            payload("T-8", customer={"name": ["Li", "Lei"]}),
            payload("T-9", platform={"name": "jd"}),
            payload({"no": "T-10"}),
            payload("T-11", lines=[{"sku": 12.5, "qty": 1}]),
            payload("T-12", refund_state=["requested"]),
            payload("T-13", date_order=20261125),
            payload("T-14"),
        )
        self.assertRefused(results[0], "at least one line")
        self.assertRefused(results[1], "customer must be a structure")
        self.assertRefused(results[2], "Line 2", "not a structure")
        self.assertRefused(results[3], "Line 1", "qty must be a number")
        self.assertRefused(results[4], "Line 1", "not a structure")
        self.assertRefused(results[5], "Item 5 is not a structure")
        self.assertRefused(results[6], "paid_amount must be a number")
        self.assertRefused(results[7], "customer.name must be text")
        self.assertRefused(results[8], "platform must be text")
        self.assertRefused(results[9], "platform_order_no must be text")
        self.assertFalse(results[9]["platform_order_no"], "an odd key is not sent back")
        self.assertRefused(results[10], "Line 1", "sku must be text")
        self.assertRefused(results[11], "refund_state must be one of")
        self.assertRefused(results[12], "date_order must be a date and time")
        self.assertEqual(results[13]["status"], "created", results[13])

    def test_non_finite_and_huge_numbers_are_refused(self):
        payload = self._order_payload

        def line(**values):
            return [{"sku": "T-TEE", "qty": 1, "price_unit": 80, **values}]

        results = self._upsert(
            payload("N-1", lines=line(qty=float("nan"))),
            payload("N-2", lines=line(qty=float("inf"))),
            payload("N-3", lines=line(qty=10**400)),
            payload("N-4", lines=line(qty=1e300)),
            payload("N-5", lines=line(price_unit=float("-inf"))),
            payload("N-6", lines=line(price_unit=1e12)),
            payload("N-7", lines=line(discount=150)),
            payload("N-8", lines=line(discount=-5)),
            payload("N-9", paid_amount=float("nan")),
            payload("N-10", paid_amount=1e30),
            payload("N-11", paid_amount=-80),
            payload("N-12", lines=line(qty=-1)),
            payload("N-13", lines=line(qty=True)),
        )
        self.assertRefused(results[0], "qty must be a finite number")
        self.assertRefused(results[1], "qty must be a finite number")
        self.assertRefused(results[2], "qty must be between 0 and 1000000")
        self.assertRefused(results[3], "qty must be between")
        self.assertRefused(results[4], "price_unit must be a finite number")
        self.assertRefused(results[5], "price_unit must be between -10000000 and 10000000")
        self.assertRefused(results[6], "discount must be between 0 and 100")
        self.assertRefused(results[7], "discount must be between 0 and 100")
        self.assertRefused(results[8], "paid_amount must be a finite number")
        self.assertRefused(results[9], "paid_amount must be between")
        self.assertRefused(results[10], "paid_amount must be between")
        self.assertRefused(results[11], "must be positive")
        self.assertRefused(results[12], "qty must be a number")

    def test_dates_out_of_range_are_refused(self):
        payload = self._order_payload
        results = self._upsert(
            payload("D-1", date_order="0001-01-01T00:00:00+05:00"),
            payload("D-2", date_order="9999-12-31T23:59:59-05:00"),
            payload("D-3", date_order="1970-01-01T00:00:00Z"),
            payload("D-4", date_order="2100-01-01T00:00:00Z"),
            payload("D-5", date_order="yesterday"),
            payload("D-6", date_order="2026-11-25T08:00:00+08:00"),
        )
        for result in results[:4]:
            self.assertRefused(result, "date_order must be between 2000-01-01 and 2099-12-31")
        self.assertRefused(results[4], "not a date and time")
        self.assertEqual(results[5]["status"], "created", results[5])
        order = self.env["sale.order"].browse(results[5]["id"])
        self.assertEqual(str(order.date_order), "2026-11-25 00:00:00")

    def test_long_and_odd_texts_are_refused(self):
        payload = self._order_payload
        results = self._upsert(
            payload("L" * 5000),
            payload("L-2", customer={"name": "Li " * 2000, "external_id": "b-2"}),
            payload("L-3", customer={"name": "Li Lei", "email": "x" * 300 + "@example.com"}),
            payload("L-4", lines=[{"sku": "T-TEE" * 100, "qty": 1}]),
            payload("L-5\x00"),
            payload("L-6", customer={"name": "Li\x00Lei"}),
            payload("L-7", buyer_remark="\ud800"),
        )
        self.assertRefused(
            results[0], "platform_order_no is too long (5000 characters, at most 128)"
        )
        self.assertFalse(results[0]["platform_order_no"], "a long key is not sent back")
        self.assertRefused(results[1], "customer.name is too long")
        self.assertRefused(results[2], "customer.email is too long")
        self.assertRefused(results[3], "Line 1", "sku is too long")
        self.assertRefused(
            results[4], "platform_order_no contains characters that cannot be stored"
        )
        self.assertRefused(results[5], "customer.name contains characters")
        self.assertRefused(results[6], "buyer_remark contains characters")

    def test_a_call_that_is_not_a_list_is_refused_whole(self):
        for method in (
            "api_upsert_orders",
            "api_set_tracking_numbers",
            "api_push_logistics_events",
            "api_get_order_status",
        ):
            with self.subTest(method=method), self.assertRaisesRegex(UserError, "list of items"):
                getattr(self._api(), method)(5)

    def test_tracking_items_of_any_shape_are_answered(self):
        order = self._order()
        order.action_confirm()
        results = self._api().api_set_tracking_numbers(
            [
                {"order": order.name, "tracking_number": ["TX10000001"]},
                {"order": {"name": order.name}, "tracking_number": "TX10000001"},
                {"picking": 5, "tracking_number": "TX10000001"},
                "TX10000001",
                {"order": order.name, "tracking_number": "TX" + "1" * 100},
                {"order": order.name, "tracking_number": "TX10000001", "carrier": 3.5},
                {"order": order.name, "tracking_number": "TX10000001", "carrier": "TX"},
            ]
        )
        self.assertEqual([r["index"] for r in results], list(range(7)))
        self.assertEqual([r["status"] for r in results], ["error"] * 6 + ["updated"], results)
        self.assertIn("tracking_number must be text", results[0]["message"])
        self.assertIn("order must be text", results[1]["message"])
        self.assertIn("No open delivery found for 5", results[2]["message"])
        self.assertIn("Item 3 is not a structure", results[3]["message"])
        self.assertIn("tracking_number is too long", results[4]["message"])
        self.assertIn("carrier must be text", results[5]["message"])

    def test_events_of_any_shape_are_answered(self):
        results = self._api().api_push_logistics_events(
            [
                {"tracking_number": "TX1", "status": ["delivered"]},
                {"tracking_number": {"a": 1}, "status": "delivered"},
                {"tracking_number": "TX1", "status": "delivered", "event_at": 1.5},
                {
                    "tracking_number": "TX1",
                    "status": "delivered",
                    "event_at": "0001-01-01T00:00:00+05:00",
                },
                None,
                {"status": "delivered"},
            ]
        )
        self.assertEqual([r["index"] for r in results], list(range(6)))
        self.assertEqual({r["status"] for r in results}, {"error"})
        self.assertIn("status must be one of", results[0]["message"])
        self.assertIn("tracking_number must be text", results[1]["message"])
        self.assertIn("event_at must be a date and time", results[2]["message"])
        self.assertIn("event_at must be between", results[3]["message"])
        self.assertIn("Name the delivery", results[5]["message"])

    def test_status_items_of_any_shape_are_answered(self):
        self._order(neiqin_platform="jd", neiqin_platform_order_no="S-1")
        self._order(neiqin_platform="tmall", neiqin_platform_order_no="S-1")
        self._order(neiqin_platform="tmall", neiqin_platform_order_no="S-2")
        results = self._api().api_get_order_status([5.5, None, {"a": 1}, "S-1", "S-2", "S" * 500])
        self.assertEqual(len(results), 6)
        self.assertEqual([r["found"] for r in results], [False] * 4 + [True, False])
        self.assertIn("platform_order_no must be text", results[0]["message"])
        self.assertIn("platform_order_no is required", results[1]["message"])
        self.assertIn("S-1 matches several orders: give the platform", results[3]["message"])
        self.assertEqual(results[4]["platform_order_no"], "S-2")
        self.assertIn("too long", results[5]["message"])
        by_platform = self._api().api_get_order_status(["S-1"], "jd")
        self.assertTrue(by_platform[0]["found"])
        odd_platform = self._api().api_get_order_status(["S-1", "S-2"], ["jd"])
        self.assertEqual([r["found"] for r in odd_platform], [False, False])
        self.assertIn("platform must be text", odd_platform[0]["message"])
