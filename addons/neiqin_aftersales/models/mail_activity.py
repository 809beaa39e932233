from odoo import fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    neiqin_is_low_rating_follow_up = fields.Boolean(
        string="Low Rating Follow-up",
        readonly=True,
        copy=False,
        help="Opened for the service lead by a customer's low rating of a ticket.",
    )
