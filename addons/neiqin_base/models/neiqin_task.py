from odoo import api, fields, models


class NeiqinTask(models.Model):
    """A back-office work item run through a process: the daily data
    maintenance round, a reconciliation, an ad-hoc job for the team."""

    _name = "neiqin.task"
    _description = "Back-office task"
    _inherit = ["mail.thread", "mail.activity.mixin", "neiqin.process.mixin"]
    _order = "priority desc, neiqin_step_deadline_at, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    process_id = fields.Many2one(
        "neiqin.process",
        required=True,
        tracking=True,
        check_company=True,
        default=lambda self: self.env["neiqin.process"]._get_by_code("data"),
    )
    user_id = fields.Many2one(
        "res.users",
        string="Assigned To",
        default=lambda self: self.env.user,
        tracking=True,
        check_company=True,
    )
    team_id = fields.Many2one("neiqin.team", tracking=True, check_company=True)
    priority = fields.Selection([("0", "Normal"), ("1", "Urgent")], default="0")
    description = fields.Html()
    date = fields.Date(default=fields.Date.context_today, required=True)
    kanban_state = fields.Selection(
        [("normal", "In Progress"), ("done", "Done")], compute="_compute_kanban_state"
    )

    @api.depends("neiqin_step_state")
    def _compute_kanban_state(self):
        for task in self:
            task.kanban_state = "done" if task.neiqin_step_state == "done" else "normal"

    def _neiqin_get_process(self):
        return self.process_id[:1] or super()._neiqin_get_process()

    def action_start(self):
        for process, tasks in self.grouped("process_id").items():
            tasks._neiqin_enter_step(process._first_step())
        return True
