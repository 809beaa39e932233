"""Customer notices of orders through neiqin_base's outbox: channels, quiet
hours, the connectors' pull and acknowledgement, retries and access."""

from contextlib import contextmanager
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import API_GROUPS, OrdersCase

CONNECTOR_GROUPS = f"{API_GROUPS},neiqin_base.group_neiqin_connector"


class NoticeCase(OrdersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        # The demo orders' notices are delivered: the queue holds the tests' own.
        cls.env["neiqin.notice"].search([]).write({"state": "delivered"})
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.company.neiqin_notice_channels = "email,platform,sms"
        # No quiet hours but in their own tests: nothing depends on the clock.
        cls.company.neiqin_quiet_start_hour = cls.company.neiqin_quiet_end_hour = 0.0
        cls.jd = cls.env.ref("neiqin_base.platform_jd")
        cls.tmall = cls.env.ref("neiqin_base.platform_tmall")
        cls.connector = cls._user("ord_jd_connector", CONNECTOR_GROUPS)
        cls.connector.neiqin_platform_ids = [Command.set(cls.jd.ids)]
        cls.connector2 = cls._user("ord_jd_connector2", CONNECTOR_GROUPS)
        cls.connector2.neiqin_platform_ids = [Command.set(cls.jd.ids)]
        cls.tmall_connector = cls._user("ord_tmall_connector", CONNECTOR_GROUPS)
        cls.tmall_connector.neiqin_platform_ids = [Command.set(cls.tmall.ids)]
        # Marketplaces give the buyer's phone for the delivery, never an e-mail.
        cls.buyer = cls._customer(name="JD buyer", email=False)

    def _marketplace_order(self, number, platform="jd", partner=None):
        order = self._order(
            partner=partner or self.buyer,
            neiqin_platform=platform,
            neiqin_platform_order_no=number,
            neiqin_platform_paid=80.0,
        )
        order.action_confirm()
        return order

    def _notice(self, order, kind="confirmed"):
        return order.neiqin_notice_ids.filtered(lambda n: n.kind == kind)

    def _pull(self, user, platform="jd", limit=100):
        return self.env["neiqin.notice"].with_user(user).api_pull_notices(platform, limit)

    def _ack(self, user, acks):
        return self.env["neiqin.notice"].with_user(user).api_ack_notices(acks)

    @contextmanager
    def _sms_provider(self, errors=None):
        """An SMS provider, as a provider module adds one."""
        notices = type(self.env["neiqin.notice"])
        sent = []

        def send(records):
            sent.extend(records.ids)
            return {nid: errors for nid in records.ids} if errors else {}

        with (
            patch.object(notices, "_neiqin_sms_available", lambda self, company: True),
            patch.object(notices, "_neiqin_sms_send", send),
        ):
            yield sent


@tagged("post_install", "-at_install")
class TestNoticeChannels(NoticeCase):
    def test_marketplace_order_without_email_queues_a_platform_message(self):
        order = self._marketplace_order("JD-100")
        notice = self._notice(order)
        self.assertEqual(notice.channel, "platform")
        self.assertEqual(notice.state, "queued")
        self.assertEqual(notice.platform_id, self.jd)
        self.assertEqual(notice.platform_ref, "JD-100")
        self.assertIn("JD-100", notice.body)
        self.assertIn("JD buyer", notice.body)
        self.assertFalse(notice.message_id)

    def test_customer_with_email_is_mailed_as_before(self):
        order = self._order()
        order.action_confirm()
        notice = self._notice(order)
        self.assertEqual((notice.channel, notice.state), ("email", "sent"))
        self.assertTrue(notice.message_id)
        self.assertEqual(notice.tries, 1)

    def test_channel_order_is_the_company_s(self):
        self.company.neiqin_notice_channels = "platform,email"
        order = self._marketplace_order("JD-101", partner=self.customer)
        self.assertEqual(self._notice(order).channel, "platform")

    def test_unknown_channel_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "unknown: fax"):
            self.company.neiqin_notice_channels = "email,fax"

    def test_customer_with_no_channel_is_shown_not_skipped(self):
        order = self._marketplace_order("SHOP-1", platform="shop")
        notice = self._notice(order)
        self.assertEqual(notice.state, "unreachable")
        self.assertFalse(notice.channel)
        SaleOrder = self.env["sale.order"].with_user(self.clerk)
        self.assertEqual(SaleOrder.search([("neiqin_notice_unreachable", "=", True)]), order)
        self.assertNotIn(order, SaleOrder.search([("neiqin_notice_unreachable", "=", False)]))
        handle = (
            self.env["neiqin.notice"]
            .with_user(self.clerk)
            .search([("state", "in", ("failed", "unreachable"))])
        )
        self.assertEqual(handle, notice)

    def test_unreachable_customer_given_an_address_is_told_again(self):
        order = self._marketplace_order("SHOP-2", platform="shop")
        self.buyer.email = "buyer@example.com"
        self._notice(order).with_user(self.clerk).action_retry()
        notice = self._notice(order)
        self.assertEqual((notice.channel, notice.state), ("email", "sent"))

    def test_each_notice_is_queued_once(self):
        order = self._marketplace_order("JD-102")
        order._neiqin_send_notice("confirmed")
        self.assertEqual(len(self._notice(order)), 1)


@tagged("post_install", "-at_install")
class TestNoticeTemplates(NoticeCase):
    def test_templates_render_in_the_customer_s_language(self):
        template = self.env.ref("neiqin_orders.notice_template_order_confirmed_platform")
        template.with_context(lang="zh_CN").body = "{customer}，您的订单{platform_order_no}已确认。"
        template.with_context(lang="zh_TW").body = "{customer}，您的訂單{platform_order_no}已確認。"
        cn = self._customer(name="王芳", email=False, lang="zh_CN")
        tw = self._customer(name="陳美", email=False, lang="zh_TW")
        self.assertEqual(
            self._notice(self._marketplace_order("JD-200", partner=cn)).body,
            "王芳，您的订单JD-200已确认。",
        )
        self.assertEqual(
            self._notice(self._marketplace_order("JD-201", partner=tw)).body,
            "陳美，您的訂單JD-201已確認。",
        )

    def test_unknown_placeholder_is_refused_at_save(self):
        template = self.env.ref("neiqin_orders.notice_template_order_shipped_sms")
        for body in ("{customer.__class__}", "{password}", "{customer", "{{ object.name }}"):
            with self.subTest(body=body), self.assertRaisesRegex(ValidationError, "do not exist"):
                template.body = body

    def test_placeholder_values_are_inserted_as_text(self):
        partner = self._customer(name="{shop} {tracking_number}", email=False)
        order = self._marketplace_order("JD-202", partner=partner)
        self.assertIn("{shop} {tracking_number}", self._notice(order).body)

    def test_sms_templates_count_their_segments(self):
        template = self.env.ref("neiqin_orders.notice_template_order_confirmed_sms")
        template.with_context(lang="zh_CN").body = "您" * 71
        self.assertEqual(template.with_context(lang="zh_CN").sms_segments, 2)


@tagged("post_install", "-at_install")
class TestQuietHours(NoticeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"neiqin_quiet_start_hour": 21.0, "neiqin_quiet_end_hour": 8.0})

    def test_quiet_hours_hold_an_sms_and_not_an_email(self):
        self.company.neiqin_notice_channels = "email,sms"
        texter = self._customer(name="SMS buyer", email=False, mobile="+86 139 0000 1111")
        with self._sms_provider() as sent:
            # 22:00 in Shanghai.
            with freeze_time("2026-11-20 14:00:00"):
                sms = self._notice(self._marketplace_order("SMS-1", partner=texter))
                mail = self._notice(self._marketplace_order("MAIL-1", partner=self.customer))
            self.assertEqual((mail.channel, mail.state), ("email", "sent"))
            self.assertEqual((sms.channel, sms.state), ("sms", "queued"))
            self.assertEqual(str(sms.hold_until), "2026-11-21 00:00:00")  # 08:00 there
            self.assertFalse(sent)
            with freeze_time("2026-11-20 23:00:00"):
                self.env["neiqin.notice"]._cron_notices()
            self.assertEqual(sms.state, "queued")
            with freeze_time("2026-11-21 00:05:00"):
                self.env["neiqin.notice"]._cron_notices()
            self.assertEqual(sms.state, "sent")
            self.assertEqual(sent, sms.ids)

    def test_platform_messages_are_not_pulled_in_quiet_hours(self):
        with freeze_time("2026-11-20 14:00:00"):
            notice = self._notice(self._marketplace_order("JD-300"))
            self.assertTrue(notice.hold_until)
            self.assertEqual(self._pull(self.connector), [])
        with freeze_time("2026-11-21 00:01:00"):
            pulled = self._pull(self.connector)
        self.assertEqual([n["id"] for n in pulled], notice.ids)


@tagged("post_install", "-at_install")
class TestNoticePull(NoticeCase):
    def test_connector_pulls_oldest_first_and_acknowledges(self):
        first = self._notice(self._marketplace_order("JD-400"))
        second = self._notice(self._marketplace_order("JD-401"))
        pulled = self._pull(self.connector, limit=1)
        self.assertEqual([n["id"] for n in pulled], first.ids)
        self.assertEqual(pulled[0]["platform_ref"], "JD-400")
        self.assertEqual(first.state, "claimed")
        self.assertEqual(first.claimed_by_id, self.connector)
        results = self._ack(
            self.connector,
            [
                {"id": first.id, "status": "sent"},
                {"id": second.id, "status": "delivered"},
                {"id": 999999999, "status": "sent"},
                {"id": first.id, "status": "bounced"},
            ],
        )
        self.assertEqual(
            [r["status"] for r in results], ["updated", "updated", "error", "error"], results
        )
        self.assertEqual(first.state, "sent")
        self.assertTrue(first.sent_at)
        self.assertFalse(first.claimed_by_id)
        self.assertEqual(second.state, "delivered")
        again = self._ack(self.connector, [{"id": first.id, "status": "sent"}])
        self.assertEqual(again[0]["status"], "unchanged")

    def _pull_queries(self, expected):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        pulled = self._pull(self.connector, limit=500)
        self.assertEqual(len(pulled), expected)
        return self.env.cr.sql_log_count - before

    def test_a_page_is_claimed_in_the_same_queries_whatever_its_size(self):
        self._pull(self.connector, "tmall")  # the caller's rights, read once
        self._marketplace_order("JD-410")
        small = self._pull_queries(1)
        for n in range(6):
            self._marketplace_order(f"JD-41{n + 1}")
        self.assertEqual(self._pull_queries(6), small)

    def test_notice_claimed_by_another_connector_is_refused(self):
        notice = self._notice(self._marketplace_order("JD-402"))
        self._pull(self.connector)
        self.assertEqual(self._pull(self.connector2), [])
        result = self._ack(self.connector2, [{"id": notice.id, "status": "sent"}])
        self.assertIn("claimed by another connector", result[0]["message"])

    def test_unacknowledged_claim_returns_to_the_queue(self):
        notice = self._notice(self._marketplace_order("JD-403"))
        with freeze_time("2026-11-21 02:00:00"):
            self.assertEqual(len(self._pull(self.connector)), 1)
        with freeze_time("2026-11-21 02:10:00"):
            self.env["neiqin.notice"]._cron_notices()
            self.assertEqual(notice.state, "claimed")
        with freeze_time("2026-11-21 02:16:00"):
            self.env["neiqin.notice"]._cron_notices()
            self.assertEqual(notice.state, "queued")
            self.assertIn("did not acknowledge", notice.last_error)
            pulled = self._pull(self.connector2)
        self.assertEqual([n["id"] for n in pulled], notice.ids)
        self.assertEqual((notice.claimed_by_id, notice.tries), (self.connector2, 2))

    def test_failed_delivery_is_retried_then_shown_to_a_clerk(self):
        self.env["ir.config_parameter"].set_param("neiqin_base.notice_retry_limit", 2)
        order = self._marketplace_order("JD-404")
        notice = self._notice(order)
        self._pull(self.connector)
        result = self._ack(self.connector, [{"id": notice.id, "status": "failed"}])
        self.assertIn("reason is required", result[0]["message"])
        result = self._ack(
            self.connector, [{"id": notice.id, "status": "failed", "reason": "Buyer blocked"}]
        )
        self.assertEqual(result[0]["state"], "queued")
        self.assertFalse(order.neiqin_notice_unreachable)
        self.assertEqual([n["id"] for n in self._pull(self.connector)], notice.ids)
        result = self._ack(
            self.connector, [{"id": notice.id, "status": "failed", "reason": "Buyer blocked"}]
        )
        self.assertEqual(result[0]["state"], "failed")
        self.assertEqual((notice.state, notice.tries), ("failed", 2))
        self.assertEqual(self._pull(self.connector), [])
        self.assertTrue(order.with_user(self.clerk).neiqin_notice_unreachable)
        self.assertEqual(
            self.env["neiqin.notice"]
            .with_user(self.clerk)
            .search([("state", "in", ("failed", "unreachable"))]),
            notice,
        )

    def test_failed_email_is_retried_by_the_cron(self):
        template = self.env.ref("neiqin_orders.mail_template_order_confirmed")
        sender = template.email_from
        template.email_from = "{{ object.amount_total / 0 }}"
        order = self._order()
        with self.assertLogs("odoo.addons.neiqin_base.models.neiqin_notice", "WARNING"):
            order.action_confirm()
        notice = self._notice(order)
        self.assertEqual((notice.state, notice.tries), ("queued", 1))
        self.assertTrue(notice.last_error)
        template.email_from = sender
        self.env["neiqin.notice"]._cron_notices()
        self.assertEqual((notice.state, notice.tries), ("sent", 2))
        self.assertTrue(notice.message_id)


@tagged("post_install", "-at_install")
class TestNoticeAccess(NoticeCase):
    def test_connector_reads_only_its_platform_s_notices(self):
        jd = self._notice(self._marketplace_order("JD-500"))
        tmall = self._notice(self._marketplace_order("TM-500", platform="tmall"))
        Notice = self.env["neiqin.notice"]
        both = [("id", "in", (jd | tmall).ids)]
        self.assertEqual(Notice.with_user(self.connector).search(both), jd)
        self.assertEqual(Notice.with_user(self.tmall_connector).search(both), tmall)
        with self.assertRaises(AccessError):
            tmall.with_user(self.connector).read(["body"])
        self.assertEqual(self._pull(self.connector, "tmall"), [])
        result = self._ack(self.connector, [{"id": tmall.id, "status": "sent"}])
        self.assertIn("does not exist or is not yours", result[0]["message"])
        self.assertEqual(tmall.state, "queued")

    def test_only_connectors_pull(self):
        self._marketplace_order("JD-501")
        with self.assertRaisesRegex(AccessError, "connector"):
            self._pull(self.clerk)

    def test_clerk_cannot_edit_a_sent_notice(self):
        notice = self._notice(self._marketplace_order("JD-502"))
        notice.with_user(self.clerk).body = "Corrected before it is sent"
        self._pull(self.connector)
        self._ack(self.connector, [{"id": notice.id, "status": "sent"}])
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            notice.with_user(self.clerk).body = "Rewritten afterwards"
        with self.assertRaises(AccessError):
            notice.with_user(self.clerk).write({"state": "queued"})
        with self.assertRaises(AccessError):
            notice.with_user(self.lead).unlink()
