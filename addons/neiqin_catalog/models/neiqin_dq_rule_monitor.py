from odoo import api, fields, models


class NeiqinDqRule(models.Model):
    """Monitors are data-quality rules with an owner that watch products and
    stock once they are on sale (out of stock, not reviewed for long,
    negative stock). The engine's scheduled scan runs them like any rule."""

    _inherit = "neiqin.dq.rule"  # pylint: disable=consider-merging-classes-inherited

    neiqin_is_monitor = fields.Boolean(
        string="Monitor",
        help="Listed under Catalog › Monitors with its owner and open issues.",
    )
    neiqin_owner_display = fields.Char(
        string="Responsible",
        compute="_compute_neiqin_owner_display",
        help="The rule's owner, else its team's lead.",
    )

    @api.depends("owner_user_id", "owner_team_id.lead_user_id")
    def _compute_neiqin_owner_display(self):
        for rule in self:
            owner = rule.owner_user_id or rule.owner_team_id.lead_user_id
            rule.neiqin_owner_display = owner.name or rule.owner_team_id.name or ""
