from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.neiqin_base.engine.guard import engine_writes, engine_writing, require_group

from ..engine.reminders import create_reminders

REVIEW_STATES = [("draft", "Draft"), ("open", "Open"), ("closed", "Closed")]


class NeiqinJobReview(models.Model):
    """A periodic review campaign of a job position (岗位评估): the job's
    employees give their feedback on the current job description, a lead
    records the outcome and, when changes are agreed, opens the new version
    of the description. Once opened, a campaign and its feedback stay in
    the archive."""

    _name = "neiqin.job.review"
    _description = "Job review campaign"
    _inherit = ["mail.thread", "mail.activity.mixin", "neiqin.engine.mixin"]
    _order = "date_to desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    job_id = fields.Many2one(
        "hr.job",
        string="Job Position",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
        tracking=True,
    )
    period = fields.Char(required=True, tracking=True, help="e.g. 2026 Q4")
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    deadline = fields.Date(
        string="Feedback Deadline",
        required=True,
        tracking=True,
        help="Feedback is due by this day.",
    )
    document_id = fields.Many2one(
        "neiqin.job.document",
        string="Job Description Reviewed",
        check_company=True,
        help="The approved version of the job description under review; the job's "
        "current one when the campaign opens.",
    )
    state = fields.Selection(
        REVIEW_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    feedback_ids = fields.One2many("neiqin.job.review.feedback", "review_id")
    feedback_count = fields.Integer(compute="_compute_feedback_stats")
    submitted_count = fields.Integer(compute="_compute_feedback_stats")
    outcome = fields.Text(tracking=True, help="What the review concluded.")
    changes_agreed = fields.Boolean(
        help="The review agreed changes of the job description: closing opens its new version."
    )
    new_document_id = fields.Many2one(
        "neiqin.job.document", string="New Version", readonly=True, copy=False
    )
    opened_at = fields.Datetime(readonly=True, copy=False)
    closed_at = fields.Datetime(readonly=True, copy=False)
    closed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )

    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | {
            "state",
            "new_document_id",
            "opened_at",
            "closed_at",
            "closed_by_id",
        }

    @api.depends("job_id.name", "period")
    def _compute_name(self):
        for review in self:
            review.name = self.env._(
                "%(job)s review %(period)s",
                job=review.job_id.name or "",
                period=review.period or "",
            )

    @api.depends("feedback_ids.state")
    def _compute_feedback_stats(self):
        for review in self:
            review.feedback_count = len(review.feedback_ids)
            review.submitted_count = len(
                review.feedback_ids.filtered(lambda f: f.state == "submitted")
            )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for review in self:
            if review.date_from > review.date_to:
                raise ValidationError(
                    self.env._("The review period of %s ends before it starts.", review.name)
                )

    @api.constrains("document_id", "job_id")
    def _check_document_job(self):
        for review in self:
            if review.document_id and review.document_id.job_id != review.job_id:
                raise ValidationError(
                    self.env._(
                        "The job description reviewed by %s is of another job position.",
                        review.name,
                    )
                )

    def write(self, vals):
        if (
            not engine_writing()
            and {"job_id", "company_id", "period", "date_from", "date_to"} & set(vals)
            and any(review.state != "draft" for review in self)
        ):
            raise UserError(
                self.env._(
                    "The job and period of an opened job review are those its feedback answered."
                )
            )
        return super().write(vals)

    def unlink(self):
        if any(review.state != "draft" for review in self):
            raise UserError(
                self.env._("An opened job review stays in the archive: it cannot be deleted.")
            )
        return super().unlink()

    def action_open(self):
        """Button: open the campaign (leads): the job's current description
        is the one reviewed, and each employee of the job gets a feedback
        request (one create for all)."""
        require_group(
            self.env,
            "neiqin_base.group_neiqin_lead",
            self.env._("Only a team lead opens a job review."),
        )
        if any(review.state != "draft" for review in self):
            raise UserError(self.env._("Only a draft job review can be opened."))
        for review in self.filtered(lambda r: not r.document_id):
            review.document_id = review.job_id.neiqin_document_id
        employees = self.env["hr.employee"].search(
            [("job_id", "in", self.job_id.ids), ("company_id", "in", self.company_id.ids)]
        )
        self.env["neiqin.job.review.feedback"].create(
            [
                {"review_id": review.id, "employee_id": employee.id}
                for review in self
                for employee in employees
                if employee.job_id == review.job_id and employee.company_id == review.company_id
            ]
        )
        with engine_writes():
            self.write({"state": "open", "opened_at": fields.Datetime.now()})
        return True

    def action_close(self):
        """Button: close the campaign with its outcome (leads). When changes
        were agreed, the new version of the job description is opened from
        the reviewed one and the outcome posted on it."""
        require_group(
            self.env,
            "neiqin_base.group_neiqin_lead",
            self.env._("Only a team lead closes a job review."),
        )
        for review in self:
            if review.state != "open":
                raise UserError(self.env._("Only an open job review can be closed."))
            if not (review.outcome or "").strip():
                raise ValidationError(
                    self.env._("Write the outcome of %s before closing it.", review.name)
                )
            if review.changes_agreed and not review.document_id:
                raise ValidationError(
                    self.env._(
                        "%s has no job description to change: choose the one reviewed.",
                        review.name,
                    )
                )
        now = fields.Datetime.now()
        for review in self:
            new_document = review.document_id.browse()
            if review.changes_agreed:
                new_document = review.document_id._neiqin_new_version()
                new_document.message_post(
                    body=Markup("<p>%s</p><p>%s</p>")
                    % (
                        self.env._("Changes agreed by the job review %s:", review.name),
                        review.outcome,
                    )
                )
            with engine_writes():
                review.write(
                    {
                        "state": "closed",
                        "closed_at": now,
                        "closed_by_id": self.env.uid,
                        "new_document_id": new_document.id,
                    }
                )
        return True

    def action_view_new_document(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "neiqin.job.document",
            "res_id": self.new_document_id.id,
            "view_mode": "form",
        }

    @api.model
    def _cron_remind_feedback(self):
        """Remind each employee whose feedback is pending in an open
        campaign before its deadline: one activity per feedback, once. A
        constant number of queries whatever the number of employees."""
        today = fields.Date.context_today(self)
        # sudo: the reminders are every employee's, whichever user the
        # scheduled action runs as; it reads feedback, chosen by no caller.
        Feedback = self.env["neiqin.job.review.feedback"].sudo()
        pending = Feedback.search_read(
            [
                ("state", "=", "pending"),
                ("review_state", "=", "open"),
                ("deadline", ">=", today),
                ("user_id", "!=", False),
            ],
            ["user_id", "deadline", "review_name"],
            load=None,
        )
        if not pending:
            return 0
        activity_type = self.env.ref("neiqin_docs.mail_activity_type_review_feedback")
        # sudo: the cron reads the reminders it made itself, on the
        # feedback it just selected.
        Activity = self.env["mail.activity"].sudo()
        reminded = {
            res_id
            for (res_id,) in Activity._read_group(
                [
                    ("res_model", "=", Feedback._name),
                    ("res_id", "in", [row["id"] for row in pending]),
                    ("activity_type_id", "=", activity_type.id),
                ],
                ["res_id"],
            )
        }
        model_id = self.env["ir.model"]._get_id(Feedback._name)
        vals_list = [
            {
                "res_model_id": model_id,
                "res_id": row["id"],
                "user_id": row["user_id"],
                "activity_type_id": activity_type.id,
                "automated": True,
                "summary": self.env._("Give your feedback: %s", row["review_name"]),
                "date_deadline": row["deadline"],
            }
            for row in pending
            if row["id"] not in reminded
        ]
        return create_reminders(self.env, Feedback._name, vals_list)
