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

    # ------------------------------------------------------------ csat helpers
    @classmethod
    def _confirmed_orders(cls, partner, amounts):
        """Confirmed orders of ``partner``, one per untaxed amount. They are
        marked confirmed in SQL: the member levels read confirmed orders,
        the order flow is tested in neiqin_orders."""
        orders = cls.env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "user_id": False,
                    "order_line": [
                        Command.create(
                            {"product_id": cls.tee.id, "product_uom_qty": 1, "price_unit": amount}
                        )
                    ],
                }
                for amount in amounts
            ]
        )
        cls.env.flush_all()
        cls.env.cr.execute("UPDATE sale_order SET state = 'sale' WHERE id = ANY(%s)", [orders.ids])
        orders.invalidate_recordset(["state"])
        return orders

    @classmethod
    def _rated_ticket(cls, rate, user=None, order=None, **vals):
        """A ticket asked for its rating and rated ``rate`` by its customer
        (through the rating's token, as the public rating page does)."""
        ticket = cls._ticket(order=order, **vals)
        if user:
            ticket.user_id = user
        ticket._neiqin_enter_step("rating")
        token = ticket._rating_get_access_token()
        # As the public rating page does once it found the token's rating.
        ticket.sudo().rating_apply(rate, token=token)
        return ticket
