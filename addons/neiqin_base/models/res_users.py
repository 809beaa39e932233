from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    neiqin_team_ids = fields.Many2many(
        "neiqin.team",
        "neiqin_team_member_rel",
        "user_id",
        "team_id",
        string="Back-office Teams",
    )
    neiqin_platform_ids = fields.Many2many(
        "neiqin.platform",
        "neiqin_platform_user_rel",
        "user_id",
        "platform_id",
        string="Connector of Platforms",
        help="A connector's API user: it reaches only the customer notices of these "
        "platforms. Empty for everyone else.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        if any(vals.get("neiqin_platform_ids") for vals in vals_list):
            # Record rules read the platforms; their domains are cached.
            self.env.registry.clear_cache()
        return users

    def write(self, vals):
        result = super().write(vals)
        if "neiqin_platform_ids" in vals:
            # Record rules read the platforms; their domains are cached.
            self.env.registry.clear_cache()
        return result
