from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from odoo.addons.neiqin_base.engine.guard import engine_writes, require_group

from ..models.helpdesk_ticket_returns import KIND_BY_SERVICE_TYPE
from ..models.rma_operation import RETURN_KINDS

# RMAs that no longer count against what may still be returned.
VOID_STATES = ("cancelled",)


class NeiqinTicketReturnWizard(models.TransientModel):
    """Create the returns of a ticket (创建退换货): one RMA per line of the
    ticket's orders, with the operation of the chosen kind, confirmed."""

    _name = "neiqin.ticket.return.wizard"
    _description = "Create Returns from a Ticket"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, readonly=True)
    kind = fields.Selection(RETURN_KINDS, required=True)
    line_ids = fields.One2many("neiqin.ticket.return.wizard.line", "wizard_id", string="Lines")
    description = fields.Text(help="Added to each return.")

    @api.model_create_multi
    def create(self, vals_list):
        require_group(
            self.env,
            "neiqin_base.group_neiqin_clerk",
            self.env._("Only after-sales staff can create returns."),
        )
        tickets = self.env["helpdesk.ticket"].browse(
            [vals["ticket_id"] for vals in vals_list if vals.get("ticket_id")]
        )
        for vals in vals_list:
            if not vals.get("kind") and vals.get("ticket_id"):
                # The kind the ticket's service type asks for.
                ticket = tickets.browse(vals["ticket_id"])
                vals["kind"] = KIND_BY_SERVICE_TYPE.get(ticket.neiqin_service_type, "return_refund")
        wizards = super().create(vals_list)
        # The returns are the ticket's work: whoever may not change the
        # ticket may not open its returns either.
        wizards.ticket_id.check_access("write")
        for wizard in wizards.filtered(lambda w: not w.line_ids):
            wizard.line_ids = [Command.create(vals) for vals in wizard._proposed_lines()]
        return wizards

    def _proposed_lines(self):
        """A line per product line of the ticket's orders with something
        left to return (delivered, or ordered for a refund only, minus what
        open returns already take)."""
        lines = self.ticket_id.sale_order_ids.order_line.filtered(
            lambda ln: not ln.display_type
            and ln.product_id.type == "consu"
            and not ln.is_delivery
            and ln.order_id.state == "sale"
        )
        taken = self._taken_quantities(lines)
        proposed = []
        for line in lines:
            left = self._base_quantity(line) - taken.get(line.id, 0.0)
            if float_compare(left, 0.0, precision_rounding=line.product_uom.rounding) > 0:
                proposed.append({"order_line_id": line.id, "quantity": left})
        return proposed

    def _base_quantity(self, line):
        """What may be asked for on ``line`` in all: ordered for a refund
        only (the goods may not have left), delivered otherwise."""
        return line.product_uom_qty if self.kind == "refund_only" else line.qty_delivered

    def _taken_quantities(self, lines):
        """{order line id: quantity of the RMAs of the same family already
        asked} (one query): a resend takes nothing from what may be
        returned and refunded, and the reverse."""
        resend = self.kind == "resend"
        domain = [
            ("neiqin_order_line_id", "in", lines.ids),
            ("state", "not in", VOID_STATES),
            ("operation_id.neiqin_kind", "=" if resend else "!=", "resend"),
        ]
        # Whatever the clerk may read: a return of another team's ticket on
        # the same line takes its quantity all the same. Safe: the lines
        # are the ticket's own, only sums are read.
        groups = (
            self.env["rma"]
            .sudo()
            ._read_group(domain, ["neiqin_order_line_id"], ["product_uom_qty:sum"])
        )
        return {line.id: qty for line, qty in groups}

    @api.onchange("kind")
    def _onchange_kind(self):
        self.line_ids = [Command.clear()] + [
            Command.create(vals) for vals in self._proposed_lines()
        ]

    def _check_lines(self):
        _ = self.env._
        if not self.line_ids:
            raise UserError(_("Add at least one line to return."))
        lines = self.line_ids.order_line_id
        foreign = lines.order_id - self.ticket_id.sale_order_ids
        if foreign:
            raise UserError(
                _(
                    "These orders are not linked to the ticket: %s",
                    ", ".join(foreign.mapped("name")),
                )
            )
        taken = self._taken_quantities(lines)
        asked = {}
        for wline in self.line_ids:
            line = wline.order_line_id
            rounding = line.product_uom.rounding
            names = {"product": line.product_id.display_name, "order": line.order_id.name}
            if float_compare(wline.quantity, 0.0, precision_rounding=rounding) <= 0:
                raise UserError(
                    _(
                        "The quantity of %(product)s on %(order)s must be more than 0.",
                        **names,
                    )
                )
            asked[line.id] = asked.get(line.id, 0.0) + wline.quantity
            left = self._base_quantity(line) - taken.get(line.id, 0.0)
            if float_compare(asked[line.id], left, precision_rounding=rounding) > 0:
                raise UserError(
                    _(
                        "%(product)s on %(order)s: %(asked)s asked, only %(left)s can be "
                        "(%(base)s %(what)s, %(taken)s already in returns).",
                        asked=asked[line.id],
                        left=max(left, 0.0),
                        base=self._base_quantity(line),
                        what=_("ordered") if self.kind == "refund_only" else _("delivered"),
                        taken=taken.get(line.id, 0.0),
                        **names,
                    )
                )
            if wline.exchange_product_id and self.kind != "exchange":
                raise UserError(
                    _("Only an exchange sends another product (%(product)s on %(order)s).", **names)
                )

    def action_create(self):
        """Create and confirm one RMA per line; open them."""
        self.ensure_one()
        require_group(
            self.env,
            "neiqin_base.group_neiqin_clerk",
            self.env._("Only after-sales staff can create returns."),
        )
        self.ticket_id.check_access("write")
        operation = self.env["rma.operation"]._neiqin_by_kind().get(self.kind)
        if not operation:
            raise UserError(
                self.env._(
                    "No active return operation is set for %s: ask a manager to restore it.",
                    dict(self._fields["kind"]._description_selection(self.env))[self.kind],
                )
            )
        self._check_lines()
        rmas = self.env["rma"]
        for wline in self.line_ids:
            rmas |= self.env["rma"].create(wline._rma_values(operation))
        for rma in rmas.filtered("neiqin_exchange_product_id"):
            with engine_writes():
                rma.neiqin_price_difference = rma._neiqin_compute_difference()
        rmas.action_confirm()
        self.ticket_id.message_post(
            body=self.env._("Returns created: %s", ", ".join(rmas.mapped("name"))),
            subtype_xmlid="mail.mt_note",
        )
        return self.ticket_id.action_neiqin_view_returns()


class NeiqinTicketReturnWizardLine(models.TransientModel):
    _name = "neiqin.ticket.return.wizard.line"
    _description = "Create Returns from a Ticket: Line"

    wizard_id = fields.Many2one("neiqin.ticket.return.wizard", required=True, ondelete="cascade")
    order_line_id = fields.Many2one("sale.order.line", required=True)
    order_id = fields.Many2one(related="order_line_id.order_id", string="Order")
    product_id = fields.Many2one(related="order_line_id.product_id", string="Product")
    delivered_qty = fields.Float(
        related="order_line_id.qty_delivered", string="Delivered", digits="Product Unit of Measure"
    )
    quantity = fields.Float(digits="Product Unit of Measure", required=True)
    uom_id = fields.Many2one(related="order_line_id.product_uom", string="Unit")
    exchange_product_id = fields.Many2one(
        "product.product",
        string="Replacement Product",
        domain="[('type', '=', 'consu'), ('sale_ok', '=', True)]",
        help="For an exchange: another product to send (empty: the same one).",
    )

    def _delivery_move(self):
        """The done outgoing move of the order line, as rma_sale proposes it."""
        moves = self.order_line_id.move_ids.filtered(
            lambda m: m.state == "done" and m.picking_code == "outgoing"
        )
        return moves.sorted("date", reverse=True)[:1]

    def _rma_values(self, operation):
        line = self.order_line_id
        order = line.order_id
        move = self._delivery_move()
        ticket = self.wizard_id.ticket_id
        values = {
            "partner_id": order.partner_id.id,
            "partner_invoice_id": order.partner_invoice_id.id,
            "partner_shipping_id": order.partner_shipping_id.id,
            "origin": order.name,
            "company_id": order.company_id.id,
            "order_id": order.id,
            "picking_id": move.picking_id.id,
            "move_id": move.id,
            "product_id": line.product_id.id,
            "product_uom_qty": self.quantity,
            "product_uom": line.product_uom.id,
            "operation_id": operation.id,
            "description": self.wizard_id.description or False,
            "neiqin_ticket_id": ticket.id,
            "neiqin_order_line_id": line.id,
            "neiqin_exchange_product_id": self.exchange_product_id.id,
        }
        if operation.different_return_product:
            values["return_product_id"] = line.product_id.id
        if order.warehouse_id.rma_loc_id:
            values["location_id"] = order.warehouse_id.rma_loc_id.id
        return values
