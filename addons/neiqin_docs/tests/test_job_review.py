from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import DocsCase


@tagged("post_install", "-at_install")
class TestJobReview(DocsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # As if approved (approving is the approval feature's).
        cls.document.sudo().state = "approved"

    def _review(self, job=None, **vals):
        return (
            self.env["neiqin.job.review"]
            .with_user(self.lead)
            .create(
                {
                    "job_id": (job or self.job).id,
                    "period": "2026 Q4",
                    "date_from": "2026-10-01",
                    "date_to": "2026-12-31",
                    "deadline": fields.Date.add(fields.Date.today(), days=7),
                    **vals,
                }
            )
        )

    def _opened(self, **vals):
        review = self._review(**vals)
        review.action_open()
        return review

    def _feedback_of(self, review, employee):
        return review.feedback_ids.filtered(lambda f: f.employee_id == employee)

    # ------------------------------------------------------------------ campaign
    def test_open_asks_each_employee_of_the_job_once(self):
        review = self._opened()
        self.assertEqual(review.state, "open")
        self.assertEqual(review.document_id, self.document, "the job's current version")
        self.assertEqual(review.feedback_ids.employee_id, self.employee | self.outsider_employee)
        self.assertEqual(set(review.feedback_ids.mapped("state")), {"pending"})
        self.assertEqual(review.name, "Order Reviewer review 2026 Q4")
        with self.assertRaises(UserError):
            review.action_open()

    def test_only_a_lead_opens_and_closes_a_review(self):
        review = self._review()
        with self.assertRaises(AccessError):
            review.with_user(self.clerk).action_open()
        review.action_open()
        review.outcome = "Keep as it is."
        with self.assertRaises(AccessError):
            review.with_user(self.clerk).action_close()
        with self.assertRaises(AccessError):
            review.with_user(self.lead).write({"state": "closed"})
        with self.assertRaises(AccessError):
            self._review(job=self.job2, state="open")
        self.assertEqual(review.state, "open")

    def test_close_requires_an_outcome(self):
        review = self._opened()
        with self.assertRaisesRegex(ValidationError, "outcome"):
            review.action_close()
        review.write({"outcome": "   "})
        with self.assertRaises(ValidationError):
            review.action_close()
        self.assertEqual(review.state, "open")

    def test_close_without_changes_keeps_the_document(self):
        review = self._opened(outcome="The duties fit the work.")
        review.action_close()
        self.assertEqual((review.state, review.closed_by_id), ("closed", self.lead))
        self.assertFalse(review.new_document_id)
        self.assertEqual(self.document._neiqin_new_version().version, 2, "no draft was opened")

    def test_close_with_changes_opens_the_new_version_with_the_outcome(self):
        review = self._opened()
        review.write({"outcome": "Add the refund check to the duties.", "changes_agreed": True})
        review.action_close()
        new = review.new_document_id
        self.assertEqual((new.version, new.state, new.previous_id), (2, "draft", self.document))
        self.assertEqual(new.duty_ids.step_ids, self.step)
        self.assertIn("Add the refund check to the duties.", new.message_ids[:1].body)
        self.assertEqual(review.state, "closed")

    def test_changes_agreed_need_a_document(self):
        review = self._opened(job=self.job2, outcome="Write it.", changes_agreed=True)
        self.assertFalse(review.document_id)
        with self.assertRaises(ValidationError):
            review.action_close()

    def test_document_of_another_job_is_refused(self):
        with self.assertRaises(ValidationError):
            self._review(job=self.job2, document_id=self.document.id)

    def test_campaign_and_feedback_stay_in_the_archive(self):
        draft = self._review(period="draft")
        draft.with_user(self.manager).unlink()
        review = self._opened()
        with self.assertRaises(UserError):
            review.with_user(self.manager).unlink()
        with self.assertRaises(UserError):
            review.feedback_ids.with_user(self.manager).unlink()
        with self.assertRaises(UserError):
            review.feedback_ids.sudo().unlink()

    # ------------------------------------------------------------------ feedback
    def test_employee_answers_their_own_feedback_in_the_back_end(self):
        review = self._opened()
        own = self._feedback_of(review, self.employee).with_user(self.clerk)
        own.write({"workload": "4", "clarity": "2", "change_text": "Too many checks."})
        own.action_submit()
        self.assertEqual(own.state, "submitted")
        self.assertTrue(own.submitted_at)
        self.assertEqual(review.submitted_count, 1)
        with self.assertRaises(UserError):
            own.write({"workload": "1"})
        with self.assertRaises(UserError):
            own.action_submit()

    def test_employee_reads_only_their_own_feedback(self):
        review = self._opened()
        own = self._feedback_of(review, self.employee)
        other = self._feedback_of(review, self.outsider_employee)
        Feedback = self.env["neiqin.job.review.feedback"].with_user(self.clerk)
        self.assertEqual(Feedback.search([("review_id", "=", review.id)]), own)
        with self.assertRaises(AccessError):
            other.with_user(self.clerk).read(["change_text"])
        with self.assertRaises(AccessError):
            other.with_user(self.clerk).write({"workload": "1"})
        with self.assertRaises(AccessError):
            other.with_user(self.clerk).action_submit()
        self.assertEqual(
            self.env["neiqin.job.review.feedback"]
            .with_user(self.lead)
            .search([("review_id", "=", review.id)]),
            own | other,
        )

    def test_employee_cannot_set_the_state_of_their_feedback(self):
        own = self._feedback_of(self._opened(), self.employee).with_user(self.clerk)
        with self.assertRaises(AccessError):
            own.write({"state": "submitted"})
        with self.assertRaises(AccessError):
            own.write({"submitted_at": "2020-01-01 00:00:00"})
        with self.assertRaises(AccessError):
            self.env["neiqin.job.review.feedback"].with_user(self.clerk).create(
                {"review_id": own.review_id.id, "employee_id": self.employee2.id}
            )

    def test_feedback_stays_its_employee_s_answer_in_its_review(self):
        review = self._opened()
        own = self._feedback_of(review, self.employee)
        with self.assertRaises(UserError):
            own.with_user(self.clerk).write({"employee_id": self.employee2.id})
        with self.assertRaises(UserError):
            own.with_user(self.lead).write({"review_id": self._opened(period="other").id})
        with self.assertRaises(UserError):
            review.with_user(self.lead).write({"job_id": self.job2.id})
        self.assertEqual((own.employee_id, own.review_id), (self.employee, review))

    def test_submit_needs_both_scores(self):
        own = self._feedback_of(self._opened(), self.employee).with_user(self.clerk)
        own.workload = "3"
        with self.assertRaisesRegex(ValidationError, "clarity"):
            own.action_submit()
        self.assertEqual(own.state, "pending")

    def test_no_answer_once_the_review_is_closed(self):
        review = self._opened(outcome="Done.")
        review.action_close()
        own = self._feedback_of(review, self.employee).with_user(self.clerk)
        with self.assertRaises(UserError):
            own.write({"workload": "3", "clarity": "3"})

    # ------------------------------------------------------------------ reminders
    def _reminders(self, feedback):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "neiqin.job.review.feedback"),
                ("res_id", "in", feedback.ids),
            ]
        )

    def test_reminder_once_per_pending_feedback(self):
        review = self._opened()
        own = self._feedback_of(review, self.employee)
        Review = self.env["neiqin.job.review"]
        self.assertEqual(Review._cron_remind_feedback(), 2)
        self.assertEqual(self._reminders(review.feedback_ids).user_id, self.clerk | self.outsider)
        self.assertEqual(Review._cron_remind_feedback(), 0, "no duplicate")
        own.with_user(self.clerk).write({"workload": "3", "clarity": "4"})
        own.with_user(self.clerk).action_submit()
        self.assertFalse(self._reminders(own), "answering ends the reminder")
        self.assertEqual(Review._cron_remind_feedback(), 0)

    def test_no_reminder_after_the_deadline(self):
        review = self._opened(deadline=fields.Date.add(fields.Date.today(), days=-1))
        self.assertEqual(self.env["neiqin.job.review"]._cron_remind_feedback(), 0)
        self.assertFalse(self._reminders(review.feedback_ids))

    def _review_of(self, count):
        job = self.env["hr.job"].create({"name": f"Reviewed job {count}"})
        users = self.env["res.users"].create(
            [
                {
                    "name": f"Reviewer {count}-{n}",
                    "login": f"reviewer_{count}_{n}",
                    "groups_id": [Command.set(self.env.ref("base.group_user").ids)],
                }
                for n in range(count)
            ]
        )
        self.env["hr.employee"].create(
            [{"name": user.name, "user_id": user.id, "job_id": job.id} for user in users]
        )
        self._opened(job=job)

    def _cron_queries(self):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        created = self.env["neiqin.job.review"]._cron_remind_feedback()
        self.env.flush_all()
        return created, self.env.cr.sql_log_count - before

    def test_reminder_cron_queries_do_not_grow_with_the_employees(self):
        self._review_of(2)
        created_2, queries_2 = self._cron_queries()
        self._review_of(20)
        created_20, queries_20 = self._cron_queries()
        self.assertEqual((created_2, created_20), (2, 20))
        self.assertEqual(queries_20, queries_2)
