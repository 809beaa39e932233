from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

LOGISTICS_STATES = [
    ("shipped", "Shipped"),
    ("in_transit", "In Transit"),
    ("delivered", "Delivered"),
    ("exception", "Delivery Exception"),
]
# How far ahead of our clock an event may be dated. A carrier's clock and
# ours differ by seconds or minutes, and a parcel scanned offline is pushed
# late, never early; an event dated hours ahead is a wrong date or time zone
# (a local time sent as UTC). The latest event sets the delivery's status,
# so such an event would freeze it until that time comes.
FUTURE_TOLERANCE = timedelta(hours=1)


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

    @api.constrains("picking_id", "event_at")
    def _check_neiqin_event(self):
        """Events follow a parcel once it left: they belong to validated
        deliveries (a *delivered* event ends the order's process), and are
        not dated ahead of time (see FUTURE_TOLERANCE)."""
        _ = self.env._
        latest = fields.Datetime.now() + FUTURE_TOLERANCE
        for event in self:
            if event.picking_id.state != "done":
                raise ValidationError(
                    _(
                        "%s is not shipped yet: logistics events are recorded for validated "
                        "deliveries only.",
                        event.picking_id.name,
                    )
                )
            if event.event_at > latest:
                raise ValidationError(
                    _(
                        "%(delivery)s: the event of %(when)s (UTC) is in the future; an event "
                        "may be dated at most one hour ahead.",
                        delivery=event.picking_id.name,
                        when=fields.Datetime.to_string(event.event_at),
                    )
                )
