from odoo import api, fields, models

ACK_STATES = [
    ("pending", "To Acknowledge"),
    ("acknowledged", "Acknowledged"),
    ("archived", "Archived"),
]


class NeiqinJobAcknowledgement(models.Model):
    """A job description assigned to an employee, and their acknowledgement
    of it (date and version kept). On a job change the new description is
    assigned and the old acknowledgement stays, archived."""

    _name = "neiqin.job.acknowledgement"
    _description = "Job description acknowledgement"
    _inherit = ["mail.thread", "neiqin.engine.mixin"]
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

    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | {"state", "assigned_at", "acknowledged_at"}
