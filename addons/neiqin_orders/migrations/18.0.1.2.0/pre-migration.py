"""18.0.1.2.0: the amount the platform reports as paid is
``neiqin_platform_paid`` (it was ``neiqin_paid_amount``, beside the computed
``neiqin_amount_paid``). The column, the field and its tracking history keep
their values under the new name."""

from odoo.tools import SQL, sql

OLD, NEW = "neiqin_paid_amount", "neiqin_platform_paid"


def migrate(cr, version):
    if not version or not sql.column_exists(cr, "sale_order", OLD):
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
