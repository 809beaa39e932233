"""Since 18.0.1.1.0 each company decides which orders the review covers
(marketplace and connector orders by default), and orders outside it are
*Not Reviewed*. A database that reviewed every order keeps doing so; the
orders that never entered the order process are marked as not reviewed."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.company"].with_context(active_test=False).search([]).write(
        {"neiqin_review_scope": "all"}
    )
    cr.execute(
        """UPDATE sale_order SET neiqin_review_state = 'none'
            WHERE neiqin_process_id IS NULL AND neiqin_review_state = 'to_review'"""
    )
