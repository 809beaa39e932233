from odoo import fields, models


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
