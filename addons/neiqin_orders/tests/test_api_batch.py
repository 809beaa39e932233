import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.sql_db import db_connect
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import OWN_DOCS_API_GROUPS, OrdersCase

LEAKS = ("psycopg2", "ERROR:", "DETAIL", "duplicate key", "violates", "sale_order", "res.partner(")


@tagged("post_install", "-at_install")
class TestApiBatch(OrdersCase):
    """Batch calls: looked up together, written together, and each item
    still answers for itself when writing fails."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api_user = cls._user("ord_api_batch", OWN_DOCS_API_GROUPS)
        cls.other_sales = cls._user("ord_other_sales", "sales_team.group_sale_salesman")

    def _api(self):
        return self.env["sale.order"].with_user(self.api_user)

    def _hidden_order(self, number, platform=False):
        """An order of another salesperson: a salesperson who sees only their
        own documents does not find it, but its number is taken."""
        return self._order(
            neiqin_platform=platform,
            neiqin_platform_order_no=number,
            user_id=self.other_sales.id,
        )

    def assertNoLeak(self, message, *secrets):
        for text in (*LEAKS, *secrets):
            self.assertNotIn(str(text), message)

    @mute_logger("odoo.sql_db", "odoo.addons.neiqin_orders.models.sale_order_api")
    def test_database_failure_retries_each_item_from_a_clean_state(self):
        hidden = self._hidden_order("JD-HIDDEN", platform="jd")
        self.assertFalse(
            self._api().search([("neiqin_platform_order_no", "=", "JD-HIDDEN")]),
            "the caller cannot see the order, so its look-up misses it",
        )
        # The three share a new buyer: the customer the batch created is
        # rolled back with it, and must be created again for the retry.
        results = self._api().api_upsert_orders(
            [
                self._order_payload("JD-1"),
                self._order_payload("JD-HIDDEN"),
                self._order_payload("JD-2"),
            ]
        )
        self.assertEqual([r["status"] for r in results], ["created", "error", "created"], results)
        self.assertIn("JD-HIDDEN already exists", results[1]["message"])
        self.assertNoLeak(results[1]["message"], hidden.id, hidden.name, self.other_sales.name)
        orders = self.env["sale.order"].browse([results[0]["id"], results[2]["id"]])
        self.assertEqual(orders.mapped("neiqin_platform_order_no"), ["JD-1", "JD-2"])
        self.assertEqual(len(orders.partner_id), 1, "one customer, created once")
        self.assertTrue(orders.partner_id.exists())
        self.assertEqual(
            self.env["res.partner"].search_count([("ref", "=", "jd:buyer-1")]),
            1,
            "the customer of the failed batch is gone with it",
        )

    @mute_logger("odoo.addons.neiqin_orders.models.sale_order_api")
    def test_other_database_errors_say_nothing_of_the_database(self):
        Order = self._api()
        orders = self._order() | self._order()

        def apply(order, _index):
            if order == orders[1]:
                # A genuine database error (not an exception made up here)
                self.env.cr.execute("SELECT 1 / 0")
            order.neiqin_buyer_remark = "checked"
            return {"status": "updated"}

        results = Order._api_run_prepared(
            [{"id": order.id} for order in orders],
            "id",
            parse=lambda item: item,
            prepare=lambda item, _index: Order.browse(item["id"]),
            apply=apply,
        )
        self.assertEqual([r["status"] for r in results], ["updated", "error"])
        self.assertIn(
            f"{orders[1].id} could not be saved; nothing was changed", results[1]["message"]
        )
        self.assertNoLeak(results[1]["message"], "division")
        self.assertEqual(orders[0].neiqin_buyer_remark, "checked")
        self.assertFalse(orders[1].neiqin_buyer_remark)

    def test_new_orders_of_one_call_share_a_new_buyer(self):
        results = self._api().api_upsert_orders(
            [self._order_payload("JD-1"), self._order_payload("JD-2"), self._order_payload("JD-1")]
        )
        # The same order twice in one call: the second finds the first.
        self.assertEqual([r["status"] for r in results], ["created", "created", "unchanged"])
        self.assertEqual(results[2]["id"], results[0]["id"])
        orders = self.env["sale.order"].browse([results[0]["id"], results[1]["id"]])
        self.assertEqual(len(orders.partner_id), 1, "one customer, created once")
        self.assertEqual(orders.partner_id.ref, "jd:buyer-1")
        self.assertEqual(orders.mapped("amount_total"), [80.0, 80.0])

    def test_new_order_is_logged_and_its_new_buyer_is_not(self):
        """The order's chatter tells its creation, followed by the caller, and
        holds no tracking of its first values; the connector neither follows
        nor logs the customers it creates."""
        # As a connector calls: the tests' own context disables tracking.
        api = self._api().with_context(tracking_disable=False)
        results = api.api_upsert_orders([self._order_payload("JD-LOG")])
        order = self.env["sale.order"].browse(results[0]["id"])
        self.env.flush_all()
        self.assertEqual(order.message_ids.mapped("message_type"), ["notification"])
        self.assertFalse(order.message_ids.tracking_value_ids)
        self.assertEqual(order.message_follower_ids.partner_id, self.api_user.partner_id)
        self.assertEqual(order.neiqin_review_state, "to_review")
        self.assertFalse(order.partner_id.message_ids)
        self.assertFalse(order.partner_id.message_follower_ids)

    def test_updates_of_one_order_in_one_call_apply_in_order(self):
        """A feed carrying two updates of one order: each is applied, in the
        order sent, and answered; the later wins."""
        results = self._api().api_upsert_orders(
            [
                self._order_payload("JD-8", buyer_remark="first"),
                self._order_payload("JD-9"),
                self._order_payload("JD-8", buyer_remark="second"),
                self._order_payload("JD-8", buyer_remark="second"),
                self._order_payload("JD-8", lines=[{"sku": "T-TEE", "qty": 2, "price_unit": 80}]),
            ]
        )
        self.assertEqual(
            [r["status"] for r in results],
            ["created", "created", "updated", "unchanged", "updated"],
            results,
        )
        self.assertEqual(len({results[i]["id"] for i in (0, 2, 3, 4)}), 1)
        order = self.env["sale.order"].browse(results[0]["id"])
        self.assertFalse(order.neiqin_buyer_remark, "the last item has no remark")
        self.assertEqual(order.order_line.product_uom_qty, 2)
        self.assertEqual(
            self.env["sale.order"].search_count([("neiqin_platform_order_no", "=", "JD-8")]), 1
        )

    def test_later_item_of_an_order_is_applied_after_a_failed_one(self):
        results = self._api().api_upsert_orders(
            [
                self._order_payload("JD-10", lines=[{"sku": "NOPE", "qty": 1}]),
                self._order_payload("JD-10"),
            ]
        )
        self.assertEqual([r["status"] for r in results], ["error", "created"], results)
        self.assertIn("unknown SKU NOPE", results[0]["message"])

    def _new_orders(self, count, start):
        return [
            self._order_payload(
                f"QC-{start + n}",
                buyer=f"qc-buyer-{start + n}",
                customer={
                    "name": f"Buyer {start + n}",
                    "external_id": f"qc-buyer-{start + n}",
                    "email": f"qc{start + n}@example.com",
                    "street": f"{n} Renmin Road",
                    "city": "Beijing",
                    "zip": "100000",
                    "country_code": "CN",
                },
                lines=[
                    {"sku": "T-TEE", "qty": 1, "price_unit": 80},
                    {"sku": "T-MUG", "qty": 2, "price_unit": 40},
                ],
                paid_amount=160,
            )
            for n in range(count)
        ]

    def _upsert_queries(self, payloads):
        api_model = self._api()
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        results = api_model.api_upsert_orders(payloads)
        self.env.flush_all()
        self.assertEqual({r["status"] for r in results}, {"created"}, results)
        return self.cr.sql_log_count - before

    def test_upsert_queries_do_not_grow_per_order(self):
        """New orders of new buyers, with two lines each: a batch of
        2N orders issues at most one query per order more than a batch of N
        (customers, addresses, orders, lines, their numbers and step logs
        are each written or drawn once per batch)."""
        count = 10
        self._upsert_queries(self._new_orders(2, 900))  # warm the caches
        single = self._upsert_queries(self._new_orders(count, 0))
        double = self._upsert_queries(self._new_orders(2 * count, 100))
        self.assertLessEqual(
            double - single,
            count,
            f"{single} queries for {count} orders, {double} for {2 * count}",
        )

    def test_batch_tracking_numbers_find_each_delivery(self):
        orders = self._order(neiqin_platform="jd", neiqin_platform_order_no="JD-7") | self._order()
        orders.action_confirm()
        results = self._api().api_set_tracking_numbers(
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

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api_user = cls._user("ord_api_uniq", OWN_DOCS_API_GROUPS)
        cls.other_sales = cls._user("ord_uniq_sales", "sales_team.group_sale_salesman")

    def _api(self):
        return self.env["sale.order"].with_user(self.api_user)

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

    @mute_logger("odoo.sql_db", "odoo.addons.neiqin_orders.models.sale_order_api")
    def test_push_without_platform_does_not_repeat_an_order(self):
        self._order(neiqin_platform_order_no="NP-2", user_id=self.other_sales.id)
        payload = self._order_payload("NP-2", platform=False)
        results = self._api().api_upsert_orders([payload, self._order_payload("NP-3", platform="")])
        self.assertEqual([r["status"] for r in results], ["error", "created"], results)
        self.assertIn("NP-2 already exists", results[0]["message"])
        self.assertEqual(self._count("NP-2"), 1)
        again = self._api().api_upsert_orders([self._order_payload("NP-3", platform=None)])
        self.assertEqual(again[0]["status"], "unchanged", "no platform, '' and None are one")
        self.assertEqual(self._count("NP-3"), 1)

    @mute_logger("odoo.sql_db", "odoo.addons.neiqin_orders.models.sale_order_api")
    def test_loser_of_a_race_is_told_to_send_again(self):
        """Another call commits the same order after this transaction began:
        this call's look-up cannot see it, its insert meets it."""
        self.env.flush_all()
        other = db_connect(self.env.cr.dbname).cursor()
        # Never wait for a lock this test's own transaction holds.
        other.execute("SET lock_timeout = '10s'")
        env = api.Environment(other, SUPERUSER_ID, {})
        try:
            env["sale.order"].with_context(tracking_disable=True, neiqin_no_process=True).create(
                {
                    "partner_id": env.company.partner_id.id,
                    "neiqin_platform_order_no": "RACE-1",
                }
            )
            other.commit()
            results = self._api().api_upsert_orders(
                [self._order_payload("RACE-1", platform=False), self._order_payload("RACE-2")]
            )
        finally:
            env["sale.order"].search([("neiqin_platform_order_no", "=", "RACE-1")]).unlink()
            other.commit()
            other.close()
        self.assertEqual([r["status"] for r in results], ["error", "created"], results)
        self.assertIn("RACE-1 already exists", results[0]["message"])
        self.assertIn("send it again", results[0]["message"])
        for leak in LEAKS:
            self.assertNotIn(leak, results[0]["message"])

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
