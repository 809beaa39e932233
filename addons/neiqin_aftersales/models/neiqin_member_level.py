from odoo import api, fields, models
from odoo.exceptions import ValidationError


class NeiqinMemberLevel(models.Model):
    """A member level (会员等级): a customer reaches it when their confirmed
    orders add up to at least ``min_spend`` (untaxed, in the company's
    currency) and they number at least ``min_orders``. The highest level
    reached is the customer's."""

    _name = "neiqin.member.level"
    _description = "Member Level"
    _order = "sequence, min_spend, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10, help="Higher levels come later: the last level reached is the customer's."
    )
    min_spend = fields.Monetary(
        string="Minimum Spend",
        currency_field="currency_id",
        help="Untaxed total of the customer's confirmed orders, in the company's currency.",
    )
    min_orders = fields.Integer(string="Minimum Orders")
    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: the level applies in every company."
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        help="The company's currency (the current company's for shared levels).",
    )
    active = fields.Boolean(default=True)
    partner_count = fields.Integer(string="Members", compute="_compute_partner_count")

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_currency_id(self):
        for level in self:
            level.currency_id = (level.company_id or self.env.company).currency_id

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("neiqin_member_level_id", "in", self.ids)],
                ["neiqin_member_level_id"],
                ["__count"],
            )
        )
        for level in self:
            level.partner_count = counts.get(level, 0)

    @api.constrains("min_spend", "min_orders")
    def _check_thresholds(self):
        for level in self:
            if level.min_spend < 0 or level.min_orders < 0:
                raise ValidationError(
                    self.env._(
                        "Member level %s: the minimum spend and orders cannot be negative.",
                        level.name,
                    )
                )
