from odoo import fields, models


class NeiqinComplaintCause(models.Model):
    """Root cause of a complaint (投诉原因). An internal cause names the step
    of the order process where the shop went wrong: closing a complaint with
    such a cause records a responsibility on that step of the order."""

    _name = "neiqin.complaint.cause"
    _description = "Complaint root cause"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    code = fields.Char(required=True)
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    is_internal = fields.Boolean(
        string="Internal Cause",
        help="The shop's own fault: closing a complaint with this cause records a "
        "responsibility on the order step below.",
    )
    order_step_id = fields.Many2one(
        "neiqin.process.step",
        string="Order Step at Fault",
        domain="[('process_id.model_name', '=', 'sale.order')]",
        ondelete="restrict",
        help="The step of the order process the cause points to.",
    )
    description = fields.Text()

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "The code of a complaint cause is unique."),
    ]
