from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    neiqin_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Back-office Working Hours",
        help="Working hours used for step deadlines when a process names none.",
    )
    neiqin_escalation_hours = fields.Float(
        string="Escalate After (working hours)",
        default=4.0,
        help="Working hours past a step's deadline before the lead is alerted, "
        "when the step does not say otherwise.",
    )
