from odoo import api, fields, models
from odoo.exceptions import ValidationError


class NeiqinJobDocumentCompareWizard(models.TransientModel):
    """Compare any two versions of one job position's description."""

    _name = "neiqin.job.document.compare.wizard"
    _description = "Compare two versions of a job description"

    old_id = fields.Many2one("neiqin.job.document", string="Earlier Version", required=True)
    new_id = fields.Many2one("neiqin.job.document", string="Later Version", required=True)
    job_id = fields.Many2one(related="new_id.job_id")
    diff_html = fields.Html(compute="_compute_diff_html", string="Changes", sanitize=False)

    @api.constrains("old_id", "new_id")
    def _check_same_job(self):
        for wizard in self:
            if wizard.old_id.job_id != wizard.new_id.job_id:
                raise ValidationError(
                    self.env._(
                        "%(old)s and %(new)s are versions of different job positions: "
                        "compare two versions of one position.",
                        old=wizard.old_id.display_name,
                        new=wizard.new_id.display_name,
                    )
                )

    @api.depends("old_id", "new_id")
    def _compute_diff_html(self):
        for wizard in self:
            old, new = wizard.old_id, wizard.new_id
            if old and new and old.job_id == new.job_id:
                wizard.diff_html = new._neiqin_diff_html(old)
            else:
                wizard.diff_html = False
