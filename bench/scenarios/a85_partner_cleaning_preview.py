"""Cleaning previews over every benchmark customer (neiqin_catalog): the
phone numbers normalised to E.164 and the spaces trimmed, previewed in one
set-based pass (one query reads the candidates, one insert writes the
lines) against the per-record loop and, for trimming, the SQL lower bound.

Every bench customer has a phone typed as ``+86 138 …`` (with spaces): the
phone preview has a line for nearly each of them."""

from odoo import fields
from odoo.tools import SQL

from odoo.addons.neiqin_catalog.models.neiqin_cleaning import format_phone

from bench.runner import Scenario

SCOPE = "[('ref', '=like', 'BENCH-%')]"


def _count(env):
    env.cr.execute("SELECT count(*) FROM res_partner WHERE ref LIKE 'BENCH-%'")
    return env.cr.fetchone()[0]


def _run(env, kind):
    return env["neiqin.cleaning"].create(
        {"name": f"Bench {kind}", "kind": kind, "scope_domain": SCOPE}
    )


def _phone_ours(env):
    _run(env, "phone").action_preview()
    env.flush_all()


def _phone_naive(env):
    """One customer at a time: read its numbers, format them, create a line."""
    run = _run(env, "phone")
    Line = env["neiqin.cleaning.line"]
    for partner in env["res.partner"].search([("ref", "=like", "BENCH-%")]):
        for fname in ("phone", "mobile"):
            old = partner[fname]
            new = format_phone(old) if old else None
            if new and new != old:
                Line.create(
                    {
                        "cleaning_id": run.id,
                        "partner_id": partner.id,
                        "field_name": fname,
                        "old_value": old,
                        "new_value": new,
                    }
                )
    env.flush_all()


def _trim_ours(env):
    _run(env, "trim").action_preview()
    env.flush_all()


def _trim_naive(env):
    run = _run(env, "trim")
    Line = env["neiqin.cleaning.line"]
    for partner in env["res.partner"].search([("ref", "=like", "BENCH-%")]):
        for fname in ("name", "email", "phone", "mobile", "street", "city"):
            old = partner[fname]
            new = " ".join(old.split()) if old else old
            if old and new != old:
                Line.create(
                    {
                        "cleaning_id": run.id,
                        "partner_id": partner.id,
                        "field_name": fname,
                        "old_value": old,
                        "new_value": new,
                    }
                )
    env.flush_all()


def _trim_sql(env):
    run = _run(env, "trim")
    env.flush_all()
    env.cr.execute(
        SQL(
            """INSERT INTO neiqin_cleaning_line
                   (cleaning_id, company_id, partner_id, field_name, old_value, new_value, state,
                    create_uid, write_uid, create_date, write_date)
               SELECT %(run)s, %(company)s, p.id, v.field, v.value, n.new, 'pending',
                      %(uid)s, %(uid)s, %(now)s, %(now)s
                 FROM res_partner p,
                      LATERAL (VALUES ('name', p.name), ('email', p.email), ('phone', p.phone),
                                      ('mobile', p.mobile), ('street', p.street),
                                      ('city', p.city)) AS v (field, value),
                      LATERAL (SELECT btrim(regexp_replace(v.value, '[[:space:]]+', ' ', 'g'))
                               AS new) AS n (new)
                WHERE p.ref LIKE %(pattern)s AND v.value <> '' AND n.new <> v.value""",
            pattern="BENCH-%",
            run=run.id,
            company=run.company_id.id,
            uid=env.uid,
            now=fields.Datetime.now(),
        )
    )


SCENARIOS = [
    Scenario(
        name="cleaning preview, phone numbers to E.164",
        records=_count,
        ours=_phone_ours,
        naive=_phone_naive,
        notes="one query reads every customer's phone and mobile, phonenumbers formats "
        "them in Python, one batched insert writes a line per changed value",
        max_queries=60,
    ),
    Scenario(
        name="cleaning preview, trim spaces",
        records=_count,
        ours=_trim_ours,
        naive=_trim_naive,
        sql=_trim_sql,
        notes="SQL trims in the reading query; one batched insert of the lines "
        "(sql: one INSERT … SELECT)",
        max_queries=60,
    ),
]
