import re

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestJobReviewPortal(HttpCase):
    """Employees answer a job review in the portal: a portal account bound
    to the employee by its work contact, and an internal user by its user.
    Nobody reaches another's feedback, by listing or by id."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.portal_user = new_test_user(cls.env, "rv_portal", groups="base.group_portal")
        cls.clerk = new_test_user(cls.env, "rv_clerk", groups="neiqin_base.group_neiqin_clerk")
        cls.job = cls.env["hr.job"].create({"name": "Warehouse Liaison"})
        Employee = cls.env["hr.employee"]
        cls.portal_employee = Employee.create(
            {
                "name": "Portal Employee",
                "job_id": cls.job.id,
                "work_contact_id": cls.portal_user.partner_id.id,
            }
        )
        cls.clerk_employee = Employee.create(
            {"name": "Clerk Employee", "job_id": cls.job.id, "user_id": cls.clerk.id}
        )
        cls.review = cls.env["neiqin.job.review"].create(
            {
                "job_id": cls.job.id,
                "period": "2026 Q4",
                "date_from": "2026-10-01",
                "date_to": "2026-12-31",
                "deadline": fields.Date.add(fields.Date.today(), days=7),
            }
        )
        cls.review.action_open()
        feedback = cls.review.feedback_ids
        cls.portal_feedback = feedback.filtered(lambda f: f.employee_id == cls.portal_employee)
        cls.clerk_feedback = feedback.filtered(lambda f: f.employee_id == cls.clerk_employee)

    def _csrf(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)

    def _post(self, feedback, token, **answers):
        return self.url_open(
            f"/my/job-reviews/{feedback.id}/submit",
            data={"csrf_token": token, **answers},
        )

    def test_portal_employee_lists_and_answers_their_feedback(self):
        self.authenticate("rv_portal", "rv_portal")
        listing = self.url_open("/my/job-reviews")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(f"/my/job-reviews/{self.portal_feedback.id}", listing.text)
        self.assertNotIn(f"/my/job-reviews/{self.clerk_feedback.id}", listing.text)
        token = self._csrf(f"/my/job-reviews/{self.portal_feedback.id}")
        response = self._post(
            self.portal_feedback,
            token,
            workload="5",
            clarity="2",
            keep_text="The daily check list.",
            change_text="Split the returns desk.",
        )
        self.assertEqual(response.status_code, 200)
        self.portal_feedback.invalidate_recordset()
        self.assertEqual(self.portal_feedback.state, "submitted")
        self.assertEqual(
            (self.portal_feedback.workload, self.portal_feedback.change_text),
            ("5", "Split the returns desk."),
        )
        page = self.url_open(f"/my/job-reviews/{self.portal_feedback.id}").text
        self.assertIn('class="alert alert-success"', page)
        self.assertIn('<fieldset disabled="disabled">', page, "answered: read-only")

    def test_another_employee_feedback_is_not_found(self):
        self.authenticate("rv_portal", "rv_portal")
        self.assertEqual(
            self.url_open(f"/my/job-reviews/{self.clerk_feedback.id}").status_code, 404
        )
        token = self._csrf(f"/my/job-reviews/{self.portal_feedback.id}")
        response = self._post(self.clerk_feedback, token, workload="1", clarity="1")
        self.assertEqual(response.status_code, 404)
        self.clerk_feedback.invalidate_recordset()
        self.assertEqual(
            (self.clerk_feedback.state, self.clerk_feedback.workload), ("pending", False)
        )

    def test_post_without_csrf_token_is_refused(self):
        self.authenticate("rv_portal", "rv_portal")
        response = self._post(self.portal_feedback, "not-a-token", workload="3", clarity="3")
        self.assertEqual(response.status_code, 400)
        self.portal_feedback.invalidate_recordset()
        self.assertEqual(self.portal_feedback.state, "pending")

    def test_bad_scores_are_refused_with_a_message(self):
        self.authenticate("rv_portal", "rv_portal")
        token = self._csrf(f"/my/job-reviews/{self.portal_feedback.id}")
        response = self._post(self.portal_feedback, token, workload="9", clarity="3")
        self.assertEqual(response.status_code, 200)
        # The message, in the visitor's language (whichever is installed).
        self.assertIn('class="alert alert-danger"', response.text)
        self.portal_feedback.invalidate_recordset()
        self.assertEqual(self.portal_feedback.state, "pending")

    def test_internal_employee_answers_by_their_user(self):
        self.authenticate("rv_clerk", "rv_clerk")
        token = self._csrf(f"/my/job-reviews/{self.clerk_feedback.id}")
        self._post(self.clerk_feedback, token, workload="3", clarity="4")
        self.clerk_feedback.invalidate_recordset()
        self.assertEqual(self.clerk_feedback.state, "submitted")
        self.assertEqual(
            self.url_open(f"/my/job-reviews/{self.portal_feedback.id}").status_code, 404
        )

    def test_portal_home_counts_the_feedback_to_give(self):
        self.authenticate("rv_portal", "rv_portal")
        response = self.url_open("/my/home")
        self.assertEqual(response.status_code, 200)
        self.assertIn("/my/job-reviews", response.text)
