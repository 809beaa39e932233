from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    neiqin_auto_approve = fields.Boolean(
        string="Approve Clean Orders Automatically",
        default=True,
        help="The review cron approves orders without blocking exceptions.",
    )
    neiqin_confirm_approved = fields.Boolean(
        string="Confirm Approved Platform Orders",
        default=True,
        help="Orders from a platform are confirmed as soon as they are approved: "
        "the customer has already placed them.",
    )
    neiqin_send_notices = fields.Boolean(
        string="Send Customer Notices",
        default=True,
        help="Mail the customer when the order is confirmed, shipped, delayed and delivered.",
    )
