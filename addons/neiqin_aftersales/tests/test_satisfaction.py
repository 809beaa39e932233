from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import AftersalesCase


def _requests(ticket):
    """The rating requests posted on ``ticket``: messages carrying its rating
    links (their subject is in the customer's language)."""
    return ticket.message_ids.filtered(lambda m: "/rate/" in (m.body or ""))


@tagged("post_install", "-at_install")
class TestRatingRequest(AftersalesCase):
    def test_entering_the_rating_step_asks_the_customer_once(self):
        ticket = self._ticket()
        ticket.with_user(self.clerk)._neiqin_enter_step("rating")
        self.assertTrue(ticket.neiqin_rating_requested_at)
        self.assertEqual(len(_requests(ticket)), 1)
        self.assertEqual(len(ticket.rating_ids), 1)
        self.assertIn(f"/rate/{ticket.rating_ids.access_token}/1", _requests(ticket).body)
        # The other flow's hook, called again, does not ask twice.
        ticket.with_user(self.clerk)._neiqin_on_rating_step()
        self.assertEqual(len(_requests(ticket)), 1)

    def test_a_rated_ticket_is_not_asked(self):
        ticket = self._ticket()
        self.env["rating.rating"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("helpdesk.ticket"),
                "res_id": ticket.id,
                "partner_id": ticket.partner_id.id,
                "rating": 5,
                "consumed": True,
            }
        )
        ticket.with_user(self.clerk)._neiqin_enter_step("rating")
        self.assertFalse(ticket.neiqin_rating_requested_at)
        self.assertFalse(_requests(ticket))

    def test_rating_again_updates_the_one_rating(self):
        ticket = self._rated_ticket(5)
        token = ticket._rating_get_access_token()
        self.assertEqual(token, ticket.rating_ids.access_token)
        ticket.sudo().rating_apply(3, token=token)
        self.assertEqual(len(ticket.rating_ids), 1)
        self.assertEqual(ticket.rating_ids.rating, 3)

    def test_request_date_is_the_engines(self):
        ticket = self._ticket()
        with self.assertRaises(AccessError):
            ticket.with_user(self.clerk).write({"neiqin_rating_requested_at": "2020-01-01"})


@tagged("post_install", "-at_install")
class TestLowRating(AftersalesCase):
    def _follow_ups(self, ticket):
        return ticket.activity_ids.filtered("neiqin_is_low_rating_follow_up")

    def test_low_rating_opens_one_follow_up_for_the_lead(self):
        ticket = self._rated_ticket(1)
        self.assertTrue(ticket.neiqin_is_low_rated)
        self.assertEqual(self._follow_ups(ticket).user_id, self.lead)
        ticket.sudo().rating_apply(1, token=ticket.rating_ids.access_token)
        self.assertEqual(len(self._follow_ups(ticket)), 1)

    def test_good_rating_opens_nothing(self):
        ticket = self._rated_ticket(5)
        self.assertFalse(ticket.neiqin_is_low_rated)
        self.assertFalse(self._follow_ups(ticket))

    def test_threshold_is_the_companys(self):
        self.env.company.neiqin_low_rating_threshold = 3
        ticket = self._rated_ticket(3)
        self.assertTrue(self._follow_ups(ticket))

    def test_open_complaint_on_the_same_customer_and_orders(self):
        order = self._order()
        ticket = self._rated_ticket(1, order=order)
        action = ticket.with_user(self.clerk).action_neiqin_open_complaint()
        complaint = self.env["helpdesk.ticket"].browse(action["res_id"])
        self.assertEqual(complaint.neiqin_service_type, "complaint")
        self.assertEqual(complaint.partner_id, ticket.partner_id)
        self.assertEqual(complaint.sale_order_ids, order)
        self.assertEqual(ticket.neiqin_complaint_ticket_id, complaint)
        # A second click opens the same complaint.
        again = ticket.with_user(self.clerk).action_neiqin_open_complaint()
        self.assertEqual(again["res_id"], complaint.id)

    def test_open_complaint_needs_a_low_rating_and_the_back_office(self):
        good = self._rated_ticket(5)
        with self.assertRaises(UserError):
            good.with_user(self.clerk).action_neiqin_open_complaint()
        low = self._rated_ticket(1)
        with self.assertRaises(AccessError):
            low.with_user(self.outsider).action_neiqin_open_complaint()


@tagged("post_install", "-at_install")
class TestSatisfactionReport(AftersalesCase):
    def test_agents_ratings_and_who_sees_them(self):
        self._rated_ticket(5, user=self.clerk)
        self._rated_ticket(1, user=self.clerk)
        self._rated_ticket(5, user=self.lead)
        Report = self.env["neiqin.satisfaction.report"]
        mine = Report.with_user(self.clerk).search([])
        self.assertEqual(mine.user_id, self.clerk)
        self.assertEqual(len(mine), 2)
        rows = {
            user: (count, avg, share)
            for user, count, avg, share in Report.with_user(self.lead)._read_group(
                [("user_id", "in", (self.clerk | self.lead).ids)],
                ["user_id"],
                ["rating_count:sum", "rating:avg", "satisfied_share:avg"],
            )
        }
        self.assertEqual(rows[self.clerk], (2, 3.0, 50.0))
        self.assertEqual(rows[self.lead], (1, 5.0, 100.0))

    def test_report_is_one_query(self):
        for __ in range(3):
            self._rated_ticket(5, user=self.clerk)
        Report = self.env["neiqin.satisfaction.report"].with_user(self.lead)
        Report._read_group([], ["user_id", "rated_on:month"], ["rating:avg"])  # warm caches
        self.env.invalidate_all()
        with self.assertQueryCount(1):
            Report._read_group([], ["user_id", "team_id", "rated_on:month"], ["rating:avg"])


@tagged("post_install", "-at_install")
class TestRatingRoutes(AftersalesCase, HttpCase):
    """The customer rates through Odoo's public rating page, with the
    token of the e-mail's links."""

    def _submit(self, token, rate):
        return self.url_open(
            f"/rate/{token}/submit_feedback",
            data={"rate": rate, "csrf_token": http.Request.csrf_token(self), "feedback": "太慢了"},
        )

    def test_low_rating_through_the_public_page(self):
        ticket = self._ticket()
        ticket.with_user(self.clerk)._neiqin_enter_step("rating")
        token = ticket.rating_ids.access_token
        self.authenticate(None, None)
        self.assertEqual(self.url_open(f"/rate/{token}/1").status_code, 200)
        self.assertEqual(self._submit(token, 1).status_code, 200)
        self.assertEqual(ticket.rating_ids.rating, 1)
        self.assertTrue(ticket.activity_ids.filtered("neiqin_is_low_rating_follow_up"))
        # Rated again through the same link: the same rating changes.
        self._submit(token, 5)
        self.assertEqual(len(ticket.rating_ids), 1)
        self.assertEqual(ticket.rating_ids.rating, 5)

    def test_a_wrong_token_gets_nothing(self):
        ticket = self._ticket()
        ticket.with_user(self.clerk)._neiqin_enter_step("rating")
        self.authenticate(None, None)
        self.assertEqual(self.url_open("/rate/not-a-token/1").status_code, 404)
        self.assertEqual(self._submit("not-a-token", 1).status_code, 404)
        self.assertFalse(ticket.rating_ids.consumed)
        self.assertFalse(ticket.activity_ids.filtered("neiqin_is_low_rating_follow_up"))

    def test_portal_page_shows_the_rating_links_to_the_customer(self):
        ticket = self._ticket()
        ticket.with_user(self.clerk)._neiqin_enter_step("rating")
        self.authenticate("as_portal", "as_portal")
        page = self.url_open(f"/my/ticket/{ticket.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f"/rate/{ticket.rating_ids.access_token}/5", page.text)
