from odoo import fields, models

SERVICE_TYPES = [
    ("consultation", "Consultation"),
    ("complaint", "Complaint"),
    ("return", "Return and Refund"),
    ("exchange", "Exchange"),
    ("refund", "Refund Only"),
    ("resend", "Resend"),
    ("repair", "Repair"),
    ("other", "Other"),
]


class HelpdeskTicket(models.Model):
    """A helpdesk ticket is an after-sales case: it goes through the
    customer-service process (neiqin_base's process engine, one clock per
    ticket) and closes through the ``ticket_close`` gate."""

    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "neiqin.process.mixin", "neiqin.gate.mixin"]
    _neiqin_process = "service"
    _neiqin_gate = "ticket_close"

    neiqin_service_type = fields.Selection(
        SERVICE_TYPES,
        string="Service Type",
        default="consultation",
        required=True,
        tracking=True,
        index=True,
    )
    neiqin_rma_ids = fields.One2many("rma", "neiqin_ticket_id", string="Returns")

    def _neiqin_in_review(self):
        # Every ticket closes through its gate.
        return self
