from odoo import api, fields, models


class NeiqinTeam(models.Model):
    _name = "neiqin.team"
    _description = "Back-office team"
    _inherit = ["mail.thread"]
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Empty: the team works for every company.",
    )
    lead_user_id = fields.Many2one(
        "res.users",
        string="Team Lead",
        tracking=True,
        check_company=True,
        help="Receives the escalations of the team's overdue steps.",
    )
    member_ids = fields.Many2many(
        "res.users",
        "neiqin_team_member_rel",
        "team_id",
        "user_id",
        string="Members",
        check_company=True,
    )
    member_count = fields.Integer(compute="_compute_member_count")

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A team name must be unique per company.",
        ),
    ]

    @api.depends("member_ids")
    def _compute_member_count(self):
        for team in self:
            team.member_count = len(team.member_ids)
