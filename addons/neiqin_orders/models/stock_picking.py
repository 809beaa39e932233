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
        """The deliveries of orders in the order process: the others follow
        Odoo's standard flow untouched."""
        return self.filtered(
            lambda p: p.sale_id.neiqin_process_id and p.picking_type_code == "outgoing"
        )

    def button_validate(self):
        # The orders of the deliveries being validated are checked as the
        # review engine: it writes their review states and files their
        # issues, whether the user validating (a warehouse user) may edit
        # orders or not. The user's right to validate is stock's own check.
        orders = self._neiqin_sale_deliveries().sale_id.sudo()
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
            # The orders' steps and notices follow the delivery, whoever
            # validated it: the engine moves them (see button_validate).
            shipped.sale_id.sudo()._neiqin_shipped()
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
            # The engine moves the orders of delivered parcels, whoever
            # recorded the event (a carrier's connector, a warehouse user).
            orders.sudo()._neiqin_delivered()
        return created

    # ------------------------------------------------------------ tracking numbers
    @api.model
    def _neiqin_set_tracking(self, items, method=None):
        """Set tracking numbers (see ``sale.order.api_set_tracking_numbers``);
        used by the XML-RPC API and the bulk import wizard alike. Deliveries
        are looked up for the whole list at once and the numbers written
        together (``sale.order._api_run_prepared``); ``method`` names the
        API method the items' idempotency keys are kept under."""
        carriers = self.env["delivery.carrier"].search([("neiqin_code", "!=", False)])
        by_code = {c.neiqin_code.lower(): c for c in carriers}
        return self.env["sale.order"]._api_run_prepared(
            items,
            "tracking_number",
            parse=self._neiqin_parse_tracking_item,
            prepare=lambda item, index: self._neiqin_tracking_plan(item, by_code, index),
            apply=lambda plan, _index: self._neiqin_tracking_apply(plan),
            build_index=self._neiqin_delivery_index,
            apply_many=lambda plans, _index: self._neiqin_tracking_apply_many(plans),
            method=method,
        )

    @api.model
    def _neiqin_parse_tracking_item(self, item):
        """The item's values, their types and lengths checked."""
        text = self.env["sale.order"]._api_text
        clean = {
            key: text(item.get(key), key)
            for key in ("picking", "order", "platform_order_no", "platform", "carrier")
        }
        clean["tracking_number"] = text(
            item.get("tracking_number"), "tracking_number", required=True
        )
        return clean

    @api.model
    def _neiqin_delivery_index(self, items):
        """The deliveries and orders the checked ``items`` name, found with
        one search per kind of reference (picking, order, platform order
        number), and the open deliveries that already carry their tracking
        numbers."""

        def refs(key):
            return list({i[key] for i in items if i[key]})

        outgoing = [("picking_type_code", "=", "outgoing"), ("state", "!=", "cancel")]
        orders = self.env["sale.order"]
        pickings = self.browse()
        if names := refs("picking"):
            pickings = self.search([("name", "in", names), *outgoing])
        if names := refs("order"):
            orders |= orders.search([("name", "in", names)])
        if numbers := refs("platform_order_no"):
            orders |= orders.search([("neiqin_platform_order_no", "in", numbers)])
        used = {}
        if numbers := refs("tracking_number"):
            # Whatever the caller may read: a number on a delivery they
            # cannot see is still taken. Safe: the domain is ours, the
            # caller only chooses the tracking numbers it compares, and a
            # delivery found is named only to who may read it
            # (_neiqin_tracking_taken).
            for other in self.sudo().search([("carrier_tracking_ref", "in", numbers), *outgoing]):
                key = (other.company_id.id, other.carrier_tracking_ref)
                used[key] = used.get(key, self.browse()) | other.sudo(False)
        return {
            "picking": pickings.grouped("name"),
            "order": orders.grouped("name"),
            "platform_order_no": orders.grouped("neiqin_platform_order_no"),
            # One read of every order's deliveries.
            "deliveries": orders.picking_ids.filtered_domain(outgoing).grouped(
                lambda p: p.sale_id.id
            ),
            "used": used,
            # (company, number) -> the delivery an earlier item of this call gave it
            "claimed": {},
        }

    def _neiqin_find_delivery(self, item, index):
        """The delivery ``item`` names, from ``_neiqin_delivery_index``."""
        _ = self.env._
        if item["picking"]:
            label = item["picking"]
            pickings = index["picking"].get(label, self.browse())
        else:
            if item["order"]:
                label = item["order"]
                orders = index["order"].get(label, self.env["sale.order"])
            elif item["platform_order_no"]:
                label = item["platform_order_no"]
                orders = index["platform_order_no"].get(label, self.env["sale.order"])
                if item["platform"]:
                    orders = orders.filtered(lambda o: o.neiqin_platform == item["platform"])
            else:
                raise UserError(_("Name the delivery: picking, order or platform_order_no."))
            if not orders:
                raise UserError(_("No order %s found.", label))
            if len(orders) > 1:
                raise UserError(_("%s matches several orders.", label))
            pickings = index["deliveries"].get(orders.id, self.browse())
        if not pickings:
            raise UserError(_("No open delivery found for %s.", label))
        if len(pickings) > 1:
            pending = pickings.filtered(lambda p: not p.carrier_tracking_ref)
            if len(pending) != 1:
                raise UserError(_("%s has several deliveries: name the delivery itself.", label))
            pickings = pending
        return pickings

    def _neiqin_tracking_plan(self, item, carriers_by_code, index):
        """Check one item; return what to write, or its result if nothing."""
        _ = self.env._
        number = item["tracking_number"]
        picking = self._neiqin_find_delivery(item, index)
        carrier = picking.carrier_id
        code = item["carrier"]
        if code:
            carrier = carriers_by_code.get(code.lower())
            if not carrier:
                raise UserError(_("Unknown carrier code %s.", code))
        if carrier:
            error = carrier._neiqin_tracking_error(number)
            if error:
                raise UserError(error)
        # Carrier events find their delivery by tracking number: one number
        # is on one open delivery of a company.
        key = (picking.company_id.id, number)
        others = index["used"].get(key, self.browse()) - picking
        if others:
            raise UserError(self._neiqin_tracking_taken(number, others[0]))
        claimed = index["claimed"].setdefault(key, picking)
        if claimed != picking:
            raise UserError(
                _(
                    "The tracking number %(number)s is given to %(delivery)s earlier in this "
                    "call.",
                    number=number,
                    delivery=claimed.name,
                )
            )
        if picking.carrier_tracking_ref == number and picking.carrier_id == carrier:
            return {"status": "unchanged", "picking": picking.name}
        return picking, number, carrier

    def _neiqin_tracking_taken(self, number, other):
        """The message refusing ``number``, already on the delivery
        ``other``: named only if the user may read it."""
        if other.has_access("read"):
            return self.env._(
                "The tracking number %(number)s is already on the delivery %(delivery)s.",
                number=number,
                delivery=other.name,
            )
        return self.env._("The tracking number %s is already on another delivery.", number)

    @api.model
    def _neiqin_tracking_apply_many(self, plans):
        pickings = self.browse([picking.id for picking, _number, _carrier in plans])
        # What depends on a delivery's carrier is recomputed through its move
        # lines: read them for all deliveries at once, not once per write.
        pickings.mapped("move_line_ids")
        return [self._neiqin_tracking_apply(plan) for plan in plans]

    @api.model
    def _neiqin_tracking_apply(self, plan):
        picking, number, carrier = plan
        picking.write({"carrier_tracking_ref": number, "carrier_id": carrier.id})
        return {"status": "updated", "picking": picking.name}
