from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..engine.actions import document_action


class NeiqinResponsibility(models.Model):
    """Responsibility record (责任追踪): an error, delay or complaint traced to
    a step of a process, naming its owner, cause, correction and KPI effect."""

    _name = "neiqin.responsibility"
    _description = "Responsibility record"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        [("open", "Open"), ("confirmed", "Confirmed"), ("closed", "Closed")],
        default="open",
        required=True,
        tracking=True,
        index=True,
        copy=False,
    )
    responsibility_type = fields.Selection(
        [("error", "Error"), ("delay", "Delay"), ("complaint", "Complaint"), ("other", "Other")],
        string="Type",
        required=True,
        default="error",
        tracking=True,
    )
    res_model = fields.Char(string="Document Model", index=True)
    res_id = fields.Many2oneReference(string="Document ID", model_field="res_model", index=True)
    res_name = fields.Char(string="Document", compute="_compute_res_name", store=True)
    step_log_id = fields.Many2one(
        "neiqin.step.log",
        string="Step Passage",
        domain="[('res_model', '=', res_model), ('res_id', '=', res_id)]",
    )
    step_id = fields.Many2one(
        "neiqin.process.step",
        compute="_compute_step_id",
        store=True,
        precompute=True,
        readonly=False,
        tracking=True,
    )
    process_id = fields.Many2one(related="step_id.process_id", store=True)
    owner_user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        required=True,
        tracking=True,
        index=True,
        check_company=True,
        compute="_compute_owner",
        store=True,
        precompute=True,
        readonly=False,
    )
    owner_team_id = fields.Many2one(
        "neiqin.team",
        string="Team",
        tracking=True,
        index=True,
        check_company=True,
        compute="_compute_owner",
        store=True,
        precompute=True,
        readonly=False,
    )
    reported_by_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    occurred_on = fields.Date(default=fields.Date.context_today, required=True, tracking=True)
    cause = fields.Text(required=True, tracking=True)
    correction = fields.Text(tracking=True, help="What was done to fix it and to avoid it again.")
    kpi_points = fields.Float(
        string="KPI Points",
        tracking=True,
        help="Points deducted from the owner's appraisal (a positive number).",
    )
    confirmed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    confirmed_at = fields.Datetime(readonly=True, copy=False)
    closed_at = fields.Datetime(readonly=True, copy=False)

    _sql_constraints = [
        ("kpi_points_positive", "CHECK(kpi_points >= 0)", "KPI points are a positive deduction."),
    ]

    @api.depends("res_model", "res_id")
    def _compute_res_name(self):
        for rec in self:
            if rec.res_model in self.env and rec.res_id:
                # Only the name is read, for the label; the user may not be
                # allowed to open the document itself.
                doc = self.env[rec.res_model].sudo().browse(rec.res_id).exists()
                rec.res_name = doc.display_name if doc else False
            else:
                rec.res_name = False

    @api.depends("step_log_id")
    def _compute_step_id(self):
        for rec in self:
            if rec.step_log_id:
                rec.step_id = rec.step_log_id.step_id

    @api.depends("step_log_id")
    def _compute_owner(self):
        for rec in self:
            if rec.step_log_id:
                rec.owner_user_id = rec.step_log_id.owner_user_id or rec.owner_user_id
                rec.owner_team_id = rec.step_log_id.owner_team_id or rec.owner_team_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("neiqin.responsibility") or "/"
            if vals.get("step_log_id") and not vals.get("res_model"):
                log = self.env["neiqin.step.log"].browse(vals["step_log_id"])
                vals.update(res_model=log.res_model, res_id=log.res_id)
        return super().create(vals_list)

    def _check_lead(self):
        if not self.env.user.has_group("neiqin_base.group_neiqin_lead"):
            raise AccessError(
                self.env._("Only a back-office lead can confirm or close responsibility records.")
            )

    def action_confirm(self):
        self._check_lead()
        if self.filtered(lambda r: r.state != "open"):
            raise UserError(self.env._("Only open responsibility records can be confirmed."))
        self.write(
            {
                "state": "confirmed",
                "confirmed_by_id": self.env.uid,
                "confirmed_at": fields.Datetime.now(),
            }
        )

    def action_close(self):
        self._check_lead()
        if self.filtered(lambda r: r.state != "confirmed"):
            raise UserError(self.env._("Only confirmed responsibility records can be closed."))
        missing = self.filtered(lambda r: not r.correction)
        if missing:
            raise UserError(
                self.env._(
                    "Write the correction before closing: %s", ", ".join(missing.mapped("name"))
                )
            )
        self.write({"state": "closed", "closed_at": fields.Datetime.now()})

    def action_reopen(self):
        self._check_lead()
        self.write(
            {"state": "open", "confirmed_by_id": False, "confirmed_at": False, "closed_at": False}
        )

    def write(self, vals):
        if "state" in vals and not self.env.su:
            self._check_lead()
        return super().write(vals)

    def action_open_document(self):
        self.ensure_one()
        if not self.res_model or not self.res_id:
            return False
        return document_action(self.res_model, self.res_id)
