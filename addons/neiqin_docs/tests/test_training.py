from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import DocsCase


@tagged("post_install", "-at_install")
class TestTraining(DocsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.course = cls.env["neiqin.training.course"].create(
            {
                "name": "Order review standards",
                "job_ids": [Command.set(cls.job.ids)],
                "validity_months": 12,
                "duty_ids": [Command.set(cls.document.duty_ids.ids)],
            }
        )
        cls.Matrix = cls.env["neiqin.training.matrix"]

    def _session(self, on=None, course=None, **vals):
        return (
            self.env["neiqin.training.session"]
            .with_user(self.lead)
            .create(
                {
                    "course_id": (course or self.course).id,
                    "date": on or fields.Date.today(),
                    "trainer_id": self.lead.id,
                    **vals,
                }
            )
        )

    def _pass(self, employee, on, course=None, result="passed"):
        session = self._session(on=on, course=course)
        session.write(
            {
                "attendance_ids": [
                    Command.create({"employee_id": employee.id, "attended": True, "result": result})
                ]
            }
        )
        session.action_done()
        return session

    def _row(self, employee, course=None):
        # The rows of an SQL view: read again, not from the cache.
        self.env.flush_all()
        self.env.invalidate_all()
        return self.Matrix.search(
            [("employee_id", "=", employee.id), ("course_id", "=", (course or self.course).id)]
        )

    # ------------------------------------------------------------------ sessions
    def test_session_takes_topic_and_duties_of_its_course(self):
        session = self._session()
        self.assertEqual(session.name, "Order review standards")
        self.assertEqual(session.duty_ids, self.document.duty_ids)
        self.assertEqual(session.state, "planned")

    def test_invite_adds_the_employees_of_the_course_jobs_once(self):
        session = self._session()
        session.action_invite_attendees()
        self.assertEqual(session.attendance_ids.employee_id, self.employee | self.outsider_employee)
        session.action_invite_attendees()
        self.assertEqual(len(session.attendance_ids), 2, "invited once")

    def test_only_a_lead_invites_and_closes_a_session(self):
        session = self._session()
        with self.assertRaises(AccessError):
            session.with_user(self.clerk).action_invite_attendees()
        with self.assertRaises(AccessError):
            session.with_user(self.clerk).action_done()
        with self.assertRaises(AccessError):
            session.with_user(self.lead).write({"state": "done"})
        self.assertEqual(session.state, "planned")

    def test_done_session_results_are_read_only(self):
        session = self._pass(self.employee, fields.Date.today())
        attendance = session.attendance_ids
        self.assertEqual((session.state, attendance.result), ("done", "passed"))
        with self.assertRaises(UserError):
            attendance.with_user(self.lead).write({"result": "failed"})
        with self.assertRaises(UserError):
            session.with_user(self.lead).write({"date": "2020-01-01"})
        with self.assertRaises(UserError):
            attendance.with_user(self.lead).unlink()
        with self.assertRaises(UserError):
            self.env["neiqin.training.attendance"].with_user(self.lead).create(
                {"session_id": session.id, "employee_id": self.employee2.id}
            )
        with self.assertRaises(UserError):
            session.with_user(self.manager).unlink()

    def test_passed_without_attending_is_refused(self):
        session = self._session()
        session.attendance_ids = [
            Command.create({"employee_id": self.employee.id, "result": "passed"})
        ]
        with self.assertRaisesRegex(UserError, "Clerk Employee"):
            session.action_done()
        self.assertEqual(session.state, "planned")

    def test_employee_reads_only_their_own_attendance(self):
        session = self._session()
        session.action_invite_attendees()
        own = session.attendance_ids.filtered(lambda a: a.employee_id == self.employee)
        Attendance = self.env["neiqin.training.attendance"].with_user(self.clerk)
        self.assertEqual(Attendance.search([("session_id", "=", session.id)]), own)
        with self.assertRaises(AccessError):
            (session.attendance_ids - own).with_user(self.clerk).read(["result"])
        with self.assertRaises(AccessError):
            own.with_user(self.clerk).write({"result": "passed"})

    # ------------------------------------------------------------------ matrix
    def test_matrix_status_follows_the_last_pass_and_the_validity(self):
        today = fields.Date.today()
        self.assertEqual(self._row(self.employee).status, "missing")
        self._pass(self.employee, today - relativedelta(months=12, days=1))
        row = self._row(self.employee)
        self.assertEqual(row.status, "expired")
        self._pass(self.employee, today - relativedelta(months=12) + timedelta(days=10))
        row = self._row(self.employee)
        self.assertEqual(row.status, "expiring")
        self.assertEqual(row.valid_until, today + timedelta(days=10))
        self._pass(self.employee, today - relativedelta(months=1))
        row = self._row(self.employee)
        self.assertEqual(
            (row.status, row.last_passed_date), ("valid", today - relativedelta(months=1))
        )
        self.assertEqual(row.valid_until, today + relativedelta(months=11))
        # A failed session later changes nothing.
        self._pass(self.employee, today, result="failed")
        self.assertEqual(self._row(self.employee).last_passed_date, today - relativedelta(months=1))

    def test_matrix_a_course_without_validity_never_expires(self):
        self.course.validity_months = 0
        self._pass(self.employee, date(2001, 1, 1))
        row = self._row(self.employee)
        self.assertEqual((row.status, row.valid_until), ("valid", False))

    def test_matrix_rows_are_the_courses_of_the_employee_job(self):
        self.env.flush_all()
        rows = self.Matrix.search([("course_id", "=", self.course.id)])
        self.assertEqual(rows.employee_id, self.employee | self.outsider_employee)
        self.employee2.job_id = self.job
        self.assertTrue(self._row(self.employee2))

    def test_employee_sees_own_matrix_rows_lead_everyones(self):
        self.env.flush_all()
        domain = [("course_id", "=", self.course.id)]
        mine = self.Matrix.with_user(self.clerk).search(domain)
        self.assertEqual(mine.employee_id, self.employee)
        everyone = self.Matrix.with_user(self.lead).search(domain)
        self.assertEqual(everyone.employee_id, self.employee | self.outsider_employee)
        groups = self.Matrix.with_user(self.lead).read_group(domain, ["status"], ["status"])
        self.assertEqual([(g["status"], g["status_count"]) for g in groups], [("missing", 2)])

    # ------------------------------------------------------------------ reminders
    def _training_activities(self, course=None):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "neiqin.training.course"),
                ("res_id", "=", (course or self.course).id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("neiqin_docs.mail_activity_type_training_due").id,
                ),
            ]
        )

    def test_reminder_gives_one_activity_per_course_and_employee_once(self):
        Course = self.env["neiqin.training.course"]
        self._pass(self.outsider_employee, fields.Date.today())
        Course._cron_remind_trainings()
        activities = self._training_activities()
        self.assertEqual(activities.user_id, self.clerk, "the valid one is not reminded")
        self.assertIn("Training required", activities.summary)
        Course._cron_remind_trainings()
        self.assertEqual(self._training_activities(), activities, "no duplicate")
        # The clerk sees the reminder on a course they may read.
        self.assertTrue(
            self.env["mail.activity"].with_user(self.clerk).search([("id", "=", activities.id)])
        )

    def test_reminder_for_an_expiring_training_is_due_when_it_ends(self):
        today = fields.Date.today()
        self._pass(self.employee, today - relativedelta(months=12) + timedelta(days=5))
        self.env["neiqin.training.course"]._cron_remind_trainings()
        activity = self._training_activities().filtered(lambda a: a.user_id == self.clerk)
        self.assertEqual(activity.date_deadline, today + timedelta(days=5))
        self.assertIn("expiring", activity.summary)

    def _employees_missing(self, count):
        """``count`` employees with users, of a new job that requires a new course."""
        job = self.env["hr.job"].create({"name": f"Job of {count}"})
        users = self.env["res.users"].create(
            [
                {
                    "name": f"Trainee {count}-{n}",
                    "login": f"trainee_{count}_{n}",
                    "groups_id": [Command.set(self.env.ref("base.group_user").ids)],
                }
                for n in range(count)
            ]
        )
        self.env["hr.employee"].create(
            [{"name": user.name, "user_id": user.id, "job_id": job.id} for user in users]
        )
        self.env["neiqin.training.course"].create(
            {"name": f"Course of {count}", "job_ids": [Command.set(job.ids)]}
        )

    def _cron_queries(self):
        Course = self.env["neiqin.training.course"]
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        created = Course._cron_remind_trainings()
        self.env.flush_all()
        return created, self.env.cr.sql_log_count - before

    def test_reminder_cron_queries_do_not_grow_with_the_employees(self):
        self.env["neiqin.training.course"]._cron_remind_trainings()
        self._employees_missing(2)
        created_2, queries_2 = self._cron_queries()
        self._employees_missing(20)
        created_20, queries_20 = self._cron_queries()
        self.assertEqual((created_2, created_20), (2, 20))
        self.assertEqual(queries_20, queries_2)

    def test_reminder_reaches_everyone_whoever_runs_it(self):
        # A scheduled action may run as an ordinary user: still everyone's.
        self.env["neiqin.training.course"].with_user(self.outsider)._cron_remind_trainings()
        self.assertEqual(self._training_activities().user_id, self.clerk | self.outsider)
