"""A clerk answers a ticket with a standard reply and creates a return from
it, in the browser, at desktop and phone width (tour in
neiqin_aftersales/static/tests/tours/neiqin_aftersales_tour.js)."""

from odoo.tests import HttpCase

from odoo.addons.neiqin_aftersales.tests.common import RepliesCase

from .common import as_neiqin_test
from .tour_browser import screenshots


class AftersalesTour(RepliesCase):
    # The screen sizes below run it; pytest does not collect it alone.
    __test__ = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The one reply of the desk: the wizard opens on it.
        cls.env["neiqin.reply.template"].search([]).active = False
        cls._reply_template(
            "Hello {customer}, your parcel left with {carrier}: {tracking_number}.",
            name="Parcel sent",
        )
        cls.order = cls._tracked_order()
        cls.ticket = cls._ticket(cls.order, neiqin_service_type="return")

    def test_a_clerk_answers_with_a_standard_reply_and_creates_a_return(self):
        with screenshots():
            self.start_tour(
                f"/odoo/action-neiqin_aftersales.action_neiqin_ticket/{self.ticket.id}",
                "neiqin_aftersales_ticket_tour",
                login=self.clerk.login,
                timeout=120,
            )
        replies = self.ticket.message_ids.filtered(
            lambda m: m.author_id == self.clerk.partner_id and "TX12345678" in (m.body or "")
        )
        self.assertEqual(len(replies), 1, "the filled reply was sent once")
        self.assertEqual(len(self.ticket.neiqin_rma_ids), 1)
        self.assertEqual(self.ticket.neiqin_rma_ids.order_id, self.order)
        self.assertEqual(self.ticket.neiqin_rma_ids.state, "confirmed")


@as_neiqin_test
class TestAftersalesTourDesktop(AftersalesTour, HttpCase):
    __test__ = True
    browser_size = "1366x768"


@as_neiqin_test
class TestAftersalesTourPhone(AftersalesTour, HttpCase):
    __test__ = True
    browser_size = "375x812"
    touch_enabled = True
