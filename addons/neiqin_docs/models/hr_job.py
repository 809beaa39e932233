from odoo import fields, models


class HrJob(models.Model):
    _inherit = "hr.job"

    neiqin_document_ids = fields.One2many(
        "neiqin.job.document", "job_id", string="Job Descriptions"
    )
    neiqin_document_id = fields.Many2one(
        "neiqin.job.document",
        string="Current Job Description",
        compute="_compute_neiqin_document_id",
        help="The approved version of the position's job description.",
    )

    def _compute_neiqin_document_id(self):
        documents = self.env["neiqin.job.document"].search(
            [("job_id", "in", self.ids), ("state", "=", "approved")]
        )
        current = {document.job_id.id: document for document in documents}
        for job in self:
            job.neiqin_document_id = current.get(job.id, False)
