from odoo import api, fields, models
from odoo.exceptions import UserError

RESULTS = [("passed", "Passed"), ("failed", "Failed")]


class NeiqinTrainingAttendance(models.Model):
    """An employee invited to a training session: whether they attended and
    their result. An employee reads their own; leads keep everyone's."""

    _name = "neiqin.training.attendance"
    _description = "Training attendance"
    _order = "session_id, employee_id"
    _check_company_auto = True

    session_id = fields.Many2one(
        "neiqin.training.session",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    course_id = fields.Many2one(related="session_id.course_id", store=True, index=True)
    date = fields.Date(related="session_id.date", store=True)
    session_state = fields.Selection(related="session_id.state", string="Session Status")
    employee_id = fields.Many2one(
        "hr.employee", required=True, ondelete="cascade", index=True, check_company=True
    )
    user_id = fields.Many2one(related="employee_id.user_id", store=True, index=True)
    company_id = fields.Many2one(related="session_id.company_id", store=True, index=True)
    attended = fields.Boolean()
    result = fields.Selection(RESULTS)
    score = fields.Float()
    note = fields.Char()

    _sql_constraints = [
        (
            "session_employee_uniq",
            "unique (session_id, employee_id)",
            "An employee attends a training session once.",
        ),
        ("score_range", "CHECK (score >= 0 AND score <= 100)", "A score is 0 to 100."),
    ]

    def _check_session_planned(self):
        if any(attendance.session_id.state == "done" for attendance in self):
            raise UserError(self.env._("The attendance of a done training session stays as it is."))

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        attendances._check_session_planned()
        return attendances

    def write(self, vals):
        self._check_session_planned()
        result = super().write(vals)
        if "session_id" in vals:
            self._check_session_planned()
        return result

    def unlink(self):
        self._check_session_planned()
        return super().unlink()
