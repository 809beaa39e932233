"""18.0.1.2.0:

- The order review is a review gate of neiqin_base, and a rule stops an
  order only if it serves that gate. Every rule of orders did before: they
  all serve it after the upgrade, archived ones included.
- The numbers the order review's checks read have a field each: the one
  ``threshold`` field of neiqin_base (*Parameter*) held hours for the
  probable duplicate check and a percent for the price check. Its values go
  to ``duplicate_window_hours`` and ``max_price_deviation_percent``.
  neiqin_base no longer has the field; its column is dropped with it once
  every module is upgraded, after this script (rules have their method
  names in the new form by then: neiqin_base's pre-migration)."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL, sql

TABLE = "neiqin_dq_rule"
COLUMN_OF_CHECK = {
    "duplicate_window_hours": "probable_duplicate",
    "max_price_deviation_percent": "price_deviation",
}


def migrate(cr, version):
    if not version:
        return
    _rules_serve_the_order_review(cr)
    _split_threshold(cr)


def _rules_serve_the_order_review(cr):
    env = api.Environment(cr, SUPERUSER_ID, {})
    gate = env.ref("neiqin_orders.gate_order_review")
    rules = (
        env["neiqin.dq.rule"]
        .with_context(active_test=False)
        .search([("model_name", "=", "sale.order")])
    )
    rules.write({"gate_ids": [(4, gate.id)]})


def _split_threshold(cr):
    if not sql.column_exists(cr, TABLE, "threshold"):
        return
    for column, check in COLUMN_OF_CHECK.items():
        # Either name of the check: whichever the rule has.
        names = [f"_neiqin_dq_check_{check}", f"_neiqin_dq_{check}"]
        cr.execute(
            SQL(
                """UPDATE %s SET %s = threshold
                    WHERE method_name = ANY(%s) AND threshold IS NOT NULL""",
                SQL.identifier(TABLE),
                SQL.identifier(column),
                names,
            )
        )
