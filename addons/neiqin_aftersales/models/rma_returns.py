from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from odoo.addons.neiqin_base.engine.guard import engine_writes, require_group

INSPECTION_RESULTS = [
    ("good", "Good"),
    ("defective", "Defective"),
    ("missing_parts", "Missing Parts"),
]
# Where an RMA stops asking anything of the order it came from.
SETTLED_STATES = ("refunded", "returned", "replaced", "finished", "locked", "cancelled")


class Rma(models.Model):
    """Returns, exchanges, refunds only and resends opened from a ticket:
    the inspection at reception decides what comes next, and an exchange
    for another product settles the price difference."""

    _name = "rma"
    _inherit = ["rma", "neiqin.engine.mixin"]

    neiqin_kind = fields.Selection(related="operation_id.neiqin_kind", string="After-sales Kind")
    neiqin_order_line_id = fields.Many2one(
        "sale.order.line",
        string="Order Line",
        index="btree_not_null",
        copy=False,
        help="The order line the request is about, also when nothing was delivered "
        "(a refund only before shipping).",
    )
    neiqin_exchange_product_id = fields.Many2one(
        "product.product",
        string="Replacement Product",
        copy=False,
        help="For an exchange: the product sent in place of the returned one (empty: the "
        "same product).",
    )
    neiqin_currency_id = fields.Many2one(
        "res.currency", compute="_compute_neiqin_currency_id", string="Currency"
    )
    neiqin_price_difference = fields.Monetary(
        string="Price Difference",
        currency_field="neiqin_currency_id",
        copy=False,
        readonly=True,
        help="Replacement minus returned value, for the RMA's quantity: positive, the "
        "customer pays it (a customer invoice); negative, the shop refunds it (a credit "
        "note).",
    )
    neiqin_difference_move_id = fields.Many2one(
        "account.move",
        string="Price Difference Document",
        copy=False,
        readonly=True,
    )
    neiqin_inspection_result = fields.Selection(
        INSPECTION_RESULTS,
        string="Inspection",
        copy=False,
        tracking=True,
        readonly=True,
        help="Checked by the clerk when the return is received; required before a refund "
        "or a replacement.",
    )
    neiqin_inspection_note = fields.Text(string="Inspection Note", copy=False, readonly=True)
    neiqin_inspected_by_id = fields.Many2one(
        "res.users", string="Inspected By", copy=False, readonly=True
    )
    neiqin_decided_by_id = fields.Many2one(
        "res.users",
        string="Missing Parts Decided By",
        copy=False,
        readonly=True,
        help="The lead who let a return with missing parts go on.",
    )
    neiqin_settle_qty = fields.Float(
        string="Quantity Settled",
        digits="Product Unit of Measure",
        copy=False,
        readonly=True,
        help="Refunded or replaced quantity a lead decided for a return with missing "
        "parts (empty: the whole quantity).",
    )
    neiqin_needs_inspection = fields.Boolean(compute="_compute_neiqin_needs_inspection")

    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | {
            "neiqin_price_difference",
            "neiqin_difference_move_id",
            "neiqin_inspection_result",
            "neiqin_inspection_note",
            "neiqin_inspected_by_id",
            "neiqin_decided_by_id",
            "neiqin_settle_qty",
        }

    @api.depends("order_id.currency_id", "company_id.currency_id")
    def _compute_neiqin_currency_id(self):
        for rma in self:
            rma.neiqin_currency_id = rma.order_id.currency_id or rma.company_id.currency_id

    @api.depends("state", "reception_move_id.state", "neiqin_inspection_result", "neiqin_ticket_id")
    def _compute_neiqin_needs_inspection(self):
        for rma in self:
            # The reception's state only (a stock move a return clerk may
            # not read), of this RMA the user already reads.
            rma.neiqin_needs_inspection = (
                rma.state == "received"
                and rma.neiqin_ticket_id
                and not rma.neiqin_inspection_result
                and rma.sudo().reception_move_id.state == "done"
            )

    # ------------------------------------------------------------ hooks of rma / rma_sale
    def _get_sale_line(self):
        # A refund only before shipping has no delivery move: its order
        # line is the one the request named.
        line = super()._get_sale_line()
        # The order line the request itself named, read as rma_sale reads
        # its move's line: the invoicing user may not read sales orders.
        return line or self.sudo().neiqin_order_line_id

    def _prepare_refund_line_vals(self):
        vals = super()._prepare_refund_line_vals()
        if self.neiqin_settle_qty:
            vals["quantity"] = self.neiqin_settle_qty
        return vals

    def _neiqin_received(self):
        """Those of these RMAs of the after-sales desk (made from a ticket)
        whose goods came back: they are inspected before a refund or a
        replacement. An RMA made in the RMA app itself keeps its own flow."""
        # As _compute_neiqin_needs_inspection: the reception's state only.
        return self.filtered(
            lambda r: r.neiqin_ticket_id and r.sudo().reception_move_id.state == "done"
        )

    def _neiqin_check_inspected(self, action):
        """Refuse ``action`` for received RMAs without an inspection, or with
        missing parts no lead decided on."""
        _ = self.env._
        received = self._neiqin_received()
        uninspected = received.filtered(lambda r: not r.neiqin_inspection_result)
        if uninspected:
            raise UserError(
                _(
                    "%(action)s needs the inspection of the returned goods first: %(rmas)s",
                    action=action,
                    rmas=", ".join(uninspected.mapped("name")),
                )
            )
        undecided = received.filtered(
            lambda r: r.neiqin_inspection_result == "missing_parts" and not r.neiqin_decided_by_id
        )
        if undecided:
            raise UserError(
                _(
                    "%(action)s waits for a lead's decision: parts are missing from the "
                    "returned goods of %(rmas)s.",
                    action=action,
                    rmas=", ".join(undecided.mapped("name")),
                )
            )

    def action_refund(self):
        self._neiqin_check_inspected(self.env._("The refund"))
        return super().action_refund()

    def action_refund_without_invoice(self):
        self._neiqin_check_inspected(self.env._("The refund"))
        return super().action_refund_without_invoice()

    def create_replace(self, scheduled_date, warehouse, product, qty, uom):
        self._neiqin_check_inspected(self.env._("The replacement"))
        return super().create_replace(scheduled_date, warehouse, product, qty, uom)

    # ------------------------------------------------------------ inspection
    def action_neiqin_inspect(self):
        """Button: record the inspection of the received goods."""
        self.ensure_one()
        self._neiqin_check_clerk()
        return {
            "name": self.env._("Inspection"),
            "type": "ir.actions.act_window",
            "res_model": "neiqin.rma.inspection.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_rma_id": self.id},
        }

    def _neiqin_check_clerk(self):
        require_group(
            self.env,
            "neiqin_base.group_neiqin_clerk",
            self.env._("Only after-sales staff can handle returns."),
        )

    def _neiqin_record_inspection(self, result, note=False):
        """Record the inspection of this received RMA and take the next step:
        good or defective, the refund or the replacement goes on (defective:
        a lead is told); missing parts, it waits for a lead's decision."""
        self.ensure_one()
        _ = self.env._
        self._neiqin_check_clerk()
        if result not in dict(INSPECTION_RESULTS):
            raise UserError(_("Choose the inspection result: good, defective or missing parts."))
        if self.state != "received" or not self._neiqin_received():
            raise UserError(_("%s: only received returns are inspected.", self.name))
        if self.neiqin_inspection_result:
            raise UserError(_("%s is already inspected.", self.name))
        with engine_writes():
            self.write(
                {
                    "neiqin_inspection_result": result,
                    "neiqin_inspection_note": note or False,
                    "neiqin_inspected_by_id": self.env.uid,
                }
            )
        if result == "good":
            self._neiqin_proceed()
        elif result == "defective":
            self._neiqin_tell_lead(
                _("Defective goods returned: check the stock of %s.", self.product_id.display_name)
            )
            self._neiqin_proceed()
        else:
            self._neiqin_tell_lead(
                _("Parts are missing: decide the quantity to settle on %s.", self.name)
            )

    def _neiqin_tell_lead(self, summary):
        """A note in the chatter and a to-do for the after-sales lead."""
        note = self.neiqin_inspection_note or ""
        self.message_post(body=f"{summary}\n{note}".strip(), subtype_xmlid="mail.mt_note")
        team = self.env.ref("neiqin_aftersales.team_customer_service", raise_if_not_found=False)
        # The team's lead is configuration: read as the engine, whoever
        # inspects (a clerk may not read the team's settings).
        lead = team.sudo().lead_user_id if team else self.env["res.users"]
        if lead:
            self.activity_schedule(
                "mail.mail_activity_data_todo", summary=summary, note=note, user_id=lead.id
            )

    def _neiqin_proceed(self):
        """The step after a passed inspection: the refund, or the
        replacement with its price difference settled."""
        for rma in self:
            if rma.neiqin_kind == "exchange":
                product = rma.neiqin_exchange_product_id or rma.product_id
                rma.with_context(
                    rma_return_grouping=rma.env.company.rma_return_grouping
                ).create_replace(
                    fields.Datetime.now(),
                    rma.warehouse_id,
                    product,
                    rma.neiqin_settle_qty or rma.product_uom_qty,
                    rma.product_uom,
                )
                rma._neiqin_settle_difference()
            elif rma.can_be_refunded:
                rma.action_refund()

    def action_neiqin_decide(self):
        """Button (leads): decide how much of a return with missing parts is
        settled."""
        self.ensure_one()
        self._neiqin_check_lead()
        return {
            "name": self.env._("Missing Parts Decision"),
            "type": "ir.actions.act_window",
            "res_model": "neiqin.rma.decision.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_rma_id": self.id},
        }

    def _neiqin_check_lead(self):
        require_group(
            self.env,
            "neiqin_base.group_neiqin_lead",
            self.env._("Only an after-sales lead decides on a return with missing parts."),
        )

    def _neiqin_decide(self, quantity):
        """A lead lets this return with missing parts go on, for
        ``quantity`` (at most the RMA's)."""
        self.ensure_one()
        _ = self.env._
        self._neiqin_check_lead()
        if self.neiqin_inspection_result != "missing_parts" or self.neiqin_decided_by_id:
            raise UserError(_("%s does not wait for a decision on missing parts.", self.name))
        rounding = self.product_uom.rounding
        if float_compare(quantity, 0.0, precision_rounding=rounding) <= 0 or (
            float_compare(quantity, self.product_uom_qty, precision_rounding=rounding) > 0
        ):
            raise UserError(
                _(
                    "%(rma)s: the quantity to settle must be more than 0 and at most "
                    "%(qty)s %(uom)s.",
                    rma=self.name,
                    qty=self.product_uom_qty,
                    uom=self.product_uom.name,
                )
            )
        with engine_writes():
            self.write({"neiqin_decided_by_id": self.env.uid, "neiqin_settle_qty": quantity})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        self._neiqin_proceed()

    # ------------------------------------------------------------ exchange price difference
    def _neiqin_unit_price(self, product):
        """What ``product`` costs this customer: its unit price on the RMA's
        order when ordered there, else the order's pricelist, else its sales
        price."""
        line = self._get_sale_line()
        order = line.order_id or self.order_id
        same = order.order_line.filtered(lambda ol: ol.product_id == product)[:1]
        if same:
            return same.price_unit
        if order.pricelist_id:
            return order.pricelist_id._get_product_price(product, self.product_uom_qty or 1.0)
        return product.lst_price

    def _neiqin_compute_difference(self):
        """Replacement minus returned value for the RMA's quantity (0 when
        the same product comes back)."""
        self.ensure_one()
        if (
            not self.neiqin_exchange_product_id
            or self.neiqin_exchange_product_id == self.product_id
        ):
            return 0.0
        line = self._get_sale_line()
        returned = line.price_unit if line else self._neiqin_unit_price(self.product_id)
        unit = self._neiqin_unit_price(self.neiqin_exchange_product_id) - returned
        return self.neiqin_currency_id.round(unit * self.product_uom_qty)

    def _neiqin_settle_difference(self):
        """A customer invoice for a positive difference, a credit note for a
        negative one (both drafts, as rma's refunds are)."""
        self.ensure_one()
        amount = self.neiqin_price_difference
        if self.neiqin_currency_id.is_zero(amount) or self.neiqin_difference_move_id:
            return
        _ = self.env._
        qty = self.neiqin_settle_qty or self.product_uom_qty
        if self.neiqin_settle_qty:
            amount = amount * self.neiqin_settle_qty / self.product_uom_qty
        vals = self._prepare_refund_vals(origin=self.name)
        vals.pop("reversed_entry_id", None)
        vals["move_type"] = "out_invoice" if amount > 0 else "out_refund"
        vals["currency_id"] = self.neiqin_currency_id.id
        vals["invoice_line_ids"] = [
            fields.Command.create(
                {
                    "name": _(
                        "%(rma)s: exchange of %(returned)s for %(replacement)s, price difference",
                        rma=self.name,
                        returned=self.product_id.display_name,
                        replacement=self.neiqin_exchange_product_id.display_name,
                    ),
                    "quantity": qty,
                    "price_unit": abs(amount) / qty,
                    "tax_ids": [fields.Command.clear()],
                }
            )
        ]
        # As rma's own refund: the invoicing document is made as the
        # engine, whoever handles the return (a clerk without invoicing
        # rights); its values come from this RMA only.
        move = self.env["account.move"].sudo().create(vals)
        with engine_writes():
            self.write({"neiqin_difference_move_id": move.id})

    # ------------------------------------------------------------ navigation
    def action_neiqin_open_ticket(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": self.neiqin_ticket_id.id,
            "view_mode": "form",
        }

    def action_neiqin_view_difference(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.neiqin_difference_move_id.id,
            "view_mode": "form",
        }
