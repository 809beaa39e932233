import re

from odoo.tests import HttpCase, new_test_user, tagged

from .common import DocsCase


@tagged("post_install", "-at_install")
class TestJobPortal(DocsCase, HttpCase):
    """The job description in the portal, for an employee whose user is a
    portal user (linked as the employee's work contact)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(cls.env, "nq_portal_emp", groups="base.group_portal")
        cls.portal_employee = cls.env["hr.employee"].create(
            {
                "name": "Portal Employee",
                "job_id": cls.job.id,
                "work_contact_id": cls.portal_user.partner_id.id,
            }
        )
        cls.document.write({"goal": "审核每一笔已付款订单。"})
        cls.document.with_user(cls.manager).action_approve()
        cls.other = cls._document(
            job=cls.job2,
            goal="解答顾客咨询。",
            duty_ids=[(0, 0, {"name": "Answer customers"})],
        )
        cls.other.with_user(cls.manager).action_approve()
        cls.ack = cls.env["neiqin.job.acknowledgement"].search(
            [("employee_id", "=", cls.portal_employee.id)]
        )

    def test_the_portal_shows_the_visitors_own_description(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        response = self.url_open("/my/job-description")
        self.assertEqual(response.status_code, 200)
        self.assertIn("审核每一笔已付款订单。", response.text)
        self.assertNotIn("解答顾客咨询。", response.text)
        self.assertIn(f"/my/job-description/{self.document.id}/acknowledge", response.text)
        home = self.url_open("/my/home")
        self.assertIn("/my/job-description", home.text)

    def test_another_employees_description_is_not_reachable_by_id(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        response = self.url_open(f"/my/job-description/{self.other.id}")
        self.assertEqual(response.status_code, 404)
        response = self.url_open(
            f"/my/job-description/{self.other.id}/acknowledge",
            data={"csrf_token": self._csrf()},
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.url_open(f"/my/job-description/{self.document.id}").status_code, 200)

    def test_the_visitor_acknowledges_their_description(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        response = self.url_open(
            f"/my/job-description/{self.document.id}/acknowledge",
            data={"csrf_token": self._csrf()},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("acknowledged=1", response.url)
        self.assertEqual(self.ack.state, "acknowledged")
        self.assertEqual(self.ack.version, 1)

    def test_a_public_visitor_is_redirected_to_the_login(self):
        self.authenticate(None, None)
        response = self.url_open("/my/job-description", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])

    def _csrf(self):
        """The CSRF token of the visitor's session, from their page."""
        text = self.url_open("/my/job-description").text
        match = re.search(r"csrf_token[\"']?\s*[:=]\s*[\"']([0-9a-fA-Fo]+)[\"']", text)
        self.assertTrue(match, "the page carries the session's CSRF token")
        return match.group(1)
