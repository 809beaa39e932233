"""The review holds on the server: what a salesperson, a clerk, a lead and a
warehouse user may do to an order, tried as they would, over XML-RPC with
their own passwords or through the ORM as them."""

import xmlrpc.client

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, tagged

from .common import OrdersCase, OrdersData


@tagged("post_install", "-at_install")
class TestReviewAttacksOverRpc(OrdersData, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_orders_data()
        cls.seller = cls._user(
            "ord_rpc_seller", "sales_team.group_sale_salesman", password="ord_rpc_seller_pw"
        )

    def setUp(self):
        super().setUp()
        # No stock of the lamp: the review stops the order.
        self.order = self._order(lines=[(self.lamp, 1, 200.0)], user_id=self.seller.id)
        self.order._neiqin_review()
        self.assertEqual(self.order.neiqin_review_state, "exception")

    def rpc(self, method, *args, **kwargs):
        uid = self.xmlrpc_common.authenticate(
            self.env.cr.dbname, "ord_rpc_seller", "ord_rpc_seller_pw", {}
        )
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, "ord_rpc_seller_pw", "sale.order", method, list(args), kwargs
        )

    def assertRefused(self, method, *args, **kwargs):
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.rpc(method, *args, **kwargs)
        return caught.exception.faultString

    def assertStillBlocked(self):
        message = self.assertRefused("action_confirm", self.order.ids)
        self.assertIn("blocked by review exceptions", message)
        self.order.invalidate_recordset()
        self.assertEqual(self.order.state, "draft")

    def test_writing_an_override_does_not_let_the_order_through(self):
        message = self.assertRefused(
            "write",
            self.order.ids,
            {"neiqin_override_at": "2026-12-01 08:00:00", "neiqin_override_reason": "me"},
        )
        self.assertIn("set by the back-office engine", message)
        self.assertStillBlocked()

    def test_taking_the_order_out_of_its_process_is_refused(self):
        for vals in (
            {"neiqin_process_id": False},
            {"neiqin_step_state": "done"},
            {"neiqin_step_id": False},
            {"neiqin_review_state": "approved"},
            {"neiqin_remark_read": True},
        ):
            with self.subTest(vals=vals):
                self.assertIn(
                    "set by the back-office engine",
                    self.assertRefused("write", self.order.ids, vals),
                )
        self.assertStillBlocked()

    def test_review_and_step_buttons_need_back_office_rights(self):
        for method in (
            "action_neiqin_approve",
            "action_neiqin_approve_selected",
            "action_neiqin_reject",
            "action_neiqin_review",
            "action_neiqin_mark_remark_read",
            "action_neiqin_override",
            "action_neiqin_next_step",
            "action_neiqin_pause",
            "action_neiqin_resume",
        ):
            with self.subTest(method=method):
                self.assertIn("back-office", self.assertRefused(method, self.order.ids))
        self.order.invalidate_recordset()
        self.assertEqual(self.order.neiqin_review_state, "exception")
        self.assertEqual(self.order.neiqin_step_id.code, "confirm")
        self.assertStillBlocked()

    def test_the_context_cannot_create_an_order_past_the_review(self):
        context = {
            "neiqin_no_process": True,
            "default_neiqin_review_state": "approved",
            "default_neiqin_override_at": "2026-12-01 08:00:00",
            "default_neiqin_step_state": "done",
        }
        order_id = self.rpc(
            "create",
            {
                "partner_id": self.customer.id,
                "order_line": [(0, 0, {"product_id": self.lamp.id, "price_unit": 200})],
            },
            context=context,
        )
        order = self.env["sale.order"].browse(order_id)
        self.assertEqual(order.neiqin_step_id.code, "confirm")
        self.assertEqual(order.neiqin_review_state, "to_review")
        self.assertFalse(order.neiqin_override_at)
        self.order = order
        self.assertStillBlocked()

    def test_creating_an_order_with_engine_fields_is_refused(self):
        message = self.assertRefused(
            "create",
            {
                "partner_id": self.customer.id,
                "neiqin_review_state": "approved",
                "order_line": [(0, 0, {"product_id": self.tee.id})],
            },
        )
        self.assertIn("set by the back-office engine", message)


@tagged("post_install", "-at_install")
class TestReviewControls(OrdersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse_user = cls._user("ord_wh", "stock.group_stock_user")

    def _overridden(self):
        order = self._order(lines=[(self.lamp, 1, 200.0)])
        order.with_user(self.lead)._neiqin_override("Back-order agreed with the customer")
        self.assertEqual(order.neiqin_review_state, "approved")
        self.assertEqual(
            order.neiqin_override_rule_ids, self.env.ref("neiqin_orders.rule_order_stock")
        )
        return order

    def test_override_lapses_when_the_lines_change(self):
        order = self._overridden()
        order.with_user(self.salesman).write(
            {"order_line": [Command.update(order.order_line.id, {"product_uom_qty": 3})]}
        )
        with self.assertRaisesRegex(UserError, "Stock insufficient"):
            order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.neiqin_override_at)
        self.assertFalse(order.neiqin_override_rule_ids)
        self.assertIn("no longer holds", order.message_ids[0].body)

    def test_override_lapses_when_the_customer_changes(self):
        order = self._overridden()
        order.with_user(self.salesman).partner_id = self._customer(name="Someone Else")
        with self.assertRaisesRegex(UserError, "blocked by review exceptions"):
            order.with_user(self.salesman).action_confirm()

    def test_override_does_not_cover_a_new_exception(self):
        order = self._overridden()
        order.neiqin_refund_state = "requested"
        with self.assertRaisesRegex(UserError, "Refund requested") as caught:
            order.with_user(self.salesman).action_confirm()
        self.assertNotIn("Stock insufficient", str(caught.exception))
        self.assertEqual(order.state, "draft")
        order.neiqin_refund_state = "none"
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_override_holds_while_nothing_that_matters_changes(self):
        order = self._overridden()
        order.with_user(self.salesman).note = "Gift wrap"
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_clerk_cannot_move_an_order_past_the_steps_its_flow_moves(self):
        order = self._order()
        with self.assertRaisesRegex(UserError, "Confirm these orders"):
            order.with_user(self.clerk).action_neiqin_next_step()
        order.with_user(self.clerk).action_confirm()
        self.assertEqual(order.neiqin_step_id.code, "payment")
        order.with_user(self.clerk).action_neiqin_next_step()
        self.assertEqual(order.neiqin_step_id.code, "dispatch")
        with self.assertRaisesRegex(UserError, "Validate the delivery"):
            order.with_user(self.clerk).action_neiqin_next_step()
        self.assertEqual(order.neiqin_step_id.code, "dispatch")

    def test_warehouse_user_without_sales_rights_ships_an_approved_order(self):
        order = self._order()
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = 1
        self.assertFalse(self.warehouse_user.has_group("sales_team.group_sale_salesman"))
        picking.with_user(self.warehouse_user).button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(order.neiqin_step_id.code, "tracking")

    def test_warehouse_user_cannot_ship_an_order_the_review_stops(self):
        order = self._order()
        order.action_confirm()
        order.neiqin_refund_state = "requested"
        picking = order.picking_ids
        picking.move_ids.quantity = 1
        with self.assertRaisesRegex(UserError, "Refund requested"):
            picking.with_user(self.warehouse_user).button_validate()
        self.assertNotEqual(picking.state, "done")

    def test_cancelled_order_set_back_to_quotation_is_reviewed_again(self):
        order = self._order()
        order.with_user(self.salesman)._action_cancel()
        self.assertFalse(order.neiqin_step_id)
        logs = self.env["neiqin.step.log"].search(
            [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
        )
        self.assertEqual(set(logs.mapped("state")), {"cancel"})
        order.with_user(self.salesman).action_draft()
        self.assertEqual(order.neiqin_step_id.code, "confirm")
        self.assertEqual(order.neiqin_review_state, "to_review")

    def test_a_company_rule_does_not_stop_another_company(self):
        other = self.env["res.company"].create({"name": "Other Shop", "neiqin_review_scope": "all"})
        other_clerk = self._user(
            "ord_other_clerk",
            "neiqin_base.group_neiqin_clerk,sales_team.group_sale_salesman",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        rule = (
            self.env["neiqin.dq.rule"]
            .with_user(self.lead)
            .create(
                {
                    "name": "Everything stops here",
                    "model_id": self.env["ir.model"]._get("sale.order").id,
                    "rule_type": "domain",
                    "bad_record_domain": "[('id', '!=', 0)]",
                    "severity": "blocking",
                    "company_id": self.env.company.id,
                }
            )
        )
        order_b = (
            self.env["sale.order"]
            .with_company(other)
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": other.id,
                    "user_id": other_clerk.id,
                    "order_line": [Command.create({"product_id": self.tee.id, "price_unit": 80})],
                }
            )
        )
        mine = self._order()
        (order_b | mine)._neiqin_review()
        flagged = rule.issue_ids.filtered(lambda i: i.state == "open").mapped("res_id")
        self.assertEqual(flagged, mine.ids)
        self.assertEqual(mine.neiqin_review_state, "exception")
        # The other company's clerk reads their order and why it stops.
        order_b.with_user(other_clerk).with_company(other).read(
            ["neiqin_exception_summary", "neiqin_review_state"]
        )


@tagged("post_install", "-at_install")
class TestOrderFormAsStaff(OrdersCase):
    def test_staff_create_an_order_in_the_form(self):
        # The form sends the defaults it shows, engine fields among them:
        # saving it must work for every role that sees them.
        for user in (self.clerk, self.lead, self.salesman):
            with self.subTest(user=user.login):
                form = Form(self.env["sale.order"].with_user(user))
                form.partner_id = self.customer
                with form.order_line.new() as line:
                    line.product_id = self.tee
                order = form.save()
                self.assertEqual(order.neiqin_step_id.code, "confirm")
                self.assertEqual(order.neiqin_review_state, "to_review")
