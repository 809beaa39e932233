from odoo import fields, models

from .helpdesk_ticket import SERVICE_TYPES


class NeiqinServiceFlow(models.Model):
    """The service flow sheet (服务流程表) of one service type, and
    optionally one category: for each step of the customer-service process,
    what to do and which standard replies to use."""

    _name = "neiqin.service.flow"
    _description = "Service flow sheet"
    _order = "sequence, service_type, id"

    name = fields.Char(required=True, translate=True)
    service_type = fields.Selection(SERVICE_TYPES, required=True, index=True)
    category_id = fields.Many2one(
        "helpdesk.ticket.category",
        help="The sheet of a category is used before the sheet of its service type alone.",
    )
    company_id = fields.Many2one("res.company", help="Empty: the sheet serves every company.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    line_ids = fields.One2many("neiqin.service.flow.line", "flow_id", string="Steps", copy=True)
