from odoo import api, fields, models

from odoo.addons.neiqin_base.engine.guard import engine_writes, require_group

DOCUMENT_STATES = [
    ("draft", "Draft"),
    ("approved", "Approved"),
    ("superseded", "Superseded"),
]


class NeiqinJobDocument(models.Model):
    """One version of the job-description document (岗位职责说明书) of a job
    position: its goal, duties (each bound to the process steps the position
    owns), workflow, responsibility ownership and assessment indicators.
    Versions go draft → approved (by a manager) → superseded; the approved
    version is the position's current description."""

    _name = "neiqin.job.document"
    _description = "Job description"
    _inherit = ["mail.thread", "mail.activity.mixin", "neiqin.engine.mixin"]
    _order = "job_id, version desc"
    _rec_names_search = ["job_id", "name"]
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
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    version = fields.Integer(default=1, required=True, readonly=True, copy=False)
    state = fields.Selection(
        DOCUMENT_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    goal = fields.Text(string="Position Goal", help="Why the position exists (岗位目标).")
    workflow = fields.Html(
        string="Workflow", sanitize_style=True, help="How the position works (工作流程)."
    )
    responsibility = fields.Html(
        string="Responsibility Ownership",
        sanitize_style=True,
        help="What the position answers for and to whom (责任归属).",
    )
    duty_ids = fields.One2many("neiqin.job.duty", "document_id", string="Main Duties", copy=True)
    indicator_ids = fields.One2many(
        "neiqin.job.indicator", "document_id", string="Assessment Indicators", copy=True
    )
    previous_id = fields.Many2one(
        "neiqin.job.document", string="Previous Version", readonly=True, copy=False
    )
    approved_by_id = fields.Many2one("res.users", string="Approved By", readonly=True, copy=False)
    approved_at = fields.Datetime(string="Approved On", readonly=True, copy=False)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "job_version_uniq",
            "unique (job_id, version)",
            "A job position has one document per version number.",
        ),
    ]

    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | {
            "state",
            "version",
            "previous_id",
            "approved_by_id",
            "approved_at",
        }

    @api.depends("job_id.name", "version")
    def _compute_name(self):
        for document in self:
            document.name = self.env._(
                "%(job)s, version %(version)s",
                job=document.job_id.name or "",
                version=document.version,
            )

    def _neiqin_new_version(self):
        """A new draft version of this job description, copied from it
        (duties with their steps, indicators), numbered after the job's
        highest version. A job has one draft at a time: its draft is
        returned when there is one."""
        self.ensure_one()
        draft = self.search([("job_id", "=", self.job_id.id), ("state", "=", "draft")], limit=1)
        if draft:
            return draft
        last = self.with_context(active_test=False).search(
            [("job_id", "=", self.job_id.id)], order="version desc", limit=1
        )
        with engine_writes():
            return self.copy({"version": last.version + 1, "previous_id": self.id})

    def action_new_version(self):
        """Button: open a new draft version made from this one (leads)."""
        require_group(
            self.env,
            "neiqin_base.group_neiqin_lead",
            self.env._("Only a team lead starts a new version of a job description."),
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self._neiqin_new_version().id,
            "view_mode": "form",
        }
