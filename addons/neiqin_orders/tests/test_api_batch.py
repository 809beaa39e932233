import psycopg2

from odoo.tests import tagged
from odoo.tools import mute_logger

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


@tagged("post_install", "-at_install")
class TestPlatformOrderUniqueness(OrdersCase):
    """A platform order number is unique per company and platform, "no
    platform" included, whoever could see the order holding it."""

    def _count(self, number):
        return self.env["sale.order"].search_count([("neiqin_platform_order_no", "=", number)])

    def test_number_without_platform_is_unique(self):
        self._order(neiqin_platform_order_no="NP-1")
        with (
            self.assertRaises(psycopg2.IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self._order(neiqin_platform_order_no="NP-1")
        # an empty platform is no platform
        with (
            self.assertRaises(psycopg2.IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self._order(neiqin_platform="", neiqin_platform_order_no="NP-1")
        self._order(neiqin_platform="jd", neiqin_platform_order_no="NP-1")
        self.assertEqual(self._count("NP-1"), 2)

    def test_upgrade_with_repeated_numbers_keeps_the_old_constraint(self):
        cr = self.env.cr
        self._order(neiqin_platform_order_no="DUP-1")
        self.env.flush_all()
        # The schema before this change: the old constraint, no index, and
        # two orders without a platform sharing a number.
        cr.execute("DROP INDEX sale_order_neiqin_platform_order_uniq_idx")
        cr.execute(
            "ALTER TABLE sale_order ADD CONSTRAINT sale_order_neiqin_platform_order_uniq "
            "UNIQUE (company_id, neiqin_platform, neiqin_platform_order_no)"
        )
        repeated = self._order(neiqin_platform_order_no="DUP-1")
        self.env.flush_all()
        with self.assertLogs("odoo.addons.neiqin_orders.models.sale_order_api", "WARNING") as logs:
            self.env["sale.order"].init()
        self.assertIn("DUP-1", logs.output[0])
        self.assertFalse(self._index_exists())
        self.assertTrue(self._old_constraint_exists())
        # Once the repeated number is fixed, the next upgrade enforces it.
        repeated.neiqin_platform_order_no = "DUP-2"
        self.env.flush_all()
        self.env["sale.order"].init()
        self.assertTrue(self._index_exists())
        self.assertFalse(self._old_constraint_exists())

    def _index_exists(self):
        self.env.cr.execute(
            "SELECT 1 FROM pg_indexes WHERE indexname = 'sale_order_neiqin_platform_order_uniq_idx'"
        )
        return bool(self.env.cr.fetchone())

    def _old_constraint_exists(self):
        self.env.cr.execute(
            "SELECT 1 FROM pg_constraint WHERE conname = 'sale_order_neiqin_platform_order_uniq'"
        )
        return bool(self.env.cr.fetchone())
