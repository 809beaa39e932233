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

    # ------------------------------------------------------------ returns
    def _return_wizard(self, ticket, kind=None, user=None):
        """The return wizard of ``ticket`` opened by ``user`` (default: the
        clerk), its lines proposed; ``kind`` changes the proposed kind."""
        user = user or self.clerk
        action = ticket.with_user(user).action_neiqin_create_return()
        wizard = self.env[action["res_model"]].with_user(user).browse(action["res_id"])
        if kind and wizard.kind != kind:
            wizard.kind = kind
            wizard._onchange_kind()
        return wizard

    def _returns_of(self, ticket):
        return self.env["rma"].search([("neiqin_ticket_id", "=", ticket.id)], order="id")

    def _receive(self, rma, user=None):
        """Validate the reception of ``rma``'s goods as ``user`` (default: the
        clerk)."""
        picking = rma.reception_move_id.picking_id.with_user(user or self.clerk)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.button_validate()
        return picking

    def _inspect(self, rma, result, user=None, note=False):
        user = user or self.clerk
        action = rma.with_user(user).action_neiqin_inspect()
        wizard = (
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
            .create({"result": result, "note": note})
        )
        wizard.action_confirm()

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


class RepliesCase(AftersalesCase):
    """Standard replies and flow sheets: helpers to write a template and
    to ship an order with a tracking number."""

    @classmethod
    def _reply_template(cls, body, **vals):
        return cls.env["neiqin.reply.template"].create(
            {"name": vals.pop("name", "Test reply"), "body": body, **vals}
        )

    @classmethod
    def _tracked_order(cls, tracking="TX12345678", **vals):
        """A shipped order of the customer whose delivery carries
        ``tracking`` with the test carrier."""
        order = cls._shipped_order(**vals)
        order.picking_ids.write({"carrier_id": cls.carrier.id, "carrier_tracking_ref": tracking})
        return order


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
