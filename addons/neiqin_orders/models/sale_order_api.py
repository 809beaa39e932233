"""XML-RPC API for marketplace and storefront connectors and for carriers.

Every method takes a list and returns one result per item, in the same
order: ``{"index", <key>, "status", ...}`` with status ``created``,
``updated``, ``unchanged`` or ``error`` (and a ``message``). The batch
machinery (per-item savepoints and results, access checked before any item,
typed values, sanitised errors, idempotency keys) is neiqin_base's
``neiqin.batch.api.mixin``; this file holds what is the orders' own:
repeating a call with the same payload changes nothing (idempotent by the
platform order number, the tracking number and the carrier's event id).
"""

import logging

import psycopg2
from psycopg2 import errorcodes

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, email_normalize
from odoo.tools.sql import constraint_definition, drop_constraint, index_exists

from odoo.addons.neiqin_base.engine.guard import engine_writes

from .neiqin_logistics_event import LOGISTICS_STATES

# What an order's customer may say (api_upsert_orders).
CUSTOMER_KEYS = (
    "name",
    "external_id",
    "email",
    "phone",
    "street",
    "street2",
    "city",
    "zip",
    "state_code",
    "country_code",
)

_logger = logging.getLogger(__name__)

CONFIRMED_FIELDS = (
    "neiqin_platform_paid",
    "neiqin_payment_ref",
    "neiqin_buyer_remark",
    "neiqin_refund_state",
    "neiqin_seller_memo",
    "neiqin_seller_flag",
)
# Bounds of the numbers an order may carry. Amounts are floats in Odoo: a
# line total up to MAX_QTY * MAX_PRICE = 1e13 and a paid amount up to
# MAX_PAID keep their cents exact in a double (below 2**53 / 100 ~ 9e13).
# Nothing a marketplace sells costs ten million a unit, nor does an order
# line hold a million units: above that a value is a connector's error.
MAX_QTY = 1_000_000
MAX_PRICE = 10_000_000
MAX_PAID = 10_000_000_000_000
MAX_LINES = 1000
# Longest texts accepted, in characters. Keys and names are indexed columns:
# PostgreSQL refuses index entries past about 2,700 bytes, so they stay far
# below; an e-mail address is at most 254 characters (RFC 5321).
TEXT_LIMITS = {
    "platform": 64,
    "platform_order_no": 128,
    "payment_ref": 128,
    "buyer_remark": 10000,
    "seller_memo": 10000,
    "sku": 128,
    "name": 256,
    "external_id": 128,
    "email": 254,
    "phone": 64,
    "street": 256,
    "street2": 256,
    "city": 128,
    "zip": 32,
    "state_code": 64,
    "country_code": 8,
    "tracking_number": 64,
    "carrier": 32,
    "picking": 128,
    "order": 128,
    "event_id": 128,
    "location": 256,
    "description": 1024,
}
ADDRESS_FIELDS = ("street", "street2", "city", "zip", "phone")
# Defaults of the records the API creates in batches that query the
# database and are the same for every record: computed once per batch.
SHARED_DEFAULTS = {"res.partner": ("display_invoice_template_pdf_report_id",)}
# How the API creates customers and delivery addresses (see _api_partners).
QUIET_CREATE = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
}
# The index that makes platform order numbers unique per company and
# platform, orders without a platform included (see ``init``).
PLATFORM_ORDER_INDEX = "sale_order_neiqin_platform_order_uniq_idx"
# The constraint it replaces, which let orders without a platform repeat
# (NULLs are distinct in a unique constraint).
PLATFORM_ORDER_CONSTRAINT = "sale_order_neiqin_platform_order_uniq"


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "neiqin.batch.api.mixin"]

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

    # ------------------------------------------------------------ batch helper
    @api.model
    def _api_text_limits(self):
        return TEXT_LIMITS

    @api.model
    def _api_logger(self):
        return _logger

    # ------------------------------------------------------------ orders
    @api.model
    def api_upsert_orders(self, orders):
        """Create or update orders by platform order number.

        Each order: ``platform``, ``platform_order_no`` (required; unique per
        company and platform, no platform being a platform of its own),
        ``customer`` {``name`` (required), ``external_id``, ``email``,
        ``phone``, ``street``, ``street2``, ``city``, ``zip``,
        ``state_code`` (code or name of the province/state), ``country_code``},
        ``lines`` [{``sku``, ``qty``, ``price_unit``, ``discount``}],
        ``paid_amount``, ``payment_ref``, ``buyer_remark``, ``refund_state``,
        ``seller_memo`` (the seller's memo, 卖家备注), ``seller_flag`` (the
        seller's colour flag, 旗帜: ``red``, ``yellow``, ``green``, ``blue``,
        ``purple``, or empty for none; memo and flag change only when their
        key is sent), ``date_order``, ``paid_at`` (when the buyer paid, ISO
        8601 like ``date_order``; the review holds a paid order some minutes
        after it, see ``rule_order_paid_recently``; absent: when the order is
        first found paid in full), ``idempotency_key`` (optional, see the
        helper).

        Draft orders are updated whole (customer, delivery address, order
        date and lines included); confirmed orders only take payment, remark,
        refund, seller memo and flag changes. Line prices are what the buyer
        paid, taxes included, unless the company says otherwise for the platform (see
        ``res.company._neiqin_prices_include_tax``). An order sent twice in
        one call is written twice, in the order sent. Result items carry
        ``id`` and ``name``.
        """
        self._api_check_access("sale.order", "create", "write")
        return self._api_run_prepared(
            orders,
            "platform_order_no",
            parse=self._api_parse_order,
            prepare=self._api_upsert_plan,
            build_index=self._api_upsert_index,
            apply_many=self._api_upsert_apply,
            method="api_upsert_orders",
            # Two updates of one order in a feed: applied in order, the
            # later wins.
            item_key=lambda item: (item["platform"], item["number"]),
        )

    @api.model
    def _api_parse_order(self, data):
        """The order ``data`` describes, its types and bounds checked."""
        _ = self.env._
        text = self._api_text
        clean = {
            "number": text(data.get("platform_order_no"), "platform_order_no", required=True),
            "platform": self._api_platform(data.get("platform")),
        }
        customer = data.get("customer")
        clean["customer"] = (
            self._api_parse_customer(customer) if customer not in (None, False) else None
        )
        clean["lines"] = self._api_parse_lines(data.get("lines"))
        clean["buyer_remark"] = text(data.get("buyer_remark"), "buyer_remark", multiline=True)
        if "paid_amount" in data:
            paid = data["paid_amount"]
            clean["paid_amount"] = (
                0.0
                if paid is None or paid is False
                else self._api_number(paid, "paid_amount", 0, MAX_PAID)
            )
        if "payment_ref" in data:
            clean["payment_ref"] = text(data["payment_ref"], "payment_ref")
        refund = data.get("refund_state")
        if refund not in (None, False, ""):
            allowed = dict(self._fields["neiqin_refund_state"].selection)
            if not isinstance(refund, str) or refund not in allowed:
                raise UserError(_("refund_state must be one of %s.", ", ".join(allowed)))
            clean["refund_state"] = refund
        clean["date_order"] = self._api_datetime(data.get("date_order"), "date_order")
        clean.update(self._api_parse_seller_notes(data))
        return clean

    @api.model
    def _api_parse_seller_notes(self, data):
        """The seller's memo and colour flag ``data`` sends (each only when
        its key is there), the flag refused with the accepted codes when it
        is not one of them."""
        clean = {}
        if "seller_memo" in data:
            clean["seller_memo"] = self._api_text(
                data["seller_memo"], "seller_memo", multiline=True
            )
        if "seller_flag" in data:
            flag = data["seller_flag"]
            codes = dict(self._fields["neiqin_seller_flag"].selection)
            if flag in (None, False, ""):
                flag = False
            elif not isinstance(flag, str) or flag not in codes:
                raise UserError(
                    self.env._(
                        "seller_flag %(flag)s is not a known flag: give one of %(codes)s, or "
                        "nothing for no flag.",
                        flag=flag,
                        codes=", ".join(codes),
                    )
                )
            clean["seller_flag"] = flag
        return clean

    @api.model
    def _api_platform(self, value):
        """The platform code ``value`` names (False for none), refused with
        the accepted codes when it is not one of them."""
        platform = self._api_text(value, "platform") or False
        codes = dict(self._fields["neiqin_platform"].selection)
        if platform and platform not in codes:
            raise UserError(
                self.env._(
                    "platform %(platform)s is not a known platform: give one of %(codes)s.",
                    platform=platform,
                    codes=", ".join(codes),
                )
            )
        return platform

    @api.model
    def _api_parse_customer(self, customer):
        if not isinstance(customer, dict):
            raise UserError(self.env._("customer must be a structure (dict)."))
        clean = {key: self._api_text(customer.get(key), f"customer.{key}") for key in CUSTOMER_KEYS}
        if not clean["name"]:
            raise UserError(self.env._("customer.name is required."))
        return clean

    @api.model
    def _api_parse_lines(self, lines):
        _ = self.env._
        if not isinstance(lines, list | tuple) or not lines:
            raise UserError(_("An order needs at least one line."))
        if len(lines) > MAX_LINES:
            raise UserError(_("An order has at most %s lines.", MAX_LINES))
        clean = []
        for number, line in enumerate(lines, start=1):
            try:
                clean.append(self._api_parse_line(line))
            except UserError as exc:
                raise UserError(
                    _("Line %(line)s: %(error)s", line=number, error=exc.args[0])
                ) from exc
        return clean

    @api.model
    def _api_parse_line(self, line):
        _ = self.env._
        if not isinstance(line, dict):
            raise UserError(_("it is not a structure (dict)."))
        sku = self._api_text(line.get("sku"), "sku", required=True)
        qty = line.get("qty")
        if (
            qty is None
            or qty is False
            or (isinstance(qty, int | float) and not isinstance(qty, bool) and qty <= 0)
        ):
            raise UserError(_("the quantity of %s must be positive.", sku))
        clean = {"sku": sku, "qty": self._api_number(qty, "qty", 0, MAX_QTY)}
        price = line.get("price_unit")
        clean["price_unit"] = (
            None
            if price is None or price is False
            else self._api_number(price, "price_unit", -MAX_PRICE, MAX_PRICE)
        )
        discount = line.get("discount")
        clean["discount"] = (
            None
            if discount is None or discount is False
            else self._api_number(discount, "discount", 0, 100)
        )
        return clean

    @api.model
    def _api_upsert_index(self, items):
        """What the checked items of one call refer to, found for the whole
        call at once (never one search per item): products by SKU, existing
        orders by platform number and the numbers orders the caller cannot
        see hold, customers by platform buyer id and by e-mail with their
        delivery addresses, countries and their provinces, and the
        tax-included fiscal position. Only what belongs to the current
        company or is shared by every company."""
        company = self.env.company
        skus = {line["sku"] for item in items for line in item["lines"]}
        Product = self.env["product.product"]
        products = (
            Product.search(
                [("default_code", "in", list(skus)), *Product._check_company_domain(company)],
                order="id",
            )
            if skus
            else Product
        )
        numbers = {item["number"] for item in items}
        existing = (
            self.search(
                [
                    ("neiqin_platform_order_no", "in", list(numbers)),
                    ("company_id", "=", company.id),
                ]
            )
            if numbers
            else self
        )
        orders = {(o.neiqin_platform or False, o.neiqin_platform_order_no): o for o in existing}
        customers = [item["customer"] for item in items if item["customer"]]
        refs = {
            ref
            for item in items
            if item["customer"]
            and (ref := self._api_customer_ref(item["customer"], item["platform"]))
        }
        emails = {email_normalize(c["email"]) for c in customers if c["email"]} - {False}
        domain = []
        if refs:
            domain = [("ref", "in", list(refs))]
        if emails:
            email_domain = [("email_normalized", "in", list(emails)), ("parent_id", "=", False)]
            domain = ["|", *domain, "&", *email_domain] if domain else email_domain
        partners = self._api_customer_search(domain) if domain else self.env["res.partner"]
        by_ref, by_email = {}, {}
        for partner in partners:
            if partner.ref in refs:
                by_ref.setdefault(partner.ref, partner)
            if not partner.parent_id and partner.email_normalized in emails:
                by_email.setdefault(partner.email_normalized, partner)
        # The delivery addresses the customers may already have.
        parents = partners | existing.partner_id
        children = {}
        if parents:
            for child in self.env["res.partner"].search(
                [("parent_id", "in", parents.ids), ("type", "=", "delivery")]
            ):
                children.setdefault(child.parent_id.id, []).append(child)
        codes = {c["country_code"].upper() for c in customers if c["country_code"]}
        countries = self.env["res.country"].search([("code", "in", list(codes))]) if codes else []
        states = (
            self.env["res.country.state"].search([("country_id", "in", countries.ids)])
            if countries
            else []
        )
        tax_included = {
            platform: company._neiqin_prices_include_tax(platform)
            for platform in {item["platform"] for item in items}
        }
        position = self.env["account.fiscal.position"]
        if any(tax_included.values()):
            position = company._neiqin_tax_included_position(
                products.taxes_id._filter_taxes_by_company(company)
            )
        # Without a distribution model, a line's analytic distribution is
        # empty: said once for the call, not searched for each line. sudo:
        # as Odoo computes the distribution (a stored field, computed as
        # superuser); only whether any model exists is read.
        analytic = bool(
            self.env["account.analytic.distribution.model"]
            .sudo()
            .search_count([("company_id", "in", [company.id, False])], limit=1)
        )
        return {
            "by_sku": {p.default_code: p for p in reversed(products)},
            "analytic": analytic,
            # The key of an order: no platform is read as '' by the unique
            # index, and as False here, whatever the column holds.
            "orders": orders,
            "taken": self._api_taken_numbers(numbers) - set(orders),
            "by_ref": by_ref,
            "by_email": by_email,
            "children": children,
            "countries": {c.code.upper(): c for c in countries},
            "states": states,
            # Whether each platform's prices include tax, and the fiscal
            # position its new orders get then (none until a taxed product
            # needed one); otherwise the customer's, as Odoo finds it.
            "tax_included": tax_included,
            "positions": {
                platform: position if included else self.env["account.fiscal.position"]
                for platform, included in tax_included.items()
            },
            # customers and delivery addresses created by this call
            "scratch": {},
        }

    def _api_taken_numbers(self, numbers):
        """The (platform, number) of the orders of the current company that
        hold one of ``numbers``, whoever may see them: the unique index
        refuses these numbers to a new order."""
        if not numbers:
            return set()
        self.flush_model(["company_id", "neiqin_platform", "neiqin_platform_order_no"])
        self.env.cr.execute(
            SQL(
                """SELECT neiqin_platform, neiqin_platform_order_no FROM sale_order
                    WHERE company_id = %s AND neiqin_platform_order_no = ANY(%s)""",
                self.env.company.id,
                list(numbers),
            )
        )
        return {(platform or False, number) for platform, number in self.env.cr.fetchall()}

    @api.model
    def _api_concurrent_insert(self, exc):
        # An order number is checked against every order of the company,
        # visible to the caller or not (``_api_taken_numbers``): the unique
        # index can only refuse one another call saved meanwhile.
        return super()._api_concurrent_insert(exc) or (
            isinstance(exc, psycopg2.Error)
            and exc.pgcode == errorcodes.UNIQUE_VIOLATION
            and exc.diag.constraint_name in (PLATFORM_ORDER_INDEX, PLATFORM_ORDER_CONSTRAINT)
        )

    @api.model
    def _api_customer_search(self, domain, limit=None):
        """Customers the API may match: active, of the current company or
        shared by every company (those created before customers had a
        company, and those a manager shares on purpose: every company sees
        them anyway), never a user's own contact; the company's own first."""
        return (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search(
                [
                    *domain,
                    ("active", "=", True),
                    ("company_id", "in", [self.env.company.id, False]),
                    # active_test=False: a partner of an archived user is
                    # still that user's.
                    ("user_ids", "=", False),
                ],
                # the company's own before those shared by every company
                order="company_id.id NULLS LAST, id",
                limit=limit,
            )
            .with_context(active_test=True)
        )

    @staticmethod
    def _api_customer_ref(customer, platform):
        external_id = customer["external_id"]
        return f"{platform or 'api'}:{external_id}" if external_id else False

    def _api_upsert_plan(self, item, index):
        """Check one order; return what to create or write, or its result."""
        _ = self.env._
        number, platform = item["number"], item["platform"]
        lines = self._api_order_lines(item["lines"], index["by_sku"])
        if not index["analytic"]:
            lines = [{**line, "analytic_distribution": False} for line in lines]
        existing = index["orders"].get((platform, number))
        header = self._api_order_header(item)
        customer = item["customer"]
        position = index["positions"][platform]
        if not existing:
            if (platform, number) in index["taken"]:
                raise UserError(
                    _(
                        "%s already exists, in an order you may not see; nothing was changed.",
                        number,
                    )
                )
            if not customer:
                raise UserError(_("customer.name is required."))
            vals = {
                **header,
                "neiqin_platform": platform,
                "neiqin_platform_order_no": number,
                "neiqin_source": "api",
                "date_order": item["date_order"] or fields.Datetime.now(),
                "order_line": [fields.Command.create(v) for v in lines],
            }
            if index["tax_included"][platform]:
                # The tax-included position, none until a taxed product
                # needed one: not the customer's, whose taxes add on top.
                vals["fiscal_position_id"] = position.id
            return ("create", vals, customer, self._api_address(customer, index), platform)
        order = existing
        changes = {
            k: v for k, v in header.items() if order[k] != v and not (not order[k] and not v)
        }
        same_lines = self._api_same_lines(order, lines)
        new_customer = False
        if customer:
            address = self._api_address(customer, index)
            partner, shipping = self._api_find_partner(customer, platform, address, index, order)
            if partner != order.partner_id or shipping != order.partner_shipping_id:
                new_customer = (customer, address)
        if order.state not in ("draft", "sent"):
            if not same_lines:
                raise UserError(_("%s is confirmed: its lines can no longer change.", order.name))
            if new_customer:
                raise UserError(
                    _(
                        "%s is confirmed: its customer and delivery address can no longer change.",
                        order.name,
                    )
                )
            # A confirmed order's date is its confirmation date (Odoo sets
            # it then): the platform's order date no longer applies.
            changes = {k: v for k, v in changes.items() if k in CONFIRMED_FIELDS}
        else:
            if position and (position != order.fiscal_position_id or new_customer):
                # Prices that include tax: the lines take their taxes again
                # (a new customer would otherwise bring its own position).
                changes["fiscal_position_id"] = position.id
                same_lines = same_lines and position == order.fiscal_position_id
            if not same_lines:
                changes["order_line"] = [fields.Command.clear()] + [
                    fields.Command.create(v) for v in lines
                ]
            if item["date_order"] and item["date_order"] != order.date_order:
                changes["date_order"] = item["date_order"]
        if not changes and not new_customer:
            return {"status": "unchanged", "id": order.id, "name": order.name}
        return ("update", order, changes, new_customer, platform)

    def _api_upsert_apply(self, plans, index):
        """Apply upsert plans: the new customers and delivery addresses with
        one ``create`` each, the new orders with one ``create``, then the
        updates; return one result per plan, in order."""
        needs = {}
        for position, plan in enumerate(plans):
            if plan[0] == "create":
                _kind, _vals, customer, address, platform = plan
                needs[position] = (customer, platform, address, None)
            elif plan[3]:
                _kind, order, _changes, (customer, address), platform = plan
                needs[position] = (customer, platform, address, order)
        customers = dict(zip(needs, self._api_partners(list(needs.values()), index), strict=True))
        vals_list = [
            {
                **plan[1],
                "partner_id": customers[position][0].id,
                "partner_shipping_id": customers[position][1].id,
            }
            for position, plan in enumerate(plans)
            if plan[0] == "create"
        ]
        self._api_order_names(vals_list)
        self._api_order_warehouses(vals_list)
        # The orders' source is the engine's to say (it decides whether
        # they are reviewed): the values are the API's own, none of them is
        # the caller's raw payload.
        with engine_writes():
            created = iter(self.create(vals_list) if vals_list else [])
        results = []
        for position, plan in enumerate(plans):
            if plan[0] == "create":
                order = next(created)
                results.append({"status": "created", "id": order.id, "name": order.name})
                continue
            _kind, order, changes, new_customer, platform = plan
            if new_customer:
                partner, shipping = customers[position]
                changes = {**changes, "partner_id": partner.id, "partner_shipping_id": shipping.id}
            order.write(changes)
            if order.state == "sale":
                order._neiqin_payment_verified()
            order._neiqin_back_to_review()
            results.append({"status": "updated", "id": order.id, "name": order.name})
        return results

    def _api_order_names(self, vals_list):
        """Name new orders as ``create`` does (the company's sale.order
        sequence, dated by the order date), the sequence found once for
        all of them rather than once per order."""
        if not vals_list:
            return
        company = self.env.company
        sequence = self.env["ir.sequence"].search(
            [("code", "=", "sale.order"), ("company_id", "in", [company.id, False])],
            order="company_id",
            limit=1,
        )
        if not sequence:
            return
        if sequence.implementation == "standard" and not sequence.use_date_range:
            # The numbers of the whole call drawn with one query, not one
            # each: a standard sequence is a PostgreSQL sequence, and
            # without date ranges the order date plays no part (as in
            # ``ir.sequence._next``).
            self.env.cr.execute(
                SQL(
                    "SELECT nextval(%s) FROM generate_series(1, %s)",
                    f"ir_sequence_{sequence.id:03d}",
                    len(vals_list),
                )
            )
            numbers = sorted(row[0] for row in self.env.cr.fetchall())
            for vals, number in zip(vals_list, numbers, strict=True):
                vals["name"] = sequence.get_next_char(number)
            return
        for vals in vals_list:
            date = fields.Datetime.context_timestamp(
                self, fields.Datetime.to_datetime(vals["date_order"])
            )
            vals["name"] = sequence._next(sequence_date=date)

    def _api_order_warehouses(self, vals_list):
        """Give each new order the warehouse Odoo would, looked up once per
        call (all of a call's orders are the caller's, in one company)
        instead of once per order; Odoo's own computation is left as it is
        for every other order. An empty default leaves it to Odoo."""
        if not vals_list or "warehouse_id" not in self._fields:
            return
        probe = self.new({"company_id": self.env.company.id, "user_id": self.env.uid})
        default = probe.warehouse_id.id
        if default:
            for vals in vals_list:
                vals.setdefault("warehouse_id", default)

    def _api_order_header(self, item):
        vals = {"neiqin_buyer_remark": item["buyer_remark"] or False}
        if "paid_amount" in item:
            vals["neiqin_platform_paid"] = item["paid_amount"]
        if "payment_ref" in item:
            vals["neiqin_payment_ref"] = item["payment_ref"] or False
        if "refund_state" in item:
            vals["neiqin_refund_state"] = item["refund_state"]
        if "seller_memo" in item:
            vals["neiqin_seller_memo"] = item["seller_memo"] or False
        if "seller_flag" in item:
            vals["neiqin_seller_flag"] = item["seller_flag"]
        return vals

    def _api_order_lines(self, lines, by_sku):
        _ = self.env._
        result = []
        for number, line in enumerate(lines, start=1):
            product = by_sku.get(line["sku"])
            if not product:
                raise UserError(
                    _("Line %(line)s: unknown SKU %(sku)s.", line=number, sku=line["sku"])
                )
            vals = {"product_id": product.id, "product_uom_qty": line["qty"]}
            if line["price_unit"] is not None:
                vals["price_unit"] = line["price_unit"]
            if line["discount"]:
                vals["discount"] = line["discount"]
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

    def _api_find_partner(self, customer, platform, address, index, order=None):
        """The customer and delivery address ``customer`` designates, found
        without writing anything: ``(partner, shipping)``, either empty when
        it has to be created. The customer is the order's own when it is
        the same buyer, else matched by platform buyer id, then by exact
        normalised e-mail (see ``_api_customer_search``), among what the
        call's look-up found (``_api_upsert_index``) and the customers it
        created."""
        Partner = self.env["res.partner"]
        scratch = index["scratch"]
        current = order.partner_id if order else Partner
        ref = self._api_customer_ref(customer, platform)
        email = email_normalize(customer["email"]) if customer["email"] else False
        partner = Partner
        if ref:
            if current and current.ref == ref:
                partner = current
            else:
                partner = scratch.get(("ref", ref)) or index["by_ref"].get(ref) or Partner
        if not partner and email:
            if current and current.email_normalized == email:
                partner = current
            else:
                partner = index["by_email"].get(email) or scratch.get(("email", email)) or Partner
        if not partner and not ref and not email and current.name == customer["name"]:
            # A buyer known only by name: the order's own customer, if that
            # is the name it has.
            partner = current
        if not partner:
            return Partner, Partner
        shipping = order.partner_shipping_id if order else Partner
        if not (
            shipping
            and partner in (shipping, shipping.parent_id)
            and self._api_same_address(shipping, address)
        ):
            shipping = self._api_find_shipping(partner, address, index)
        return partner, shipping

    def _api_find_shipping(self, partner, address, index):
        """The customer itself when it has the address, else its delivery
        address with it (found by the call's look-up or created by the
        call), else nothing."""
        if self._api_same_address(partner, address):
            return partner
        made = index["scratch"].get(("ship", partner.id, self._api_address_key(address)))
        if made:
            return made
        return next(
            (
                child
                for child in index["children"].get(partner.id, [])
                if self._api_same_address(child, address)
            ),
            self.env["res.partner"],
        )

    @staticmethod
    def _api_address_key(address):
        return tuple(sorted(address.items()))

    def _api_partners(self, needs, index):
        """The customer and delivery address of each of ``needs``
        (``[(customer, platform, address, order)]``, see
        ``_api_find_partner``): ``[(partner, shipping)]``, in order. What is
        missing is created for all of them at once, in the order's company:
        the customers, then their delivery addresses; a buyer who comes
        twice is created once."""
        Partner = self.env["res.partner"]
        # The customers and addresses a connector creates get no creation
        # note and no follower: the connector's account would follow every
        # buyer (and be notified of what is said to them), and the note
        # repeats what the record says itself (created on, by). The order's
        # chatter keeps its own creation note.
        Quiet = Partner.with_context(**QUIET_CREATE)
        scratch = index["scratch"]
        found = []
        new_vals = []
        new_keys = {}
        for customer, platform, address, order in needs:
            partner, shipping = self._api_find_partner(customer, platform, address, index, order)
            if partner:
                found.append([partner, shipping, address, customer["name"]])
                continue
            ref = self._api_customer_ref(customer, platform)
            email = email_normalize(customer["email"]) if customer["email"] else False
            keys = [key for key in (ref and ("ref", ref), email and ("email", email)) if key]
            number = next((new_keys[key] for key in keys if key in new_keys), None)
            if number is None:
                number = len(new_vals)
                new_vals.append(
                    {
                        "name": customer["name"],
                        "ref": ref,
                        "email": customer["email"] or False,
                        "customer_rank": 1,
                        "company_id": (order.company_id if order else self.env.company).id,
                        **address,
                    }
                )
            for key in keys:
                new_keys.setdefault(key, number)
            found.append([number, Partner, address, customer["name"]])
        if new_vals:
            created = Partner.browse(Quiet.create(self._api_with_defaults(Partner, new_vals)).ids)
            # The same new buyer may come again later in this call.
            for key, number in new_keys.items():
                scratch[key] = created[number]
            for entry in found:
                if isinstance(entry[0], int):
                    entry[0] = created[entry[0]]
        new_shipping = {}
        for entry in found:
            partner, shipping, address, name = entry
            if not shipping:
                shipping = self._api_find_shipping(partner, address, index)
            if not shipping:
                key = ("ship", partner.id, self._api_address_key(address))
                new_shipping.setdefault(
                    key,
                    {
                        "parent_id": partner.id,
                        "type": "delivery",
                        "name": name,
                        "company_id": partner.company_id.id,
                        **address,
                    },
                )
                shipping = key
            entry[1] = shipping
        if new_shipping:
            made = dict(
                zip(
                    new_shipping,
                    Partner.browse(
                        Quiet.create(
                            self._api_with_defaults(Partner, list(new_shipping.values()))
                        ).ids
                    ),
                    strict=True,
                )
            )
            scratch.update(made)
            for entry in found:
                if isinstance(entry[1], tuple):
                    entry[1] = made[entry[1]]
        return [(entry[0], entry[1]) for entry in found]

    @staticmethod
    def _api_with_defaults(model, vals_list):
        """``vals_list`` with the defaults that query the database and are
        the same for every record (whether to offer a choice of invoice
        layouts) computed once, not once per record by ``create``."""
        names = [name for name in SHARED_DEFAULTS.get(model._name, ()) if name in model._fields]
        if not names or len(vals_list) < 2:
            return vals_list
        defaults = model.default_get(names)
        return [{**defaults, **vals} for vals in vals_list]

    @staticmethod
    def _api_same_address(partner, address):
        return all(
            (partner[k].id if hasattr(partner[k], "id") else partner[k] or False) == (v or False)
            for k, v in address.items()
        )

    def _api_address(self, customer, index):
        _ = self.env._
        vals = {key: customer[key] or False for key in ADDRESS_FIELDS}
        country = self.env["res.country"]
        if customer["country_code"]:
            country = index["countries"].get(customer["country_code"].upper(), country)
            if not country:
                raise UserError(_("Unknown country code %s.", customer["country_code"]))
        vals["country_id"] = country.id or False
        state = self.env["res.country.state"]
        if customer["state_code"]:
            if not country:
                raise UserError(_("state_code needs a country_code."))
            wanted = customer["state_code"].lower()
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
        (order reference) or ``platform_order_no`` (with ``platform``);
        ``idempotency_key`` (optional). The number is checked against the
        carrier's pattern, and refused when another open delivery of the
        company already has it.
        """
        self._api_check_access("stock.picking", "write")
        return self.env["stock.picking"]._neiqin_set_tracking(
            items, method="api_set_tracking_numbers"
        )

    @api.model
    def api_push_logistics_events(self, events):
        """Record carrier events of shipped (validated) deliveries. Each
        event: ``tracking_number`` or ``picking`` (needed when the tracking
        number is on several deliveries), ``status`` (shipped, in_transit,
        delivered, exception), ``event_at`` (ISO 8601, at most an hour
        ahead), ``location``, ``description``, ``event_id`` (the carrier's
        id: the same event pushed twice is recorded once),
        ``idempotency_key`` (optional)."""
        self._api_check_access("neiqin.logistics.event", "create")
        return self._api_run(
            events,
            "event_id",
            parse=self._api_parse_event,
            handler=self._api_push_event,
            build_index=self._api_event_index,
            method="api_push_logistics_events",
        )

    @api.model
    def _api_parse_event(self, event):
        _ = self.env._
        text = self._api_text
        status = event.get("status")
        if not isinstance(status, str) or status not in dict(LOGISTICS_STATES):
            raise UserError(_("status must be one of %s.", ", ".join(dict(LOGISTICS_STATES))))
        clean = {
            "status": status,
            "tracking_number": text(event.get("tracking_number"), "tracking_number"),
            "picking": text(event.get("picking"), "picking"),
            "event_id": text(event.get("event_id"), "event_id") or False,
            "location": text(event.get("location"), "location"),
            "description": text(event.get("description"), "description", multiline=True),
            "event_at": self._api_datetime(event.get("event_at"), "event_at"),
        }
        if not clean["tracking_number"] and not clean["picking"]:
            raise UserError(_("Name the delivery: tracking_number or picking."))
        return clean

    @api.model
    def _api_event_index(self, events):
        """The open outgoing deliveries the events name, by tracking number
        and by reference, found with one search each (the caller's rights)."""
        Picking = self.env["stock.picking"]
        outgoing = [("picking_type_code", "=", "outgoing"), ("state", "!=", "cancel")]
        refs = list({e["tracking_number"] for e in events if e["tracking_number"]})
        names = list({e["picking"] for e in events if e["picking"]})
        by_ref = (
            Picking.search([("carrier_tracking_ref", "in", refs), *outgoing]) if refs else Picking
        )
        by_name = Picking.search([("name", "in", names), *outgoing]) if names else Picking
        return {
            "by_ref": by_ref.grouped("carrier_tracking_ref"),
            "by_name": by_name.grouped("name"),
        }

    def _api_push_event(self, event, index):
        _ = self.env._
        Picking = self.env["stock.picking"]
        number = event["tracking_number"]
        if event["picking"]:
            picking = index["by_name"].get(event["picking"], Picking)
            if not picking:
                raise UserError(_("No delivery %s found.", event["picking"]))
            if len(picking) > 1:
                raise UserError(_("%s names several deliveries.", event["picking"]))
            if number and picking.carrier_tracking_ref != number:
                raise UserError(
                    _(
                        "%(delivery)s does not have the tracking number %(number)s.",
                        delivery=picking.name,
                        number=number,
                    )
                )
        else:
            picking = index["by_ref"].get(number, Picking)
            if not picking:
                raise UserError(_("No delivery with tracking number %s.", number))
            if len(picking) > 1:
                raise UserError(
                    _(
                        "The tracking number %s is on several deliveries: send the delivery "
                        "reference (picking) too.",
                        number,
                    )
                )
        external_id = event["event_id"]
        if external_id and self.env["neiqin.logistics.event"].search_count(
            [("picking_id", "=", picking.id), ("external_id", "=", external_id)]
        ):
            return {"status": "unchanged", "picking": picking.name}
        picking._neiqin_add_events(
            [
                {
                    "state": event["status"],
                    "event_at": event["event_at"] or fields.Datetime.now(),
                    "location": event["location"],
                    "description": event["description"],
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
        ``found: False``. Without ``platform``, a number that orders of
        several platforms share comes back with ``found: False`` and a
        ``message`` asking for the platform."""
        _ = self.env._
        self._api_check_access("sale.order", "read")
        numbers = self._api_items(platform_order_nos)
        try:
            platform = self._api_platform(platform)
            platform_error = False
        except UserError as exc:
            platform_error = exc.args[0]
        checked = []
        for value in numbers:
            try:
                if platform_error:
                    raise UserError(platform_error)
                checked.append(self._api_text(value, "platform_order_no", required=True))
            except UserError as exc:
                checked.append(exc)
        wanted = [n for n in checked if isinstance(n, str)]
        domain = [("neiqin_platform_order_no", "in", wanted)]
        if platform:
            domain.append(("neiqin_platform", "=", platform))
        orders = self.search(domain) if wanted else self
        by_number = orders.grouped("neiqin_platform_order_no")
        blocking = orders._neiqin_blocking_issues()
        result = []
        for number in checked:
            if isinstance(number, UserError):
                result.append(
                    {"platform_order_no": False, "found": False, "message": number.args[0]}
                )
                continue
            order = by_number.get(number, self)
            if len(order) > 1:
                result.append(
                    {
                        "platform_order_no": number,
                        "found": False,
                        "message": _(
                            "%s matches several orders: give the platform, or call from one "
                            "company.",
                            number,
                        ),
                    }
                )
                continue
            if not order:
                result.append({"platform_order_no": number, "found": False})
                continue
            result.append(self._api_order_status(order, number, blocking))
        return result

    def _api_order_status(self, order, number, blocking):
        deliveries = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        return {
            "platform_order_no": number,
            "found": True,
            "id": order.id,
            "name": order.name,
            "state": order.state,
            "review_state": order.neiqin_review_state,
            "exceptions": blocking[order.id].rule_id.mapped("name") if order.id in blocking else [],
            "payment_state": order.neiqin_payment_state,
            "amount_total": order.amount_total,
            "amount_paid": order.neiqin_amount_paid,
            "step": order.neiqin_step_id.code or False,
            "step_deadline": fields.Datetime.to_string(order.neiqin_step_deadline_at) or False,
            "deliveries": [
                {
                    "name": p.name,
                    "state": p.state,
                    "carrier": p.carrier_id.name or False,
                    "tracking_number": p.carrier_tracking_ref or False,
                    "logistics_state": p.neiqin_logistics_state or False,
                    "last_event_at": fields.Datetime.to_string(p.neiqin_last_event_at) or False,
                }
                for p in deliveries
            ],
        }
