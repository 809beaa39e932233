from odoo import api, fields, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    neiqin_acknowledgement_ids = fields.One2many(
        "neiqin.job.acknowledgement",
        "employee_id",
        string="Job Description Acknowledgements",
        groups="hr.group_hr_user,neiqin_base.group_neiqin_lead",
    )

    @api.model_create_multi
    def create(self, vals_list):
        employees = super().create(vals_list)
        # Onboarding: a new employee with a position reads its description.
        self.env["neiqin.job.acknowledgement"]._neiqin_assign_employees(employees)
        return employees

    def write(self, vals):
        if "job_id" not in vals:
            return super().write(vals)
        changed = self.filtered(lambda e: e.job_id.id != (vals["job_id"] or False))
        result = super().write(vals)
        # A job change: the new description is assigned, the earlier
        # acknowledgements stay in the archive.
        self.env["neiqin.job.acknowledgement"]._neiqin_assign_employees(changed, archive_all=True)
        return result
