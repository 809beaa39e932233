from odoo import fields, models

LOGISTICS_STATES = [
    ("shipped", "Shipped"),
    ("in_transit", "In Transit"),
    ("delivered", "Delivered"),
    ("exception", "Delivery Exception"),
]


class NeiqinLogisticsEvent(models.Model):
    """One event of a parcel's journey, pushed by a carrier or entered by hand."""

    _name = "neiqin.logistics.event"
    _description = "Logistics event"
    _order = "event_at desc, id desc"
    _check_company_auto = True

    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    sale_id = fields.Many2one(related="picking_id.sale_id", store=True, string="Order")
    company_id = fields.Many2one(related="picking_id.company_id", store=True)
    carrier_tracking_ref = fields.Char(
        related="picking_id.carrier_tracking_ref", string="Tracking Number"
    )
    state = fields.Selection(LOGISTICS_STATES, string="Status", required=True)
    event_at = fields.Datetime(string="When", required=True, default=fields.Datetime.now)
    location = fields.Char()
    description = fields.Char()
    external_id = fields.Char(
        string="Carrier Event ID",
        help="The carrier's identifier of the event: pushing it again changes nothing.",
    )

    _sql_constraints = [
        (
            "external_id_picking_uniq",
            "unique(picking_id, external_id)",
            "A carrier event is recorded once per delivery.",
        ),
    ]
