"""Since 18.0.1.2.0 the numbers the order review's checks read have a field
each: the one ``threshold`` field of neiqin_base (*Parameter*) held hours
for the probable duplicate check and a percent for the price check. Its
values go to ``duplicate_window_hours`` and ``max_price_deviation_percent``.

neiqin_base no longer has the field; its column is dropped with it once
every module is upgraded, after this script (rules have their method names
in the new form by then: neiqin_base's pre-migration)."""

from odoo.tools import SQL, sql

TABLE = "neiqin_dq_rule"
COLUMN_OF_CHECK = {
    "duplicate_window_hours": "probable_duplicate",
    "max_price_deviation_percent": "price_deviation",
}


def migrate(cr, version):
    if not version or not sql.column_exists(cr, TABLE, "threshold"):
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
