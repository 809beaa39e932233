from odoo import fields, models

NOTICE_KINDS = [
    ("confirmed", "Order Confirmed"),
    ("shipped", "Order Shipped"),
    ("delayed", "Delivery Delayed"),
    ("delivered", "Order Delivered"),
]


class NeiqinOrderNotice(models.Model):
    """A customer notice sent for an order: at most one of each kind."""

    _name = "neiqin.order.notice"
    _description = "Customer notice"
    _order = "sent_at desc, id desc"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer")
    kind = fields.Selection(NOTICE_KINDS, required=True)
    sent_at = fields.Datetime(required=True, default=fields.Datetime.now)
    template_id = fields.Many2one("mail.template")
    message_id = fields.Many2one("mail.message")

    _sql_constraints = [
        (
            "order_kind_uniq",
            "unique(order_id, kind)",
            "Each customer notice is sent once per order.",
        ),
    ]
