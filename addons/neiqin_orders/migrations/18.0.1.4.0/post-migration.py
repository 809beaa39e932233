"""Since 18.0.1.4.0 the customer notices of orders are in neiqin_base's
outbox (``neiqin.notice``): the e-mails sent before are moved there as sent
e-mail notices, so that each is still sent once per order. The old table
goes when the update removes its model."""

from odoo.tools.sql import table_exists


def migrate(cr, version):
    if not version or not table_exists(cr, "neiqin_order_notice"):
        return
    cr.execute(
        """INSERT INTO neiqin_notice (
                res_model, res_id, res_name, company_id, partner_id, platform_id,
                platform_ref, kind, channel, lang, state, tries, queued_at, sent_at,
                template_id, message_id, create_uid, create_date, write_uid, write_date)
           SELECT 'sale.order', n.order_id, o.name, o.company_id, o.partner_id, p.id,
                  o.neiqin_platform_order_no, n.kind, 'email', partner.lang, 'sent', 1,
                  n.sent_at, n.sent_at, n.template_id, n.message_id,
                  n.create_uid, n.create_date, n.write_uid, n.write_date
             FROM neiqin_order_notice n
             JOIN sale_order o ON o.id = n.order_id
        LEFT JOIN res_partner partner ON partner.id = o.partner_id
        LEFT JOIN neiqin_platform p ON p.code = o.neiqin_platform
      ON CONFLICT (res_model, res_id, kind) DO NOTHING"""
    )
