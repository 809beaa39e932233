"""18.0.1.4.0, before the models and any data load.

Rules. Since 18.0.1.4.0 a rule's condition has one field per meaning, and the
check methods rules call are named ``_neiqin_dq_check_*``.

- ``domain`` held what makes a record wrong (type condition) and what the
  linked record must match (type reference): its value goes to
  ``bad_record_domain`` or ``linked_record_domain`` by the rule's type. The
  old column is dropped with the field once every module is upgraded.
- ``method_name`` started with ``_neiqin_dq_``, like the data-quality
  mixin's own helpers: ``_neiqin_dq_<name>`` becomes
  ``_neiqin_dq_check_<name>``, as the modules renamed their checks.

Before the models load: the constraint on ``method_name`` would refuse the
old names, and the ORM would create the new columns empty.

Processes. Since 18.0.1.4.0 neiqin_base ships only the data-maintenance process: the
order process belongs to neiqin_orders, and the customer-service and
product-information processes to the add-ons of tickets and products.

Before neiqin_base's data is loaded, and so before any module's: the XML
ids of the order process and its steps go to neiqin_orders, installed or
not (its data then finds the records instead of making a second process
with the same code; installed later, it takes them over); those of the
processes no module ships any more are forgotten, their records kept.
Processes, steps, their translations, settings and step logs are left as
they are. neiqin_orders does the same move when it is updated alone."""

from odoo.tools import SQL, sql

from odoo.addons.neiqin_base.engine.xmlids import (
    ORDER_PROCESS_XMLIDS,
    detach_xmlids,
    move_xmlids,
)

TABLE = "neiqin_dq_rule"
OLD_PREFIX = "_neiqin_dq_"
NEW_PREFIX = "_neiqin_dq_check_"
CONDITION_OF_TYPE = {"domain": "bad_record_domain", "reference": "linked_record_domain"}


def _rules(cr):
    if not sql.table_exists(cr, TABLE):
        return
    if sql.column_exists(cr, TABLE, "domain"):
        for rule_type, column in CONDITION_OF_TYPE.items():
            if not sql.column_exists(cr, TABLE, column):
                sql.create_column(cr, TABLE, column, "varchar")
            cr.execute(
                SQL(
                    "UPDATE %s SET %s = domain WHERE rule_type = %s AND %s IS NULL",
                    SQL.identifier(TABLE),
                    SQL.identifier(column),
                    rule_type,
                    SQL.identifier(column),
                )
            )
    # Names already in the new form were valid before too: kept.
    cr.execute(
        SQL(
            """UPDATE %s SET method_name = %s || substr(method_name, %s)
                WHERE starts_with(method_name, %s) AND NOT starts_with(method_name, %s)""",
            SQL.identifier(TABLE),
            NEW_PREFIX,
            len(OLD_PREFIX) + 1,
            OLD_PREFIX,
            NEW_PREFIX,
        )
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


def _processes(cr):
    move_xmlids(cr, ORDER_PROCESS_XMLIDS, "neiqin_base", "neiqin_orders")
    detach_xmlids(cr, "neiqin_base", UNSHIPPED_XMLIDS)


def migrate(cr, version):
    if not version:
        return
    _rules(cr)
    _processes(cr)
