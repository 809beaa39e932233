"""Two connectors pushing the same new orders at the same moment, each in a
transaction of its own that commits, as two requests are."""

import threading
import time
import xmlrpc.client

from odoo.tests import get_db_name, tagged
from odoo.tools import SQL, config, mute_logger

from odoo.addons.neiqin_base.tests.common import CommittingCase

from .common import API_GROUPS

LEAKS = ("psycopg2", "DETAIL", "duplicate key", "violates", "sale_order", "res.partner(")


def _payloads(prefix, count=3):
    return [
        {
            "platform": "pdd",
            "platform_order_no": f"{prefix}-{n}",
            "customer": {
                "name": f"Race buyer {n}",
                "external_id": f"{prefix}-buyer-{n}",
                "street": "1 Race Road",
                "city": "Hangzhou",
                "zip": "310000",
                "country_code": "CN",
            },
            "lines": [{"sku": f"{prefix}-SKU", "qty": 1, "price_unit": 50}],
            "paid_amount": 50,
        }
        for n in range(count)
    ]


class RaceCase(CommittingCase):
    """A product and an API user, committed; everything the test made is
    deleted afterwards."""

    PREFIX = "RACE"

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = self._env(cr)
            self.start = self._db_now(cr)
            product = env["product.product"].create(
                {
                    "name": "Race sock",
                    "default_code": f"{self.PREFIX}-SKU",
                    "type": "consu",
                    "list_price": 50,
                    "taxes_id": [(5,)],
                }
            )
            user = env["res.users"].create(
                {
                    "name": "Race connector",
                    "login": f"{self.PREFIX.lower()}_connector",
                    "password": f"{self.PREFIX.lower()}_connector_pw",
                    "lang": "en_US",
                    "groups_id": [(6, 0, [env.ref(g).id for g in API_GROUPS.split(",")])],
                }
            )
            self.ids = {"product": product.id, "user": user.id}
        self.addCleanup(self._clean)

    def _clean(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            orders = env["sale.order"].search(
                [("neiqin_platform_order_no", "like", f"{self.PREFIX}-%")]
            )
            for table, column in (
                ("neiqin_dq_issue", "res_model"),
                ("neiqin_step_log", "res_model"),
                ("mail_message", "model"),
                ("mail_followers", "res_model"),
                ("mail_activity", "res_model"),
            ):
                cr.execute(
                    SQL(
                        "DELETE FROM %s WHERE %s = 'sale.order' AND res_id = ANY(%s)",
                        SQL.identifier(table),
                        SQL.identifier(column),
                        orders.ids,
                    )
                )
            orders.unlink()
            env["res.partner"].search([("ref", "like", f"pdd:{self.PREFIX}-%")]).unlink()
            env["product.product"].browse(self.ids["product"]).product_tmpl_id.unlink()
            user = env["res.users"].browse(self.ids["user"])
            partner = user.partner_id
            user.unlink()
            partner.unlink()
            cr.execute(SQL("DELETE FROM neiqin_dq_change WHERE changed_at >= %s", self.start))
            cr.execute(SQL("DELETE FROM ir_cron_trigger WHERE create_date >= %s", self.start))

    def _api(self, cr):
        return self._env(cr)["sale.order"].with_user(self.ids["user"])

    def _wait_for_lock(self, cr, thread):
        """Wait until another backend waits for a lock (the other call's
        insert waiting for this transaction's), or the thread ended."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and thread.is_alive():
            # The statistics are read once per transaction unless cleared.
            cr.execute("SELECT pg_stat_clear_snapshot()")
            cr.execute(
                "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid != pg_backend_pid()"
            )
            if cr.fetchone():
                return True
            time.sleep(0.05)
        return False

    def _count(self, cr, prefix):
        cr.execute(
            "SELECT neiqin_platform_order_no, count(*) FROM sale_order "
            "WHERE neiqin_platform_order_no LIKE %s GROUP BY 1",
            [f"{prefix}-%"],
        )
        return dict(cr.fetchall())

    def _race(self, payloads, answers, second_call):
        """The first call creates ``payloads`` and, before it commits, the
        second (``second_call``, in a thread) pushes them too and waits on
        its locks; then the first commits."""
        with self.registry.cursor() as cr:
            answers["first"] = self._api(cr).api_upsert_orders(payloads)
            thread = threading.Thread(target=second_call)
            thread.start()
            self.assertTrue(self._wait_for_lock(cr, thread), "the calls did not meet")
        thread.join(60)
        self.assertEqual([r["status"] for r in answers["first"]], ["created"] * 3)


@tagged("post_install", "-at_install")
class TestConcurrentPushOfSameOrders(RaceCase):
    """Alone in its class (see ``CommittingCase``)."""

    PREFIX = "RACE-C"

    @mute_logger("odoo.sql_db", "odoo.addons.neiqin_orders.models.sale_order_api")
    def test_loser_names_each_order_and_is_told_to_send_it_again(self):
        """Outside a request (a cron, a shell) nothing replays the call: the
        call that lost answers each order with a plain, retryable error."""
        payloads = _payloads(self.PREFIX)
        answers = {}

        def second_call():
            with self.registry.cursor() as cr:
                answers["second"] = self._api(cr).api_upsert_orders(payloads)

        self._race(payloads, answers, second_call)
        for payload, result in zip(payloads, answers["second"], strict=True):
            number = payload["platform_order_no"]
            self.assertEqual(result["status"], "error", result)
            self.assertIn(f"{number} already exists", result["message"])
            self.assertIn("send it again", result["message"])
            for leak in LEAKS:
                self.assertNotIn(leak, result["message"])
        with self.registry.cursor() as cr:
            again = self._api(cr).api_upsert_orders(payloads)
            self.assertEqual([r["status"] for r in again], ["unchanged"] * 3, again)
            self.assertEqual(
                self._count(cr, self.PREFIX), {p["platform_order_no"]: 1 for p in payloads}
            )
            cr.execute(
                "SELECT count(*) FROM res_partner WHERE ref LIKE %s", [f"pdd:{self.PREFIX}-%"]
            )
            self.assertEqual(cr.fetchone()[0], 3, "one customer per buyer")


@tagged("post_install", "-at_install")
class TestConcurrentPushOverXmlRpc(RaceCase):
    """Alone in its class (see ``CommittingCase``)."""

    PREFIX = "RACE-X"

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_call_that_lost_is_replayed_and_answers_unchanged(self):
        """Over XML-RPC the call that lost is run again in a new transaction
        (as after a serialization failure): it finds the orders the other
        call saved and answers ``unchanged``, naming no internal record."""
        payloads = _payloads(self.PREFIX)
        login = f"{self.PREFIX.lower()}_connector"
        url = f"http://127.0.0.1:{config['http_port']}/xmlrpc/2/"
        db = get_db_name()
        answers = {}

        def second_call():
            try:
                common = xmlrpc.client.ServerProxy(url + "common")
                uid = common.authenticate(db, login, f"{login}_pw", {})
                models = xmlrpc.client.ServerProxy(url + "object", allow_none=True)
                answers["second"] = models.execute_kw(
                    db, uid, f"{login}_pw", "sale.order", "api_upsert_orders", [payloads]
                )
            except Exception as exc:  # noqa: BLE001 (asserted below)
                answers["second"] = exc

        self._race(payloads, answers, second_call)
        second = answers["second"]
        self.assertIsInstance(second, list, second)
        self.assertEqual([r["status"] for r in second], ["unchanged"] * 3, second)
        self.assertEqual(
            [r["id"] for r in second], [r["id"] for r in answers["first"]], "the same orders"
        )
        with self.registry.cursor() as cr:
            self.assertEqual(
                self._count(cr, self.PREFIX), {p["platform_order_no"]: 1 for p in payloads}
            )
            cr.execute(
                "SELECT count(*) FROM res_partner WHERE ref LIKE %s", [f"pdd:{self.PREFIX}-%"]
            )
            self.assertEqual(cr.fetchone()[0], 3, "one customer per buyer")
