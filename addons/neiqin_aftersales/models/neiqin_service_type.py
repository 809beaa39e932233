from odoo import fields, models

from .helpdesk_ticket import SERVICE_TYPES


class NeiqinServiceType(models.Model):
    """One service type of the tickets (``neiqin_service_type``) as a
    record, so that a reply template can name the several types it suits."""

    _name = "neiqin.service.type"
    _description = "After-sales service type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(
        SERVICE_TYPES,
        required=True,
        help="The ticket's service type this record stands for.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "Each service type is recorded once."),
    ]
