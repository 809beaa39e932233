"""Data-quality scan of the generated customers with one rule of every
neiqin_base type: queries per rule and the cost of an incremental rescan."""

import re

from odoo import Command
from odoo.tools import email_normalize

from bench.runner import Scenario

SCOPE = "[('ref', '=like', 'BENCH-%')]"


def _field(env, name):
    return env["ir.model.fields"]._get("res.partner", name).id


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
                "domain": "[('city', '=', False)]",
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
                "method_name": "_neiqin_dq_email_undeliverable",
            },
        ]
    )
    rules._scan(full=True)
    env.cr.commit()
    return rules


def _count(env):
    return env["res.partner"].search_count([("ref", "=like", "BENCH-%")])


def _full(env):
    _rules(env)._scan(full=True)


def _prepare_full(env):
    _rules(env)


def _naive(env):
    """Every rule evaluated record by record through the ORM."""
    rules = _rules(env)
    pattern = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]+$")
    emails = {}
    partners = env["res.partner"].search([("ref", "=like", "BENCH-%")])
    for partner in partners:
        key = (partner.email or "").strip().lower()
        if key:
            emails[key] = emails.get(key, 0) + 1
    bad = {rule.id: [] for rule in rules}
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
        for rule, failed in zip(rules, checks):
            if failed:
                bad[rule.id].append(partner.id)


def _touch_one_percent(env):
    env.cr.execute(
        "UPDATE res_partner SET write_date = now() WHERE ref LIKE %s AND id %% 100 = 0", ["BENCH-%"]
    )


def _prepare_rescan(env):
    """The last scan was an hour ago, the data older; then 1 % changes."""
    rules = _rules(env)
    env.cr.execute(
        "UPDATE res_partner SET write_date = now() - interval '2 days' WHERE ref LIKE %s",
        ["BENCH-%"],
    )
    env.cr.execute(
        "UPDATE neiqin_dq_rule SET last_scan_at = now() - interval '1 hour' WHERE id = ANY(%s)",
        [rules.ids],
    )
    _touch_one_percent(env)
    env.invalidate_all()


def _incremental(env):
    _rules(env)._scan()


SCENARIOS = [
    Scenario(
        name="data-quality full scan, 7 rules",
        records=_count,
        ours=_full,
        naive=_naive,
        setup=_prepare_full,
        notes="one query per rule and batch; issues opened, reopened and closed in bulk",
    ),
    Scenario(
        name="data-quality rescan after 1 % changed",
        records=_count,
        ours=_incremental,
        setup=_prepare_rescan,
        notes="incremental by write_date; compare with the full scan above",
    ),
]
