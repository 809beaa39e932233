"""Since 18.0.1.2.0 the order review is a review gate of neiqin_base and a
rule stops an order only if it serves that gate. Every rule of orders did
before: they all serve it after the upgrade, archived ones included."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    gate = env.ref("neiqin_orders.gate_order_review")
    rules = (
        env["neiqin.dq.rule"]
        .with_context(active_test=False)
        .search([("model_name", "=", "sale.order")])
    )
    rules.write({"gate_ids": [(4, gate.id)]})
