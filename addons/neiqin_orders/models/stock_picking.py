from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .neiqin_logistics_event import LOGISTICS_STATES


class StockPicking(models.Model):
    _inherit = "stock.picking"

    neiqin_logistics_state = fields.Selection(
        LOGISTICS_STATES, string="Logistics Status", copy=False, tracking=True, index=True
    )
    neiqin_logistics_event_ids = fields.One2many(
        "neiqin.logistics.event", "picking_id", string="Logistics History"
    )
    neiqin_last_event_at = fields.Datetime(string="Last Logistics Event", copy=False)

    @api.constrains("carrier_tracking_ref", "carrier_id")
    def _check_neiqin_tracking_ref(self):
        for picking in self.filtered(
            lambda p: p.carrier_tracking_ref and p.carrier_id.neiqin_tracking_pattern
        ):
            error = picking.carrier_id._neiqin_tracking_error(picking.carrier_tracking_ref)
            if error:
                raise ValidationError(
                    self.env._("%(delivery)s: %(error)s", delivery=picking.name, error=error)
                )

    def _neiqin_sale_deliveries(self):
        return self.filtered(lambda p: p.sale_id and p.picking_type_code == "outgoing")

    def button_validate(self):
        orders = self._neiqin_sale_deliveries().sale_id
        if orders:
            orders._neiqin_check_can_proceed(self.env._("Shipping"))
        return super().button_validate()

    def _action_done(self):
        result = super()._action_done()
        shipped = self._neiqin_sale_deliveries().filtered(
            lambda p: p.state == "done" and not p.neiqin_logistics_state
        )
        if shipped:
            shipped._neiqin_add_events([{"state": "shipped"} for _picking in shipped])
            shipped.sale_id._neiqin_shipped()
        return result

    def _neiqin_add_events(self, events):
        """Record one logistics event per picking (``events`` in the same
        order as ``self``); the latest event sets the picking's status, and a
        delivery moves its order to the customer notice."""
        vals_list = []
        for picking, event in zip(self, events):
            vals_list.append(
                {
                    "picking_id": picking.id,
                    "state": event["state"],
                    "event_at": event.get("event_at") or fields.Datetime.now(),
                    "location": event.get("location") or False,
                    "description": event.get("description") or False,
                    "external_id": event.get("external_id") or False,
                }
            )
        created = self.env["neiqin.logistics.event"].create(vals_list)
        for picking in self:
            latest = created.filtered(lambda e, p=picking: e.picking_id == p).sorted("event_at")[
                -1:
            ]
            if latest and (
                not picking.neiqin_last_event_at or latest.event_at >= picking.neiqin_last_event_at
            ):
                picking.write(
                    {
                        "neiqin_logistics_state": latest.state,
                        "neiqin_last_event_at": latest.event_at,
                    }
                )
        delivered = self.filtered(lambda p: p.neiqin_logistics_state == "delivered")
        orders = delivered.sale_id.filtered(
            lambda o: o.neiqin_step_id.code in ("tracking", "dispatch")
        )
        if orders:
            orders._neiqin_delivered()
        return created

    # ------------------------------------------------------------ tracking numbers
    @api.model
    def _neiqin_set_tracking(self, items):
        """Set tracking numbers (see ``sale.order.api_set_tracking_numbers``);
        used by the XML-RPC API and the bulk import wizard alike."""
        carriers = self.env["delivery.carrier"].search([("neiqin_code", "!=", False)])
        by_code = {c.neiqin_code.lower(): c for c in carriers}
        return self.env["sale.order"]._api_run(
            items, lambda item: self._neiqin_set_tracking_one(item, by_code), "tracking_number"
        )

    def _neiqin_find_delivery(self, item):
        _ = self.env._
        outgoing = [("picking_type_code", "=", "outgoing"), ("state", "!=", "cancel")]
        if item.get("picking"):
            pickings = self.search([("name", "=", str(item["picking"]).strip()), *outgoing])
            label = item["picking"]
        else:
            if item.get("order"):
                orders = self.env["sale.order"].search([("name", "=", str(item["order"]).strip())])
                label = item["order"]
            elif item.get("platform_order_no"):
                domain = [("neiqin_platform_order_no", "=", str(item["platform_order_no"]).strip())]
                if item.get("platform"):
                    domain.append(("neiqin_platform", "=", str(item["platform"]).strip()))
                orders = self.env["sale.order"].search(domain)
                label = item["platform_order_no"]
            else:
                raise UserError(_("Name the delivery: picking, order or platform_order_no."))
            if len(orders) > 1:
                raise UserError(_("%s matches several orders.", label))
            pickings = orders.picking_ids.filtered_domain(outgoing)
        if not pickings:
            raise UserError(_("No open delivery found for %s.", label))
        if len(pickings) > 1:
            pending = pickings.filtered(lambda p: not p.carrier_tracking_ref)
            if len(pending) != 1:
                raise UserError(_("%s has several deliveries: name the delivery itself.", label))
            pickings = pending
        return pickings

    def _neiqin_set_tracking_one(self, item, carriers_by_code):
        _ = self.env._
        number = str(item.get("tracking_number") or "").strip()
        if not number:
            raise UserError(_("tracking_number is required."))
        picking = self._neiqin_find_delivery(item)
        carrier = picking.carrier_id
        code = str(item.get("carrier") or "").strip()
        if code:
            carrier = carriers_by_code.get(code.lower())
            if not carrier:
                raise UserError(_("Unknown carrier code %s.", code))
        if carrier:
            error = carrier._neiqin_tracking_error(number)
            if error:
                raise UserError(error)
        if picking.carrier_tracking_ref == number and picking.carrier_id == carrier:
            return {"status": "unchanged", "picking": picking.name}
        picking.write({"carrier_tracking_ref": number, "carrier_id": carrier.id})
        return {"status": "updated", "picking": picking.name}
