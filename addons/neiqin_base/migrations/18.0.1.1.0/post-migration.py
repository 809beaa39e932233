"""Duplicate keys of one field have a hash index since 18.0.1.1.0: drop the
B-tree index the engine made for them before, and make the hash index."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL, sql


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    rules = (
        env["neiqin.dq.rule"]
        .with_context(active_test=False)
        .search([("rule_type", "=", "duplicate")])
        .filtered(lambda rule: rule.model_name in env and len(rule.field_ids) == 1)
    )
    for rule in rules:
        suffix = rule.field_ids.name + ("_ci" if rule.case_insensitive else "")
        name = sql.make_index_name(env[rule.model_name]._table, f"neiqin_dq_{suffix}")
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
    rules._ensure_scan_index()
