from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestTicketCloseGate(AftersalesCase):
    def _close(self, ticket, user=None):
        ticket.with_user(user or self.clerk).stage_id = self._stage("done")

    def _assert_refused(self, ticket, rule_name):
        with self.assertRaisesRegex(UserError, rule_name):
            self._close(ticket)
        self.assertFalse(ticket.closed)

    def _return(self, ticket, state="draft"):
        rma = self.env["rma"].create(
            {
                "partner_id": ticket.partner_id.id,
                "product_id": self.tee.id,
                "product_uom_qty": 1,
                "operation_id": self.env.ref("rma.rma_operation_refund").id,
                "neiqin_ticket_id": ticket.id,
            }
        )
        if state != "draft":
            rma.state = state
        return rma

    def _override(self, ticket, user, reason="The customer accepted by phone"):
        action = ticket.with_user(user).action_neiqin_override()
        Wizard = self.env[action["res_model"]].with_user(user).with_context(**action["context"])
        with Form(Wizard) as form:
            form.reason = reason
        form.record.action_override()

    def test_clean_ticket_closes(self):
        ticket = self._ticket()
        self._close(ticket)
        self.assertTrue(ticket.closed)
        self.assertTrue(ticket.closed_date)

    def test_open_return_stops_closing(self):
        ticket = self._ticket()
        self._return(ticket)
        self._assert_refused(ticket, "Return still open")

    def test_settled_return_lets_the_ticket_close(self):
        ticket = self._ticket()
        self._return(ticket, state="refunded")
        self._close(ticket)
        self.assertTrue(ticket.closed)

    def test_complaint_without_root_cause_stops_closing(self):
        ticket = self._ticket(neiqin_service_type="complaint")
        self._assert_refused(ticket, "Complaint without root cause")
        ticket.with_user(self.clerk).neiqin_complaint_cause_id = self.env.ref(
            "neiqin_aftersales.complaint_cause_quality"
        )
        self._close(ticket)
        self.assertTrue(ticket.closed)

    def test_unanswered_customer_message_stops_closing(self):
        ticket = self._ticket()
        self._post_as(ticket, self.portal_user, "<p>Any news?</p>")
        self._assert_refused(ticket, "Customer message unanswered")

    def test_staff_answer_lets_the_ticket_close(self):
        ticket = self._ticket()
        self._post_as(ticket, self.portal_user, "<p>Any news?</p>")
        self._post_as(ticket, self.clerk, "<p>Your parcel left today.</p>")
        self._close(ticket)
        self.assertTrue(ticket.closed)

    def test_internal_note_is_no_answer(self):
        ticket = self._ticket()
        self._post_as(ticket, self.portal_user, "<p>Any news?</p>")
        self._post_as(ticket, self.clerk, "<p>Ask the warehouse.</p>", internal=True)
        self._assert_refused(ticket, "Customer message unanswered")

    def test_unanswered_rule_checks_the_set_in_one_query(self):
        tickets = self._ticket() | self._ticket() | self._ticket()
        self._post_as(tickets[0], self.portal_user, "<p>Any news?</p>")
        rule = self.env.ref("neiqin_aftersales.rule_ticket_unanswered_message")
        self.env.flush_all()
        with self.assertQueryCount(1):
            flagged = tickets._neiqin_dq_check_unanswered_message(rule)
        self.assertEqual(flagged, tickets[0])

    def test_lead_override_lets_the_clerk_close(self):
        ticket = self._ticket()
        self._return(ticket)
        self._assert_refused(ticket, "Return still open")
        self._override(ticket, self.lead)
        self.assertEqual(ticket.neiqin_override_by_id, self.lead)
        self._close(ticket)
        self.assertTrue(ticket.closed)

    def test_override_lapses_when_a_new_exception_appears(self):
        ticket = self._ticket()
        self._return(ticket)
        self._assert_refused(ticket, "Return still open")
        self._override(ticket, self.lead)
        self._post_as(ticket, self.portal_user, "<p>And the refund?</p>")
        self._assert_refused(ticket, "Customer message unanswered")

    def test_clerk_cannot_override(self):
        ticket = self._ticket()
        self._return(ticket)
        self._assert_refused(ticket, "Return still open")
        with self.assertRaises(AccessError):
            ticket.with_user(self.clerk).action_neiqin_override()
        with self.assertRaises(AccessError):
            ticket.with_user(self.clerk)._neiqin_override("I say so")
        self.assertFalse(ticket.neiqin_override_at)

    def test_a_ticket_made_closed_goes_through_the_gate(self):
        with self.assertRaisesRegex(UserError, "Complaint without root cause"):
            self._ticket(neiqin_service_type="complaint", stage_id=self._stage("done").id)
        ticket = self._ticket(stage_id=self._stage("done").id)
        self.assertTrue(ticket.closed)
        self.assertEqual(ticket.neiqin_step_id.code, "rating")
