"""The review strategies: the hold after payment (付款后延迟审单) and the
clerk's hold (挂起), both rules of the review engine, tried as the clerk, the
lead and a salesperson would, and through the review cron as it runs."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import SQL

from .common import API_GROUPS, OrdersCase, tmall_payload

PAID_RULE = "neiqin_orders.rule_order_paid_recently"
HOLD_RULE = "neiqin_orders.rule_order_on_hold"


class HoldsCase(OrdersCase):
    _number = 0

    def _platform_order(self, **vals):
        """A Tmall quotation paid in full now: the review confirms it once
        approved (the company's default)."""
        HoldsCase._number += 1
        number = f"TM-H{HoldsCase._number}"
        return self._order(
            neiqin_platform="tmall",
            neiqin_platform_order_no=number,
            neiqin_platform_paid=80.0,
            neiqin_payment_ref=f"ALI-{number}",
            **vals,
        )

    def _shift_back(self, orders, column, minutes):
        """Time passes: ``column`` of ``orders`` moves ``minutes`` into the
        past, in SQL, as the clock would move it: nothing writes the orders
        (their write date stays)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE sale_order SET %s = %s - %s WHERE id = ANY(%s)",
                SQL.identifier(column),
                SQL.identifier(column),
                timedelta(minutes=minutes),
                orders.ids,
            )
        )
        orders.invalidate_recordset([column])

    def _cron(self):
        """The review cron, as the scheduled action calls it."""
        self.env["sale.order"]._cron_neiqin_review()

    def assertSaid(self, order, text):
        """``text`` is in a message of the order's chatter."""
        bodies = order.message_ids.mapped("body")
        self.assertTrue(any(text in str(body) for body in bodies), f"{text!r} not in {bodies}")


@tagged("post_install", "-at_install")
class TestHoldAfterPayment(HoldsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.paid_rule = cls.env.ref(PAID_RULE)
        cls.paid_rule.hold_minutes_after_payment = 30

    def test_the_payment_time_is_set_when_the_order_is_first_paid(self):
        order = self._order(neiqin_platform="jd", neiqin_platform_order_no="JD-P1")
        self.assertFalse(order.neiqin_paid_at)
        before = fields.Datetime.now().replace(microsecond=0)
        order.write({"neiqin_platform_paid": 80.0, "neiqin_payment_ref": "WX-1"})
        self.assertEqual(order.neiqin_payment_state, "paid")
        self.assertGreaterEqual(order.neiqin_paid_at, before)
        first = order.neiqin_paid_at
        self._shift_back(order, "neiqin_paid_at", 5)
        order.neiqin_platform_paid = 40.0
        order.neiqin_platform_paid = 80.0
        self.assertEqual(order.neiqin_paid_at, first - timedelta(minutes=5))

    def test_a_paid_order_waits_then_the_cron_approves_and_confirms_it(self):
        order = self._platform_order()
        unpaid = self._order()
        self._cron()
        self.assertEqual(order.neiqin_review_state, "exception")
        self.assertEqual(order.state, "draft")
        self.assertFlagged(self.paid_rule, order, among=order | unpaid)
        self.assertEqual(unpaid.neiqin_review_state, "approved")
        self.assertIn("released by itself on", order.with_user(self.clerk).neiqin_exception_html)
        # A little later, the hold is not over yet.
        self._shift_back(order, "neiqin_paid_at", 10)
        self._cron()
        self.assertEqual(order.neiqin_review_state, "exception")
        # Past 30 minutes after payment, with nothing written on the order.
        self._shift_back(order, "neiqin_paid_at", 21)
        self._cron()
        self.assertEqual(order.neiqin_review_state, "approved")
        self.assertEqual(order.state, "sale")
        self.assertFalse(self._flagged(order, PAID_RULE))

    def test_no_hold_when_the_rule_says_zero_minutes_or_is_archived(self):
        for change in ({"hold_minutes_after_payment": 0}, {"active": False}):
            with self.subTest(change=change):
                self.paid_rule.write({"hold_minutes_after_payment": 30, "active": True, **change})
                order = self._platform_order()
                self._cron()
                self.assertEqual(order.neiqin_review_state, "approved")
                self.assertEqual(order.state, "sale")

    def test_a_lead_may_release_the_hold_after_payment_sooner(self):
        order = self._platform_order()
        self._cron()
        order.with_user(self.lead)._neiqin_override("Buyer confirmed the address by phone")
        self.assertEqual(order.neiqin_review_state, "approved")
        self.assertEqual(order.state, "sale")

    def test_a_salesperson_cannot_move_the_payment_time(self):
        order = self._platform_order()
        for user in (self.salesman, self.clerk, self.lead):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                order.with_user(user).write({"neiqin_paid_at": "2020-01-01 00:00:00"})
        with self.assertRaises(AccessError):
            self._order(user_id=self.salesman.id).with_user(self.salesman).copy(
                {"neiqin_paid_at": "2020-01-01 00:00:00"}
            )
        self.assertGreater(order.neiqin_paid_at, fields.Datetime.now() - timedelta(hours=1))


@tagged("post_install", "-at_install")
class TestPaymentTimeOverApi(HoldsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref(PAID_RULE).hold_minutes_after_payment = 30
        cls.api_user = cls._user("ord_api_holds", API_GROUPS)

    def _upsert(self, *payloads):
        return self.env["sale.order"].with_user(self.api_user).api_upsert_orders(list(payloads))

    def _ago(self, minutes):
        return fields.Datetime.now().replace(microsecond=0) - timedelta(minutes=minutes)

    def test_the_platform_payment_time_decides_the_hold(self):
        paid_at = self._ago(120)
        results = self._upsert(
            tmall_payload("TM-API-1", paid_at=paid_at.isoformat() + "Z"),
            tmall_payload("TM-API-2", paid_at=self._ago(5).isoformat() + "Z"),
        )
        self.assertEqual([r["status"] for r in results], ["created", "created"])
        old, recent = self.env["sale.order"].browse([r["id"] for r in results])
        self.assertEqual(old.neiqin_paid_at, paid_at)
        self._cron()
        self.assertEqual(old.state, "sale")
        self.assertEqual(recent.state, "draft")
        self.assertEqual(recent.neiqin_review_state, "exception")

    def test_an_update_moves_the_payment_time_and_a_bad_one_is_refused(self):
        created = self._upsert(tmall_payload("TM-API-3", paid_at=self._ago(5).isoformat() + "Z"))[0]
        order = self.env["sale.order"].browse(created["id"])
        updated = self._upsert(tmall_payload("TM-API-3", paid_at="2026-01-02T08:00:00+08:00"))
        self.assertEqual(updated[0]["status"], "updated")
        self.assertEqual(fields.Datetime.to_string(order.neiqin_paid_at), "2026-01-02 00:00:00")
        again = self._upsert(tmall_payload("TM-API-3", paid_at="2026-01-02T00:00:00Z"))
        self.assertEqual(again[0]["status"], "unchanged")
        for bad in ("yesterday", "1999-12-31T00:00:00Z", 12):
            with self.subTest(bad=bad):
                result = self._upsert(tmall_payload("TM-API-3", paid_at=bad))[0]
                self.assertEqual(result["status"], "error")
                self.assertIn("paid_at", result["message"])
        self.assertEqual(fields.Datetime.to_string(order.neiqin_paid_at), "2026-01-02 00:00:00")


@tagged("post_install", "-at_install")
class TestOrderHold(HoldsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hold_rule = cls.env.ref(HOLD_RULE)

    def _hold(self, orders, reason="Buyer asked to change the address", until=None, user=None):
        """Hold ``orders`` through the button and its wizard, as ``user``
        (the clerk by default)."""
        user = user or self.clerk
        action = orders.with_user(user).action_neiqin_hold()
        form = Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"]))
        form.reason = reason
        if until:
            form.hold_until = until
        return form.save().action_hold()

    def _tomorrow(self):
        return fields.Datetime.now().replace(microsecond=0) + timedelta(days=1)

    def test_a_clerk_holds_an_order_with_a_reason_and_a_release_time(self):
        order = self._platform_order()
        until = self._tomorrow()
        self._hold(order, until=until)
        self.assertEqual(order.neiqin_hold_reason, "Buyer asked to change the address")
        self.assertEqual(order.neiqin_hold_until, until)
        self.assertEqual(order.neiqin_held_by_id, self.clerk)
        self.assertTrue(order.neiqin_held_at)
        self.assertEqual(order.neiqin_review_state, "exception")
        self.assertFlagged(self.hold_rule, order, among=order)
        self.assertSaid(order, f"On hold by {self.clerk.name}: Buyer asked to change the address")
        html = order.with_user(self.clerk).neiqin_exception_html
        self.assertIn("Buyer asked to change the address", html)
        self.assertTrue(
            order.search([("id", "=", order.id), ("neiqin_held_at", "!=", False)]),
            "the On Hold filter finds it",
        )

    def test_a_held_order_is_neither_confirmed_nor_approved(self):
        order = self._platform_order()
        self._hold(order)
        with self.assertRaisesRegex(UserError, "Order on hold") as caught:
            order.with_user(self.salesman).action_confirm()
        self.assertIn("Buyer asked to change the address", str(caught.exception))
        with self.assertRaisesRegex(UserError, "Order on hold"):
            order.with_user(self.clerk).action_neiqin_approve()
        action = order.with_user(self.clerk).action_neiqin_approve_selected()
        self.assertIn("Not approved", action["params"]["message"])
        self._cron()
        self.assertEqual(order.neiqin_review_state, "exception")
        self.assertEqual(order.state, "draft")

    def test_a_release_time_in_the_past_or_no_reason_is_refused(self):
        order = self._order()
        with self.assertRaisesRegex(ValidationError, "future"):
            self._hold(order, until=fields.Datetime.now() - timedelta(minutes=1))
        with self.assertRaisesRegex(ValidationError, "why"):
            order.with_user(self.clerk)._neiqin_hold("   ")
        self.assertFalse(order.neiqin_held_at)

    def test_a_confirmed_order_cannot_be_held(self):
        order = self._order()
        order.action_confirm()
        with self.assertRaisesRegex(UserError, "Only quotations"):
            self._hold(order)

    def test_a_salesperson_can_neither_hold_nor_release(self):
        order = self._order()
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).action_neiqin_hold()
        with self.assertRaises(AccessError):
            order.with_user(self.salesman)._neiqin_hold("Mine")
        with self.assertRaises(AccessError):
            self.env["neiqin.order.hold.wizard"].with_user(self.salesman).create(
                {"order_ids": [fields.Command.set(order.ids)], "reason": "Mine"}
            ).action_hold()
        self._hold(order)
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).action_neiqin_release()
        self.assertTrue(order.neiqin_held_at)

    def test_nobody_writes_the_hold_fields_directly(self):
        held = self._order()
        self._hold(held)
        free = self._order()
        attempts = (
            (held, {"neiqin_hold_until": "2020-01-01 00:00:00"}),
            (held, {"neiqin_held_at": False}),
            (held, {"neiqin_hold_reason": False}),
            (free, {"neiqin_held_by_id": self.lead.id}),
        )
        for user in (self.salesman, self.clerk, self.lead):
            for order, vals in attempts:
                with self.subTest(user=user.login, vals=vals):
                    with self.assertRaisesRegex(AccessError, "set by the back-office engine"):
                        order.with_user(user).write(vals)
        with self.assertRaisesRegex(AccessError, "set by the back-office engine"):
            self.env["sale.order"].with_user(self.salesman).create(
                {"partner_id": self.customer.id, "neiqin_hold_reason": "x"}
            )
        self.assertTrue(held.neiqin_held_at)
        self.assertFalse(free.neiqin_held_by_id)

    def test_the_release_button_clears_the_hold_and_approves_without_confirming(self):
        order = self._platform_order()
        self._hold(order, until=self._tomorrow())
        action = order.with_user(self.clerk).action_neiqin_release()
        self.assertFalse(order.neiqin_held_at)
        self.assertFalse(order.neiqin_hold_reason)
        self.assertFalse(order.neiqin_hold_until)
        self.assertFalse(order.neiqin_held_by_id)
        self.assertSaid(order, f"Hold released by {self.clerk.name}")
        self.assertEqual(order.neiqin_review_state, "approved")
        self.assertEqual(order.state, "draft")
        self.assertIn("Approved", action["params"]["message"])
        with self.assertRaisesRegex(UserError, "None of these orders is on hold"):
            order.with_user(self.clerk).action_neiqin_release()

    def test_the_cron_releases_a_hold_whose_time_came_and_confirms_the_order(self):
        due = self._platform_order()
        later = self._platform_order()
        forever = self._platform_order()
        self._hold(due | later, until=self._tomorrow())
        self._hold(forever)
        self._cron()
        self.assertEqual(set((due | later | forever).mapped("neiqin_review_state")), {"exception"})
        # A day passes for the first order's hold.
        self._shift_back(due, "neiqin_hold_until", 24 * 60 + 1)
        self._cron()
        self.assertFalse(due.neiqin_held_at)
        self.assertSaid(due, "Hold released by itself")
        self.assertEqual(due.neiqin_review_state, "approved")
        self.assertEqual(due.state, "sale")
        for order in later | forever:
            self.assertTrue(order.neiqin_held_at)
            self.assertEqual(order.state, "draft")

    def test_an_override_does_not_release_a_hold(self):
        order = self._order(lines=[(self.lamp, 1, 200.0)])
        self._hold(order)
        with self.assertRaisesRegex(UserError, "does not release a hold"):
            order.with_user(self.lead)._neiqin_override("Ship it anyway")
        self.assertFalse(order.neiqin_override_at)
        self.assertEqual(order.neiqin_review_state, "exception")

    def test_an_order_overridden_before_it_is_held_stays_stopped_until_released(self):
        order = self._order(lines=[(self.lamp, 1, 200.0)])
        order._neiqin_review()
        order.with_user(self.lead)._neiqin_override("Back-order agreed with the customer")
        self.assertEqual(order.neiqin_review_state, "approved")
        self._hold(order)
        self.assertEqual(order.neiqin_review_state, "exception")
        with self.assertRaisesRegex(UserError, "Order on hold") as caught:
            order.with_user(self.salesman).action_confirm()
        # The stock exception stays waived: only the hold is listed.
        self.assertNotIn("Stock insufficient", str(caught.exception))
        self.assertEqual(order.state, "draft")
        order.with_user(self.clerk).action_neiqin_release()
        self.assertEqual(order.neiqin_review_state, "approved")
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_the_order_screens_offer_hold_and_release_to_clerks_only(self):
        Order = self.env["sale.order"]
        form = Order.with_user(self.clerk).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="action_neiqin_hold"', form)
        self.assertIn('name="action_neiqin_release"', form)
        self.assertIn("neiqin_hold_reason", form)
        form = Order.with_user(self.salesman).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn('name="action_neiqin_hold"', form)
        search = self.env.ref("neiqin_orders.view_order_review_search")
        arch = Order.with_user(self.clerk).get_views([(search.id, "search")])["views"]["search"]
        self.assertIn("filter_neiqin_on_hold", arch["arch"])
