from odoo import api, fields, models


class NeiqinProcess(models.Model):
    """A back-office process: an ordered list of steps, each with a deadline
    in working hours and an owner (the brief's 时间节点 and 责任人)."""

    _name = "neiqin.process"
    _description = "Back-office process"
    _inherit = ["mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(
        required=True,
        tracking=True,
        help="Stable key used by the add-ons to find this process (e.g. order).",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    description = fields.Text(translate=True)
    model_name = fields.Char(
        string="Applies To (model)",
        help="Technical name of the documents that go through this process, "
        "e.g. sale.order. Several processes may apply to one model.",
    )
    model_id = fields.Many2one(
        "ir.model",
        string="Applies To",
        compute="_compute_model_id",
        inverse="_inverse_model_id",
        domain=[("transient", "=", False)],
        help="The kind of documents that go through this process, e.g. Sales Order.",
    )
    model_installed = fields.Boolean(compute="_compute_model_installed")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        tracking=True,
        help="Deadlines count only these working hours and skip the calendar's "
        "leaves. Empty: the company's back-office working hours, else clock hours.",
    )
    step_ids = fields.One2many("neiqin.process.step", "process_id", string="Steps", copy=True)
    step_count = fields.Integer(compute="_compute_step_count")
    open_log_count = fields.Integer(compute="_compute_log_counts", string="Open Steps")
    late_log_count = fields.Integer(compute="_compute_log_counts", string="Overdue Steps")

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A process code must be unique per company.",
        ),
    ]

    @api.depends("model_name")
    def _compute_model_id(self):
        IrModel = self.env["ir.model"]
        for process in self:
            # ir.model's ids by name are cached: no query per process.
            process.model_id = IrModel._get(process.model_name) if process.model_name else False

    def _inverse_model_id(self):
        for process in self:
            # sudo: reads the technical name of the model the user chose;
            # writing the process is checked with the user's rights.
            process.model_name = process.model_id.sudo().model or False

    @api.depends("model_name")
    def _compute_model_installed(self):
        for process in self:
            process.model_installed = bool(process.model_name) and process.model_name in self.env

    @api.depends("step_ids")
    def _compute_step_count(self):
        for process in self:
            process.step_count = len(process.step_ids)

    def _compute_log_counts(self):
        Log = self.env["neiqin.step.log"]
        now = fields.Datetime.now()
        counts = dict.fromkeys(self.ids, 0)
        late = dict.fromkeys(self.ids, 0)
        if self.ids and Log.has_access("read"):
            for process, count in Log._read_group(
                [("process_id", "in", self.ids), ("state", "in", ("open", "paused"))],
                ["process_id"],
                ["__count"],
            ):
                counts[process.id] = count
            for process, count in Log._read_group(
                [("process_id", "in", self.ids), ("state", "=", "open"), ("deadline_at", "<", now)],
                ["process_id"],
                ["__count"],
            ):
                late[process.id] = count
        for process in self:
            process.open_log_count = counts.get(process.id, 0)
            process.late_log_count = late.get(process.id, 0)

    def _effective_calendar(self):
        self.ensure_one()
        return self.calendar_id or (self.company_id or self.env.company).neiqin_calendar_id

    @api.model
    def _get_by_code(self, code, company=None):
        """The active process with this code for the company (or shared by all)."""
        company = company or self.env.company
        return self.search(
            [("code", "=", code), ("company_id", "in", (company.id, False))],
            order="company_id",
            limit=1,
        )

    def _first_step(self):
        self.ensure_one()
        return self.step_ids.filtered("active")[:1]

    def action_view_steps_logs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("neiqin_base.action_neiqin_step_log")
        action["domain"] = [("process_id", "=", self.id)]
        action["context"] = {"search_default_filter_open": 1}
        return action
