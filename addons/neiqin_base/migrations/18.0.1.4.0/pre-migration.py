"""Since 18.0.1.4.0 neiqin_base ships only the data-maintenance process: the
order process belongs to neiqin_orders, and the customer-service and
product-information processes to the add-ons of tickets and products.

Before neiqin_base's data is loaded, and so before any module's: the XML
ids of the order process and its steps go to neiqin_orders, installed or
not (its data then finds the records instead of making a second process
with the same code; installed later, it takes them over); those of the
processes no module ships any more are forgotten, their records kept.
Processes, steps, their translations, settings and step logs are left as
they are. neiqin_orders does the same move when it is updated alone."""

from odoo.addons.neiqin_base.engine.xmlids import (
    ORDER_PROCESS_XMLIDS,
    detach_xmlids,
    move_xmlids,
)

UNSHIPPED_XMLIDS = (
    "process_service",
    "step_service_consult",
    "step_service_diagnose",
    "step_service_solve",
    "step_service_followup",
    "step_service_rating",
    "process_product",
    "step_product_entry",
    "step_product_review",
    "step_product_publish",
    "step_product_update",
    "step_product_monitor",
)


def migrate(cr, version):
    if not version:
        return
    move_xmlids(cr, ORDER_PROCESS_XMLIDS, "neiqin_base", "neiqin_orders")
    detach_xmlids(cr, "neiqin_base", UNSHIPPED_XMLIDS)
