from odoo.tests import tagged

from .common import OrdersCase


@tagged("post_install", "-at_install")
class TestApiBatch(OrdersCase):
    """Batch calls: looked up together, written together, and each item
    still answers for itself when writing fails."""

    def _payload(self, number, buyer="buyer-1", **extra):
        return {
            "platform": "jd",
            "platform_order_no": number,
            "customer": {
                "name": "Li Lei",
                "external_id": buyer,
                "street": "1 Renmin Road",
                "city": "Beijing",
                "zip": "100000",
                "country_code": "CN",
                "phone": "+86 139 1234 5678",
            },
            "lines": [{"sku": "T-TEE", "qty": 1, "price_unit": 80}],
            "paid_amount": 80,
            **extra,
        }

    def test_failed_batch_write_falls_back_to_one_savepoint_per_item(self):
        Order = self.env["sale.order"]
        orders = self._order() | self._order() | self._order()

        def apply(order):
            if order == orders[1]:
                raise ValueError("refused for this one")
            order.neiqin_buyer_remark = f"batch {order.id}"
            return {"status": "updated"}

        results = Order._api_run_prepared(
            [{"id": order.id} for order in orders] + ["not a dict"],
            lambda item: Order.browse(item["id"]),
            apply,
            "id",
        )
        self.assertEqual(
            [r["status"] for r in results], ["updated", "error", "updated", "error"], results
        )
        self.assertEqual(results[1]["message"], "refused for this one")
        self.assertIn("not a structure", results[3]["message"])
        self.assertEqual(orders[0].neiqin_buyer_remark, f"batch {orders[0].id}")
        self.assertFalse(orders[1].neiqin_buyer_remark)
        self.assertEqual(orders[2].neiqin_buyer_remark, f"batch {orders[2].id}")

    def test_new_orders_of_one_call_share_a_new_buyer(self):
        results = self.env["sale.order"].api_upsert_orders(
            [self._payload("JD-1"), self._payload("JD-2"), self._payload("JD-1")]
        )
        self.assertEqual([r["status"] for r in results], ["created", "created", "error"])
        self.assertIn("appears more than once", results[2]["message"])
        orders = self.env["sale.order"].browse([results[0]["id"], results[1]["id"]])
        self.assertEqual(len(orders.partner_id), 1, "one customer, created once")
        self.assertEqual(orders.partner_id.ref, "jd:buyer-1")
        self.assertEqual(orders.mapped("amount_total"), [80.0, 80.0])

    def test_batch_tracking_numbers_find_each_delivery(self):
        orders = self._order(neiqin_platform="jd", neiqin_platform_order_no="JD-7") | self._order()
        orders.action_confirm()
        results = self.env["sale.order"].api_set_tracking_numbers(
            [
                {"platform_order_no": "JD-7", "tracking_number": "TX10000001", "carrier": "TX"},
                {"order": orders[1].name, "tracking_number": "TX10000002", "carrier": "TX"},
                {"picking": orders[0].picking_ids.name, "tracking_number": "TX10000003"},
                {"order": "NOPE", "tracking_number": "TX10000004"},
            ]
        )
        self.assertEqual(
            [r["status"] for r in results], ["updated", "updated", "updated", "error"], results
        )
        self.assertEqual(orders[0].picking_ids.carrier_tracking_ref, "TX10000003")
        self.assertEqual(orders[1].picking_ids.carrier_tracking_ref, "TX10000002")
        self.assertIn("No order NOPE found", results[3]["message"])
