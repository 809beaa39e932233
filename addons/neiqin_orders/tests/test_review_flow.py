from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import OrdersCase


@tagged("post_install", "-at_install")
class TestReviewFlow(OrdersCase):
    def test_new_order_enters_the_confirm_step(self):
        order = self._order()
        self.assertEqual(order.neiqin_step_id, self.env.ref("neiqin_orders.step_order_confirm"))
        self.assertTrue(order.neiqin_step_deadline_at)
        self.assertEqual(order.neiqin_review_state, "to_review")

    def test_cron_approves_clean_orders_and_applies_dispatch_rules(self):
        clean = self._order()
        bad = self._order(lines=[(self.lamp, 1, 200.0)])
        self.env["sale.order"]._cron_neiqin_review()
        self.assertEqual(clean.neiqin_review_state, "approved")
        self.assertEqual(clean.carrier_id, self.carrier)
        self.assertEqual(bad.neiqin_review_state, "exception")
        self.assertFalse(bad.carrier_id)

    def test_large_review_writes_states_by_batches(self):
        # More orders than a write batch: the checks run once on all of them,
        # the states are written two orders at a time, with the record cache
        # emptied between batches.
        clean = self._order() | self._order() | self._order()
        bad = self._order(lines=[(self.lamp, 1, 200.0)])
        platform = self._order(
            neiqin_platform="tmall",
            neiqin_platform_order_no="TM-B1",
            neiqin_platform_paid=80.0,
            neiqin_payment_ref="ALI-B1",
        )
        with patch.object(type(self.env["sale.order"]), "_neiqin_review_write_batch", 2):
            self.env["sale.order"]._cron_neiqin_review()
        self.assertEqual(set((clean | platform).mapped("neiqin_review_state")), {"approved"})
        self.assertEqual((clean | platform).carrier_id, self.carrier)
        self.assertEqual(platform.state, "sale")
        self.assertEqual(bad.neiqin_review_state, "exception")
        self.assertFalse(bad.carrier_id)

    def test_carrier_of_another_company_is_refused_on_every_order(self):
        other = self.env["res.company"].create({"name": "Other Shop"})
        # A carrier's company is its delivery product's.
        product = self.carrier.product_id.copy({"company_id": other.id})
        carrier = self.carrier.copy({"name": "Other Express", "product_id": product.id})
        self.assertEqual(carrier.company_id, other)
        orders = self._order() | self._order() | self._order()
        orders.write({"carrier_id": self.carrier.id})
        with self.assertRaises(UserError) as caught:
            orders.write({"carrier_id": carrier.id})
        # Odoo's own message, naming the orders at fault.
        self.assertIn("Incompatible companies", str(caught.exception))
        for order in orders:
            self.assertIn(order.name, str(caught.exception))
        self.assertEqual(orders.carrier_id, self.carrier)

    def test_company_check_of_many_linked_records(self):
        """Past a hundred linked records the check counts in SQL: it must
        answer as the in-memory check does, archived records included."""
        other = self.env["res.company"].create({"name": "Other Shop"})
        partners = self.env["res.partner"].create(
            [{"name": f"Buyer {n}", "company_id": self.env.company.id} for n in range(120)]
        )
        partners[:5].action_archive()
        domain = partners._check_company_domain(self.env.company)
        SaleOrder = self.env["sale.order"]
        self.assertTrue(SaleOrder._neiqin_all_match(partners, domain))
        self.assertTrue(SaleOrder._neiqin_all_match(partners[:10], domain))
        partners[0].company_id = other
        self.assertFalse(SaleOrder._neiqin_all_match(partners, domain))
        self.assertFalse(SaleOrder._neiqin_all_match(partners[:10], domain))

    def test_approved_platform_order_is_confirmed(self):
        platform = self._order(
            neiqin_platform="tmall",
            neiqin_platform_order_no="TM-A1",
            neiqin_platform_paid=80.0,
            neiqin_payment_ref="ALI-A1",
        )
        quotation = self._order()
        self.env["sale.order"]._cron_neiqin_review()
        self.assertEqual(platform.state, "sale")
        self.assertEqual(platform.neiqin_step_id.code, "dispatch")
        self.assertEqual(platform.picking_ids.carrier_id, self.carrier)
        self.assertEqual(quotation.state, "draft")
        self.assertEqual(quotation.neiqin_review_state, "approved")

    def test_marking_the_remark_read_confirms_nothing_and_says_what_it_did(self):
        order = self._order(
            neiqin_platform="tmall",
            neiqin_platform_order_no="TM-R1",
            neiqin_buyer_remark="Please send the blue one",
        )
        order._neiqin_review()
        self.assertEqual(order.neiqin_review_state, "exception")
        action = order.with_user(self.clerk).action_neiqin_mark_remark_read()
        # Approved (the company approves clean orders), not confirmed: the
        # button does what it says, and announces the approval.
        self.assertEqual(order.neiqin_review_state, "approved")
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.picking_ids)
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn(order.display_name, action["params"]["message"])
        self.assertIn("Approved", action["params"]["message"])

    def test_checking_the_rules_says_what_stops_the_order(self):
        order = self._order(lines=[(self.lamp, 1, 200.0)])
        action = order.with_user(self.clerk).action_neiqin_review()
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("Still stopped by exceptions", action["params"]["message"])

    def test_a_fixed_order_is_announced_as_waiting_for_approval(self):
        self.env.company.neiqin_auto_approve = False
        no_street = self._customer(name="Zhao Min", street=False)
        order = self._order(partner=no_street)
        order.with_user(self.clerk).action_neiqin_review()
        self.assertEqual(order.neiqin_review_state, "exception")
        no_street.street = "88 Wensan Road"
        action = order.with_user(self.clerk).action_neiqin_review()
        self.assertEqual(order.neiqin_review_state, "to_review")
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(
            action["params"]["message"],
            f"No blocking exception, waiting for approval: {order.display_name}",
        )

    def test_approved_platform_order_waits_when_the_setting_is_off(self):
        self.env.company.neiqin_confirm_approved = False
        platform = self._order(neiqin_platform="tmall", neiqin_platform_order_no="TM-A2")
        self.env["sale.order"]._cron_neiqin_review()
        self.assertEqual(platform.neiqin_review_state, "approved")
        self.assertEqual(platform.state, "draft")

    def test_no_auto_approval_when_the_setting_is_off(self):
        self.env.company.neiqin_auto_approve = False
        order = self._order()
        self.env["sale.order"]._cron_neiqin_review()
        self.assertEqual(order.neiqin_review_state, "to_review")
        order.with_user(self.clerk).action_neiqin_approve()
        self.assertEqual(order.neiqin_review_state, "approved")
        self.assertEqual(order.neiqin_reviewed_by_id, self.clerk)

    def test_confirmation_with_blocking_exception_is_refused_with_the_list(self):
        order = self._order(lines=[(self.lamp, 1, 200.0)], neiqin_buyer_remark="Call me first")
        with self.assertRaisesRegex(UserError, "Stock insufficient") as caught:
            order.with_user(self.salesman).action_confirm()
        self.assertIn("Buyer remark to read", str(caught.exception))
        self.assertEqual(order.state, "draft")

    def test_one_bad_order_stops_the_whole_batch_before_any_side_effect(self):
        good = self._order()
        bad = self._order(lines=[(self.lamp, 1, 200.0)])
        with self.assertRaises(UserError):
            (good | bad).action_confirm()
        self.assertEqual(good.state, "draft")
        self.assertFalse(good.picking_ids)
        self.assertFalse(good.neiqin_notice_ids)

    def test_clerk_cannot_override(self):
        order = self._order(lines=[(self.lamp, 1, 200.0)])
        order._neiqin_review()
        with self.assertRaises(AccessError):
            order.with_user(self.clerk)._neiqin_override("I say so")
        with self.assertRaises(AccessError):
            order.with_user(self.clerk).action_neiqin_override()
        # The wizard itself, reached without the button, refuses too.
        wizard = Form(
            self.env["neiqin.gate.override.wizard"]
            .with_user(self.clerk)
            .with_context(active_model="sale.order", active_ids=order.ids)
        )
        wizard.reason = "I say so"
        with self.assertRaises(AccessError):
            wizard.save().action_override()
        self.assertFalse(order.neiqin_override_at)

    def test_lead_override_with_reason_lets_the_order_through(self):
        order = self._order(lines=[(self.lamp, 1, 200.0)])
        order._neiqin_review()
        action = order.with_user(self.lead).action_neiqin_override()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.lead).with_context(**action["context"])
        )
        self.assertIn("Stock insufficient", wizard.exception_summary)
        wizard.reason = "Back-order agreed with the customer"
        wizard.save().action_override()
        self.assertEqual(order.neiqin_override_reason, "Back-order agreed with the customer")
        self.assertEqual(order.neiqin_override_by_id, self.lead)
        self.assertEqual(order.neiqin_review_state, "approved")
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_override_needs_a_reason(self):
        order = self._order(lines=[(self.lamp, 1, 200.0)])
        with self.assertRaisesRegex(UserError, "why"):
            order.with_user(self.lead)._neiqin_override("  ")

    def test_fixing_the_data_clears_the_exception(self):
        order = self._order(lines=[(self.mug, 6, 40.0)])
        order._neiqin_review()
        self.assertEqual(order.neiqin_review_state, "exception")
        order.order_line.product_uom_qty = 5
        self.env["neiqin.dq.issue"].search(
            [("res_id", "=", order.id), ("res_model", "=", "sale.order")]
        ).action_recheck()
        order._neiqin_review()
        self.assertEqual(order.neiqin_review_state, "approved")

    def test_rejected_order_cannot_be_confirmed(self):
        order = self._order()
        order.with_user(self.clerk).action_neiqin_reject()
        self.assertEqual(order.neiqin_review_state, "rejected")
        with self.assertRaisesRegex(UserError, "rejected"):
            order.action_confirm()

    def test_shipping_is_refused_when_a_refund_is_requested_after_confirmation(self):
        order = self._order()
        order.action_confirm()
        order.neiqin_refund_state = "requested"
        picking = order.picking_ids
        picking.move_ids.quantity = 1
        with self.assertRaisesRegex(UserError, "Refund requested"):
            picking.button_validate()
        self.assertNotEqual(picking.state, "done")
