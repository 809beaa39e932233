"""XML-RPC API for a PIM or a marketplace tool: products by SKU, with their
channel listings, and their information status read back.

The batch machinery (access checked before any item, per-item savepoints
and results, typed values, sanitised errors, idempotency keys) is
neiqin_base's ``neiqin.batch.api.mixin``. What is the catalog's own: a
product is known by its SKU (``default_code``), unique per company for this
API; its category by its full path; its listings by channel code. The API
writes as the caller, through the ORM, so that the information lifecycle
applies to its edits as to anyone's; it never publishes a listing
(publishing is the review's and the gate's).
"""

import logging

import psycopg2
from psycopg2 import errorcodes
from pytz import utc

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Longest texts accepted, in characters. Keys are indexed columns: they stay
# far below PostgreSQL's limit on an index entry.
TEXT_LIMITS = {
    "sku": 128,
    "name": 256,
    "description_sale": 10000,
    "barcode": 64,
    "category": 512,
    "platform": 64,
    "channel_sku": 128,
    "title": 256,
}
# Bounds of the numbers a product may carry: beyond them a value is a
# connector's error (no shop item costs ten million, weighs a hundred
# tonnes or fills a thousand cubic metres).
MAX_PRICE = 10_000_000
MAX_WEIGHT = 100_000
MAX_VOLUME = 1_000
MAX_CHANNELS = 50
# item key: (product field, lowest, highest)
NUMBERS = {
    "list_price": ("list_price", 0, MAX_PRICE),
    "cost": ("standard_price", 0, MAX_PRICE),
    "weight": ("weight", 0, MAX_WEIGHT),
    "volume": ("volume", 0, MAX_VOLUME),
}
# item key: product field, for the texts an item may send.
TEXTS = {"name": "name", "description_sale": "description_sale", "barcode": "barcode"}
CHANNEL_KEYS = {"channel_sku": "channel_sku", "title": "channel_title"}
# The listings' unique constraints (see _api_concurrent_insert).
LISTING_CONSTRAINTS = (
    "neiqin_product_listing_product_platform_uniq",
    "neiqin_product_listing_platform_sku_uniq",
)
# A PIM's products get no creation note and no follower: its account would
# follow every product.
QUIET_CREATE = {"mail_create_nolog": True, "mail_create_nosubscribe": True}


def _same(record, name, value):
    """Whether ``record[name]`` already holds ``value`` (as the field would
    store it: floats rounded to their digits, empty texts as empty)."""
    field = record._fields[name]
    current = record[name]
    if field.type == "many2one":
        return current.id == (value or False)
    if field.type == "float":
        return field.convert_to_cache(value, record) == field.convert_to_cache(current, record)
    return (current or False) == (value or False)


class ProductTemplate(models.Model):
    _name = "product.template"
    _inherit = ["product.template", "neiqin.batch.api.mixin"]

    # ------------------------------------------------------------ batch helper
    @api.model
    def _api_text_limits(self):
        return TEXT_LIMITS

    @api.model
    def _api_logger(self):
        return _logger

    def _api_error(self, index, key_name, key, exc):
        """Every error names the item's SKU, those of Odoo's own checks (a
        barcode another product has) and of the value checks included."""
        result = super()._api_error(index, key_name, key, exc)
        if key and str(key) not in result["message"]:
            result["message"] = self.env._("%(sku)s: %(error)s", sku=key, error=result["message"])
        return result

    @api.model
    def _api_check_catalog_caller(self, *operations):
        """Refuse the call, before any item, to anyone but the back office's
        staff (a connector's API user is given the clerk's role), then to
        whoever lacks the rights on products and their listings: every
        employee reads products, not every employee is the product desk."""
        if not self.env.su and not self.env.user.has_group("neiqin_base.group_neiqin_clerk"):
            raise AccessError(
                self.env._("Only the back office's staff may call the products' API.")
            )
        self._api_check_access("product.template", *operations)
        self._api_check_access("neiqin.product.listing", *operations)

    # ------------------------------------------------------------ upsert
    @api.model
    def api_upsert_products(self, products):
        """Create or update products by SKU.

        Each product: ``sku`` (required: the product's internal reference,
        unique per company for this API), ``name`` (required to create),
        ``description_sale``, ``list_price``, ``cost``, ``barcode``,
        ``category`` (the full path of an existing category, ``服装 / 卫衣``),
        ``weight`` (kg), ``volume`` (m³), ``is_storable``, ``channels``
        [{``platform`` (the channel's code), ``channel_sku``, ``title``}]
        (listings created or updated, never published nor removed),
        ``idempotency_key`` (optional). An update changes only the keys
        sent; nothing differing, nothing is written. A SKU sent twice in one
        call is applied in the order sent. Result items: ``status``
        (created, updated, unchanged, error), ``id``, ``info_state``.
        """
        self._api_check_catalog_caller("create", "write")
        return self._api_run_prepared(
            products,
            "sku",
            parse=self._api_parse_product,
            prepare=self._api_product_plan,
            build_index=self._api_product_index,
            apply_many=self._api_apply_products,
            method="api_upsert_products",
            # Two updates of one product in a feed: applied in order, the
            # later wins.
            item_key=lambda item: item["sku"],
        )

    @api.model
    def _api_parse_product(self, data):
        """The product ``data`` describes, its types and bounds checked."""
        _ = self.env._
        text = self._api_text
        sku = text(data.get("sku"), "sku", required=True)
        clean = {"sku": sku, "values": {}}
        values = clean["values"]
        for key, name in TEXTS.items():
            if key in data:
                values[name] = (
                    text(
                        data[key], key, required=key == "name", multiline=key == "description_sale"
                    )
                    or False
                )
        for key, (name, low, high) in NUMBERS.items():
            if key in data:
                value = data[key]
                values[name] = (
                    0.0
                    if value is None or value is False
                    else self._api_number(value, key, low, high)
                )
        if "is_storable" in data:
            if not isinstance(data["is_storable"], bool):
                raise UserError(_("%s: is_storable must be true or false.", sku))
            values["is_storable"] = data["is_storable"]
        if "category" in data:
            path = text(data["category"], "category", required=True)
            clean["category"] = " / ".join(part.strip() for part in path.split("/"))
        if "channels" in data:
            clean["channels"] = self._api_parse_channels(sku, data["channels"])
        return clean

    @api.model
    def _api_parse_channels(self, sku, channels):
        _ = self.env._
        if not isinstance(channels, list | tuple):
            raise UserError(_("%s: channels must be a list.", sku))
        if len(channels) > MAX_CHANNELS:
            raise UserError(_("%(sku)s: at most %(max)s channels.", sku=sku, max=MAX_CHANNELS))
        clean = []
        for number, channel in enumerate(channels, start=1):
            if not isinstance(channel, dict):
                raise UserError(
                    _(
                        "%(sku)s: channel %(number)s is not a structure (dict).",
                        sku=sku,
                        number=number,
                    )
                )
            entry = {"platform": self._api_text(channel.get("platform"), "platform", required=True)}
            for key, name in CHANNEL_KEYS.items():
                if key in channel:
                    entry[name] = self._api_text(channel[key], key) or False
            if entry["platform"] in {c["platform"] for c in clean}:
                raise UserError(
                    _(
                        "%(sku)s: channel %(platform)s is given twice.",
                        sku=sku,
                        platform=entry["platform"],
                    )
                )
            clean.append(entry)
        return clean

    @api.model
    def _api_product_index(self, items):
        """What the checked items refer to, found for the whole call at once
        (never one search per item): the products by SKU, in the current
        company or shared by every company, as the caller sees them; the
        categories by path; the channels by code; the listings of the
        products found; and which products hold the channel SKUs sent,
        whoever may see them."""
        company = self.env.company
        skus = list({item["sku"] for item in items})
        Variant = self.env["product.product"]
        # Archived products too: their SKU is taken.
        variants = (
            Variant.with_context(active_test=False)
            .search(
                [("default_code", "in", skus), *Variant._check_company_domain(company)],
                order="id",
            )
            .with_env(Variant.env)
        )
        by_sku = {}
        for variant in variants:
            by_sku.setdefault(variant.default_code, []).append(variant)
        templates = variants.product_tmpl_id
        paths = list({item["category"] for item in items if "category" in item})
        categories = {}
        if paths:
            for category in self.env["product.category"].search([("complete_name", "in", paths)]):
                categories.setdefault(category.complete_name, []).append(category)
        channels = [c for item in items for c in item.get("channels", ())]
        # Every channel (a short list), so that an unknown code is answered
        # with the known ones without another query.
        platforms = self.env["neiqin.platform"].search([]) if channels else []
        listings = (
            self.env["neiqin.product.listing"].search([("product_tmpl_id", "in", templates.ids)])
            if templates and channels
            else []
        )
        return {
            "by_sku": by_sku,
            "categories": categories,
            "platforms": {p.code: p for p in platforms},
            "listings": {(lst.product_tmpl_id.id, lst.platform_id.id): lst for lst in listings},
            "taken": self._api_taken_channel_skus(
                [c["channel_sku"] for c in channels if c.get("channel_sku")]
            ),
            # {(platform id, channel SKU): item SKU} taken by the items
            # prepared so far
            "claimed": {},
            "scratch": {},
        }

    @api.model
    def _api_concurrent_insert(self, exc):
        # Channel SKUs are checked against every listing of their scope,
        # visible to the caller or not, and against the other items of the call
        # (``_api_taken_channel_skus``, ``claimed``); a listing per product
        # and channel against the product's listings: the unique
        # constraints can only refuse what another call saved meanwhile.
        return super()._api_concurrent_insert(exc) or (
            isinstance(exc, psycopg2.Error)
            and exc.pgcode == errorcodes.UNIQUE_VIOLATION
            and exc.diag.constraint_name in LISTING_CONSTRAINTS
        )

    def _api_taken_channel_skus(self, channel_skus):
        """{(scope, platform id, channel SKU): product id} of the listings
        holding one of ``channel_skus`` in the scopes this call writes (the
        current company, and 0: the products shared by every company),
        whoever may see them: the unique index refuses them to another
        product of the same scope. Another company's listings are neither
        read nor named: their channel SKUs are theirs."""
        if not channel_skus:
            return {}
        self.env["neiqin.product.listing"].flush_model(
            ["platform_id", "channel_sku", "product_tmpl_id", "company_id"]
        )
        self.env.cr.execute(
            SQL(
                """SELECT COALESCE(company_id, 0), platform_id, channel_sku, product_tmpl_id
                     FROM neiqin_product_listing
                    WHERE channel_sku = ANY(%s) AND COALESCE(company_id, 0) IN (0, %s)""",
                list(set(channel_skus)),
                self.env.company.id,
            )
        )
        return {
            (scope, platform, sku): product
            for scope, platform, sku, product in self.env.cr.fetchall()
        }

    def _api_scope(self, template):
        """The scope of ``template``'s channel SKUs: its company, 0 for a
        product shared by every company; a new product is the current
        company's."""
        if template:
            return template.company_id.id or 0
        return self.env.company.id

    def _api_find_product(self, sku, index, archived=False):
        """The product ``sku`` names among those found, empty when none.
        An archived product is refused unless ``archived``: sending it again
        would otherwise create its twin."""
        _ = self.env._
        variants = index["by_sku"].get(sku, [])
        # A product keeps the SKU of its archived variants (attributes that
        # changed): its active variant names it.
        variants = [variant for variant in variants if variant.active] or variants
        if len(variants) > 1:
            raise UserError(
                _(
                    "%s names several products: give each product its own SKU first; "
                    "nothing was changed.",
                    sku,
                )
            )
        if not variants:
            return self.browse()
        template = variants[0].product_tmpl_id
        if not template.active and not archived:
            raise UserError(
                _(
                    "%s is an archived product's SKU: restore the product, or give the new "
                    "one another SKU; nothing was changed.",
                    sku,
                )
            )
        if template.product_variant_count > 1:
            raise UserError(
                _(
                    "%s is a variant of a product with several variants: this API writes "
                    "products with one variant; nothing was changed.",
                    sku,
                )
            )
        return template

    def _api_category(self, item, index):
        _ = self.env._
        path = item["category"]
        found = index["categories"].get(path, [])
        if not found:
            raise UserError(
                _(
                    "%(sku)s: unknown category %(category)s: give the full path of an existing "
                    "category (such as 服装 / 卫衣); nothing was changed.",
                    sku=item["sku"],
                    category=path,
                )
            )
        if len(found) > 1:
            raise UserError(
                _(
                    "%(sku)s: several categories are named %(category)s; nothing was changed.",
                    sku=item["sku"],
                    category=path,
                )
            )
        return found[0].id

    def _api_channel_plans(self, item, template, index):
        """What ``item``'s channels change: ``[(listing or platform, values)]``
        for the listings to write or create."""
        _ = self.env._
        sku = item["sku"]
        plans = []
        for channel in item.get("channels", ()):
            platform = index["platforms"].get(channel["platform"])
            if not platform:
                raise UserError(
                    _(
                        "%(sku)s: channel %(platform)s is not a known channel: give one of "
                        "%(codes)s.",
                        sku=sku,
                        platform=channel["platform"],
                        codes=", ".join(index["platforms"]),
                    )
                )
            values = {k: v for k, v in channel.items() if k != "platform"}
            channel_sku = values.get("channel_sku")
            scope = self._api_scope(template)
            holder = index["taken"].get((scope, platform.id, channel_sku)) if channel_sku else None
            if holder and holder != template.id:
                raise UserError(
                    _(
                        "%(sku)s: channel SKU %(channel_sku)s is already another product's on "
                        "%(platform)s; nothing was changed.",
                        sku=sku,
                        channel_sku=channel_sku,
                        platform=platform.name,
                    )
                )
            claimed = index["claimed"].get((scope, platform.id, channel_sku))
            if channel_sku and claimed not in (None, sku):
                raise UserError(
                    _(
                        "%(sku)s: channel SKU %(channel_sku)s on %(platform)s is given to "
                        "%(other)s too in this call; nothing was changed.",
                        sku=sku,
                        channel_sku=channel_sku,
                        platform=platform.name,
                        other=claimed,
                    )
                )
            listing = index["listings"].get((template.id, platform.id)) if template else None
            if listing:
                values = {k: v for k, v in values.items() if not _same(listing, k, v)}
                if values:
                    plans.append((listing, values))
            else:
                plans.append((platform, values))
        return plans

    def _api_product_plan(self, item, index):
        """Check one product without writing: its result when nothing is to
        change, else what to write."""
        _ = self.env._
        sku = item["sku"]
        template = self._api_find_product(sku, index)
        values = dict(item["values"])
        if "category" in item:
            values["categ_id"] = self._api_category(item, index)
        channels = self._api_channel_plans(item, template, index)
        if not template:
            if not values.get("name"):
                raise UserError(_("%s: name is required to create a product.", sku))
            values.update(default_code=sku, company_id=self.env.company.id)
            plan = {"create": values, "channels": channels, "sku": sku}
        else:
            changes = {k: v for k, v in values.items() if not _same(template, k, v)}
            if not changes and not channels:
                return {
                    "status": "unchanged",
                    "id": template.id,
                    "info_state": template.neiqin_info_state,
                }
            plan = {"template": template, "write": changes, "channels": channels}
        # The channel SKUs this item takes: another item of the call giving
        # one to another product is answered why, not refused by the
        # database.
        for target, channel_values in channels:
            if channel_values.get("channel_sku"):
                platform = (
                    target.platform_id if target._name == "neiqin.product.listing" else target
                )
                scope = self._api_scope(template)
                index["claimed"][(scope, platform.id, channel_values["channel_sku"])] = sku
        return plan

    def _api_apply_products(self, plans, index):
        """Write the plans together: the new products in one ``create``, the
        new listings in another, the changes product by product (each its
        own values)."""
        new = [plan for plan in plans if "create" in plan]
        created = iter(
            self.with_context(**QUIET_CREATE).create([plan["create"] for plan in new])
            if new
            else []
        )
        listing_vals = []
        for plan in plans:
            if "create" in plan:
                plan["template"] = next(created)
                plan["status"] = "created"
            else:
                if plan["write"]:
                    plan["template"].write(plan["write"])
                plan["status"] = "updated"
            for target, values in plan["channels"]:
                if target._name == "neiqin.product.listing":
                    target.write(values)
                else:
                    listing_vals.append(
                        {"product_tmpl_id": plan["template"].id, "platform_id": target.id, **values}
                    )
        if listing_vals:
            self.env["neiqin.product.listing"].with_context(**QUIET_CREATE).create(listing_vals)
        return [
            {
                "status": plan["status"],
                "id": plan["template"].id,
                "info_state": plan["template"].neiqin_info_state,
            }
            for plan in plans
        ]

    # ------------------------------------------------------------ read
    @api.model
    def api_read_products(self, skus):
        """Information status of products by SKU, in the order asked.

        Each answer: ``status`` ``found`` with ``id``, ``name``, ``active``
        (False for an archived product), ``info_state``, ``completeness``
        (0 to 100), ``completeness_missing`` (what the standards miss, one
        per line), ``issues`` (the names of the rules of its open blocking
        data-quality issues), ``channels`` [{``platform``,
        ``channel_sku``, ``title``, ``state``, ``published_at`` (ISO 8601,
        UTC), ``completeness``}]; ``error`` with a ``message`` for a SKU
        unknown, not readable (another company's), ambiguous or malformed.
        """
        _ = self.env._
        self._api_check_catalog_caller("read")
        items = self._api_items(skus)
        results = [None] * len(items)
        wanted = {}
        for position, value in enumerate(items):
            try:
                wanted[position] = self._api_text(value, "sku", required=True)
            except UserError as exc:
                results[position] = self._api_error(position, "sku", False, exc)
        index = self._api_product_index([{"sku": sku} for sku in set(wanted.values())])
        found = {}
        for position, sku in wanted.items():
            try:
                template = self._api_find_product(sku, index, archived=True)
                if not template:
                    raise UserError(_("No product with SKU %s.", sku))
            except UserError as exc:
                results[position] = self._api_error(position, "sku", sku, exc)
                continue
            found[position] = template
        templates = self.browse([t.id for t in found.values()])
        issues = templates._api_blocking_rule_names()
        for position, template in found.items():
            results[position] = {
                "index": position,
                "sku": wanted[position],
                "status": "found",
                **template._api_product_status(issues.get(template.id, [])),
            }
        return self._api_results(results)

    def _api_blocking_rule_names(self):
        """{product id: names of the rules of its open blocking issues}, in
        one query. sudo: the issues of products the caller found with their
        own rights, their rules' names only (the engine's configuration)."""
        if not self.ids:
            return {}
        names = {}
        rows = (
            self.env["neiqin.dq.issue"]
            .sudo()
            ._read_group(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("state", "=", "open"),
                    ("severity", "=", "blocking"),
                ],
                ["res_id", "rule_id"],
            )
        )
        for res_id, rule in rows:
            names.setdefault(res_id, []).append(rule.name)
        return {res_id: sorted(rule_names) for res_id, rule_names in names.items()}

    def _api_product_status(self, issues):
        self.ensure_one()
        return {
            "id": self.id,
            "name": self.name,
            "active": self.active,
            "info_state": self.neiqin_info_state,
            "completeness": self.neiqin_completeness,
            "completeness_missing": self.neiqin_completeness_missing or False,
            "issues": issues,
            "channels": [
                {
                    "platform": listing.platform_id.code,
                    "channel_sku": listing.channel_sku or False,
                    "title": listing.channel_title or False,
                    "state": listing.state,
                    "published_at": listing.published_at
                    and utc.localize(listing.published_at).isoformat(),
                    "completeness": listing.completeness,
                }
                for listing in self.neiqin_listing_ids
            ],
        }
