from odoo import fields, models


class NeiqinDqRule(models.Model):
    """The number the order review's hold after payment reads (its own file:
    the review strategies are kept apart from the data checks)."""

    _inherit = "neiqin.dq.rule"

    hold_minutes_after_payment = fields.Integer(
        string="Hold After Payment (Minutes)",
        help="Paid less than this many minutes ago: a paid order is not approved before, as "
        "buyers often change their address right after paying. The review approves it by "
        "itself once they have passed. 0: no hold.",
    )
