from odoo import Command

from odoo.addons.neiqin_base.tests.common import NeiqinCase


class DocsCase(NeiqinCase):
    """The back office's roles (neiqin_base) as employees: a job position
    for the order desk held by the clerk, another held by the second clerk,
    and a job description of the first, in draft, with a duty bound to a
    step of the test process and an indicator."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Job = cls.env["hr.job"]
        cls.job = Job.create({"name": "Order Reviewer"})
        cls.job2 = Job.create({"name": "Service Agent"})
        Employee = cls.env["hr.employee"]
        cls.employee = Employee.create(
            {"name": "Clerk Employee", "user_id": cls.clerk.id, "job_id": cls.job.id}
        )
        cls.employee2 = Employee.create(
            {"name": "Second Clerk Employee", "user_id": cls.clerk2.id, "job_id": cls.job2.id}
        )
        cls.lead_employee = Employee.create({"name": "Lead Employee", "user_id": cls.lead.id})
        cls.outsider_employee = Employee.create(
            {"name": "Outsider Employee", "user_id": cls.outsider.id, "job_id": cls.job.id}
        )
        cls.step = cls.process.step_ids[:1]
        cls.document = cls._document()

    @classmethod
    def _document(cls, job=None, user=None, **vals):
        """A draft job description of ``job`` (default: the order desk's),
        written by ``user`` (default: the lead)."""
        values = {
            "job_id": (job or cls.job).id,
            "goal": "Review every paid order before it ships.",
            "duty_ids": [
                Command.create(
                    {
                        "name": "Review orders",
                        "description": "Check address, payment and stock of each order.",
                        "step_ids": [Command.set(cls.step.ids)],
                    }
                )
            ],
            "indicator_ids": [
                Command.create(
                    {"name": "Orders reviewed on time", "target": "≥ 98 %", "weight": 60}
                )
            ],
            **vals,
        }
        return cls.env["neiqin.job.document"].with_user(user or cls.lead).create(values)
