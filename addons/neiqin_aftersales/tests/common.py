from odoo import Command
from odoo.tools import SQL

from odoo.addons.neiqin_orders.tests.common import OrdersCase


class AftersalesCase(OrdersCase):
    """The order desk's fixture (roles, stock, a carrier, a customer), then
    the after-sales desk's: a helpdesk team of the clerk, the portal user of
    the customer, and helpers for a shipped order and a ticket on it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.helpdesk_team = cls.env["helpdesk.ticket.team"].create(
            {"name": "After-sales", "user_ids": [Command.set((cls.clerk | cls.lead).ids)]}
        )
        cls.service_process = cls.env.ref("neiqin_aftersales.process_service")
        cls.service_team = cls.env.ref("neiqin_aftersales.team_customer_service")
        cls.service_team.member_ids = [Command.link(cls.clerk.id), Command.link(cls.lead.id)]
        cls.service_team.lead_user_id = cls.lead
        cls.portal_user = cls._user(
            "as_portal", "base.group_portal", name="Wu Min Portal", email="wu.min@example.com"
        )
        cls.customer.user_ids = [Command.link(cls.portal_user.id)]
        cls.portal_user.partner_id = cls.customer

    @classmethod
    def _shipped_order(cls, partner=None, lines=None, **vals):
        """A confirmed order whose delivery is done, as a return needs."""
        order = cls._order(partner=partner, lines=lines, **vals)
        order.action_neiqin_review()
        order.action_confirm()
        for picking in order.picking_ids:
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            picking.button_validate()
        return order

    @classmethod
    def _ticket(cls, order=None, user=None, **vals):
        """A ticket of the customer, on ``order`` when given, made by
        ``user`` (default: the clerk)."""
        values = {
            "name": "Wrong size",
            "description": "<p>The shirt is too small.</p>",
            "partner_id": (order.partner_id if order else cls.customer).id,
            "team_id": cls.helpdesk_team.id,
            **vals,
        }
        if order:
            values["sale_order_ids"] = [Command.link(order.id)]
        return cls.env["helpdesk.ticket"].with_user(user or cls.clerk).create(values)

    # -------------------------------------------------------- service flow
    @classmethod
    def _stage(cls, name):
        """helpdesk_mgmt's stage ``name``: new, in_progress, awaiting, done,
        cancelled, rejected."""
        return cls.env.ref(f"helpdesk_mgmt.helpdesk_ticket_stage_{name}")

    def _post_as(self, ticket, user, body="<p>Hello</p>", internal=False):
        """A message of ``user`` on ``ticket``: public (a reply) unless ``internal``."""
        return ticket.with_user(user).message_post(
            body=body,
            message_type="comment",
            subtype_xmlid="mail.mt_note" if internal else "mail.mt_comment",
        )

    def _own_passages_only(self, tickets):
        """Mark every other open passage (demo data of a reused database)
        alerted and escalated: the overdue cron then sees these tickets'."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE neiqin_step_log SET alerted_at = now(), escalated_at = now() "
                "WHERE NOT (res_model = 'helpdesk.ticket' AND res_id = ANY(%s))",
                tickets.ids,
            )
        )
