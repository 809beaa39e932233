from odoo import fields, models


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    neiqin_waits_for_customer = fields.Boolean(
        string="Waits for the Customer",
        help="A ticket in this stage waits for the customer's answer: the clock of its "
        "current process step stops until the ticket leaves the stage or the customer "
        "writes.",
    )
    neiqin_asks_rating = fields.Boolean(
        string="Asks for a Rating",
        help="A ticket closed in this stage goes on to the satisfaction rating step of its "
        "process; a ticket closed in another closing stage (cancelled, rejected) leaves "
        "its process.",
    )
