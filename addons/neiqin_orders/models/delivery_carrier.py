import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    neiqin_code = fields.Char(
        string="Carrier Code",
        help="Short code integrations use for this carrier, e.g. SF, ZTO, YTO.",
    )
    neiqin_tracking_pattern = fields.Char(
        string="Tracking Number Pattern",
        help="Regular expression every tracking number of this carrier must match, "
        "e.g. ^SF[0-9]{12}$. Empty: any number is accepted.",
    )

    @api.constrains("neiqin_tracking_pattern")
    def _check_neiqin_tracking_pattern(self):
        for carrier in self.filtered("neiqin_tracking_pattern"):
            try:
                re.compile(carrier.neiqin_tracking_pattern)
            except re.error as exc:
                raise ValidationError(
                    self.env._(
                        "Carrier %(carrier)s: the tracking pattern %(pattern)s is not a valid "
                        "regular expression: %(error)s",
                        carrier=carrier.name,
                        pattern=carrier.neiqin_tracking_pattern,
                        error=exc,
                    )
                ) from exc

    def _neiqin_tracking_error(self, number):
        """Why ``number`` is not a valid tracking number of this carrier, or ''."""
        self.ensure_one()
        number = (number or "").strip()
        if not number:
            return self.env._("The tracking number is empty.")
        pattern = self.neiqin_tracking_pattern
        if pattern and not re.fullmatch(pattern, number):
            return self.env._(
                "%(number)s is not a %(carrier)s tracking number (expected pattern %(pattern)s).",
                number=number,
                carrier=self.name,
                pattern=pattern,
            )
        return ""
