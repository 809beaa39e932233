"""Since 18.0.1.7.0 the sales platforms are neiqin_base's data, shared by the
orders and the catalog: the records neiqin_orders created keep their rows
and change owner, before neiqin_base's data file finds them by their names."""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            """UPDATE ir_model_data d
                  SET module = 'neiqin_base'
                WHERE d.module = 'neiqin_orders' AND d.model = 'neiqin.platform'
                  AND NOT EXISTS (SELECT 1 FROM ir_model_data b
                                   WHERE b.module = 'neiqin_base' AND b.name = d.name)"""
        )
    )
