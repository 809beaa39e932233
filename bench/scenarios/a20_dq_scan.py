"""Data-quality scan of the generated customers and products with one rule
of every neiqin_base type on each (the module-check type on customers only:
no add-on below the benchmark ships a product check method): queries per
rule and the cost of an incremental rescan after 1 % of the records changed."""

import re

from odoo import Command
from odoo.tools import SQL, email_normalize

from bench.runner import Scenario, vacuum

SCOPE = "[('ref', '=like', 'BENCH-%')]"
PRODUCT_SCOPE = "[('barcode', '=like', '69%')]"
PRODUCT = "product.product"


def _field(env, name, model="res.partner"):
    return env["ir.model.fields"]._get(model, name).id


def _product_rules(env):
    """One rule of each domain and SQL type on the generated product variants."""
    model = env["ir.model"]._get(PRODUCT).id
    base = {"model_id": model, "scope_domain": PRODUCT_SCOPE, "severity": "warning"}

    def fields(name):
        return [Command.set([_field(env, name, PRODUCT)])]

    return [
        {
            **base,
            "name": "Bench product required",
            "rule_type": "required",
            "field_ids": fields("default_code"),
        },
        {
            **base,
            "name": "Bench product regex",
            "rule_type": "regex",
            "pattern": r"^BP-[0-9]{6}$",
            "field_ids": fields("default_code"),
        },
        {
            **base,
            "name": "Bench product range",
            "rule_type": "range",
            "has_min": True,
            "min_value": 0.001,
            "field_ids": fields("weight"),
        },
        {
            **base,
            "name": "Bench product domain",
            "rule_type": "domain",
            "bad_record_domain": "[('product_tmpl_id.list_price', '<=', 0)]",
        },
        {
            **base,
            "name": "Bench product duplicate",
            "rule_type": "duplicate",
            "field_ids": fields("barcode"),
        },
        {
            **base,
            "name": "Bench product reference",
            "rule_type": "reference",
            "linked_record_domain": "[('categ_id.name', '!=', 'Bench Unsorted')]",
            "field_ids": fields("product_tmpl_id"),
        },
    ]


def _rules(env):
    """The benchmark's rules, created once (they persist with the data)."""
    Rule = env["neiqin.dq.rule"].with_context(active_test=False)
    existing = Rule.search([("name", "=like", "Bench %")])
    if existing:
        return existing
    model = env["ir.model"]._get("res.partner").id
    base = {"model_id": model, "scope_domain": SCOPE, "severity": "warning"}
    rules = Rule.create(
        [
            {
                **base,
                "name": "Bench required",
                "rule_type": "required",
                "field_ids": [Command.set([_field(env, "phone")])],
            },
            {
                **base,
                "name": "Bench regex",
                "rule_type": "regex",
                "pattern": r"^[^@\s]+@[^@\s]+\.[a-z]+$",
                "field_ids": [Command.set([_field(env, "email")])],
            },
            {
                **base,
                "name": "Bench range",
                "rule_type": "range",
                "has_min": True,
                "min_value": -90,
                "has_max": True,
                "max_value": 90,
                "field_ids": [Command.set([_field(env, "partner_latitude")])],
            },
            {
                **base,
                "name": "Bench domain",
                "rule_type": "domain",
                "bad_record_domain": "[('city', '=', False)]",
            },
            {
                **base,
                "name": "Bench duplicate",
                "rule_type": "duplicate",
                "case_insensitive": True,
                "field_ids": [Command.set([_field(env, "email")])],
            },
            {
                **base,
                "name": "Bench reference",
                "rule_type": "reference",
                "field_ids": [Command.set([_field(env, "country_id")])],
            },
            {
                **base,
                "name": "Bench method",
                "rule_type": "method",
                "method_name": "_neiqin_dq_check_email_undeliverable",
            },
            *_product_rules(env),
        ]
    )
    # The indexes the scheduled action builds once rules are saved, built
    # here at once, as a database in use has them.
    Rule._maintain_scan_indexes(concurrently=False)
    rules._scan(full=True)
    if not env.registry.in_test_mode():
        env.cr.commit()  # the rules and their first findings stay with the data
        # Statistics on the new issues, as autovacuum gathers them within a
        # minute in a database in use.
        env.cr.execute("ANALYZE neiqin_dq_issue")
    return rules


def _count(env):
    return env["res.partner"].search_count([("ref", "=like", "BENCH-%")]) + env[
        PRODUCT
    ].with_context(active_test=False).search_count([("barcode", "=like", "69%")])


def _full(env):
    _rules(env)._scan(full=True)


def _prepare_full(env):
    _rules(env)


def _count_keys(records, key):
    counts = {}
    for record in records:
        value = key(record)
        if value:
            counts[value] = counts.get(value, 0) + 1
    return counts


def _naive(env):
    """Every rule evaluated record by record through the ORM."""
    rules = _rules(env)
    bad = {rule.id: [] for rule in rules}
    partner_rules, product_rules = rules[:7], rules[7:]
    pattern = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]+$")
    partners = env["res.partner"].search([("ref", "=like", "BENCH-%")])
    emails = _count_keys(partners, lambda p: (p.email or "").strip().lower())
    for partner in partners:
        checks = (
            not partner.phone,
            bool(partner.email) and not pattern.match(partner.email),
            not -90 <= partner.partner_latitude <= 90,
            not partner.city,
            emails.get((partner.email or "").strip().lower(), 0) > 1,
            not partner.country_id,
            bool(partner.email) and not email_normalize(partner.email),
        )
        for rule, failed in zip(partner_rules, checks):
            if failed:
                bad[rule.id].append(partner.id)
    code = re.compile(r"^BP-[0-9]{6}$")
    products = env[PRODUCT].with_context(active_test=False).search([("barcode", "=like", "69%")])
    barcodes = _count_keys(products, lambda p: p.barcode)
    for product in products:
        checks = (
            not product.default_code,
            bool(product.default_code) and not code.match(product.default_code),
            product.weight < 0.001,
            product.product_tmpl_id.list_price <= 0,
            barcodes.get(product.barcode, 0) > 1,
            not product.product_tmpl_id
            or product.product_tmpl_id.categ_id.name == "Bench Unsorted",
        )
        for rule, failed in zip(product_rules, checks):
            if failed:
                bad[rule.id].append(product.id)


def _prepare_unchanged(env):
    """The last scan was an hour ago, with no other transaction open then
    (its rescans look back to it, less the minute of margin), the data
    older (the generators date it so, linked countries and categories
    included, and so are the fields the build wrote)."""
    rules = _rules(env)
    env.cr.execute(
        """UPDATE neiqin_dq_rule SET last_scan_at = now() - interval '1 hour',
                                     rescan_from = now() - interval '61 minutes'
            WHERE id = ANY(%s)""",
        [rules.ids],
    )
    env.cr.execute("UPDATE neiqin_dq_change SET changed_at = now() - interval '1 day'")
    env.invalidate_all()


def _one_in_a_hundred(env, model, column, pattern):
    """The generated records whose id is a multiple of 100."""
    records = env[model].with_context(active_test=False)
    env.cr.execute(
        SQL(
            "SELECT id FROM %s WHERE mod(id, 100) = 0 AND %s LIKE %s ORDER BY id",
            SQL.identifier(records._table),
            SQL.identifier(column),
            pattern,
        )
    )
    return records.browse([row[0] for row in env.cr.fetchall()])


def _prepare_rescan(env):
    """As above, then 1 % of the customers and products are edited through
    the ORM, as the back office edits them: a customer's phone number and
    city, a product's weight. The edits change no verdict (a valid number
    stays valid, an empty city or weight stays empty), as the full scan it
    is compared with files nothing new."""
    _prepare_unchanged(env)
    partners = _one_in_a_hundred(env, "res.partner", "ref", "BENCH-%")
    cities = [city for city in partners.mapped("city") if city]
    for index, partner in enumerate(partners):
        vals = {}
        if partner.phone and partner.phone[-1].isdigit():
            vals["phone"] = partner.phone[:-1] + str((int(partner.phone[-1]) + 1) % 10)
        if partner.city:
            vals["city"] = cities[(index + 1) % len(cities)]
        partner.write(vals)
    for product in _one_in_a_hundred(env, PRODUCT, "barcode", "69%"):
        product.weight *= 1.5
    env.flush_all()


def _prepare_rescan_everything(env):
    """As above, but the 1 % are written in plain SQL and marked as created:
    every rule rechecks them, as every rescan did before rescans knew which
    fields were written."""
    _prepare_unchanged(env)
    for table, column, pattern in (
        ("res_partner", "ref", "BENCH-%"),
        ("product_product", "barcode", "69%"),
    ):
        env.cr.execute(
            f"UPDATE {table} SET write_date = now() "  # noqa: S608
            f"WHERE id %% 100 = 0 AND {column} LIKE %s",
            [pattern],
        )
    env.cr.execute(
        "INSERT INTO neiqin_dq_change (model, field, changed_at) "
        "VALUES ('res.partner', '*', now()), ('product.product', '*', now())"
    )
    env.invalidate_all()


def _incremental(env):
    _rules(env)._scan()


def _vacuum_changed(env):
    """After a rescan run, whose changes were rolled back: VACUUM the two
    tables. A rolled-back row version stays in the write_date index until
    a vacuum, dated within the next run's look-back, and that run would
    read it again: each run would read those of every run before it. A
    database in use commits its changes (the versions they replace carry
    the older dates), and autovacuum clears what piles up."""
    if not env.registry.in_test_mode():
        vacuum(env.cr.dbname, ["res_partner", "product_product"], analyze=False)


SCENARIOS = [
    Scenario(
        name="data-quality full scan, 13 rules",
        records=_count,
        ours=_full,
        naive=_naive,
        setup=_prepare_full,
        notes="one check statement per model; issues read once, filed in bulk",
        # A handful per model, whatever the numbers of rules and records.
        max_queries=30,
    ),
    Scenario(
        name="data-quality rescan after 1 % changed",
        records=_count,
        ours=_incremental,
        setup=_prepare_rescan,
        teardown=_vacuum_changed,
        notes="by write_date, against the rules reading a written field",
        max_queries=30,
    ),
    Scenario(
        name="data-quality rescan after 1 % changed, every rule",
        records=_count,
        ours=_incremental,
        setup=_prepare_rescan_everything,
        teardown=_vacuum_changed,
        notes="the same changes rechecked against all 13 rules",
        max_queries=30,
    ),
    Scenario(
        name="data-quality rescan, nothing changed",
        records=_count,
        ours=_incremental,
        setup=_prepare_unchanged,
        notes="what any rescan costs: the rules, one statement per model, the writes",
        max_queries=30,
    ),
]
