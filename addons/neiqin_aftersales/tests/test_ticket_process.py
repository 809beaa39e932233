from odoo.tests import tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestTicketProcess(AftersalesCase):
    def test_new_ticket_enters_the_enquiry_step(self):
        ticket = self._ticket()
        self.assertEqual(ticket.neiqin_process_id, self.service_process)
        self.assertEqual(
            ticket.neiqin_step_id, self.env.ref("neiqin_aftersales.step_service_consult")
        )
        self.assertEqual(ticket.neiqin_step_state, "open")
        self.assertTrue(ticket.neiqin_step_deadline_at)
