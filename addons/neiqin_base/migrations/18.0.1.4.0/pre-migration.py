"""Since 18.0.1.4.0 a rule's condition has one field per meaning, and the
check methods rules call are named ``_neiqin_dq_check_*``.

- ``domain`` held what makes a record wrong (type condition) and what the
  linked record must match (type reference): its value goes to
  ``bad_record_domain`` or ``linked_record_domain`` by the rule's type. The
  old column is dropped with the field once every module is upgraded.
- ``method_name`` started with ``_neiqin_dq_``, like the data-quality
  mixin's own helpers: ``_neiqin_dq_<name>`` becomes
  ``_neiqin_dq_check_<name>``, as the modules renamed their checks.

Before the models load: the constraint on ``method_name`` would refuse the
old names, and the ORM would create the new columns empty."""

from odoo.tools import SQL, sql

TABLE = "neiqin_dq_rule"
OLD_PREFIX = "_neiqin_dq_"
NEW_PREFIX = "_neiqin_dq_check_"
CONDITION_OF_TYPE = {"domain": "bad_record_domain", "reference": "linked_record_domain"}


def migrate(cr, version):
    if not version or not sql.table_exists(cr, TABLE):
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
