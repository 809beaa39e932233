from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    neiqin_team_ids = fields.Many2many(
        "neiqin.team",
        "neiqin_team_member_rel",
        "user_id",
        "team_id",
        string="Back-office Teams",
    )
