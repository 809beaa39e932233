from odoo import fields, models


class MailMessage(models.Model):
    _inherit = "mail.message"

    neiqin_external_id = fields.Char(
        string="External Message ID",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The message's id in the system it came from (a marketplace's buyer chat, a "
        "customer-service system): the XML-RPC API posts a message once, whatever the "
        "number of pushes.",
    )
