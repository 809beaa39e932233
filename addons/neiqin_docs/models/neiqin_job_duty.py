from odoo import api, fields, models


class NeiqinJobDuty(models.Model):
    """A main duty (主要职责) of a job description, bound to the process steps
    the position owns through it."""

    _name = "neiqin.job.duty"
    _description = "Job description duty"
    _order = "document_id, sequence, id"

    document_id = fields.Many2one(
        "neiqin.job.document", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="document_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Duty", required=True, translate=True)
    description = fields.Text(translate=True)
    step_ids = fields.Many2many(
        "neiqin.process.step",
        "neiqin_job_duty_step_rel",
        "duty_id",
        "step_id",
        string="Process Steps",
        help="The process steps this duty makes the position the owner of.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        self.env["neiqin.job.document"].browse(
            {vals["document_id"] for vals in vals_list if vals.get("document_id")}
        )._neiqin_check_draft()
        return super().create(vals_list)

    def write(self, vals):
        # An approved version's duties are approved with it (its archive).
        self.document_id._neiqin_check_draft()
        if vals.get("document_id"):
            self.document_id.browse(vals["document_id"])._neiqin_check_draft()
        return super().write(vals)

    def unlink(self):
        self.document_id._neiqin_check_draft()
        return super().unlink()
