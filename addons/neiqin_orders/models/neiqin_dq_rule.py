from odoo import fields, models


class NeiqinDqRule(models.Model):
    """The numbers the order review's module checks read, one field each."""

    _inherit = "neiqin.dq.rule"

    duplicate_window_hours = fields.Float(
        string="Within (Hours)",
        help="Probable duplicate order: another open order of the same customer to the same "
        "address placed within this many hours of the order. 0: 24 hours.",
    )
    max_price_deviation_percent = fields.Float(
        string="Maximum Deviation From List Price (%)",
        help="Price below floor or off the list price: the net unit price of a line may differ "
        "from the product's list price by this percent at most. 0: 30%.",
    )
    hold_minutes_after_payment = fields.Integer(
        string="Hold After Payment (Minutes)",
        help="Paid moments ago: a paid order is not approved before this many minutes have "
        "passed since its payment, as buyers often change their address right after paying. "
        "The review approves it by itself afterwards. 0: no hold.",
    )
