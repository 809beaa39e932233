from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import API_GROUPS, OrdersData


@tagged("post_install", "-at_install")
class TestNoticeXmlRpc(OrdersData, HttpCase):
    """A marketplace connector pushes an order over real XML-RPC, then pulls
    and acknowledges the notices its buyer is to receive."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_orders_data()
        # The demo orders' notices are delivered: the queue holds the test's own.
        cls.env["neiqin.notice"].search([]).write({"state": "delivered"})
        cls.env.company.neiqin_quiet_start_hour = cls.env.company.neiqin_quiet_end_hour = 0.0
        cls.api_user = cls._user(
            "ord_notice_api",
            f"{API_GROUPS},neiqin_base.group_neiqin_connector",
            password="ord_notice_api_pw",
        )
        cls.api_user.neiqin_platform_ids = [Command.set(cls.env.ref("neiqin_base.platform_jd").ids)]

    def call(self, model, method, *args):
        db = self.env.cr.dbname
        uid = self.xmlrpc_common.authenticate(db, "ord_notice_api", "ord_notice_api_pw", {})
        return self.xmlrpc_object.execute_kw(
            db, uid, "ord_notice_api_pw", model, method, list(args)
        )

    def test_connector_pulls_and_acknowledges_its_buyers_notices(self):
        pushed = self.call(
            "sale.order", "api_upsert_orders", [self._order_payload("JD-X-1", platform="jd")]
        )
        self.assertEqual(pushed[0]["status"], "created", pushed)
        order = self.env["sale.order"].browse(pushed[0]["id"])
        self.assertFalse(order.partner_id.email)
        order.action_confirm()
        notice = order.neiqin_notice_ids
        self.assertEqual(
            (notice.kind, notice.channel, notice.state), ("confirmed", "platform", "queued")
        )

        pulled = self.call("neiqin.notice", "api_pull_notices", "jd", 500)
        self.assertEqual(len(pulled), 1, pulled)
        self.assertEqual(pulled[0]["id"], notice.id)
        self.assertEqual(pulled[0]["platform_ref"], "JD-X-1")
        self.assertIn("JD-X-1", pulled[0]["body"])
        self.assertTrue(pulled[0]["claimed_until"])
        self.assertEqual(self.call("neiqin.notice", "api_pull_notices", "jd", 500), [])

        acks = [{"id": notice.id, "status": "sent", "idempotency_key": "ack-1"}]
        self.assertEqual(
            self.call("neiqin.notice", "api_ack_notices", acks)[0]["status"], "updated"
        )
        replay = self.call("neiqin.notice", "api_ack_notices", acks)[0]
        self.assertTrue(replay["replayed"])
        delivered = self.call(
            "neiqin.notice",
            "api_ack_notices",
            [{"id": notice.id, "status": "delivered", "at": "2026-11-21T10:00:00+08:00"}],
        )
        self.assertEqual(delivered[0]["state"], "delivered")
        notice.invalidate_recordset()
        self.assertEqual(notice.state, "delivered")
        self.assertEqual(str(notice.delivered_at), "2026-11-21 02:00:00")

    def test_bad_calls_are_refused_plainly(self):
        with self.assertRaisesRegex(Exception, "Unknown platform nope"):
            self.call("neiqin.notice", "api_pull_notices", "nope", 10)
        with self.assertRaisesRegex(Exception, "limit must be"):
            self.call("neiqin.notice", "api_pull_notices", "jd", 100000)
