from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.neiqin_base.engine.guard import engine_writes

from ..engine.reminders import create_reminders, is_quiet

ACK_STATES = [
    ("pending", "To Acknowledge"),
    ("acknowledged", "Acknowledged"),
    ("archived", "Archived"),
]
# Days an acknowledgement waits before the employee is reminded.
REMIND_AFTER_DAYS = 3


class NeiqinJobAcknowledgement(models.Model):
    """A job description assigned to an employee, and their acknowledgement
    of it (date and version kept). On a job change the new description is
    assigned and the old acknowledgement stays, archived."""

    _name = "neiqin.job.acknowledgement"
    _description = "Job description acknowledgement"
    _inherit = ["mail.thread", "mail.activity.mixin", "neiqin.engine.mixin"]
    _order = "assigned_at desc, id desc"
    _check_company_auto = True

    employee_id = fields.Many2one(
        "hr.employee", required=True, ondelete="cascade", index=True, check_company=True
    )
    user_id = fields.Many2one(related="employee_id.user_id", store=True, index=True)
    document_id = fields.Many2one(
        "neiqin.job.document",
        string="Job Description",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    job_id = fields.Many2one(related="document_id.job_id", store=True, index=True)
    version = fields.Integer(related="document_id.version", store=True)
    company_id = fields.Many2one(related="employee_id.company_id", store=True, index=True)
    state = fields.Selection(
        ACK_STATES, default="pending", required=True, readonly=True, tracking=True, index=True
    )
    assigned_at = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    acknowledged_at = fields.Datetime(readonly=True, copy=False)
    note = fields.Text(help="Why the description was assigned by hand, for instance.")

    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | {"state", "assigned_at", "acknowledged_at"}

    @api.depends("employee_id.name", "document_id.name")
    def _compute_display_name(self):
        for ack in self:
            ack.display_name = f"{ack.employee_id.name} / {ack.document_id.name}"

    # ------------------------------------------------------------------ assignment

    @api.model
    def _neiqin_assign(self, pairs):
        """Assign each (employee, document) of ``pairs``: their earlier
        pending acknowledgements are archived, kept; one create for all.
        Pairs of different companies are skipped."""
        pairs = [(e, d) for e, d in pairs if e.company_id == d.company_id]
        employees = self.env["hr.employee"].browse({e.id for e, __ in pairs})
        if not employees:
            return self.browse()
        # sudo: the engine assigns on behalf of whoever approved a version or
        # changed an employee's job (both checked by their own rights); the
        # employees are those records, not ids a caller chose.
        Ack = self.sudo()
        earlier = Ack.search([("employee_id", "in", employees.ids), ("state", "=", "pending")])
        with engine_writes():
            earlier.write({"state": "archived"})
        return Ack.create(
            [
                {"employee_id": employee.id, "document_id": document.id}
                for employee, document in pairs
            ]
        )

    @api.model
    def _neiqin_assign_documents(self, documents):
        """Assign these (just approved) documents to every employee of
        their jobs."""
        # sudo: the employees of the jobs of approved documents (company and
        # job only): the approver need not be an HR officer.
        employees = self.env["hr.employee"].sudo().search([("job_id", "in", documents.job_id.ids)])
        by_job = {document.job_id: document for document in documents}
        return self._neiqin_assign([(e, by_job[e.job_id]) for e in employees])

    @api.model
    def _neiqin_assign_employees(self, employees, archive_all=False):
        """Assign their job's current description to these employees (new
        or changed position)."""
        if archive_all and employees:
            # sudo: see _neiqin_assign; the employees whose job changed.
            earlier = self.sudo().search(
                [("employee_id", "in", employees.ids), ("state", "in", ("pending", "acknowledged"))]
            )
            with engine_writes():
                earlier.write({"state": "archived"})
        employees = employees.filtered("job_id")
        documents = (
            self.env["neiqin.job.document"]
            .sudo()
            .search([("job_id", "in", employees.job_id.ids), ("state", "=", "approved")])
        )
        by_job = {document.job_id: document for document in documents}
        return self._neiqin_assign([(e, by_job[e.job_id]) for e in employees if e.job_id in by_job])

    # ------------------------------------------------------------------ acknowledging

    def _neiqin_is_own(self):
        """Whether this acknowledgement is the user's own: the employee's
        user, or their work contact for a portal user."""
        self.ensure_one()
        user = self.env.user
        # sudo: the employee's user and work contact only, of a record the
        # caller reached already.
        employee = self.sudo().employee_id
        return employee.user_id == user or (
            user.share and employee.work_contact_id == user.partner_id
        )

    def action_acknowledge(self):
        """Button: the employee acknowledges their job description (their
        own only; the date and version are kept)."""
        self.check_access("read")
        for ack in self:
            if not ack._neiqin_is_own():
                raise UserError(
                    self.env._(
                        "Only %(employee)s acknowledges their job description.",
                        employee=ack.sudo().employee_id.name,
                    )
                )
            if ack.state != "pending":
                raise UserError(
                    self.env._(
                        "%(ack)s is not waiting for an acknowledgement.", ack=ack.display_name
                    )
                )
        # sudo: the caller's own pending acknowledgements (checked above);
        # only their state and date are written, and the reminders closed.
        acks = self.sudo()
        with engine_writes():
            acks.write({"state": "acknowledged", "acknowledged_at": fields.Datetime.now()})
        acks.activity_ids.filtered(
            lambda a: a.activity_type_id == self._neiqin_reminder_type()
        ).unlink()
        return True

    # ------------------------------------------------------------------ reminders

    def _neiqin_reminder_type(self):
        return self.env.ref("neiqin_docs.mail_activity_type_acknowledge")

    @api.model
    def _cron_remind_pending(self):
        """Daily: one activity for each employee whose acknowledgement waits
        for more than three days, none when they have one already. A
        constant number of queries."""
        activity_type = self._neiqin_reminder_type()
        limit = fields.Datetime.now() - timedelta(days=REMIND_AFTER_DAYS)
        self.env["mail.activity"].flush_model(["res_model", "res_id", "activity_type_id"])
        reminded = SQL(
            "(SELECT res_id FROM mail_activity WHERE res_model = %s AND activity_type_id = %s)",
            self._name,
            activity_type.id,
        )
        acks = self.search_fetch(
            [
                ("state", "=", "pending"),
                ("assigned_at", "<", limit),
                ("user_id", "!=", False),
                ("id", "not in", reminded),
            ],
            ["user_id", "document_id"],
        )
        if not acks:
            return 0
        model_id = self.env["ir.model"]._get_id(self._name)
        return create_reminders(
            self.env,
            self._name,
            [
                {
                    "res_model_id": model_id,
                    "res_id": ack.id,
                    "activity_type_id": activity_type.id,
                    "user_id": ack.user_id.id,
                    "summary": self.env._(
                        "Read and acknowledge %(document)s", document=ack.document_id.name
                    ),
                    "date_deadline": fields.Date.context_today(self),
                }
                for ack in acks
            ],
        )

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        if is_quiet(self.env):
            return True
        return super().message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids)
