from odoo import api, fields, models
from odoo.exceptions import ValidationError


class NeiqinProcessStep(models.Model):
    _name = "neiqin.process.step"
    _description = "Back-office process step"
    _order = "process_id, sequence, id"
    _check_company_auto = True

    process_id = fields.Many2one("neiqin.process", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="process_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    code = fields.Char(required=True, help="Stable key used by the add-ons, e.g. payment.")
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True, help="What the owner must do in this step.")
    deadline_hours = fields.Float(
        string="Deadline (working hours)",
        default=4.0,
        help="Working hours the owner has to finish the step once it starts.",
    )
    escalation_hours = fields.Float(
        string="Escalate After (working hours)",
        help="Working hours past the deadline before the lead is alerted. "
        "Zero: the company's default.",
    )
    owner_type = fields.Selection(
        [("user", "User"), ("team", "Team"), ("job", "Job Position")],
        string="Owner Is",
        required=True,
        default="team",
    )
    owner_user_id = fields.Many2one("res.users", string="Owner")
    owner_team_id = fields.Many2one("neiqin.team")
    owner_job_id = fields.Many2one("hr.job", string="Owner Job Position")
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="Overdue Activity",
        default=lambda self: self.env.ref("neiqin_base.mail_activity_type_step_overdue", False),
        help="Activity scheduled for the owner when the step is overdue.",
    )

    _sql_constraints = [
        (
            "code_process_uniq",
            "unique(process_id, code)",
            "A step code must be unique in its process.",
        ),
        ("deadline_positive", "CHECK(deadline_hours >= 0)", "A step deadline cannot be negative."),
        (
            "escalation_positive",
            "CHECK(escalation_hours >= 0)",
            "An escalation delay cannot be negative.",
        ),
    ]

    @api.depends("process_id.name", "name")
    def _compute_display_name(self):
        for step in self:
            step.display_name = (
                f"{step.process_id.name} / {step.name}" if step.process_id else step.name
            )

    @api.constrains("owner_type", "owner_user_id", "owner_team_id", "owner_job_id")
    def _check_owner(self):
        for step in self:
            missing = {
                "user": not step.owner_user_id,
                "team": not step.owner_team_id,
                "job": not step.owner_job_id,
            }[step.owner_type]
            if missing:
                raise ValidationError(
                    self.env._(
                        "Step %(step)s: choose the %(kind)s that owns it.",
                        step=step.display_name,
                        kind=dict(step._fields["owner_type"]._description_selection(self.env))[
                            step.owner_type
                        ],
                    )
                )

    def _next_step(self):
        """The next active step of the same process, or an empty recordset."""
        self.ensure_one()
        steps = self.process_id.step_ids.filtered("active")
        later = steps.filtered(lambda s: (s.sequence, s.id) > (self.sequence, self.id))
        return later[:1]

    def _escalation_hours(self):
        self.ensure_one()
        return (
            self.escalation_hours
            or self.process_id.company_id.neiqin_escalation_hours
            or (self.env.company.neiqin_escalation_hours)
        )

    def _resolve_owner(self, record=None):
        """Return (user, team) owning this step for ``record``.

        A user step names its user; a team step goes to the record's own
        responsible user when that user is in the team, else to the team lead;
        a job step goes to the first employee holding the job who has a user.
        """
        self.ensure_one()
        if self.owner_type == "user":
            return self.owner_user_id, self.owner_team_id
        if self.owner_type == "team":
            team = self.owner_team_id
            preferred = record._neiqin_preferred_owner() if record is not None else None
            if preferred and preferred in team.member_ids:
                return preferred, team
            return team.lead_user_id, team
        employee = self.env["hr.employee.public"].search(
            [("job_id", "=", self.owner_job_id.id), ("user_id", "!=", False)], limit=1
        )
        return employee.user_id, self.owner_team_id
