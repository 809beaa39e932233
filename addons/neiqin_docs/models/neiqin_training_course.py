from odoo import api, fields, models

from ..engine.reminders import create_reminders, is_quiet


class NeiqinTrainingCourse(models.Model):
    """A training course (定期培训) of the back office: its topic, the job
    positions that require it, how long a pass stays valid and the duties
    it covers. Leads keep the courses; every employee reads them."""

    _name = "neiqin.training.course"
    _description = "Training course"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(string="Topic", required=True, translate=True, tracking=True)
    description = fields.Html(sanitize_style=True)
    job_ids = fields.Many2many(
        "hr.job",
        "neiqin_training_course_job_rel",
        "course_id",
        "job_id",
        string="Required For",
        check_company=True,
        help="The job positions whose employees must hold this training.",
    )
    validity_months = fields.Integer(
        string="Validity (Months)",
        default=12,
        tracking=True,
        help="How long a pass stays valid; 0: it never expires.",
    )
    duty_ids = fields.Many2many(
        "neiqin.job.duty",
        "neiqin_training_course_duty_rel",
        "course_id",
        "duty_id",
        string="Duties Covered",
    )
    responsible_id = fields.Many2one("res.users", default=lambda self: self.env.user, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    session_ids = fields.One2many("neiqin.training.session", "course_id", string="Sessions")
    session_count = fields.Integer(compute="_compute_session_count")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "validity_months_positive",
            "CHECK (validity_months >= 0)",
            "The validity of a training is a number of months, 0 or more.",
        ),
    ]

    def _compute_session_count(self):
        counts = dict(
            self.env["neiqin.training.session"]._read_group(
                [("course_id", "in", self.ids)], ["course_id"], ["__count"]
            )
        )
        for course in self:
            course.session_count = counts.get(course, 0)

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        # The reminders cron gives many employees an activity on a course at
        # once: following the course would cost queries per employee and
        # tell them of every change of it; the activity is the reminder.
        if is_quiet(self.env):
            return True
        return super().message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids)

    def action_view_sessions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "neiqin_docs.action_neiqin_training_session"
        )
        action["domain"] = [("course_id", "=", self.id)]
        action["context"] = {"default_course_id": self.id}
        return action

    @api.model
    def _cron_remind_trainings(self):
        """Give each employee (their user) missing, expired or expiring a
        training their job requires one activity per course, once: a row
        that already has its open activity gets no second one. A constant
        number of queries whatever the number of employees."""
        # sudo: the reminders are every employee's, whichever user the
        # scheduled action runs as; it reads rows, chosen by no caller.
        Matrix = self.env["neiqin.training.matrix"].sudo()
        # The matrix is an SQL view over attendance and sessions: written
        # data first, and no row from the cache.
        self.env.flush_all()
        Matrix.invalidate_model()
        rows = Matrix.search_read(
            [("status", "in", ("missing", "expired", "expiring")), ("user_id", "!=", False)],
            ["user_id", "course_id", "status", "valid_until"],
            load=None,
        )
        if not rows:
            return 0
        activity_type = self.env.ref("neiqin_docs.mail_activity_type_training_due")
        course_ids = {row["course_id"] for row in rows}
        # sudo: the cron reads the reminders it made itself, whoever the
        # employees are; only their (course, user) pairs are used.
        Activity = self.env["mail.activity"].sudo()
        existing = {
            (res_id, user.id)
            for res_id, user in Activity._read_group(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", list(course_ids)),
                    ("activity_type_id", "=", activity_type.id),
                ],
                ["res_id", "user_id"],
            )
        }
        courses = self.browse(course_ids).with_context(prefetch_fields=False)
        names = {course.id: course.name for course in courses}
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        summaries = {
            "missing": self.env._("Training required: %s"),
            "expired": self.env._("Training expired: %s"),
            "expiring": self.env._("Training expiring: %s"),
        }
        vals_list = []
        for row in rows:
            key = (row["course_id"], row["user_id"])
            if key in existing:
                continue
            existing.add(key)
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": row["course_id"],
                    "user_id": row["user_id"],
                    "activity_type_id": activity_type.id,
                    "automated": True,
                    "summary": summaries[row["status"]] % names[row["course_id"]],
                    "date_deadline": max(row["valid_until"] or today, today),
                }
            )
        return create_reminders(self.env, self._name, vals_list)
