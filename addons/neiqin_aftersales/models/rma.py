from odoo import fields, models


class Rma(models.Model):
    _inherit = "rma"

    neiqin_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Service Ticket",
        index="btree_not_null",
        copy=False,
        check_company=True,
        help="The after-sales ticket this return was opened from.",
    )
