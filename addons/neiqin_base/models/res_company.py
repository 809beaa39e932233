from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .neiqin_notice import CHANNEL_KEYS


class ResCompany(models.Model):
    _inherit = "res.company"

    neiqin_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours for Deadlines",
        help="Step deadlines count only these working hours (evenings, weekends and "
        "holidays do not use up the time), unless a process names its own.",
    )
    neiqin_escalation_hours = fields.Float(
        string="Alert the Lead When a Step Is Late By (working hours)",
        default=4.0,
        help="How many working hours a step may stay past its deadline before the team "
        "lead gets an alert, unless the step sets its own delay.",
    )
    neiqin_notice_channels = fields.Char(
        string="Notice Channels, in Order of Preference",
        default="email,platform,sms",
        help="The channels tried for each customer notice, first to last, separated by "
        "commas: email (the customer has an address), platform (the platform's buyer "
        "messaging, delivered by its connector), sms (the customer has a phone and an "
        "SMS provider is installed).",
    )
    neiqin_quiet_start_hour = fields.Float(
        string="Quiet Hours From",
        default=21.0,
        help="SMS and platform messages queued from this hour are held until the end of "
        "the quiet hours (company's time zone). E-mails are not held.",
    )
    neiqin_quiet_end_hour = fields.Float(string="Quiet Hours Until", default=8.0)

    @api.constrains("neiqin_notice_channels")
    def _check_neiqin_notice_channels(self):
        for company in self:
            codes = [c.strip() for c in (company.neiqin_notice_channels or "").split(",")]
            wrong = [c for c in codes if c not in CHANNEL_KEYS]
            if wrong or not any(codes):
                raise ValidationError(
                    self.env._(
                        "Notice channels are a list of %(known)s separated by commas; "
                        "unknown: %(wrong)s.",
                        known=", ".join(CHANNEL_KEYS),
                        wrong=", ".join(wrong) or "-",
                    )
                )

    @api.constrains("neiqin_quiet_start_hour", "neiqin_quiet_end_hour")
    def _check_neiqin_quiet_hours(self):
        for company in self:
            if not (
                0 <= company.neiqin_quiet_start_hour < 24
                and 0 <= company.neiqin_quiet_end_hour < 24
            ):
                raise ValidationError(self.env._("Quiet hours are hours from 0 to 24."))

    def _neiqin_notice_channel_order(self):
        self.ensure_one()
        codes = [c.strip() for c in (self.neiqin_notice_channels or "").split(",")]
        return [c for c in codes if c in CHANNEL_KEYS]
