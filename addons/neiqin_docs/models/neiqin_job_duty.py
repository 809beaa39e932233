from odoo import fields, models


class NeiqinJobDuty(models.Model):
    """A main duty (主要职责) of a job description, bound to the process steps
    the position owns through it."""

    _name = "neiqin.job.duty"
    _description = "Job description duty"
    _inherit = ["neiqin.job.document.line"]
    _order = "document_id, sequence, id"

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
