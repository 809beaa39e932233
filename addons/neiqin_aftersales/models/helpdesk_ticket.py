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
    ticket) and closes through the ``ticket_close`` gate.

    Its features extend it one file each, in the order models/__init__.py
    imports them, and hook into one another through ``super()``:
    helpdesk_ticket_replies.py (standard replies), helpdesk_ticket_returns.py
    (returns), helpdesk_ticket_flow.py (the service flow, complaints and the
    closing rules), helpdesk_ticket_csat.py (satisfaction, on the flow's
    rating-step hook) and helpdesk_ticket_api.py (the batch API)."""

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
