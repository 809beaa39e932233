"""Since 18.0.1.2.0 the order process is neiqin_orders' data. neiqin_base's
own upgrade gives this module the XML ids of the process and its steps;
when neiqin_orders is updated without neiqin_base, do it here, before
this module's data is loaded, so that it finds the records instead of
making a second order process."""

from odoo.addons.neiqin_base.engine.xmlids import ORDER_PROCESS_XMLIDS, move_xmlids


def migrate(cr, version):
    if not version:
        return
    move_xmlids(cr, ORDER_PROCESS_XMLIDS, "neiqin_base", "neiqin_orders")
