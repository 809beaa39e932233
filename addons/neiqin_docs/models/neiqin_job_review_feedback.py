from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.neiqin_base.engine.guard import engine_writes, engine_writing

from ..engine.reminders import is_quiet

SCORES = [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5")]
FEEDBACK_STATES = [("pending", "To Answer"), ("submitted", "Submitted")]
ANSWER_FIELDS = ("workload", "clarity", "keep_text", "change_text")


class NeiqinJobReviewFeedback(models.Model):
    """An employee's feedback in a job review campaign: how heavy and how
    clear their duties are, what to keep and what to change. The employee
    answers in the back end or the portal; a lead may type an answer given
    on paper. An employee reads only their own feedback."""

    _name = "neiqin.job.review.feedback"
    _description = "Job review feedback"
    _inherit = ["mail.thread", "mail.activity.mixin", "neiqin.engine.mixin"]
    _order = "review_id desc, employee_id"
    _rec_name = "employee_id"
    _check_company_auto = True

    review_id = fields.Many2one(
        "neiqin.job.review",
        string="Job Review",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    review_name = fields.Char(related="review_id.name", string="Review")
    review_state = fields.Selection(related="review_id.state", string="Review Status")
    job_id = fields.Many2one(related="review_id.job_id", store=True, index=True)
    deadline = fields.Date(related="review_id.deadline", store=True)
    employee_id = fields.Many2one(
        "hr.employee", required=True, ondelete="restrict", index=True, check_company=True
    )
    user_id = fields.Many2one(related="employee_id.user_id", store=True, index=True)
    partner_id = fields.Many2one(
        related="employee_id.work_contact_id", string="Contact", store=True, index=True
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    workload = fields.Selection(SCORES, help="1: light … 5: too heavy")
    clarity = fields.Selection(SCORES, string="Clarity of Duties", help="1: unclear … 5: clear")
    keep_text = fields.Text(string="What to Keep")
    change_text = fields.Text(string="What to Change")
    state = fields.Selection(
        FEEDBACK_STATES, default="pending", required=True, readonly=True, copy=False, index=True
    )
    submitted_at = fields.Datetime(readonly=True, copy=False)

    _sql_constraints = [
        (
            "review_employee_uniq",
            "unique (review_id, employee_id)",
            "An employee gives one feedback per job review.",
        ),
    ]

    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | {"state", "submitted_at"}

    def write(self, vals):
        if not engine_writing():
            if {"review_id", "employee_id"} & set(vals):
                raise UserError(
                    self.env._("A feedback stays the answer of its employee in its job review.")
                )
            if set(ANSWER_FIELDS) & set(vals):
                self._check_answerable()
        return super().write(vals)

    def unlink(self):
        if self:
            raise UserError(
                self.env._(
                    "The feedback of a job review stays in the archive: it cannot be deleted."
                )
            )
        return super().unlink()

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        # The reminders cron: following costs queries per employee; the
        # activity is the reminder (see neiqin.training.course).
        if is_quiet(self.env):
            return True
        return super().message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids)

    def _check_answerable(self):
        for feedback in self:
            if feedback.state != "pending":
                raise UserError(self.env._("This feedback was submitted: it stays as it is."))
            if feedback.review_id.state != "open":
                raise UserError(self.env._("Feedback is given while the job review is open."))

    def _neiqin_submit(self, answers=None):
        """Record ``answers`` (the answer fields) and submit the feedback,
        with the date. Refused when the review is not open, when it was
        submitted already or when a score is missing."""
        if answers:
            self.write({name: answers[name] for name in ANSWER_FIELDS if name in answers})
        self._check_answerable()
        missing = self.filtered(lambda f: not (f.workload and f.clarity))
        if missing:
            raise ValidationError(
                self.env._("Rate the workload and the clarity of the duties (1 to 5) first.")
            )
        with engine_writes():
            self.write({"state": "submitted", "submitted_at": fields.Datetime.now()})
        self.activity_unlink(["neiqin_docs.mail_activity_type_review_feedback"])
        return True

    def action_submit(self):
        """Button: submit the feedback (the employee, or a lead typing an
        answer given on paper: record rules decide whose)."""
        self.check_access("write")
        return self._neiqin_submit()
