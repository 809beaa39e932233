from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestFeedback(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager_employee = cls.env["hr.employee"].create(
            {"name": "Warehouse Head", "user_id": cls.lead.id}
        )
        cls.warehouse_dept = cls.env["hr.department"].create(
            {
                "name": "Warehouse",
                "manager_id": cls.manager_employee.id,
                "company_id": cls.env.company.id,
            }
        )
        cls.env["neiqin.feedback.route"].create(
            {
                "kind": "logistics",
                "department_id": cls.warehouse_dept.id,
                "deadline_days": 2,
                "company_id": cls.env.company.id,
            }
        )
        cls.Feedback = cls.env["neiqin.feedback"]

    def test_feedback_goes_to_its_department_and_owner(self):
        feedback = self.Feedback.with_user(self.clerk).create(
            {
                "subject": "Parcel three days late",
                "kind": "logistics",
                "partner_id": self.customer.id,
            }
        )
        self.assertEqual(feedback.department_id, self.warehouse_dept)
        self.assertEqual(feedback.owner_user_id, self.lead)
        self.assertEqual(feedback.state, "routed")
        activity = feedback.activity_ids
        self.assertEqual(activity.user_id, self.lead)
        self.assertEqual(activity.date_deadline, feedback.deadline)
        self.assertTrue(feedback.deadline)

    def test_feedback_without_route_waits(self):
        feedback = self.Feedback.with_user(self.clerk).create(
            {"subject": "Idea", "kind": "suggestion"}
        )
        self.assertEqual(feedback.state, "new")
        with self.assertRaises(UserError):
            feedback.action_route()
        feedback.department_id = self.warehouse_dept
        self.assertEqual(feedback.owner_user_id, self.lead)
        feedback.with_user(self.clerk).action_route()
        self.assertEqual(feedback.state, "routed")
        self.assertEqual(feedback.activity_ids.user_id, self.lead)

    def test_a_clerk_sees_only_feedback_they_recorded_or_own(self):
        others = self.Feedback.with_user(self.clerk2).create(
            {"subject": "Other's", "kind": "price"}
        )
        mine = self.Feedback.with_user(self.clerk).create({"subject": "Mine", "kind": "price"})
        visible = self.Feedback.with_user(self.clerk).search([("id", "in", (others | mine).ids)])
        self.assertEqual(visible, mine)
        with self.assertRaises(AccessError):
            others.with_user(self.clerk).read(["subject"])
        # Owned by the clerk: now theirs to see.
        others.owner_user_id = self.clerk
        others.with_user(self.clerk).read(["subject"])
        self.assertEqual(
            self.Feedback.with_user(self.lead).search([("id", "in", (others | mine).ids)]),
            others | mine,
        )

    def test_state_moves_by_its_buttons_only(self):
        feedback = self.Feedback.with_user(self.clerk).create(
            {"subject": "Late", "kind": "logistics"}
        )
        with self.assertRaises(AccessError):
            feedback.with_user(self.clerk).write({"state": "done"})
        with self.assertRaises(AccessError):
            feedback.with_user(self.clerk).action_reject()
        feedback.with_user(self.lead).action_start()
        self.assertEqual(feedback.state, "in_progress")
        feedback.with_user(self.lead).action_done()
        self.assertEqual(feedback.state, "done")
        self.assertFalse(feedback.activity_ids)
        with self.assertRaises(UserError):
            feedback.with_user(self.lead).action_reject()

    def test_routed_feedback_needs_an_owner(self):
        feedback = self.Feedback.with_user(self.clerk).create(
            {"subject": "Late", "kind": "logistics"}
        )
        with self.assertRaises(ValidationError):
            feedback.with_user(self.clerk).write({"owner_user_id": False})

    def test_record_feedback_from_the_ticket(self):
        ticket = self._ticket()
        action = ticket.with_user(self.clerk).action_neiqin_record_feedback()
        Feedback = self.Feedback.with_user(self.clerk).with_context(**action["context"])
        with Form(Feedback) as form:
            form.kind = "logistics"
        feedback = form.record
        self.assertEqual(feedback.ticket_id, ticket)
        self.assertEqual(feedback.partner_id, ticket.partner_id)
        self.assertEqual(feedback.state, "routed")
        with self.assertRaises(AccessError):
            ticket.with_user(self.outsider).action_neiqin_record_feedback()
