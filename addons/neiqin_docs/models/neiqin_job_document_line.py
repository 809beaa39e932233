from odoo import api, fields, models


class NeiqinJobDocumentLine(models.AbstractModel):
    """A line of a job description (a duty, an indicator): approved with
    its version, so only a draft's lines are created, changed or removed."""

    _name = "neiqin.job.document.line"
    _description = "Line of a job description"
    _order = "document_id, sequence, id"

    document_id = fields.Many2one(
        "neiqin.job.document", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="document_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)

    @api.model_create_multi
    def create(self, vals_list):
        self.env["neiqin.job.document"].browse(
            {vals["document_id"] for vals in vals_list if vals.get("document_id")}
        )._neiqin_check_draft()
        return super().create(vals_list)

    def write(self, vals):
        self.document_id._neiqin_check_draft()
        if vals.get("document_id"):
            self.document_id.browse(vals["document_id"])._neiqin_check_draft()
        return super().write(vals)

    def unlink(self):
        self.document_id._neiqin_check_draft()
        return super().unlink()
