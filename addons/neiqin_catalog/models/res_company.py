from odoo import api, fields, models
from odoo.exceptions import ValidationError

COMPLETENESS_CRON = "neiqin_catalog.ir_cron_neiqin_completeness"


class ResCompany(models.Model):
    _inherit = "res.company"

    neiqin_description_min_chars = fields.Integer(
        string="Shortest Sales Description",
        default=20,
        help="A product's sales description has at least this many characters.",
    )
    neiqin_image_min_px = fields.Integer(
        string="Smallest Product Image",
        default=600,
        help="A product's image is at least this many pixels on its shorter side.",
    )

    @api.constrains("neiqin_description_min_chars", "neiqin_image_min_px")
    def _check_neiqin_standards(self):
        for company in self:
            if company.neiqin_description_min_chars < 0 or company.neiqin_image_min_px < 0:
                raise ValidationError(
                    self.env._(
                        "The shortest description and the smallest image cannot be negative."
                    )
                )

    def write(self, vals):
        result = super().write(vals)
        if {"neiqin_description_min_chars", "neiqin_image_min_px"} & set(vals):
            # Every product of the company scores again: the scheduled
            # computation, soon, rather than the request saving the settings.
            cron = self.env.ref(COMPLETENESS_CRON, raise_if_not_found=False)
            if cron:
                cron.sudo()._trigger()  # found by its xml id; triggering runs nothing now
        return result
