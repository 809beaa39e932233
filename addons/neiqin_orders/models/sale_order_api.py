"""XML-RPC API for marketplace and storefront connectors and for carriers.

Every method takes a list and returns one result per item, in the same
order: ``{"index", "status", ...}`` with status ``created``, ``updated``,
``unchanged`` or ``error`` (and a ``message``). An item that fails changes
nothing and does not stop the others. The methods run with the caller's
access rights; repeating a call with the same payload changes nothing.
"""

import logging
from datetime import datetime

import psycopg2
from pytz import utc

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.sql import constraint_definition, drop_constraint, index_exists

from .neiqin_logistics_event import LOGISTICS_STATES

_logger = logging.getLogger(__name__)

ITEM_ERRORS = (
    UserError,
    ValidationError,
    AccessError,
    ValueError,
    TypeError,
    KeyError,
    psycopg2.Error,
)
CONFIRMED_FIELDS = (
    "neiqin_paid_amount",
    "neiqin_payment_ref",
    "neiqin_buyer_remark",
    "neiqin_refund_state",
)

# The index that makes platform order numbers unique per company and
# platform, orders without a platform included (see ``init``).
PLATFORM_ORDER_INDEX = "sale_order_neiqin_platform_order_uniq_idx"
# The constraint it replaces, which let orders without a platform repeat
# (NULLs are distinct in a unique constraint).
PLATFORM_ORDER_CONSTRAINT = "sale_order_neiqin_platform_order_uniq"


def _text(value):
    return str(value).strip() if value not in (None, False) else ""


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------ uniqueness
    def init(self):
        result = super().init()
        self._neiqin_platform_order_index()
        return result

    def _neiqin_platform_order_index(self):
        """Platform order numbers are unique per company and platform, orders
        without a platform too: a unique index on the platform with NULL read
        as '' (PostgreSQL 13 has no NULLS NOT DISTINCT). It replaces the old
        unique constraint, which let a number without a platform repeat.

        A database already holding such repeated numbers still upgrades: the
        old constraint stays, a warning names a few of them, and the index is
        created at the first upgrade after they are fixed."""
        cr = self.env.cr
        if not index_exists(cr, PLATFORM_ORDER_INDEX):
            cr.execute(
                SQL(
                    """SELECT company_id, COALESCE(neiqin_platform, ''), neiqin_platform_order_no
                         FROM sale_order
                        WHERE neiqin_platform_order_no IS NOT NULL
                     GROUP BY 1, 2, 3
                       HAVING count(*) > 1
                        LIMIT 5"""
                )
            )
            repeated = cr.fetchall()
            if repeated:
                _logger.warning(
                    "Platform order numbers are not unique per company and platform: some orders "
                    "without a platform share their number (company, platform, number: %s). "
                    "Orders without a platform may still repeat a number until these are "
                    "renumbered or merged; the next upgrade then enforces it.",
                    ", ".join(f"{c} {p!r} {n!r}" for c, p, n in repeated),
                )
                return
            cr.execute(
                SQL(
                    "CREATE UNIQUE INDEX %s ON sale_order "
                    "(company_id, COALESCE(neiqin_platform, ''), neiqin_platform_order_no)",
                    SQL.identifier(PLATFORM_ORDER_INDEX),
                )
            )
        if constraint_definition(cr, "sale_order", PLATFORM_ORDER_CONSTRAINT):
            drop_constraint(cr, "sale_order", PLATFORM_ORDER_CONSTRAINT)

    # ------------------------------------------------------------ helpers
    def _api_run(self, items, handler, key_name):
        """Run ``handler(item)`` for each item in its own savepoint."""
        if not isinstance(items, list | tuple):
            raise UserError(self.env._("Send a list of items."))
        results = []
        for index, item in enumerate(items):
            key = item.get(key_name) if isinstance(item, dict) else None
            try:
                self._api_check_item(item, index)
                with self.env.cr.savepoint():
                    result = handler(item)
            except ITEM_ERRORS as exc:
                self.env.invalidate_all()
                results.append(self._api_error(index, key_name, key, exc))
                continue
            results.append({"index": index, key_name: key, **result})
        return self._api_results(results)

    def _api_run_prepared(self, items, prepare, apply, key_name, apply_many=None):
        """Batch variant of ``_api_run`` for items whose checks and look-ups
        can all happen before any write.

        ``prepare(item)`` checks an item without writing and returns either
        a result (a dict with a ``status``: nothing to write) or a plan;
        ``apply(plan)`` writes a plan and returns its result. The plans are
        applied together in one savepoint and flushed once; if that fails,
        each is applied again in a savepoint of its own, so that only the
        failing items fail, each with its own error. ``apply_many(plans)``,
        when given, applies the plans together (one ``create`` for many
        records, say) and returns their results in the same order."""
        if not isinstance(items, list | tuple):
            raise UserError(self.env._("Send a list of items."))
        results = [None] * len(items)
        plans = []
        for index, item in enumerate(items):
            key = item.get(key_name) if isinstance(item, dict) else None
            try:
                self._api_check_item(item, index)
                plan = prepare(item)
            except ITEM_ERRORS as exc:
                results[index] = self._api_error(index, key_name, key, exc)
                continue
            if isinstance(plan, dict) and "status" in plan:
                results[index] = {"index": index, key_name: key, **plan}
            else:
                plans.append((index, key, plan))
        done = []
        if plans:
            try:
                with self.env.cr.savepoint():
                    if apply_many:
                        applied = apply_many([plan for _index, _key, plan in plans])
                    else:
                        applied = [apply(plan) for _index, _key, plan in plans]
                    done = [
                        (index, key, result)
                        for (index, key, _plan), result in zip(plans, applied, strict=True)
                    ]
                    self.env.flush_all()
            except ITEM_ERRORS:
                self.env.invalidate_all()
                done = []
                for index, key, plan in plans:
                    try:
                        with self.env.cr.savepoint():
                            done.append((index, key, apply(plan)))
                    except ITEM_ERRORS as exc:
                        self.env.invalidate_all()
                        results[index] = self._api_error(index, key_name, key, exc)
        for index, key, result in done:
            results[index] = {"index": index, key_name: key, **result}
        return self._api_results(results)

    def _api_check_item(self, item, index):
        if not isinstance(item, dict):
            raise UserError(self.env._("Item %s is not a structure (dict).", index))

    @staticmethod
    def _api_error(index, key_name, key, exc):
        message = (
            exc.args[0] if isinstance(exc, UserError | ValidationError | AccessError) else str(exc)
        )
        if isinstance(exc, psycopg2.Error):
            message = exc.pgerror or str(exc)
        return {"index": index, key_name: key, "status": "error", "message": message}

    @staticmethod
    def _api_results(results):
        # XML-RPC has no None: absent values travel as False.
        return [{k: (False if v is None else v) for k, v in r.items()} for r in results]

    @api.model
    def _api_check_access(self, model, *operations):
        """Refuse the whole call, before any item, to a caller who may not do
        the operations at all (record rules still apply per item)."""
        for operation in operations:
            self.env[model].check_access(operation)

    @api.model
    def _api_datetime(self, value):
        if not value:
            return fields.Datetime.now()
        if isinstance(value, datetime):
            parsed = value
        else:
            try:
                parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
            except ValueError as exc:
                raise UserError(
                    self.env._("%s is not a date and time (use ISO 8601).", value)
                ) from exc
        if parsed.tzinfo:
            parsed = parsed.astimezone(utc).replace(tzinfo=None)
        return parsed

    # ------------------------------------------------------------ orders
    @api.model
    def api_upsert_orders(self, orders):
        """Create or update orders by platform order number.

        Each order: ``platform``, ``platform_order_no`` (required),
        ``customer`` {``name`` (required), ``external_id``, ``email``,
        ``phone``, ``street``, ``street2``, ``city``, ``zip``,
        ``state_code`` (code or name of the province/state), ``country_code``},
        ``lines`` [{``sku``, ``qty``,
        ``price_unit``, ``discount``}], ``paid_amount``, ``payment_ref``,
        ``buyer_remark``, ``refund_state``, ``date_order``.

        Draft orders are updated whole; confirmed orders only take payment,
        remark and refund changes. Result items carry ``id`` and ``name``.
        """
        self._api_check_access("sale.order", "create", "write")
        index = self._api_upsert_index(orders)
        return self._api_run_prepared(
            orders,
            lambda item: self._api_upsert_plan(item, index),
            lambda plan: self._api_upsert_apply([plan], index)[0],
            "platform_order_no",
            apply_many=lambda plans: self._api_upsert_apply(plans, index),
        )

    @api.model
    def _api_upsert_index(self, orders):
        """What the items of one call refer to, found with one search each:
        products by SKU, existing orders by platform number, customers by
        platform buyer id, countries and their provinces."""
        items = (
            [o for o in orders if isinstance(o, dict)] if isinstance(orders, list | tuple) else []
        )
        customers = [i["customer"] for i in items if isinstance(i.get("customer"), dict)]
        skus = {
            _text(line.get("sku"))
            for item in items
            for line in (item.get("lines") or [])
            if isinstance(line, dict)
        }
        products = self.env["product.product"].search([("default_code", "in", list(skus))])
        numbers = [_text(i.get("platform_order_no")) for i in items]
        existing = self.search(
            [
                ("neiqin_platform_order_no", "in", [n for n in numbers if n]),
                ("company_id", "=", self.env.company.id),
            ]
        )
        refs = [
            f"{_text(i.get('platform')) or 'api'}:{_text(i['customer'].get('external_id'))}"
            for i in items
            if isinstance(i.get("customer"), dict) and i["customer"].get("external_id")
        ]
        partners = self.env["res.partner"].search([("ref", "in", refs)]) if refs else []
        codes = {_text(c.get("country_code")).upper() for c in customers if c.get("country_code")}
        countries = self.env["res.country"].search([("code", "in", list(codes))]) if codes else []
        states = (
            self.env["res.country.state"].search([("country_id", "in", countries.ids)])
            if countries
            else []
        )
        return {
            "by_sku": {p.default_code: p for p in products},
            "orders": {
                (o.neiqin_platform or False, o.neiqin_platform_order_no): o for o in existing
            },
            "partners": {p.ref: p for p in reversed(partners)},
            "countries": {c.code.upper(): c for c in countries},
            "states": states,
            "seen": set(),
        }

    def _api_upsert_plan(self, data, index):
        """Check one order; return what to create or write, or its result."""
        _ = self.env._
        number = _text(data.get("platform_order_no"))
        if not number:
            raise UserError(_("platform_order_no is required."))
        platform = _text(data.get("platform")) or False
        if (platform, number) in index["seen"]:
            raise UserError(_("%s appears more than once in this call.", number))
        index["seen"].add((platform, number))
        lines = self._api_order_lines(data.get("lines"), index["by_sku"])
        existing = index["orders"].get((platform, number))
        header = self._api_order_header(data)
        if not existing:
            customer = data.get("customer")
            if not isinstance(customer, dict) or not _text(customer.get("name")):
                raise UserError(_("customer.name is required."))
            vals = {
                **header,
                "neiqin_platform": platform,
                "neiqin_platform_order_no": number,
                "date_order": self._api_datetime(data.get("date_order")),
                "order_line": [fields.Command.create(v) for v in lines],
            }
            return ("create", vals, customer, self._api_address(customer, index), platform)
        order = existing
        changes = {
            k: v for k, v in header.items() if order[k] != v and not (not order[k] and not v)
        }
        same_lines = self._api_same_lines(order, lines)
        if order.state not in ("draft", "sent"):
            if not same_lines:
                raise UserError(_("%s is confirmed: its lines can no longer change.", order.name))
            changes = {k: v for k, v in changes.items() if k in CONFIRMED_FIELDS}
        elif not same_lines:
            changes["order_line"] = [fields.Command.clear()] + [
                fields.Command.create(v) for v in lines
            ]
        if not changes:
            return {"status": "unchanged", "id": order.id, "name": order.name}
        return ("update", order, changes)

    def _api_upsert_apply(self, plans, index):
        """Apply upsert plans: the new orders with one ``create``, then the
        updates; return one result per plan, in order."""
        creates = [plan for plan in plans if plan[0] == "create"]
        vals_list = []
        for _kind, vals, customer, address, platform in creates:
            partner, shipping = self._api_partner(customer, platform, address, index)
            vals_list.append({**vals, "partner_id": partner.id, "partner_shipping_id": shipping.id})
        created = iter(self.create(vals_list) if vals_list else [])
        results = []
        for plan in plans:
            if plan[0] == "create":
                order = next(created)
                results.append({"status": "created", "id": order.id, "name": order.name})
                continue
            _kind, order, changes = plan
            order.write(changes)
            if order.state == "sale":
                order._neiqin_payment_verified()
            order._neiqin_back_to_review()
            results.append({"status": "updated", "id": order.id, "name": order.name})
        return results

    def _api_order_header(self, data):
        vals = {"neiqin_buyer_remark": _text(data.get("buyer_remark")) or False}
        if "paid_amount" in data:
            vals["neiqin_paid_amount"] = float(data.get("paid_amount") or 0.0)
        if "payment_ref" in data:
            vals["neiqin_payment_ref"] = _text(data.get("payment_ref")) or False
        if data.get("refund_state"):
            allowed = dict(self._fields["neiqin_refund_state"].selection)
            if data["refund_state"] not in allowed:
                raise UserError(self.env._("refund_state must be one of %s.", ", ".join(allowed)))
            vals["neiqin_refund_state"] = data["refund_state"]
        return vals

    def _api_order_lines(self, lines, by_sku):
        _ = self.env._
        if not isinstance(lines, list) or not lines:
            raise UserError(_("An order needs at least one line."))
        result = []
        for number, line in enumerate(lines, start=1):
            if not isinstance(line, dict):
                raise UserError(_("Line %s is not a structure (dict).", number))
            sku = _text(line.get("sku"))
            product = by_sku.get(sku)
            if not product:
                raise UserError(
                    _("Line %(line)s: unknown SKU %(sku)s.", line=number, sku=sku or "-")
                )
            qty = float(line.get("qty") or 0)
            if qty <= 0:
                raise UserError(
                    _(
                        "Line %(line)s: the quantity of %(sku)s must be positive.",
                        line=number,
                        sku=sku,
                    )
                )
            vals = {"product_id": product.id, "product_uom_qty": qty}
            if line.get("price_unit") is not None:
                vals["price_unit"] = float(line["price_unit"])
            if line.get("discount"):
                vals["discount"] = float(line["discount"])
            result.append(vals)
        return result

    @staticmethod
    def _api_same_lines(order, lines):
        current = sorted(
            (line.product_id.id, line.product_uom_qty, round(line.price_unit, 6), line.discount)
            for line in order.order_line
            if not line.display_type
        )
        wanted = sorted(
            (
                v["product_id"],
                v["product_uom_qty"],
                round(v.get("price_unit", -1), 6),
                v.get("discount", 0.0),
            )
            for v in lines
        )
        if any(w[2] == -1 for w in wanted):
            current = [(c[0], c[1], -1, c[3]) for c in current]
        return current == wanted

    def _api_partner(self, customer, platform, address, index):
        """The customer (matched by platform buyer id, then email) and its
        delivery address (matched on the address itself, else created)."""
        Partner = self.env["res.partner"]
        ref = (
            f"{platform or 'api'}:{_text(customer.get('external_id'))}"
            if customer.get("external_id")
            else False
        )
        partner = index["partners"].get(ref, Partner) if ref else Partner
        if not partner and customer.get("email"):
            partner = Partner.search(
                [("email", "=ilike", _text(customer["email"])), ("parent_id", "=", False)], limit=1
            )
        if not partner:
            partner = Partner.create(
                {
                    "name": _text(customer["name"]),
                    "ref": ref,
                    "email": _text(customer.get("email")) or False,
                    "customer_rank": 1,
                    **address,
                }
            )
            if ref:
                # The same new buyer may come again later in this call.
                index["partners"][ref] = partner
            return partner, partner
        same = all(
            (partner[k].id if hasattr(partner[k], "id") else partner[k] or False) == (v or False)
            for k, v in address.items()
        )
        if same:
            return partner, partner
        shipping = Partner.search(
            [
                ("parent_id", "=", partner.id),
                ("type", "=", "delivery"),
                *[(k, "=", v or False) for k, v in address.items()],
            ],
            limit=1,
        )
        if not shipping:
            shipping = Partner.create(
                {
                    "parent_id": partner.id,
                    "type": "delivery",
                    "name": _text(customer["name"]),
                    **address,
                }
            )
        return partner, shipping

    def _api_address(self, customer, index):
        _ = self.env._
        vals = {
            key: _text(customer.get(key)) or False
            for key in ("street", "street2", "city", "zip", "phone")
        }
        country = self.env["res.country"]
        if customer.get("country_code"):
            country = index["countries"].get(_text(customer["country_code"]).upper(), country)
            if not country:
                raise UserError(_("Unknown country code %s.", customer["country_code"]))
        vals["country_id"] = country.id or False
        state = self.env["res.country.state"]
        if customer.get("state_code"):
            if not country:
                raise UserError(_("state_code needs a country_code."))
            wanted = _text(customer["state_code"]).lower()
            state = next(
                (
                    s
                    for s in index["states"]
                    if s.country_id == country
                    and wanted in ((s.code or "").lower(), (s.name or "").lower())
                ),
                state,
            )
            if not state:
                raise UserError(
                    _(
                        "Unknown province/state %(state)s in %(country)s.",
                        state=customer["state_code"],
                        country=country.code,
                    )
                )
        vals["state_id"] = state.id or False
        return vals

    # ------------------------------------------------------------ tracking
    @api.model
    def api_set_tracking_numbers(self, items):
        """Set tracking numbers on outgoing deliveries.

        Each item: ``tracking_number`` (required), ``carrier`` (carrier code,
        optional) and one of ``picking`` (delivery reference), ``order``
        (order reference) or ``platform_order_no`` (with ``platform``).
        The number is checked against the carrier's pattern.
        """
        self._api_check_access("stock.picking", "write")
        return self.env["stock.picking"]._neiqin_set_tracking(items)

    @api.model
    def api_push_logistics_events(self, events):
        """Record carrier events. Each event: ``tracking_number`` or
        ``picking``, ``status`` (shipped, in_transit, delivered, exception),
        ``event_at`` (ISO 8601), ``location``, ``description``, ``event_id``
        (the carrier's id: the same event pushed twice is recorded once)."""
        self._api_check_access("neiqin.logistics.event", "create")
        pickings = self.env["stock.picking"]
        refs = [
            _text(e.get("tracking_number"))
            for e in events
            if isinstance(e, dict) and e.get("tracking_number")
        ]
        by_ref = (
            {
                p.carrier_tracking_ref: p
                for p in pickings.search([("carrier_tracking_ref", "in", refs)])
            }
            if refs
            else {}
        )
        return self._api_run(events, lambda e: self._api_push_event(e, by_ref), "event_id")

    def _api_push_event(self, event, by_ref):
        _ = self.env._
        status = event.get("status")
        if status not in dict(LOGISTICS_STATES):
            raise UserError(_("status must be one of %s.", ", ".join(dict(LOGISTICS_STATES))))
        picking = by_ref.get(_text(event.get("tracking_number")))
        if not picking and event.get("picking"):
            picking = self.env["stock.picking"].search(
                [("name", "=", _text(event["picking"]))], limit=1
            )
        if not picking:
            raise UserError(
                _(
                    "No delivery with tracking number %s.",
                    event.get("tracking_number") or event.get("picking") or "-",
                )
            )
        external_id = _text(event.get("event_id")) or False
        if external_id and self.env["neiqin.logistics.event"].search_count(
            [("picking_id", "=", picking.id), ("external_id", "=", external_id)]
        ):
            return {"status": "unchanged", "picking": picking.name}
        picking._neiqin_add_events(
            [
                {
                    "state": status,
                    "event_at": self._api_datetime(event.get("event_at")),
                    "location": _text(event.get("location")),
                    "description": _text(event.get("description")),
                    "external_id": external_id,
                }
            ]
        )
        return {
            "status": "created",
            "picking": picking.name,
            "logistics_state": picking.neiqin_logistics_state,
        }

    # ------------------------------------------------------------ status
    @api.model
    def api_get_order_status(self, platform_order_nos, platform=None):
        """Review, payment and shipping status of orders by platform order
        number, in the order asked; unknown numbers come back with
        ``found: False``."""
        self._api_check_access("sale.order", "read")
        numbers = [_text(n) for n in platform_order_nos or []]
        domain = [("neiqin_platform_order_no", "in", numbers)]
        if platform:
            domain.append(("neiqin_platform", "=", platform))
        orders = self.search(domain)
        by_number = {o.neiqin_platform_order_no: o for o in orders}
        blocking = orders._neiqin_blocking_issues()
        result = []
        for number in numbers:
            order = by_number.get(number)
            if not order:
                result.append({"platform_order_no": number, "found": False})
                continue
            deliveries = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
            result.append(
                {
                    "platform_order_no": number,
                    "found": True,
                    "id": order.id,
                    "name": order.name,
                    "state": order.state,
                    "review_state": order.neiqin_review_state,
                    "exceptions": blocking[order.id].rule_id.mapped("name")
                    if order.id in blocking
                    else [],
                    "payment_state": order.neiqin_payment_state,
                    "amount_total": order.amount_total,
                    "amount_paid": order.neiqin_amount_paid,
                    "step": order.neiqin_step_id.code or False,
                    "step_deadline": fields.Datetime.to_string(order.neiqin_step_deadline_at)
                    or False,
                    "deliveries": [
                        {
                            "name": p.name,
                            "state": p.state,
                            "carrier": p.carrier_id.name or False,
                            "tracking_number": p.carrier_tracking_ref or False,
                            "logistics_state": p.neiqin_logistics_state or False,
                            "last_event_at": fields.Datetime.to_string(p.neiqin_last_event_at)
                            or False,
                        }
                        for p in deliveries
                    ],
                }
            )
        return result
