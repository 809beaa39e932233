from odoo import fields, models

# The order notices (sale.order._neiqin_send_notice).
NOTICE_KINDS = [
    ("confirmed", "Order Confirmed"),
    ("shipped", "Order Shipped"),
    ("delayed", "Delivery Delayed"),
    ("delivered", "Order Delivered"),
]


class NeiqinNotice(models.Model):
    _inherit = "neiqin.notice"

    kind = fields.Selection(
        selection_add=NOTICE_KINDS, ondelete=dict.fromkeys(dict(NOTICE_KINDS), "cascade")
    )
