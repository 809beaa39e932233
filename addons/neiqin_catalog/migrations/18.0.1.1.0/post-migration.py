"""18.0.1.1.0: the completeness scores of products moved from two columns
of ``product_template`` to their own narrow table (``neiqin_product_completeness``,
made by the update). The scores already computed are carried over, so that
the boards show them before the next daily run, and the old columns, which
the ORM no longer reads or writes, are dropped."""

from odoo.tools.sql import column_exists


def migrate(cr, version):
    if not version or not column_exists(cr, "product_template", "neiqin_completeness"):
        return
    missing = (
        "t.neiqin_completeness_missing"
        if column_exists(cr, "product_template", "neiqin_completeness_missing")
        else "NULL"
    )
    cr.execute(
        f"""INSERT INTO neiqin_product_completeness (product_tmpl_id, score, missing)
            SELECT t.id, t.neiqin_completeness, {missing}
              FROM product_template t
             WHERE t.neiqin_completeness IS NOT NULL
            ON CONFLICT (product_tmpl_id) DO NOTHING"""  # noqa: S608 (no input: a column name)
    )
    cr.execute(
        """ALTER TABLE product_template
               DROP COLUMN IF EXISTS neiqin_completeness,
               DROP COLUMN IF EXISTS neiqin_completeness_missing"""
    )
