from odoo import fields, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    neiqin_acknowledgement_ids = fields.One2many(
        "neiqin.job.acknowledgement",
        "employee_id",
        string="Job Description Acknowledgements",
        groups="hr.group_hr_user,neiqin_base.group_neiqin_lead",
    )
