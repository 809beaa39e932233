from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.neiqin_base.engine.guard import engine_writes, engine_writing, require_group

SESSION_STATES = [("planned", "Planned"), ("done", "Done")]


class NeiqinTrainingSession(models.Model):
    """One session of a training course: when, by whom, on which duties,
    and who attended with what result. Done by a lead; a done session's
    results are the record of the training and stay as they are."""

    _name = "neiqin.training.session"
    _description = "Training session"
    _inherit = ["mail.thread", "neiqin.engine.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    course_id = fields.Many2one(
        "neiqin.training.course",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
        tracking=True,
    )
    name = fields.Char(
        string="Topic",
        compute="_compute_name",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    trainer_id = fields.Many2one("res.users", tracking=True)
    duty_ids = fields.Many2many(
        "neiqin.job.duty",
        "neiqin_training_session_duty_rel",
        "session_id",
        "duty_id",
        string="Duties Covered",
        compute="_compute_duty_ids",
        store=True,
        readonly=False,
    )
    attendance_ids = fields.One2many("neiqin.training.attendance", "session_id", string="Attendees")
    attendee_count = fields.Integer(compute="_compute_attendee_count")
    state = fields.Selection(
        SESSION_STATES,
        default="planned",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    done_at = fields.Datetime(readonly=True, copy=False)
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
    )
    note = fields.Html(sanitize_style=True)

    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | {"state", "done_at"}

    @api.depends("course_id")
    def _compute_name(self):
        for session in self:
            if session.course_id and not session.name:
                session.name = session.course_id.name

    @api.depends("course_id")
    def _compute_duty_ids(self):
        for session in self:
            if not session.duty_ids:
                session.duty_ids = session.course_id.duty_ids

    @api.depends("course_id")
    def _compute_company_id(self):
        for session in self:
            session.company_id = session.course_id.company_id or self.env.company

    @api.depends("attendance_ids")
    def _compute_attendee_count(self):
        for session in self:
            session.attendee_count = len(session.attendance_ids)

    def write(self, vals):
        if not engine_writing() and any(session.state == "done" for session in self):
            raise UserError(
                self.env._(
                    "A done training session is the record of the training: it stays as it is."
                )
            )
        return super().write(vals)

    def unlink(self):
        if any(session.state == "done" for session in self):
            raise UserError(self.env._("A done training session cannot be deleted."))
        return super().unlink()

    def action_invite_attendees(self):
        """Button: add every employee of the jobs that require the course,
        who is not an attendee yet (leads). One search and one create for
        all the sessions."""
        require_group(
            self.env,
            "neiqin_base.group_neiqin_lead",
            self.env._("Only a team lead invites the attendees of a training."),
        )
        if any(session.state != "planned" for session in self):
            raise UserError(self.env._("Attendees are invited to a planned session only."))
        jobs = self.course_id.job_ids
        employees = self.env["hr.employee"].search(
            [("job_id", "in", jobs.ids), ("company_id", "in", self.company_id.ids)]
        )
        present = {(a.session_id.id, a.employee_id.id) for a in self.attendance_ids}
        vals_list = [
            {"session_id": session.id, "employee_id": employee.id}
            for session in self
            for employee in employees
            if employee.job_id in session.course_id.job_ids
            and employee.company_id == session.company_id
            and (session.id, employee.id) not in present
        ]
        self.env["neiqin.training.attendance"].create(vals_list)
        return True

    def action_done(self):
        """Button: the session took place; its attendance and results are
        kept as they are from now on (leads). An attendee marked passed must
        have attended."""
        require_group(
            self.env,
            "neiqin_base.group_neiqin_lead",
            self.env._("Only a team lead closes a training session."),
        )
        if any(session.state != "planned" for session in self):
            raise UserError(self.env._("This training session is already done."))
        absent_passed = self.attendance_ids.filtered(
            lambda a: a.result == "passed" and not a.attended
        )
        if absent_passed:
            raise UserError(
                self.env._(
                    "These attendees passed without attending: %s",
                    ", ".join(absent_passed.mapped("employee_id.name")),
                )
            )
        with engine_writes():
            self.write({"state": "done", "done_at": fields.Datetime.now()})
        return True
