from odoo import api, fields, models


class NeiqinJobIndicator(models.Model):
    """An assessment indicator (考核指标) of a job description: what is
    measured, its target and its weight in the appraisal."""

    _name = "neiqin.job.indicator"
    _description = "Job description assessment indicator"
    _order = "document_id, sequence, id"

    document_id = fields.Many2one(
        "neiqin.job.document", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="document_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Indicator", required=True, translate=True)
    target = fields.Char(required=True, help="The level expected, e.g. ≥ 98 % or ≤ 2 hours.")
    weight = fields.Float(help="Share of the appraisal, in percent.")

    _sql_constraints = [
        ("weight_range", "CHECK (weight >= 0 AND weight <= 100)", "A weight is 0 to 100 %."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        self.env["neiqin.job.document"].browse(
            {vals["document_id"] for vals in vals_list if vals.get("document_id")}
        )._neiqin_check_draft()
        return super().create(vals_list)

    def write(self, vals):
        # An approved version's indicators are approved with it.
        self.document_id._neiqin_check_draft()
        if vals.get("document_id"):
            self.document_id.browse(vals["document_id"])._neiqin_check_draft()
        return super().write(vals)

    def unlink(self):
        self.document_id._neiqin_check_draft()
        return super().unlink()
