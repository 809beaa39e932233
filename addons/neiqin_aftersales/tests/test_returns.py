from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestReturns(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._shipped_order(lines=[(cls.tee, 2, 80.0)])

    def _create(self, ticket, kind=None, quantities=None, exchange=None, user=None):
        """Run the wizard: ``quantities`` {product: qty} changes the proposed
        quantities, ``exchange`` {product: replacement}."""
        wizard = self._return_wizard(ticket, kind=kind, user=user)
        for line in wizard.line_ids:
            if quantities and line.product_id in quantities:
                line.quantity = quantities[line.product_id]
            if exchange and line.product_id in exchange:
                line.exchange_product_id = exchange[line.product_id]
        wizard.action_create()
        return self._returns_of(ticket)

    # ------------------------------------------------------------ the four paths
    def test_return_with_refund_receives_then_refunds_after_inspection(self):
        ticket = self._ticket(self.order, neiqin_service_type="return")
        wizard = self._return_wizard(ticket)
        self.assertEqual(wizard.kind, "return_refund")
        self.assertEqual(wizard.line_ids.mapped("quantity"), [2.0])
        rma = self._create(ticket, quantities={self.tee: 1})
        self.assertEqual(rma.state, "confirmed")
        self.assertEqual(rma.operation_id.neiqin_kind, "return_refund")
        self.assertEqual(rma.order_id, self.order)
        self.assertEqual(rma.move_id.sale_line_id, self.order.order_line)
        self.assertEqual(rma.origin, self.order.name)
        receipt = rma.reception_move_id.picking_id
        self.assertEqual(receipt.picking_type_code, "incoming")
        self.assertEqual(rma.reception_move_id.product_uom_qty, 1.0)
        self.assertFalse(rma.refund_id)
        self._receive(rma)
        self.assertEqual(rma.state, "received")
        self.assertFalse(rma.refund_id, "no refund before the inspection")
        self._inspect(rma, "good")
        self.assertEqual(rma.state, "refunded")
        self.assertEqual(rma.refund_id.move_type, "out_refund")
        self.assertEqual(rma.refund_id.invoice_line_ids.quantity, 1.0)
        self.assertAlmostEqual(rma.refund_id.amount_untaxed, 80.0)
        self.assertEqual(ticket.neiqin_rma_ids, rma)
        self.assertEqual(ticket.neiqin_rma_count, 1)

    def test_refund_only_makes_a_credit_note_without_return_picking(self):
        ticket = self._ticket(self.order, neiqin_service_type="refund")
        rma = self._create(ticket)
        self.assertEqual(rma.operation_id.neiqin_kind, "refund_only")
        self.assertEqual(rma.state, "refunded")
        self.assertFalse(rma.reception_move_id)
        self.assertFalse(rma.delivery_move_ids)
        self.assertEqual(rma.refund_id.move_type, "out_refund")
        self.assertAlmostEqual(rma.refund_id.amount_untaxed, 160.0)

    def test_exchange_for_a_dearer_product_invoices_the_difference(self):
        ticket = self._ticket(self.order, neiqin_service_type="exchange")
        rma = self._create(ticket, quantities={self.tee: 1}, exchange={self.tee: self.lamp})
        self.assertEqual(rma.operation_id.neiqin_kind, "exchange")
        self.assertEqual(rma.neiqin_exchange_product_id, self.lamp)
        # lamp 200 (list price, not on the order) - tee 80 (its order line)
        self.assertAlmostEqual(rma.neiqin_price_difference, 120.0)
        self.assertEqual(rma.reception_move_id.product_id, self.tee)
        self.assertFalse(rma.delivery_move_ids, "the replacement waits for the inspection")
        self._receive(rma)
        self._inspect(rma, "good")
        self.assertEqual(rma.delivery_move_ids.product_id, self.lamp)
        self.assertEqual(rma.delivery_move_ids.picking_id.picking_type_code, "outgoing")
        self.assertEqual(rma.delivery_move_ids.product_uom_qty, 1.0)
        self.assertEqual(rma.neiqin_difference_move_id.move_type, "out_invoice")
        self.assertAlmostEqual(rma.neiqin_difference_move_id.amount_total, 120.0)
        self.assertFalse(rma.refund_id)

    def test_exchange_for_a_cheaper_product_refunds_the_difference(self):
        order = self._shipped_order(lines=[(self.tee, 1, 80.0), (self.mug, 1, 35.0)])
        ticket = self._ticket(order, neiqin_service_type="exchange")
        wizard = self._return_wizard(ticket)
        wizard.line_ids.filtered(lambda wl: wl.product_id == self.mug).unlink()
        wizard.line_ids.exchange_product_id = self.mug
        wizard.action_create()
        rma = self._returns_of(ticket)
        # the mug at its price on the same order (35), not its list price
        self.assertAlmostEqual(rma.neiqin_price_difference, -45.0)
        self._receive(rma)
        self._inspect(rma, "good")
        self.assertEqual(rma.neiqin_difference_move_id.move_type, "out_refund")
        self.assertAlmostEqual(rma.neiqin_difference_move_id.amount_total, 45.0)

    def test_resend_delivers_without_return_picking(self):
        ticket = self._ticket(self.order, neiqin_service_type="resend")
        rma = self._create(ticket, quantities={self.tee: 1})
        self.assertEqual(rma.operation_id.neiqin_kind, "resend")
        self.assertFalse(rma.reception_move_id)
        self.assertEqual(rma.delivery_move_ids.product_id, self.tee)
        self.assertEqual(rma.delivery_move_ids.product_uom_qty, 1.0)
        self.assertEqual(rma.delivery_move_ids.picking_id.picking_type_code, "outgoing")
        self.assertFalse(rma.refund_id)

    # ------------------------------------------------------------ the wizard
    def test_one_request_covers_two_orders_of_the_customer(self):
        other = self._shipped_order(lines=[(self.mug, 1, 40.0)])
        ticket = self._ticket(
            neiqin_service_type="return",
            sale_order_ids=[Command.set((self.order | other).ids)],
        )
        wizard = self._return_wizard(ticket)
        self.assertEqual(wizard.line_ids.order_id, self.order | other)
        wizard.action_create()
        rmas = self._returns_of(ticket)
        self.assertEqual(len(rmas), 2)
        self.assertEqual(rmas.order_id, self.order | other)
        by_order = {rma.order_id: rma for rma in rmas}
        self.assertEqual(by_order[other].product_id, self.mug)
        self.assertEqual(by_order[self.order].product_uom_qty, 2.0)
        self.assertTrue(all(rmas.mapped("reception_move_id")))

    def test_kind_follows_the_ticket_service_type(self):
        for service_type, kind in (
            ("return", "return_refund"),
            ("exchange", "exchange"),
            ("refund", "refund_only"),
            ("resend", "resend"),
        ):
            ticket = self._ticket(self.order, neiqin_service_type=service_type)
            self.assertEqual(self._return_wizard(ticket).kind, kind)

    def test_more_than_delivered_is_refused(self):
        ticket = self._ticket(self.order, neiqin_service_type="return")
        wizard = self._return_wizard(ticket)
        wizard.line_ids.quantity = 3
        with self.assertRaisesRegex(UserError, f"T-TEE.*{self.order.name}.*3.0 asked"):
            wizard.action_create()
        self.assertFalse(self._returns_of(ticket))

    def test_zero_quantity_is_refused(self):
        ticket = self._ticket(self.order, neiqin_service_type="return")
        wizard = self._return_wizard(ticket)
        wizard.line_ids.quantity = 0
        with self.assertRaisesRegex(UserError, f"T-TEE.*{self.order.name}.*more than 0"):
            wizard.action_create()

    def test_what_is_already_returned_is_not_returned_again(self):
        ticket = self._ticket(self.order, neiqin_service_type="return")
        self._create(ticket, quantities={self.tee: 1})
        second = self._return_wizard(ticket)
        self.assertEqual(second.line_ids.quantity, 1.0, "one of two left")
        second.line_ids.quantity = 2
        with self.assertRaisesRegex(UserError, "1.0 already in returns"):
            second.action_create()

    def test_wizard_is_refused_to_a_plain_user(self):
        user = self._user("as_plain", "base.group_user,helpdesk_mgmt.group_helpdesk_user")
        ticket = self._ticket(self.order, neiqin_service_type="return")
        with self.assertRaises(AccessError):
            ticket.with_user(user).action_neiqin_create_return()
        with self.assertRaises(AccessError):
            self.env["neiqin.ticket.return.wizard"].with_user(user).create({"ticket_id": ticket.id})

    def test_wizard_is_refused_on_another_team_ticket(self):
        outsider = self._user(
            "as_outsider",
            "neiqin_base.group_neiqin_clerk,sales_team.group_sale_salesman,stock.group_stock_user",
        )
        ticket = self._ticket(self.order, neiqin_service_type="return")
        with self.assertRaises(AccessError):
            ticket.with_user(outsider).action_neiqin_create_return()
        self.assertFalse(self._returns_of(ticket))

    def test_a_line_of_an_order_outside_the_ticket_is_refused(self):
        stranger = self._shipped_order(partner=self._customer(name="Zhang Wei"))
        ticket = self._ticket(self.order, neiqin_service_type="return")
        wizard = self._return_wizard(ticket)
        wizard.line_ids.order_line_id = stranger.order_line
        with self.assertRaisesRegex(UserError, f"not linked to the ticket: {stranger.name}"):
            wizard.action_create()
        self.assertFalse(self.env["rma"].search([("order_id", "=", stranger.id)]))

    def test_wizard_form_as_clerk(self):
        ticket = self._ticket(self.order, neiqin_service_type="exchange")
        wizard = self._return_wizard(ticket)
        with Form(wizard) as form:
            with form.line_ids.edit(0) as line:
                line.quantity = 1
                line.exchange_product_id = self.mug
        wizard.action_create()
        self.assertEqual(self._returns_of(ticket).neiqin_exchange_product_id, self.mug)

    # ------------------------------------------------------------ inspection
    def test_refund_needs_the_inspection(self):
        ticket = self._ticket(self.order, neiqin_service_type="return")
        rma = self._create(ticket)
        self._receive(rma)
        with self.assertRaisesRegex(UserError, "inspection"):
            rma.with_user(self.clerk).action_refund()
        self.assertFalse(rma.refund_id)

    def test_replacement_needs_the_inspection(self):
        ticket = self._ticket(self.order, neiqin_service_type="exchange")
        rma = self._create(ticket, quantities={self.tee: 1})
        self._receive(rma)
        with self.assertRaisesRegex(UserError, "inspection"):
            rma.with_user(self.clerk).create_replace(
                fields.Datetime.now(), rma.warehouse_id, self.tee, 1, rma.product_uom
            )
        with self.assertRaisesRegex(UserError, "inspection"):
            rma.with_user(self.clerk).action_refund_without_invoice()
        self.assertFalse(rma.delivery_move_ids)
        self.assertEqual(rma.state, "received")

    def test_inspection_fields_are_not_written_directly(self):
        ticket = self._ticket(self.order, neiqin_service_type="return")
        rma = self._create(ticket)
        self._receive(rma)
        with self.assertRaises(AccessError):
            rma.with_user(self.clerk).write({"neiqin_inspection_result": "good"})
        with self.assertRaises(AccessError):
            rma.with_user(self.clerk).write({"neiqin_price_difference": -500})

    def test_defective_goods_are_refunded_and_the_lead_told(self):
        ticket = self._ticket(self.order, neiqin_service_type="return")
        rma = self._create(ticket)
        self._receive(rma)
        self._inspect(rma, "defective", note="Stain on the sleeve")
        self.assertEqual(rma.state, "refunded")
        activity = rma.activity_ids
        self.assertEqual(activity.user_id, self.lead)
        self.assertIn("Defective", activity.summary)

    def test_missing_parts_wait_for_a_lead_who_settles_part(self):
        ticket = self._ticket(self.order, neiqin_service_type="return")
        rma = self._create(ticket)
        self._receive(rma)
        self._inspect(rma, "missing_parts", note="Only one shirt in the parcel")
        self.assertEqual(rma.state, "received")
        self.assertEqual(rma.activity_ids.user_id, self.lead)
        with self.assertRaisesRegex(UserError, "lead's decision"):
            rma.with_user(self.clerk).action_refund()
        with self.assertRaises(AccessError):
            rma.with_user(self.clerk).action_neiqin_decide()
        action = rma.with_user(self.lead).action_neiqin_decide()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.lead)
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(wizard.quantity, 2.0)
        wizard.quantity = 3
        with self.assertRaisesRegex(UserError, "at most 2.0"):
            wizard.action_confirm()
        wizard.quantity = 1
        wizard.action_confirm()
        self.assertEqual(rma.state, "refunded")
        self.assertEqual(rma.refund_id.invoice_line_ids.quantity, 1.0)
        self.assertAlmostEqual(rma.refund_id.amount_untaxed, 80.0)
        self.assertEqual(rma.neiqin_decided_by_id, self.lead)

    def test_only_received_returns_are_inspected(self):
        ticket = self._ticket(self.order, neiqin_service_type="return")
        rma = self._create(ticket)
        with self.assertRaisesRegex(UserError, "only received returns"):
            self._inspect(rma, "good")

    def test_rma_links_back_to_its_ticket(self):
        ticket = self._ticket(self.order, neiqin_service_type="return")
        rma = self._create(ticket)
        self.assertEqual(rma.neiqin_ticket_id, ticket)
        action = rma.with_user(self.clerk).action_neiqin_open_ticket()
        self.assertEqual(action["res_id"], ticket.id)
        action = ticket.with_user(self.clerk).action_neiqin_view_returns()
        self.assertEqual(self.env["rma"].search(action["domain"]), rma)
