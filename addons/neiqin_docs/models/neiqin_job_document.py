from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html2plaintext

from odoo.addons.neiqin_base.engine.guard import engine_writes, engine_writing, require_group

from ..engine.version_diff import ADDED, CHANGED, REMOVED, compare_versions, is_empty

DOCUMENT_STATES = [
    ("draft", "Draft"),
    ("approved", "Approved"),
    ("superseded", "Superseded"),
]
# What people write on a draft; an approved or superseded version keeps them.
CONTENT_FIELDS = {
    "job_id",
    "company_id",
    "goal",
    "workflow",
    "responsibility",
    "duty_ids",
    "indicator_ids",
}
# The demo duties' process steps of the add-ons that ship them (bound when
# installed: neiqin_docs depends on none of them).
DEMO_BINDINGS = {
    "neiqin_docs.docs_core_duty_orders_review": [
        "neiqin_orders.step_order_confirm",
        "neiqin_orders.step_order_payment",
    ],
    "neiqin_docs.docs_core_duty_orders_dispatch": [
        "neiqin_orders.step_order_dispatch",
        "neiqin_orders.step_order_tracking",
        "neiqin_orders.step_order_notify",
    ],
    "neiqin_docs.docs_core_duty_orders_aftersales": ["neiqin_orders.step_order_aftersales"],
    "neiqin_docs.docs_core_duty_data_entry": [
        "neiqin_base.step_data_entry",
        "neiqin_base.step_data_reconcile",
    ],
    "neiqin_docs.docs_core_duty_data_anomaly": [
        "neiqin_base.step_data_anomaly",
        "neiqin_base.step_data_cleaning",
    ],
    "neiqin_docs.docs_core_duty_data_report": ["neiqin_base.step_data_report"],
    "neiqin_docs.docs_core_duty_service_consult": ["neiqin_aftersales.step_service_consult"],
    "neiqin_docs.docs_core_duty_service_solve": [
        "neiqin_aftersales.step_service_diagnose",
        "neiqin_aftersales.step_service_solve",
    ],
    "neiqin_docs.docs_core_duty_service_follow": [
        "neiqin_aftersales.step_service_follow_up",
        "neiqin_aftersales.step_service_rating",
    ],
    "neiqin_docs.docs_core_duty_product_entry": [
        "neiqin_catalog.step_product_entry",
        "neiqin_catalog.step_product_review",
    ],
    "neiqin_docs.docs_core_duty_product_publish": ["neiqin_catalog.step_product_publish"],
    "neiqin_docs.docs_core_duty_product_monitor": [
        "neiqin_catalog.step_product_update",
        "neiqin_catalog.step_product_monitor",
    ],
}
# Compared between versions, as text.
TEXT_FIELDS = ("goal", "workflow", "responsibility")


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
    # Employees read job descriptions, not job positions (HR officers'):
    # the position's name is kept on the document.
    job_name = fields.Char(related="job_id.name", string="Job Position Name")
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
    workflow = fields.Html(sanitize_style=True, help="How the position works (工作流程).")
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
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_at = fields.Datetime(string="Approved On", readonly=True, copy=False)
    active = fields.Boolean(default=True)
    owner_disagreement = fields.Text(
        compute="_compute_owner_disagreement",
        string="Owners to Change",
        help="The bound process steps whose owner today is not this position: "
        "approving the document makes the position their owner.",
    )
    diff_html = fields.Html(
        compute="_compute_diff_html",
        string="Changes",
        sanitize=False,
        help="What this version changes in the version it was made from.",
    )
    my_acknowledgement_state = fields.Selection(
        [("none", "Not Assigned"), ("pending", "To Acknowledge"), ("acknowledged", "Acknowledged")],
        compute="_compute_my_acknowledgement_state",
        string="My Acknowledgement",
    )

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

    # ------------------------------------------------------------------ read-only versions

    def _neiqin_check_draft(self):
        """Refuse to change an approved or superseded version (a UserError
        naming it): the archive keeps what was approved."""
        fixed = self.filtered(lambda d: d.state != "draft")
        if fixed and not engine_writing():
            raise UserError(
                self.env._(
                    "%(documents)s is approved or superseded: it cannot be changed. "
                    "Start a new version to change the job description.",
                    documents=", ".join(fixed.mapped("display_name")),
                )
            )

    def write(self, vals):
        if CONTENT_FIELDS & set(vals):
            self._neiqin_check_draft()
        return super().write(vals)

    def unlink(self):
        self._neiqin_check_draft()
        return super().unlink()

    # ------------------------------------------------------------------ approval

    def action_approve(self):
        """Button: approve these drafts (managers). Each becomes its job's
        current description, the job's previous one is superseded, the
        bound process steps get the position as their owner and the job's
        employees are assigned the new version. Everything is checked
        before anything is written."""
        require_group(
            self.env,
            "neiqin_base.group_neiqin_manager",
            self.env._("Only a manager approves a job description."),
        )
        self._neiqin_check_draft()
        empty = self.filtered(lambda d: not (d.goal or "").strip() or not d.duty_ids)
        if empty:
            raise UserError(
                self.env._(
                    "%(documents)s cannot be approved: write the position's goal and at "
                    "least one duty first.",
                    documents=", ".join(empty.mapped("display_name")),
                )
            )
        if len(self.job_id) != len(self):
            raise UserError(self.env._("Approve one version of a job position at a time."))
        self._neiqin_check_step_conflicts()
        current = self.search([("job_id", "in", self.job_id.ids), ("state", "=", "approved")])
        with engine_writes():
            current.write({"state": "superseded"})
            self.write(
                {
                    "state": "approved",
                    "approved_by_id": self.env.uid,
                    "approved_at": fields.Datetime.now(),
                }
            )
        self._neiqin_bind_steps()
        self.env["neiqin.job.acknowledgement"]._neiqin_assign_documents(self)
        self.env["neiqin.archive.document"]._neiqin_file(
            self, "neiqin_docs.archive_category_job_description"
        )
        return True

    def _neiqin_archive_values(self):
        """What the operations archive keeps of an approved version: its
        goal, duties (with the steps they own), workflow, responsibility
        ownership and indicators, as they were approved."""
        result = {}
        for document in self:
            duties = Markup("").join(
                Markup("<li><b>%s</b>%s%s</li>")
                % (
                    duty.name,
                    Markup(": %s") % duty.description if duty.description else "",
                    Markup(" (%s)") % ", ".join(duty.step_ids.mapped("name"))
                    if duty.step_ids
                    else "",
                )
                for duty in document.duty_ids
            )
            indicators = Markup("").join(
                Markup("<li>%s: %s (%s %%)</li>")
                % (indicator.name, indicator.target, indicator.weight)
                for indicator in document.indicator_ids
            )
            content = Markup(
                "<h3>%s</h3><p>%s</p><h3>%s</h3><ul>%s</ul><h3>%s</h3>%s"
                "<h3>%s</h3>%s<h3>%s</h3><ul>%s</ul>"
            ) % (
                self.env._("Position Goal"),
                document.goal or "",
                self.env._("Main Duties"),
                duties,
                self.env._("Workflow"),
                document.workflow or "",
                self.env._("Responsibility Ownership"),
                document.responsibility or "",
                self.env._("Assessment Indicators"),
                indicators,
            )
            result[document.id] = {
                "name": document.display_name,
                "content": content,
                "kind": "job_description",
                "company_id": document.company_id.id,
            }
        return result

    # ------------------------------------------------------------------ owner agreement

    def _neiqin_step_conflicts(self):
        """{step: duty of another job's approved description binding it}
        for the steps these documents' duties bind."""
        steps = self.duty_ids.step_ids
        if not steps:
            return {}
        others = self.env["neiqin.job.duty"].search(
            [
                ("step_ids", "in", steps.ids),
                ("document_id.state", "=", "approved"),
                ("document_id.job_id", "not in", self.job_id.ids),
            ]
        )
        conflicts = {}
        for duty in others:
            for step in duty.step_ids & steps:
                conflicts.setdefault(step, duty)
        return conflicts

    def _neiqin_check_step_conflicts(self):
        """Refuse (ValidationError naming the step and the other job) when
        a bound step is owned through another job's approved description,
        or bound by two of these documents of different jobs."""
        messages = [
            self.env._(
                "Step %(step)s is already bound to the job position %(job)s by its "
                "approved job description.",
                step=step.display_name,
                job=duty.document_id.job_name,
            )
            for step, duty in self._neiqin_step_conflicts().items()
        ]
        jobs_of_step = {}
        for document in self:
            for step in document.duty_ids.step_ids:
                jobs_of_step.setdefault(step, set()).add(document.job_id)
        messages += [
            self.env._(
                "Step %(step)s is bound by the job descriptions of %(jobs)s.",
                step=step.display_name,
                # sudo: the names of the positions of these documents.
                jobs=", ".join(sorted(job.sudo().name for job in jobs)),
            )
            for step, jobs in jobs_of_step.items()
            if len(jobs) > 1
        ]
        if messages:
            raise ValidationError("\n".join(messages))

    def _neiqin_bind_steps(self):
        """Make each document's job the owner of the steps its duties bind
        (one write per job)."""
        for document in self:
            steps = document.duty_ids.step_ids.filtered(
                lambda s, job=document.job_id: s.owner_type != "job" or s.owner_job_id != job
            )
            if steps:
                steps.write({"owner_type": "job", "owner_job_id": document.job_id.id})

    @api.depends(
        "job_id",
        "duty_ids.step_ids.owner_type",
        "duty_ids.step_ids.owner_job_id",
        "duty_ids.step_ids.owner_team_id",
        "duty_ids.step_ids.owner_user_id",
    )
    def _compute_owner_disagreement(self):
        for document in self:
            lines = []
            for step in document.duty_ids.step_ids:
                if step.owner_type == "job" and step.owner_job_id == document.job_id:
                    continue
                owner = {
                    "user": step.owner_user_id.name,
                    "team": step.owner_team_id.name,
                    # sudo: the name of the position owning the step
                    # (people reading job descriptions do not read positions).
                    "job": step.owner_job_id.sudo().name,
                }[step.owner_type]
                lines.append(
                    self.env._(
                        "%(step)s: owned today by %(owner)s",
                        step=step.display_name,
                        owner=owner or "-",
                    )
                )
            document.owner_disagreement = "\n".join(lines) or False

    # ------------------------------------------------------------------ versions compared

    def _neiqin_snapshot(self):
        """This version as the plain dict ``engine.version_diff`` compares."""
        self.ensure_one()
        return {
            "fields": {
                name: (
                    html2plaintext(self[name] or "")
                    if self._fields[name].type == "html"
                    else (self[name] or "")
                )
                for name in TEXT_FIELDS
            },
            "duties": [
                {
                    "name": duty.name,
                    "description": duty.description or "",
                    "steps": duty.step_ids.mapped("display_name"),
                }
                for duty in self.duty_ids
            ],
            "indicators": [
                {"name": ind.name, "target": ind.target, "weight": ind.weight}
                for ind in self.indicator_ids
            ],
        }

    def _neiqin_compare(self, old):
        """The differences from version ``old`` to this one."""
        self.ensure_one()
        return compare_versions(old._neiqin_snapshot(), self._neiqin_snapshot())

    def _neiqin_diff_html(self, old):
        """The differences from ``old`` to this version, as an HTML table."""
        diff = self._neiqin_compare(old)
        _ = self.env._
        if is_empty(diff):
            return Markup("<p>%s</p>") % _("No change between the two versions.")
        labels = {
            ADDED: _("Added"),
            REMOVED: _("Removed"),
            CHANGED: _("Changed"),
        }
        keys = {
            "description": _("Description"),
            "steps": _("Process Steps"),
            "target": _("Target"),
            "weight": _("Weight"),
        }

        def text(value):
            if isinstance(value, list | tuple):
                value = ", ".join(value)
            return escape("" if value in (None, False) else value)

        rows = []
        for name, (before, after) in diff["fields"].items():
            rows.append(
                (self._fields[name]._description_string(self.env), labels[CHANGED], before, after)
            )
        for section, title in (("duties", _("Duty")), ("indicators", _("Indicator"))):
            for item in diff[section]:
                what = f"{title}: {item['name']}"
                if item["change"] != CHANGED:
                    rows.append((what, labels[item["change"]], "", ""))
                for key, (before, after) in item["values"].items():
                    rows.append((f"{what} ({keys[key]})", labels[CHANGED], before, after))
        body = Markup("").join(
            Markup(
                "<tr><td>%s</td><td>%s</td><td style='white-space: pre-wrap'>%s</td>"
                "<td style='white-space: pre-wrap'>%s</td></tr>"
            )
            % (what, change, text(before), text(after))
            for what, change, before, after in rows
        )
        head = Markup("<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>") % (
            _("What"),
            _("Change"),
            old.display_name,
            self.display_name,
        )
        return Markup(
            "<div class='table-responsive'><table class='table table-sm o_neiqin_diff'>"
            "<thead>%s</thead><tbody>%s</tbody></table></div>"
        ) % (head, body)

    @api.depends(
        "previous_id",
        "goal",
        "workflow",
        "responsibility",
        "duty_ids.name",
        "duty_ids.description",
        "duty_ids.step_ids",
        "indicator_ids.name",
        "indicator_ids.target",
        "indicator_ids.weight",
    )
    def _compute_diff_html(self):
        for document in self:
            previous = document.previous_id
            document.diff_html = (
                document._neiqin_diff_html(previous) if previous and document.id else False
            )

    # ------------------------------------------------------------------ versions

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

    def action_compare(self):
        """Button: the wizard comparing this version with another of its job."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Compare Versions"),
            "res_model": "neiqin.job.document.compare.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_new_id": self.id,
                "default_old_id": (self.previous_id or self).id,
            },
        }

    def action_print(self):
        """Button: the printable job description (PDF)."""
        return self.env.ref("neiqin_docs.action_report_neiqin_job_document").report_action(self)

    @api.model
    def action_my_job_description(self):
        """Menu: the current job description of the user's own position,
        read-only; the list of them when the user holds several."""
        employees = self.env.user.employee_ids
        documents = self.search(
            [("job_id", "in", employees.job_id.ids), ("state", "=", "approved")]
        )
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("My Job Description"),
            "res_model": self._name,
            "views": [(self.env.ref("neiqin_docs.view_neiqin_job_document_read").id, "form")],
            "context": {"create": False, "edit": False, "delete": False},
        }
        if len(documents) == 1:
            return {**action, "res_id": documents.id}
        return {
            **action,
            "views": [(False, "list"), (action["views"][0][0], "form")],
            "domain": [("id", "in", documents.ids)],
            "help": Markup("<p>%s</p>")
            % self.env._("No approved job description for your position yet."),
        }

    def _neiqin_my_acknowledgement(self):
        """The user's own pending acknowledgement of this document."""
        self.ensure_one()
        return self.env["neiqin.job.acknowledgement"].search(
            [
                ("document_id", "=", self.id),
                ("employee_id", "in", self.env.user.employee_ids.ids),
                ("state", "=", "pending"),
            ],
            limit=1,
        )

    def _compute_my_acknowledgement_state(self):
        acks = self.env["neiqin.job.acknowledgement"].search(
            [
                ("document_id", "in", self.ids),
                ("employee_id", "in", self.env.user.employee_ids.ids),
                ("state", "in", ("pending", "acknowledged")),
            ]
        )
        states = {}
        for ack in acks:
            if states.get(ack.document_id.id) != "pending":
                states[ack.document_id.id] = ack.state
        for document in self:
            document.my_acknowledgement_state = states.get(document.id, "none")

    def action_acknowledge(self):
        """Button on the read view: acknowledge this description (the
        user's own pending acknowledgement of it)."""
        self.ensure_one()
        ack = self._neiqin_my_acknowledgement()
        if not ack:
            raise UserError(
                self.env._("%(document)s is not assigned to you.", document=self.display_name)
            )
        return ack.action_acknowledge()

    def _register_hook(self):
        """Demo databases: the add-ons installed after this one (orders,
        after-sales, catalog) ship steps the demo duties name; link them
        once the registry is loaded (nothing is written once linked, and
        nothing at all without the demo)."""
        super()._register_hook()
        if self.env.ref(next(iter(DEMO_BINDINGS)), raise_if_not_found=False):
            # sudo: the shipped demo records named in DEMO_BINDINGS, no caller.
            self.sudo()._neiqin_link_demo_steps()

    @api.model
    def _neiqin_link_demo_steps(self):
        """Demo: link the demo duties to the process steps ``DEMO_BINDINGS``
        names, those that exist (steps of add-ons not installed are
        skipped). The steps' owners are left as they are. Returns the
        documents whose duties were linked."""
        documents = self.browse()
        for duty_xmlid, step_xmlids in DEMO_BINDINGS.items():
            duty = self.env.ref(duty_xmlid, raise_if_not_found=False)
            if not duty:
                continue
            steps = self.env["neiqin.process.step"]
            for xmlid in step_xmlids:
                steps |= self.env.ref(xmlid, raise_if_not_found=False) or steps
            missing = steps - duty.step_ids
            if missing:
                # Shipped bindings of the demo documents, approved already:
                # the engine writes them (the read-only rule is for people).
                with engine_writes():
                    duty.write({"step_ids": [Command.link(step.id) for step in missing]})
                documents |= duty.document_id
        return documents

    @api.model
    def _neiqin_bind_demo_steps(self):
        """Action (managers): link the demo duties to the steps of the
        add-ons installed since, then make the approved demo documents'
        positions the owners of their steps."""
        require_group(
            self.env,
            "neiqin_base.group_neiqin_manager",
            self.env._("Only a manager binds job descriptions to process steps."),
        )
        self._neiqin_link_demo_steps()
        documents = self.browse()
        for duty_xmlid in DEMO_BINDINGS:
            duty = self.env.ref(duty_xmlid, raise_if_not_found=False)
            if duty and duty.document_id.state == "approved":
                documents |= duty.document_id
        documents._neiqin_check_step_conflicts()
        documents._neiqin_bind_steps()
        return True
