from odoo import fields, models


class NeiqinJobIndicator(models.Model):
    """An assessment indicator (考核指标) of a job description: what is
    measured, its target and its weight in the appraisal."""

    _name = "neiqin.job.indicator"
    _description = "Job description assessment indicator"
    _inherit = ["neiqin.job.document.line"]
    _order = "document_id, sequence, id"

    name = fields.Char(string="Indicator", required=True, translate=True)
    target = fields.Char(required=True, help="The level expected, e.g. ≥ 98 % or ≤ 2 hours.")
    weight = fields.Float(help="Share of the appraisal, in percent.")

    _sql_constraints = [
        ("weight_range", "CHECK (weight >= 0 AND weight <= 100)", "A weight is 0 to 100 %."),
    ]
