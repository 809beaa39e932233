"""XML ids of records a module hands over or stops shipping, for the
migration scripts.

Odoo finds a data file's record by its XML id (``module.name``). When a
record moves to another module's data, the new module must find it under
its own name, or it makes a second one; when no module ships a record any
more, its XML id is forgotten, the record kept. Plain SQL: pre-migration
scripts run before the modules' data is loaded."""

from odoo.tools import SQL

ORDER_PROCESS_XMLIDS = (
    "process_order",
    "step_order_confirm",
    "step_order_payment",
    "step_order_dispatch",
    "step_order_tracking",
    "step_order_notify",
    "step_order_aftersales",
)


def move_xmlids(cr, names, old_module, new_module):
    """Give the XML ids ``old_module.<name>`` to ``new_module``; return how
    many moved. An id ``new_module`` already holds is kept, and the old one
    is dropped. Neither the records nor their ``noupdate`` change."""
    names = tuple(names)
    cr.execute(
        SQL(
            """
            DELETE FROM ir_model_data old
             USING ir_model_data new
             WHERE old.module = %(old)s AND old.name IN %(names)s
               AND new.module = %(new)s AND new.name = old.name
            """,
            old=old_module,
            new=new_module,
            names=names,
        )
    )
    cr.execute(
        SQL(
            "UPDATE ir_model_data SET module = %s WHERE module = %s AND name IN %s",
            new_module,
            old_module,
            names,
        )
    )
    return cr.rowcount


def detach_xmlids(cr, module, names):
    """Forget the XML ids ``module.<name>``, keeping their records: Odoo no
    longer deletes them when it cleans the module's data after an update or
    an uninstallation. Return how many were forgotten."""
    cr.execute(
        SQL(
            "DELETE FROM ir_model_data WHERE module = %s AND name IN %s",
            module,
            tuple(names),
        )
    )
    return cr.rowcount
