from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user
from odoo.tools import SQL

from .common import DocsCase


class TestJobAcknowledgement(DocsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Ack = cls.env["neiqin.job.acknowledgement"]

    def _approve(self, document=None):
        (document or self.document).with_user(self.manager).action_approve()

    def _acks(self, employee):
        return self.Ack.search([("employee_id", "=", employee.id)], order="id")

    # ------------------------------------------------------------------ assignment

    def test_approval_assigns_the_document_to_the_jobs_employees(self):
        self._approve()
        for employee in (self.employee, self.outsider_employee):
            ack = self._acks(employee)
            self.assertEqual(
                (ack.state, ack.document_id, ack.version), ("pending", self.document, 1)
            )
        self.assertFalse(self._acks(self.employee2), "another job's employee")

    def test_a_new_version_archives_the_pending_acknowledgements(self):
        self._approve()
        self._acks(self.employee).with_user(self.clerk).action_acknowledge()
        new = self.document.with_user(self.lead)._neiqin_new_version()
        new.with_user(self.lead).goal = "Review and hold risky orders."
        self._approve(new)
        clerk_acks, outsider_acks = self._acks(self.employee), self._acks(self.outsider_employee)
        self.assertEqual(clerk_acks.mapped("state"), ["acknowledged", "pending"])
        self.assertEqual(outsider_acks.mapped("state"), ["archived", "pending"])
        pending = (clerk_acks | outsider_acks).filtered(lambda a: a.state == "pending")
        self.assertEqual(pending.document_id, new)

    def test_a_new_employee_is_assigned_their_jobs_description(self):
        self._approve()
        newcomer = self.env["hr.employee"].create({"name": "Newcomer", "job_id": self.job.id})
        self.assertEqual(self._acks(newcomer).mapped("state"), ["pending"])
        self.assertEqual(self._acks(newcomer).document_id, self.document)

    def test_a_job_change_assigns_the_new_description_and_archives_the_old(self):
        self._approve()
        other = self._document(job=self.job2, duty_ids=[(0, 0, {"name": "Answer customers"})])
        self._approve(other)
        self._acks(self.employee).with_user(self.clerk).action_acknowledge()
        acknowledged = self._acks(self.employee)
        acknowledged_at = acknowledged.acknowledged_at
        self.employee.job_id = self.job2
        acks = self._acks(self.employee)
        self.assertEqual(acks.mapped("state"), ["archived", "pending"])
        self.assertEqual(acks[0].acknowledged_at, acknowledged_at, "the archive keeps the date")
        self.assertEqual(acks[1].document_id, other)

    # ------------------------------------------------------------------ acknowledging

    def test_only_the_employee_acknowledges_and_the_version_is_kept(self):
        self._approve()
        ack = self._acks(self.employee)
        with self.assertRaises(AccessError):
            ack.with_user(self.outsider).action_acknowledge()
        for user in (self.lead, self.manager):
            with self.assertRaisesRegex(UserError, "Only Clerk Employee acknowledges"):
                ack.with_user(user).action_acknowledge()
        self.assertEqual(ack.state, "pending")
        ack.with_user(self.clerk).action_acknowledge()
        self.assertEqual((ack.state, ack.version), ("acknowledged", 1))
        self.assertTrue(ack.acknowledged_at)
        with self.assertRaises(UserError):
            ack.with_user(self.clerk).action_acknowledge()

    def test_the_read_view_acknowledges_the_users_own_assignment(self):
        self._approve()
        document = self.document.with_user(self.clerk)
        self.assertEqual(document.my_acknowledgement_state, "pending")
        document.action_acknowledge()
        document.invalidate_recordset()
        self.assertEqual(document.my_acknowledgement_state, "acknowledged")
        with self.assertRaisesRegex(UserError, "not assigned to you"):
            self.document.with_user(self.clerk2).action_acknowledge()

    def test_the_state_of_an_acknowledgement_is_the_engines(self):
        self._approve()
        ack = self._acks(self.employee)
        with self.assertRaises(AccessError):
            ack.with_user(self.lead).write({"state": "acknowledged"})
        with self.assertRaises(AccessError):
            ack.with_user(self.clerk).write({"state": "acknowledged"})

    def test_an_employee_reads_only_their_own_acknowledgements(self):
        self._approve()
        mine = self.Ack.with_user(self.clerk).search([])
        self.assertEqual(mine, self._acks(self.employee))
        with self.assertRaises(AccessError):
            self._acks(self.outsider_employee).with_user(self.clerk).read(["state"])
        both = self._acks(self.employee) | self._acks(self.outsider_employee)
        self.assertEqual(self.Ack.with_user(self.lead).search([("id", "in", both.ids)]), both)

    # ------------------------------------------------------------------ reminders

    def _age(self, acks, days=4):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE neiqin_job_acknowledgement SET assigned_at = %s WHERE id IN %s",
                fields.Datetime.now() - timedelta(days=days),
                tuple(acks.ids),
            )
        )
        acks.invalidate_recordset(["assigned_at"])

    def _reminders(self, acks):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "neiqin.job.acknowledgement"),
                ("res_id", "in", acks.ids),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("neiqin_docs.mail_activity_type_acknowledge").id,
                ),
            ]
        )

    def test_the_cron_reminds_pending_acknowledgements_once(self):
        self._approve()
        late, recent = self._acks(self.employee), self._acks(self.outsider_employee)
        self._age(late)
        self._age(recent, days=1)
        self.Ack._cron_remind_pending()
        reminders = self._reminders(late | recent)
        self.assertEqual(reminders.res_id, late.id)
        self.assertEqual(reminders.user_id, self.clerk)
        self.Ack._cron_remind_pending()
        self.assertEqual(len(self._reminders(late)), 1, "no duplicate on the next run")
        late.with_user(self.clerk).action_acknowledge()
        self.assertFalse(self._reminders(late), "acknowledging closes the reminder")

    def _queries(self, function):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        function()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_the_cron_costs_the_same_queries_for_2_or_20_employees(self):
        job = self.env["hr.job"].create({"name": "Packer"})
        document = self._document(job=job, duty_ids=[(0, 0, {"name": "Pack"})])
        self._approve(document)
        counts = []
        for size in (2, 20):
            users = [
                new_test_user(self.env, f"packer_{size}_{n}", groups="base.group_user")
                for n in range(size)
            ]
            employees = self.env["hr.employee"].create(
                [{"name": u.name, "user_id": u.id, "job_id": job.id} for u in users]
            )
            acks = self.Ack.search([("employee_id", "in", employees.ids)])
            self.assertEqual(len(acks), size)
            self._age(acks)
            counts.append(self._queries(self.Ack._cron_remind_pending))
            self.assertEqual(len(self._reminders(acks)), size)
        self.assertEqual(counts[0], counts[1], f"queries for 2 and 20 employees: {counts}")
