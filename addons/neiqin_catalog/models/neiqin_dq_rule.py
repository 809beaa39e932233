from odoo import fields, models


class NeiqinDqRule(models.Model):
    """The sales channels a product rule applies to: a rule for one channel
    (a title length on JD, say) stops publishing there only."""

    _inherit = "neiqin.dq.rule"

    neiqin_platform_ids = fields.Many2many(
        "neiqin.platform",
        "neiqin_dq_rule_platform_rel",
        "rule_id",
        "platform_id",
        string="Channels",
        tracking=True,
        help="Product rules: the sales channels where a blocking issue of this rule stops "
        "publishing. Empty: every channel.",
    )
