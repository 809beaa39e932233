"""18.0.1.2.0, before this module's models and data load.

- Since 18.0.1.2.0 the order process is neiqin_orders' data. neiqin_base's
own upgrade gives this module the XML ids of the process and its steps;
when neiqin_orders is updated without neiqin_base, do it here, before
this module's data is loaded, so that it finds the records instead of
making a second order process.
- The amount the platform reports as paid is
``neiqin_platform_paid`` (it was ``neiqin_paid_amount``, beside the computed
``neiqin_amount_paid``). The column, the field and its tracking history keep
their values under the new name."""

from odoo.tools import SQL, sql

from odoo.addons.neiqin_base.engine.xmlids import ORDER_PROCESS_XMLIDS, move_xmlids

OLD, NEW = "neiqin_paid_amount", "neiqin_platform_paid"


def _rename_platform_paid(cr):
    if not sql.column_exists(cr, "sale_order", OLD):
        return
    sql.rename_column(cr, "sale_order", OLD, NEW)
    cr.execute(
        SQL(
            "UPDATE ir_model_fields SET name = %s WHERE model = 'sale.order' AND name = %s",
            NEW,
            OLD,
        )
    )
    cr.execute(
        SQL(
            """UPDATE ir_model_data SET name = %s
                WHERE module = 'neiqin_orders' AND model = 'ir.model.fields' AND name = %s""",
            f"field_sale_order__{NEW}",
            f"field_sale_order__{OLD}",
        )
    )


def migrate(cr, version):
    if not version:
        return
    move_xmlids(cr, ORDER_PROCESS_XMLIDS, "neiqin_base", "neiqin_orders")
    _rename_platform_paid(cr)
