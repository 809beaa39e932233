from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestComplaints(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wrong_item = cls.env.ref("neiqin_aftersales.complaint_cause_wrong_item")
        cls.carrier_cause = cls.env.ref("neiqin_aftersales.complaint_cause_carrier")
        cls.dispatch = cls.env.ref("neiqin_orders.step_order_dispatch")
        cls.order = cls._shipped_order()

    def _complaint(self, cause=None, **vals):
        return self._ticket(
            order=self.order,
            neiqin_service_type="complaint",
            neiqin_complaint_severity="high",
            neiqin_complaint_cause_id=cause.id if cause else False,
            **vals,
        )

    def _responsibilities(self, ticket):
        return self.env["neiqin.responsibility"].search([("neiqin_ticket_id", "=", ticket.id)])

    def test_shipped_causes_point_internal_ones_to_dispatch(self):
        causes = self.env["neiqin.complaint.cause"].search([])
        internal = causes.filtered("is_internal")
        self.assertEqual(
            set(internal.mapped("code")), {"wrong_item", "late_dispatch", "damaged_packing"}
        )
        self.assertEqual(internal.order_step_id, self.dispatch)
        self.assertFalse((causes - internal).order_step_id)

    def test_closing_an_internal_complaint_records_a_responsibility_on_the_order_step(self):
        ticket = self._complaint(self.wrong_item)
        ticket.with_user(self.clerk).stage_id = self._stage("done")
        record = self._responsibilities(ticket)
        self.assertEqual(len(record), 1)
        self.assertEqual(record.responsibility_type, "complaint")
        self.assertEqual((record.res_model, record.res_id), ("sale.order", self.order.id))
        self.assertEqual(record.step_id, self.dispatch)
        self.assertEqual(record.reported_by_id, self.clerk)
        if record.step_log_id:
            self.assertEqual(record.step_log_id.res_id, self.order.id)
        self.assertEqual(ticket.sudo().neiqin_responsibility_id, record)

    def test_responsibility_is_recorded_once_per_ticket(self):
        ticket = self._complaint(self.wrong_item)
        ticket.with_user(self.clerk).stage_id = self._stage("done")
        ticket.with_user(self.clerk).stage_id = self._stage("in_progress")
        ticket.with_user(self.clerk).stage_id = self._stage("done")
        self.assertEqual(len(self._responsibilities(ticket)), 1)

    def test_external_cause_records_no_responsibility(self):
        ticket = self._complaint(self.carrier_cause)
        ticket.with_user(self.clerk).stage_id = self._stage("done")
        self.assertTrue(ticket.closed)
        self.assertFalse(self._responsibilities(ticket))

    def test_responsibility_link_is_the_engines(self):
        ticket = self._complaint(self.wrong_item)
        other = self.env["neiqin.responsibility"].create(
            {"owner_user_id": self.clerk.id, "cause": "Made up"}
        )
        with self.assertRaises(AccessError):
            ticket.with_user(self.clerk).write({"neiqin_responsibility_id": other.id})
        with self.assertRaises(AccessError):
            other.with_user(self.clerk).write({"neiqin_ticket_id": ticket.id})
