from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.neiqin_base.engine.deadline import add_working_hours

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestTicketFlow(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk_elsewhere = cls._user(
            "as_clerk_elsewhere", "neiqin_base.group_neiqin_clerk", name="Clerk Elsewhere"
        )
        cls.other_team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Other desk", "user_ids": [Command.set(cls.clerk_elsewhere.ids)]}
        )

    def _step(self, code):
        return self.env.ref(f"neiqin_aftersales.step_service_{code}")

    # ------------------------------------------------------------ tickets from orders
    def test_new_ticket_from_order_fills_customer_order_and_products(self):
        order = self._order(lines=[(self.tee, 1, 80.0), (self.mug, 2, 40.0)])
        action = order.with_user(self.clerk).action_neiqin_new_ticket()
        Ticket = self.env["helpdesk.ticket"].with_user(self.clerk).with_context(**action["context"])
        with Form(Ticket) as form:
            form.team_id = self.helpdesk_team
            form.description = "<p>Where is my parcel?</p>"
        ticket = form.record
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertEqual(ticket.sale_order_ids, order)
        self.assertEqual(ticket.neiqin_product_ids, self.tee | self.mug)
        self.assertEqual(ticket.neiqin_step_id, self._step("consult"))
        self.assertEqual(order.ticket_count, 1)

    def test_only_back_office_staff_open_a_ticket_from_an_order(self):
        order = self._order()
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).action_neiqin_new_ticket()

    def test_several_orders_of_one_customer_on_one_ticket(self):
        first, second = self._order(), self._order()
        ticket = self._ticket(order=first)
        ticket.with_user(self.clerk).sale_order_ids = [Command.link(second.id)]
        self.assertEqual(ticket.sale_order_ids, first | second)
        self.assertEqual(ticket.neiqin_order_product_ids, self.tee)

    def test_order_of_another_customer_is_refused(self):
        ticket = self._ticket(order=self._order())
        stranger_order = self._order(partner=self._customer(name="Someone Else"))
        with self.assertRaisesRegex(ValidationError, "only link orders of its own customer"):
            ticket.with_user(self.clerk).sale_order_ids = [Command.link(stranger_order.id)]

    # ------------------------------------------------------------ steps follow the work
    def test_first_staff_reply_ends_the_enquiry(self):
        ticket = self._ticket()
        self._post_as(ticket, self.clerk, "<p>We are checking your order.</p>")
        self.assertEqual(ticket.neiqin_step_id, self._step("diagnose"))

    def test_internal_note_leaves_the_enquiry_open(self):
        ticket = self._ticket()
        self._post_as(ticket, self.clerk, "<p>Check the parcel.</p>", internal=True)
        self.assertEqual(ticket.neiqin_step_id, self._step("consult"))

    def test_clerk_moves_the_ticket_to_the_next_step(self):
        ticket = self._ticket()
        ticket.with_user(self.clerk).action_neiqin_next_step()
        self.assertEqual(ticket.neiqin_step_id, self._step("diagnose"))

    def test_only_back_office_staff_move_the_step(self):
        ticket = self._ticket()
        for method in ("action_neiqin_next_step", "action_neiqin_pause"):
            with self.subTest(method=method), self.assertRaises(AccessError):
                getattr(ticket.with_user(self.salesman), method)()
        self.assertEqual(ticket.neiqin_step_id, self._step("consult"))

    def test_step_fields_are_refused_to_users(self):
        ticket = self._ticket()
        with self.assertRaises(AccessError):
            ticket.with_user(self.clerk).write({"neiqin_step_id": self._step("rating").id})

    def test_closing_moves_on_to_the_rating_step_and_calls_the_hook(self):
        ticket = self._ticket()
        with patch.object(
            type(self.env["helpdesk.ticket"]), "_neiqin_on_rating_step", autospec=True
        ) as hook:
            ticket.with_user(self.clerk).stage_id = self._stage("done")
        self.assertEqual(ticket.neiqin_step_id, self._step("rating"))
        self.assertEqual(ticket.neiqin_step_state, "open")
        hook.assert_called_once()
        self.assertEqual(hook.call_args.args[0], ticket)

    def test_cancelling_ends_the_process(self):
        ticket = self._ticket()
        ticket.with_user(self.clerk).stage_id = self._stage("cancelled")
        self.assertEqual(ticket.neiqin_step_state, "done")
        self.assertFalse(ticket.neiqin_step_deadline_at)

    # ------------------------------------------------------------ waiting for the customer
    def test_waiting_stage_pauses_the_clock_and_the_deadline_moves_by_the_pause(self):
        with freeze_time("2026-11-18 08:00:00"):
            ticket = self._ticket()
            deadline = ticket.neiqin_step_deadline_at
        with freeze_time("2026-11-18 09:00:00"):
            ticket.with_user(self.clerk).stage_id = self._stage("awaiting")
        self.assertEqual(ticket.neiqin_step_state, "paused")
        self.assertEqual(ticket.neiqin_step_time_left, "paused")
        with freeze_time("2026-11-18 11:00:00"):
            ticket.with_user(self.clerk).stage_id = self._stage("in_progress")
        self.assertEqual(ticket.neiqin_step_state, "open")
        log = ticket.sudo().neiqin_step_log_ids.filtered(lambda log: log.state == "open")
        self.assertGreater(log.paused_hours, 0)
        calendar = self.service_process._effective_calendar()
        self.assertEqual(
            ticket.neiqin_step_deadline_at,
            add_working_hours(calendar, deadline, log.paused_hours),
        )
        self.assertGreater(ticket.neiqin_step_deadline_at, deadline)

    def test_customer_message_resumes_a_paused_ticket(self):
        ticket = self._ticket()
        ticket.with_user(self.clerk).stage_id = self._stage("awaiting")
        self.assertEqual(ticket.neiqin_step_state, "paused")
        self._post_as(ticket, self.portal_user, "<p>Here are the photos.</p>")
        self.assertEqual(ticket.neiqin_step_state, "open")

    # ------------------------------------------------------------ escalation
    def test_overdue_step_escalates_once_to_the_service_lead(self):
        with freeze_time("2026-11-18 08:00:00"):
            ticket = self._ticket(user_id=self.clerk.id)
        self.assertEqual(ticket.neiqin_step_owner_id, self.clerk)
        log = ticket.sudo().neiqin_step_log_ids
        self._own_passages_only(ticket)
        Log = self.env["neiqin.step.log"]
        with freeze_time("2026-11-19 16:00:00"):
            Log._cron_check_overdue()
        with freeze_time("2026-11-20 16:00:00"):
            Log._cron_check_overdue()
        self.assertEqual(log.escalated_to_id, self.lead)
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("user_id", "=", self.lead.id),
            ]
        )
        self.assertEqual(len(activities), 1)

    # ------------------------------------------------------------ access
    def test_clerk_of_another_team_cannot_read_the_ticket(self):
        ticket = self._ticket()
        with self.assertRaises(AccessError):
            ticket.with_user(self.clerk_elsewhere).read(["name"])
        self.assertFalse(
            self.env["helpdesk.ticket"]
            .with_user(self.clerk_elsewhere)
            .search([("id", "=", ticket.id)])
        )

    def test_lead_reads_every_ticket_of_the_company(self):
        ticket = self._ticket(team_id=self.other_team.id, user=self.clerk_elsewhere)
        self.assertEqual(ticket.with_user(self.lead).read(["name"])[0]["name"], "Wrong size")
