from odoo import api, fields, models


class NeiqinResponsibility(models.Model):
    _inherit = "neiqin.responsibility"

    neiqin_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Service Ticket",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="The complaint ticket this record was made from.",
    )

    @api.model
    def _neiqin_owned_fields(self):
        # Set by the ticket that made the record: a user does not re-link it.
        return super()._neiqin_owned_fields() | {"neiqin_ticket_id"}
