from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import AftersalesCase


class PortalData(AftersalesCase):
    """The portal customer's own ticket and return, and another customer's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A complete address and phone: the review lets their orders through.
        cls.other_customer = cls._customer(name="Zhao Lei", email="zhao.lei@example.com")
        cls.own_ticket = cls._ticket(name="Own ticket OWN-T", partner_id=cls.customer.id)
        cls.other_ticket = cls._ticket(
            name="Other ticket OTHER-T", partner_id=cls.other_customer.id
        )
        cls.done_stage = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.done_stage.close_from_portal = True
        cls.own_rma = cls._rma(cls.customer)
        cls.other_rma = cls._rma(cls.other_customer)

    @classmethod
    def _rma(cls, partner):
        rma = cls.env["rma"].create(
            {
                "partner_id": partner.id,
                "product_id": cls.tee.id,
                "product_uom_qty": 1,
                "location_id": cls.warehouse.rma_loc_id.id,
                "operation_id": cls.env["rma.operation"].search([], limit=1).id,
            }
        )
        rma.action_confirm()
        return rma


@tagged("post_install", "-at_install")
class TestPortalSecurity(PortalData, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user.password = "as_portal_pw"

    def setUp(self):
        super().setUp()
        self.authenticate("as_portal", "as_portal_pw")

    def test_portal_user_sees_own_ticket_not_another(self):
        own = self.url_open(f"/my/ticket/{self.own_ticket.id}")
        self.assertIn("OWN-T", own.text)
        other = self.url_open(f"/my/ticket/{self.other_ticket.id}")
        self.assertNotIn("OTHER-T", other.text)

    def test_wrong_access_token_gets_nothing(self):
        self.other_ticket._portal_ensure_token()
        wrong = self.url_open(f"/my/ticket/{self.other_ticket.id}?access_token=wrong-token")
        self.assertNotIn("OTHER-T", wrong.text)
        closed = self.url_open(
            f"/ticket/close?ticket_id={self.other_ticket.id}&stage_id={self.done_stage.id}"
            "&access_token=wrong-token"
        )
        self.assertNotIn("OTHER-T", closed.text)
        self.assertNotEqual(self.other_ticket.stage_id, self.done_stage)

    def test_portal_user_cannot_close_another_customers_ticket(self):
        before = self.other_ticket.stage_id
        self.url_open(
            f"/ticket/close?ticket_id={self.other_ticket.id}&stage_id={self.done_stage.id}"
        )
        self.other_ticket.invalidate_recordset()
        self.assertEqual(self.other_ticket.stage_id, before)

    def _submit_portal_ticket(self, subject, team):
        """The visitor submits a new ticket from the portal, choosing ``team``."""
        self.env.company.helpdesk_mgmt_portal_select_team = True
        self.url_open(
            "/submitted/ticket",
            data={
                "subject": subject,
                "description": "Where is my parcel?",
                "team": team.id,
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        return self.env["helpdesk.ticket"].search([("name", "=", subject)])

    def test_a_new_ticket_goes_to_no_team_of_another_company(self):
        other_company = self.env["res.company"].create({"name": "Other Shop"})
        foreign_team = self.env["helpdesk.ticket.team"].create(
            {"name": "Foreign desk", "company_id": other_company.id, "show_in_portal": True}
        )
        ticket = self._submit_portal_ticket("PORTAL-NEW-T", foreign_team)
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.partner_id, self.portal_user.partner_id)
        self.assertFalse(ticket.team_id)
        self.assertNotEqual(ticket.company_id, other_company)

    def test_a_new_ticket_keeps_a_team_of_the_visitors_company(self):
        own_team = self.env["helpdesk.ticket.team"].create(
            {"name": "Own desk", "company_id": self.env.company.id, "show_in_portal": True}
        )
        ticket = self._submit_portal_ticket("PORTAL-OWN-T", own_team)
        self.assertEqual(ticket.team_id, own_team)

    def test_portal_user_closes_own_ticket(self):
        self.url_open(f"/ticket/close?ticket_id={self.own_ticket.id}&stage_id={self.done_stage.id}")
        self.own_ticket.invalidate_recordset()
        self.assertEqual(self.own_ticket.stage_id, self.done_stage)

    def test_close_refuses_a_stage_the_portal_may_not_close_to(self):
        stage = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        self.assertFalse(stage.close_from_portal)
        self.url_open(f"/ticket/close?ticket_id={self.own_ticket.id}&stage_id={stage.id}")
        self.own_ticket.invalidate_recordset()
        self.assertNotEqual(self.own_ticket.stage_id, stage)

    def test_close_refuses_a_stage_of_another_company(self):
        other_company = self.env["res.company"].create({"name": "Elsewhere Ltd"})
        stage = self.env["helpdesk.ticket.stage"].create(
            {"name": "Closed elsewhere", "close_from_portal": True, "company_id": other_company.id}
        )
        self.url_open(f"/ticket/close?ticket_id={self.own_ticket.id}&stage_id={stage.id}")
        self.own_ticket.invalidate_recordset()
        self.assertNotEqual(self.own_ticket.stage_id, stage)

    def test_close_with_malformed_ids_changes_nothing(self):
        before = self.own_ticket.stage_id
        response = self.url_open("/ticket/close?ticket_id=abc&stage_id=1e9")
        self.assertLess(response.status_code, 500)
        self.own_ticket.invalidate_recordset()
        self.assertEqual(self.own_ticket.stage_id, before)

    def _post(self, ticket, text):
        return self.url_open(
            "/mail/message/post",
            data=(
                '{"jsonrpc": "2.0", "method": "call", "params": {"thread_model": '
                f'"helpdesk.ticket", "thread_id": {ticket.id}, "post_data": '
                f'{{"body": "{text}", "message_type": "comment"}}}}}}'
            ),
            headers={"Content-Type": "application/json"},
        )

    def test_portal_user_cannot_post_on_another_customers_ticket(self):
        count = len(self.other_ticket.message_ids)
        self._post(self.other_ticket, "INTRUDER")
        self.other_ticket.invalidate_recordset()
        self.assertEqual(len(self.other_ticket.message_ids), count)
        self._post(self.own_ticket, "MY QUESTION")
        self.own_ticket.invalidate_recordset()
        self.assertIn("MY QUESTION", self.own_ticket.message_ids[:1].body)

    def test_another_customers_return_is_not_reachable(self):
        own = self.url_open(f"/my/rmas/{self.own_rma.id}")
        self.assertIn(self.own_rma.name, own.text)
        other = self.url_open(f"/my/rmas/{self.other_rma.id}")
        self.assertNotIn(self.other_rma.name, other.text)
        token = self.own_rma._portal_ensure_token()
        picking = self.other_rma.reception_move_id.picking_id
        self.assertTrue(picking)
        slip = self.url_open(
            f"/my/rma/picking/pdf/{self.own_rma.id}/{picking.id}?access_token={token}"
        )
        self.assertNotEqual(slip.headers.get("Content-Type"), "application/pdf")

    def _request_rma(self, order, line, **extra):
        operation = self.env["rma.operation"].search([], limit=1)
        return self.url_open(
            f"/my/orders/{order.id}/requestrma",
            data={
                "0-sale_line_id": line.id,
                "0-product_id": line.product_id.id,
                "0-quantity": 1,
                "0-uom_id": line.product_uom.id,
                "0-operation_id": operation.id,
                "csrf_token": http.Request.csrf_token(self),
                **extra,
            },
        )

    def test_return_request_takes_only_the_orders_own_lines(self):
        own = self._shipped_order(partner=self.customer)
        other = self._shipped_order(partner=self.other_customer)
        Rma = self.env["rma"]
        self._request_rma(own, other.order_line[:1])
        self.assertFalse(
            Rma.search([("partner_id", "=", self.other_customer.id), ("order_id", "=", other.id)])
        )
        self.assertFalse(Rma.search([("sale_line_id", "=", other.order_line[:1].id)]))

    def test_return_request_ships_only_to_the_customers_addresses(self):
        own = self._shipped_order(partner=self.customer)
        line = own.order_line[:1]
        self._request_rma(own, line, partner_shipping_id=self.other_customer.id)
        self.assertFalse(self.env["rma"].search([("order_id", "=", own.id)]))
        self._request_rma(own, line, partner_shipping_id=self.customer.id)
        self.assertTrue(
            self.env["rma"].search([("order_id", "=", own.id)]),
            "the same request to the customer's own address is taken",
        )


@tagged("post_install", "-at_install")
class TestPortalReads(PortalData):
    def test_portal_user_reads_own_ticket_only(self):
        Ticket = self.env["helpdesk.ticket"].with_user(self.portal_user)
        self.assertEqual(
            Ticket.search([("id", "in", self.own_ticket.ids + self.other_ticket.ids)]),
            self.own_ticket,
        )
        self.own_ticket.with_user(self.portal_user).check_access("read")
        with self.assertRaises(AccessError):
            self.other_ticket.with_user(self.portal_user).check_access("read")
        with self.assertRaises(AccessError):
            self.other_ticket.with_user(self.portal_user).read(["name"])

    def test_portal_user_reads_own_return_only(self):
        Rma = self.env["rma"].with_user(self.portal_user)
        self.assertEqual(
            Rma.search([("id", "in", (self.own_rma | self.other_rma).ids)]), self.own_rma
        )
        with self.assertRaises(AccessError):
            self.other_rma.with_user(self.portal_user).read(["name"])

    def test_portal_user_cannot_write_tickets(self):
        with self.assertRaises(AccessError):
            self.own_ticket.with_user(self.portal_user).write({"stage_id": self.done_stage.id})
        with self.assertRaises(AccessError):
            self.other_ticket.with_user(self.portal_user).message_post(
                body="x", message_type="comment"
            )
