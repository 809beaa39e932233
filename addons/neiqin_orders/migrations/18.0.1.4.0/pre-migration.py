"""18.0.1.4.0, before this module's models load.

Orders now know when they were paid (``neiqin_paid_at``): the review holds
a paid order some minutes after its payment. Left to the ORM, the new
column would say every order already paid was paid at the upgrade, and the
paid quotations would wait again. The column is made here, with the order
date as the payment time of the orders already paid, so that the ORM finds
it filled and computes nothing."""

from odoo.tools import SQL, sql


def migrate(cr, version):
    if not version or sql.column_exists(cr, "sale_order", "neiqin_paid_at"):
        return
    sql.create_column(cr, "sale_order", "neiqin_paid_at", "timestamp")
    cr.execute(
        SQL(
            """UPDATE sale_order SET neiqin_paid_at = date_order
                WHERE neiqin_payment_state IN ('paid', 'over')"""
        )
    )
