from odoo import Command

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


class TicketApiMixin:
    """A connector's API user and helpers for the tickets' XML-RPC API."""

    @classmethod
    def _setup_ticket_api(cls):
        cls.connector = cls._user(
            "as_connector", "neiqin_base.group_neiqin_connector", password="as_connector_pw"
        )
        cls.plain_user = cls._user("as_plain", "base.group_user", password="as_plain_pw")
        # A buyer known by the shop, as the orders API keeps them: the
        # portal customer is a user's contact, which the API never matches.
        cls.buyer = cls.env["res.partner"].create(
            {
                "name": "周杰",
                "ref": "tmall:buyer-77",
                "email": "zhou.jie@example.com",
                "phone": "+86 21 5555 0100",
            }
        )

    @staticmethod
    def _ticket_payload(ref, source="tmall", **extra):
        """A ticket as a customer-service system sends it."""
        return {
            "source": source,
            "external_ref": ref,
            "subject": "尺码不对",
            "description": "衬衫太小了。\n想换大一号。",
            "service_type": "exchange",
            "channel": "web",
            "priority": 1,
            **extra,
        }
