"""An employee reads and acknowledges their job description in the browser,
at phone width (tour in
neiqin_docs/static/tests/tours/neiqin_docs_job_description_tour.js)."""

from odoo.tests import HttpCase

from odoo.addons.neiqin_docs.tests.common import DocsCase

from .common import as_neiqin_test
from .tour_browser import screenshots


@as_neiqin_test
class TestJobDescriptionTourPhone(DocsCase, HttpCase):
    browser_size = "375x812"
    touch_enabled = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.document.write(
            {
                "goal": "审核每一笔已付款订单，确保准确发货。",
                "duty_ids": [(1, cls.document.duty_ids.id, {"name": "订单审核"})],
            }
        )
        cls.document.with_user(cls.manager).action_approve()

    def test_an_employee_reads_and_acknowledges_their_job_description(self):
        ack = self.env["neiqin.job.acknowledgement"].search(
            [("employee_id", "=", self.employee.id), ("state", "=", "pending")]
        )
        self.assertEqual(ack.document_id, self.document)
        with screenshots():
            self.start_tour(
                "/odoo/action-neiqin_docs.action_server_my_job_description",
                "neiqin_docs_job_description_tour",
                login=self.clerk.login,
                timeout=120,
            )
        self.assertEqual(ack.state, "acknowledged")
        self.assertEqual(ack.version, 1)
        self.assertTrue(ack.acknowledged_at)
