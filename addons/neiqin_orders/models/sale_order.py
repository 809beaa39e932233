import bisect
import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL, float_compare, format_amount
from odoo.tools.sql import escape_psql

from odoo.addons.neiqin_base.engine.actions import result_notification
from odoo.addons.neiqin_base.engine.guard import engine_writes, require_group
from odoo.addons.neiqin_base.engine.rule_sql import dq_reads

_logger = logging.getLogger(__name__)

PAYMENT_STATES = [
    ("not_paid", "Not Paid"),
    ("partial", "Partially Paid"),
    ("paid", "Paid"),
    ("over", "Overpaid"),
]
# The order's fields the engine owns besides the review gate's
# (neiqin.gate.mixin): what a clerk read, how it came in, what was paid.
REVIEW_FIELDS = {
    "neiqin_remark_read",
    "neiqin_source",
    "neiqin_amount_paid",
    "neiqin_payment_state",
}
# The marketplaces and storefronts an order comes from: the keys are the
# codes the API accepts (README, "XML-RPC API"), the labels are translated.
PLATFORMS = [
    ("tmall", "Tmall"),
    ("taobao", "Taobao"),
    ("jd", "JD.com"),
    ("pdd", "Pinduoduo"),
    ("douyin", "Douyin"),
    ("kuaishou", "Kuaishou"),
    ("xiaohongshu", "Xiaohongshu"),
    ("wechat", "WeChat Store"),
    ("shop", "Own Web Shop"),
    ("other", "Other"),
]
# The colour flags (旗帜) a seller puts on an order on Taobao, Tmall or JD:
# the keys are the codes the API accepts, the labels are translated.
SELLER_FLAGS = [
    ("red", "Red"),
    ("yellow", "Yellow"),
    ("green", "Green"),
    ("blue", "Blue"),
    ("purple", "Purple"),
]
REFUND_STATES = [
    ("none", "None"),
    ("requested", "Requested"),
    ("in_progress", "In Progress"),
    ("refunded", "Refunded"),
]


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "neiqin.process.mixin", "neiqin.gate.mixin", "neiqin.notice.mixin"]

    # The order review is the gate of confirmation (neiqin.gate.mixin).
    _neiqin_gate = "order_review"
    # New orders in the company's review scope enter the order process.
    _neiqin_process = "order"

    # ------------------------------------------------------------ platform
    neiqin_platform = fields.Selection(
        PLATFORMS,
        string="Platform",
        index=True,
        copy=False,
        help="The marketplace or storefront the order was placed on.",
    )
    neiqin_source = fields.Selection(
        [("manual", "Entered in Odoo"), ("api", "Connector")],
        string="Entered Through",
        default="manual",
        required=True,
        readonly=True,
        copy=False,
        help="Connector: pushed by a marketplace or storefront connector through the API.",
    )
    neiqin_platform_order_no = fields.Char(
        string="Platform Order No.", index=True, copy=False, tracking=True
    )
    neiqin_buyer_remark = fields.Text(string="Buyer Remark", tracking=True)
    neiqin_seller_memo = fields.Text(
        string="Seller Memo",
        tracking=True,
        help="The seller's memo (卖家备注) on the order, as the platform gives it.",
    )
    neiqin_seller_flag = fields.Selection(
        SELLER_FLAGS,
        string="Seller Flag",
        index=True,
        tracking=True,
        help="The colour flag (旗帜) the seller put on the order on the platform.",
    )
    neiqin_remark_read = fields.Boolean(
        string="Remark Read",
        copy=False,
        readonly=True,
        tracking=True,
        help="A clerk has read the buyer's remark and acted on it.",
    )
    neiqin_refund_state = fields.Selection(
        REFUND_STATES, string="Refund", default="none", required=True, copy=False, tracking=True
    )
    # ------------------------------------------------------------ review
    # The review's fields are the gate's (neiqin.gate.mixin); the orders keep
    # the table their overrides were written in.
    neiqin_override_rule_ids = fields.Many2many(
        relation="sale_order_neiqin_override_rule_rel",
        column1="order_id",
        column2="rule_id",
        help="The review rules whose exceptions the lead's override waived. Another "
        "exception still stops the order.",
    )
    neiqin_override_fingerprint = fields.Char(
        help="What the order was when it was overridden (customer, addresses, lines, "
        "total): the override lapses when it changes."
    )
    # ------------------------------------------------------------ payment
    neiqin_platform_paid = fields.Monetary(
        string="Paid on Platform",
        copy=False,
        tracking=True,
        help="Amount the platform or the payment provider reports as paid.",
    )
    neiqin_payment_ref = fields.Char(string="Payment Reference", copy=False, tracking=True)
    neiqin_amount_paid = fields.Monetary(
        string="Amount Paid",
        compute="_compute_neiqin_payment",
        store=True,
        help="The platform's paid amount, else the confirmed payment transactions, "
        "else the invoice payments.",
    )
    neiqin_payment_state = fields.Selection(
        PAYMENT_STATES, string="Payment", compute="_compute_neiqin_payment", store=True, index=True
    )
    # ------------------------------------------------------------ review desk
    neiqin_exception_rule_ids = fields.Many2many(
        "neiqin.dq.rule",
        string="Exception Tags",
        compute="_compute_neiqin_exceptions",
        search="_search_neiqin_exception_rule_ids",
        groups="neiqin_base.group_neiqin_clerk",
        help="The review rules the order breaks now (its open exceptions).",
    )
    neiqin_exception_html = fields.Html(
        string="Why the Order Is Stopped",
        compute="_compute_neiqin_exceptions",
        sanitize=False,
        groups="neiqin_base.group_neiqin_clerk",
        help="Each open exception of the order and what to do about it.",
    )
    # Platform order numbers are unique per company and platform, orders
    # without a platform included: a unique index made in init(), see
    # sale_order_api.py.

    # ------------------------------------------------------------ computes
    @api.depends(
        "neiqin_platform_paid",
        "neiqin_payment_ref",
        "amount_total",
        "transaction_ids.state",
        "transaction_ids.amount",
        "invoice_ids.state",
        "invoice_ids.amount_residual",
    )
    def _compute_neiqin_payment(self):
        for order in self:
            if order.neiqin_payment_ref or order.neiqin_platform_paid:
                paid = order.neiqin_platform_paid
            else:
                paid = sum(
                    order.transaction_ids.filtered(lambda t: t.state == "done").mapped("amount")
                )
                if not paid:
                    invoices = order.invoice_ids.filtered(
                        lambda m: m.state == "posted" and m.move_type == "out_invoice"
                    )
                    paid = sum(invoices.mapped("amount_total")) - sum(
                        invoices.mapped("amount_residual")
                    )
            order.neiqin_amount_paid = paid
            rounding = order.currency_id.rounding or 0.01
            if float_compare(paid, 0.0, precision_rounding=rounding) <= 0:
                state = "not_paid"
            else:
                cmp = float_compare(paid, order.amount_total, precision_rounding=rounding)
                state = "paid" if cmp == 0 else ("partial" if cmp < 0 else "over")
            order.neiqin_payment_state = state

    def _neiqin_open_exceptions(self):
        """{order id: its open issues}, for these orders, in one query.

        Read as the engine: a clerk reading an order is told every reason it
        is stopped, as the gate's refusal tells whoever it stops, whichever
        clerk or team owns the issue. Only issues of these orders are read."""
        if not self.ids:
            return {}
        Issue = self.env["neiqin.dq.issue"].sudo()
        issues = Issue.search_fetch(
            [("res_model", "=", self._name), ("res_id", "in", self.ids), ("state", "=", "open")],
            ["res_id", "rule_id", "message", "severity"],
            order="severity_sequence, id",
        )
        return issues.grouped("res_id")

    def _neiqin_dq_check(self, rules=None):
        issues = super()._neiqin_dq_check(rules)
        # The tags are read from the issues the check just filed or closed:
        # nothing else tells the cache they changed.
        self.invalidate_recordset(["neiqin_exception_rule_ids", "neiqin_exception_html"])
        return issues

    def _compute_neiqin_exceptions(self):
        by_order = self._neiqin_open_exceptions()
        rules = self.env["neiqin.dq.rule"].browse(
            {rule_id for issues in by_order.values() for rule_id in issues.rule_id.ids}
        )
        advice = self._neiqin_exception_advice(rules)
        for order in self:
            issues = by_order.get(order.id)
            # Shown to the user: the rules as the user's environment reads
            # them (their names in the user's language).
            order.neiqin_exception_rule_ids = self.env["neiqin.dq.rule"].browse(
                issues.rule_id.ids if issues else []
            )
            order.neiqin_exception_html = order._neiqin_exception_box(issues, advice)

    def _neiqin_exception_advice(self, rules):
        """{rule id: what a clerk does about its exceptions}: advice for the
        review rules this module ships, general advice for the others."""
        _ = self.env._
        again = _("then check the review rules again.")
        advice = {
            "rule_order_stock": _("Restock the product or change the lines, %s", again),
            "rule_order_address": _(
                "Complete the delivery address (street, city, country, ZIP code or province), %s",
                again,
            ),
            "rule_order_phone": _("Correct the delivery contact's phone number, %s", again),
            "rule_order_remark": _("Read the buyer's remark, act on it, then click Remark Read."),
            "rule_order_refund": _("Settle the refund on the platform first, or reject the order."),
            "rule_order_blacklist": _(
                "Reject the order, or ask a lead to override it with a reason."
            ),
            "rule_order_duplicate": _(
                "Compare it with the customer's other orders and reject the duplicate."
            ),
            "rule_order_price": _(
                "Correct the line prices, or ask a lead to override with a reason."
            ),
            "rule_order_amount": _(
                "Orders above the threshold need a lead: ask one to override with a reason."
            ),
            "rule_order_product": _("Replace the archived or unsellable product, %s", again),
            "rule_order_payment": _("Check the paid amount with the platform, %s", again),
            "rule_order_address_keywords": _(
                "Check the delivery address with the buyer and correct it, %s", again
            ),
            "rule_order_manual_review_product": _(
                "Check the products that need a manual review, then approve the order, or "
                "ask a lead to override with a reason."
            ),
            "rule_order_seller_flag": _(
                "Read the seller memo and act on it, then remove the flag (here or on the "
                "platform), %s",
                again,
            ),
        }
        general = _(
            "Fix the data, then check the review rules again; or ask a lead to override with "
            "a reason."
        )
        # The XML ids of configuration records, read as the engine (one query).
        xmlids = rules.sudo().get_external_id()
        return {
            rule_id: advice.get(xmlid.removeprefix("neiqin_orders."), general)
            if xmlid.startswith("neiqin_orders.")
            else general
            for rule_id, xmlid in xmlids.items()
        }

    def _neiqin_exception_box(self, issues, advice):
        """The list of ``issues`` (their message, else their rule's name)
        and what to do about each, as HTML for the form's alert box."""
        if not issues:
            return False
        severities = dict(issues._fields["severity"]._description_selection(self.env))
        items = Markup("").join(
            Markup("<li><strong>%s</strong>%s%s<br/><span class='fst-italic'>%s</span></li>")
            % (
                issue.rule_id.name,
                Markup(": %s") % issue.message
                if issue.message and issue.message != issue.rule_id.name
                else "",
                # Only what does not stop the order is marked: the rest does.
                Markup(" <span class='badge text-bg-warning'>%s</span>")
                % severities.get(issue.severity, "")
                if issue.severity != "blocking"
                else "",
                advice.get(issue.rule_id.id, ""),
            )
            for issue in issues
        )
        return Markup("<ul class='mb-0 ps-3'>%s</ul>") % items

    def _search_neiqin_exception_rule_ids(self, operator, value):
        """Orders by the rules of their open exceptions: ``in``/``=`` rule
        ids, ``!= False`` (any exception), ``= False`` (none), and a rule's
        name (``ilike``)."""
        issues = [("res_model", "=", self._name), ("state", "=", "open")]
        if operator in ("=", "!=") and value is False:
            has_any = operator == "!="
        elif isinstance(value, str) and operator in ("ilike", "not ilike", "=", "!="):
            # Typed in the search bar: by the rule's name.
            positive = operator in ("ilike", "=")
            found = self.env["neiqin.dq.rule"]._search(
                [("name", "ilike" if operator in ("ilike", "not ilike") else "=", value)]
            )
            issues.append(("rule_id", "in", found))
            has_any = positive
        elif operator in ("in", "=", "not in", "!="):
            ids = [value] if isinstance(value, int) else list(value or [])
            issues.append(("rule_id", "in", ids))
            has_any = operator in ("in", "=")
        else:
            raise UserError(self.env._("Unsupported search on Exception Tags: %s.", operator))
        # A subquery on the issues, read as the engine (see
        # _neiqin_open_exceptions); which orders come back is still decided by
        # the user's rights on orders.
        subquery = self.env["neiqin.dq.issue"].sudo()._search(issues).subselect("res_id")
        return [("id", "in" if has_any else "not in", subquery)]

    @api.model
    def search_panel_select_multi_range(self, field_name, **kwargs):
        """The exception tags of the review list's side panel, with the
        number of orders of each, counted in one query (Odoo would count
        the orders of each rule one by one, on a field it cannot group)."""
        if field_name != "neiqin_exception_rule_ids":
            return super().search_panel_select_multi_range(field_name, **kwargs)
        domain = expression.AND(
            [
                kwargs.get("search_domain", []),
                kwargs.get("category_domain", []),
                kwargs.get("filter_domain", []),
            ]
        )
        # Counted as the engine over the orders the user may read (the
        # order query below carries their record rules).
        Issue = self.env["neiqin.dq.issue"].sudo()
        counts = dict(
            Issue._read_group(
                [
                    ("res_model", "=", self._name),
                    ("state", "=", "open"),
                    ("res_id", "in", self._search(domain)),
                ],
                ["rule_id"],
                ["res_id:count_distinct"],
            )
        )
        rules = self.env["neiqin.dq.rule"].search(
            [("model_name", "=", self._name), ("id", "in", [r.id for r in counts])]
            if not kwargs.get("expand")
            else [("model_name", "=", self._name)]
        )
        by_id = {rule.id: count for rule, count in counts.items()}
        values = []
        for rule in rules:
            value = {"id": rule.id, "display_name": rule.display_name}
            if kwargs.get("enable_counters"):
                value["__count"] = by_id.get(rule.id, 0)
            values.append(value)
        return {"values": values}

    # ------------------------------------------------------------ company check
    def _check_company(self, fnames=None):
        """Odoo's company check, field by field on all the orders at once.

        Writing any company-checked field (an approval setting the carrier)
        makes Odoo check every company-checked field of every written order,
        one order and one field at a time: most of the time of approving a
        few thousand orders. A field passes when every record it links,
        over the orders of one company, meets that company's condition: so
        each field is checked once per company on the union of its values.
        When one fails, Odoo's own check runs, so that the error is Odoo's,
        naming the orders at fault."""
        if len(self) < 2:
            return super()._check_company(fnames)
        if fnames is None or {"company_id", "company_ids"} & set(fnames):
            fnames = list(self._fields)
        fields_ = [
            self._fields[name]
            for name in fnames
            if self._fields[name].relational and self._fields[name].check_company
        ]
        # Read as Odoo's own check does (sudo): a company mismatch is found
        # whatever the writing user may read.
        orders = self.sudo()
        by_company = list(orders.grouped("company_id").items())
        for field in fields_:
            # Company-dependent values belong to the current company.
            pairs = [(self.env.company, orders)] if field.company_dependent else by_company
            for company, group in pairs:
                linked = group.mapped(field.name)
                if not linked:
                    continue
                domain = linked._check_company_domain(company)
                if domain and not self._neiqin_all_match(linked, domain):
                    return super()._check_company(fnames)
        return None

    @api.model
    def _neiqin_all_match(self, records, domain):
        """Whether every one of ``records`` (archived ones too) matches
        ``domain``: in memory for a few, by one count query for many (the
        ORM's in-memory filter costs tens of microseconds a record)."""
        records = records.with_context(active_test=False)
        if len(records) <= 100:
            return records == records.filtered_domain(domain)
        matching = records.search_count(expression.AND([[("id", "in", records.ids)], domain]))
        return matching == len(records)

    # ------------------------------------------------------------ process hooks
    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | REVIEW_FIELDS

    def _neiqin_in_process_scope(self):
        """The orders of each company's review scope (Settings: marketplace
        and connector orders by default, every order, or orders matching a
        condition). Decided as the engine: whether an order is reviewed does
        not depend on what its creator may read."""
        engine = self.sudo().with_context(active_test=False)
        found = self.browse()
        for company, orders in engine.grouped("company_id").items():
            domain = company._neiqin_review_scope_domain()
            if domain is None:
                found |= orders
            elif domain:
                found |= orders.search(expression.AND([[("id", "in", orders.ids)], domain]))
        return self.browse(found.ids)

    def _neiqin_start_process(self, whatever_scope=False):
        started = super()._neiqin_start_process(whatever_scope=whatever_scope)
        if started:
            with engine_writes():
                started.write({"neiqin_review_state": "to_review"})
        return started

    def _neiqin_in_review(self):
        """Those of these orders the review applies to: the orders of the
        order process. The others follow Odoo's standard flow untouched."""
        return self.filtered("neiqin_process_id")

    def _neiqin_check_manual_step(self):
        """An order leaves its confirmation step when it is confirmed (after
        the review) and its dispatch step when its delivery is shipped (after
        the shipping check): no one moves it past them by hand."""
        _ = self.env._
        waiting = self.filtered(
            lambda o: o.neiqin_step_id.code == "confirm" and o.state in ("draft", "sent")
        )
        if waiting:
            raise UserError(
                _(
                    "Confirm these orders to move them on (their review is checked then): %s",
                    ", ".join(waiting.mapped("display_name")),
                )
            )
        unshipped = self.filtered(
            lambda o: o.neiqin_step_id.code == "dispatch"
            and not o.picking_ids.filtered(
                lambda p: p.picking_type_code == "outgoing" and p.state == "done"
            )
        )
        if unshipped:
            raise UserError(
                _(
                    "Validate the delivery of these orders to move them on (the review is "
                    "checked then): %s",
                    ", ".join(unshipped.mapped("display_name")),
                )
            )

    def _action_cancel(self):
        result = super()._action_cancel()
        # A cancelled order has no step left to do: its passage is closed,
        # so that no one is alerted about it any more.
        self.filtered("neiqin_step_id")._neiqin_cancel_process()
        return result

    def action_draft(self):
        result = super().action_draft()
        # An order set back to quotation goes through the review again.
        again = self.filtered(lambda o: o.state == "draft" and o.neiqin_process_id)
        if again:
            with engine_writes():
                again.write({"neiqin_review_state": "to_review"})
            for process, orders in again.grouped("neiqin_process_id").items():
                step = process._first_step()
                if step:
                    orders._neiqin_enter_step(step)
        return result

    def _neiqin_steps_overdue(self, logs):
        late = self.browse(logs.filtered(lambda log: log.step_code == "tracking").mapped("res_id"))
        late._neiqin_send_notice("delayed")

    # ------------------------------------------------------------ review gate hooks
    def _neiqin_reviewable(self):
        # The filter reads three columns: a large review loads no other one.
        self.fetch(["state", "neiqin_review_state", "neiqin_process_id"])
        return self.filtered(
            lambda o: o.neiqin_process_id
            and o.state != "cancel"
            and o.neiqin_review_state != "rejected"
        )

    def _neiqin_gate_pending(self):
        """Quotations: an order's review is before its confirmation."""
        return self.filtered(lambda o: o.state in ("draft", "sent"))

    def _neiqin_auto_approves(self):
        return self.company_id.neiqin_auto_approve

    def _neiqin_fingerprint_values(self):
        """What an override of the order depends on: customer, addresses,
        company, currency, total and lines (product, quantity, unit, price,
        discount). An override given for one of them does not cover another."""
        self.ensure_one()
        lines = sorted(
            (
                line.product_id.id,
                line.product_uom.id,
                repr(round(line.product_uom_qty, 6)),
                repr(round(line.price_unit, 6)),
                repr(round(line.discount, 6)),
            )
            for line in self.order_line
            if not line.display_type
        )
        return (
            self.company_id.id,
            self.partner_id.id,
            self.partner_invoice_id.id,
            self.partner_shipping_id.id,
            self.currency_id.id,
            self.currency_id.round(self.amount_total),
            lines,
        )

    def _neiqin_lapse_message(self):
        return self.env._(
            "The override by %(lead)s no longer holds: the customer, an address, "
            "the lines or the total changed since. The order is reviewed again.",
            lead=self.neiqin_override_by_id.name or "-",
        )

    def _neiqin_check_clerk(self):
        require_group(
            self.env,
            "neiqin_base.group_neiqin_clerk",
            self.env._("Only back-office staff can review orders."),
        )

    def _neiqin_not_in_review_message(self):
        return self.env._(
            "These orders are not under review (Settings: Orders to Review); check "
            "their review rules first: %s",
            ", ".join(self.mapped("display_name")),
        )

    def action_neiqin_review(self):
        """Button: check the orders now. A quotation outside the review scope
        that a clerk checks on purpose enters the order process."""
        self._neiqin_check_clerk()
        self.filtered(lambda o: o.state in ("draft", "sent"))._neiqin_start_process(
            whatever_scope=True
        )
        return super().action_neiqin_review()

    def _neiqin_past_review_message(self):
        return self.env._(
            "%s is already confirmed: cancel it instead of rejecting it.", self.display_name
        )

    def _neiqin_on_reject(self):
        self._neiqin_cancel_process()

    def _neiqin_on_approval(self, confirm=True, vals=None):
        """Approved orders get their warehouse and carrier (and ``vals``, in
        the same writes); platform orders (already placed by the customer)
        are confirmed when the company says so."""
        with engine_writes():
            self.env["neiqin.dispatch.rule"]._apply(self, vals)
        if not confirm:
            return
        to_confirm = self.filtered(
            lambda o: o.neiqin_platform
            and o.state in ("draft", "sent")
            and o.company_id.neiqin_confirm_approved
        )
        if to_confirm:
            to_confirm.action_confirm()

    def action_neiqin_mark_remark_read(self):
        """Button: the buyer's remark was read and acted on. The orders are
        checked again (the remark was one of their exceptions); a clean one
        may be approved, and that is announced, but nothing is confirmed."""
        self._neiqin_check_clerk()
        with engine_writes():
            self.write({"neiqin_remark_read": True})
        self._neiqin_review(confirm_approved=False)
        return self._neiqin_review_notification(self.env._("Buyer remark marked read"))

    def action_neiqin_approve_selected(self):
        """List button: approve the selected orders that no blocking
        exception stops, and say which were approved and why the others were
        not. The clean ones go through the gate's own approval (which checks
        the clerk's role and the rules again); those an exception stops get
        their exception state, and those outside the review are skipped."""
        self._neiqin_check_clerk()
        _ = self.env._
        reviewable = self._neiqin_reviewable()._neiqin_gate_pending()
        skipped = self - reviewable
        unwaived = reviewable._neiqin_unwaived(reviewable._neiqin_review(confirm_approved=False))
        stopped = reviewable.filtered(lambda o: o.id in unwaived)
        clean = reviewable - stopped
        if clean:
            clean.action_neiqin_approve()
        lines = []
        if clean:
            lines.append(_("Approved: %s", ", ".join(clean.mapped("display_name"))))
        if stopped:
            lines.append(
                _(
                    "Not approved, stopped by exceptions:\n%s",
                    stopped._neiqin_exception_message(unwaived),
                )
            )
        if skipped:
            lines.append(
                _(
                    "Skipped (not awaiting review: confirmed, cancelled, rejected or outside "
                    "the review): %s",
                    ", ".join(skipped.mapped("display_name")),
                )
            )
        return result_notification(_("Approve"), lines, warning=bool(stopped or skipped))

    @api.model
    def _cron_neiqin_review(self, batch_size=50000):
        """Review new orders and orders in exception, in batches, committing
        after each batch; then move paid orders past the payment step.

        Some review checks read whole tables (orders, products) once per
        batch, whatever its size: batches are large, so that this is paid
        once for most runs. Memory stays bounded: the review writes the
        states of a batch's orders 10,000 at a time
        (``_neiqin_review_write_batch``). Reviewing the 25,000 open orders
        of the benchmark at SCALE=5 takes about 95 MB of memory."""
        cron_mode = bool(self.env.context.get("cron_id"))
        last_id = 0
        while True:
            orders = self.search(
                [
                    ("id", ">", last_id),
                    ("state", "in", ("draft", "sent", "sale")),
                    ("neiqin_review_state", "in", ("to_review", "exception")),
                    ("neiqin_process_id", "!=", False),
                ],
                order="id",
                limit=batch_size,
            )
            if not orders:
                break
            orders._neiqin_review()
            last_id = orders[-1].id
            if cron_mode:
                self.env["ir.cron"]._notify_progress(done=len(orders), remaining=0)
                self.env.cr.commit()  # pylint: disable=invalid-commit
        self.search(
            [("neiqin_step_id.code", "=", "payment"), ("neiqin_payment_state", "=", "paid")],
            order="id",
        )._neiqin_payment_verified()

    # ------------------------------------------------------------ confirm, pay, dispatch
    def action_confirm(self):
        # Quotations made before they came into the review scope (or before
        # Neiqin was installed) enter it now.
        self.filtered(lambda o: o.state in ("draft", "sent"))._neiqin_start_process()
        # Every rule runs, for every order, before anything is confirmed:
        # no side effect of the confirmation leaks when one order is refused.
        self._neiqin_check_can_proceed(self.env._("Confirmation"))
        result = super().action_confirm()
        reviewed = self._neiqin_in_review()
        with engine_writes():
            reviewed.filtered(lambda o: o.neiqin_review_state != "approved").write(
                {
                    "neiqin_review_state": "approved",
                    "neiqin_reviewed_by_id": self.env.uid,
                    "neiqin_reviewed_at": fields.Datetime.now(),
                }
            )
        reviewed._neiqin_send_notice("confirmed")
        reviewed._neiqin_enter_step("payment")
        reviewed._neiqin_payment_verified()
        return result

    def _neiqin_payment_verified(self):
        """Orders in the payment step whose payment matches move on to dispatch."""
        paid = self.filtered(
            lambda o: o.neiqin_payment_state == "paid" and o.neiqin_step_id.code == "payment"
        )
        if paid:
            paid._neiqin_enter_step("dispatch")

    def _neiqin_shipped(self):
        """Called when an outgoing delivery of these orders is done."""
        self._neiqin_enter_step("tracking")
        self._neiqin_send_notice("shipped")

    def _neiqin_delivered(self):
        self._neiqin_enter_step("notify")
        self._neiqin_send_notice("delivered")
        self._neiqin_finish_step()

    # ------------------------------------------------------------ notices
    def _neiqin_send_notice(self, kind):
        """Tell the customers of these orders ``kind`` (once per order),
        through the outbox: by e-mail, the platform's buyer messaging or SMS,
        whichever reaches them first in the company's order."""
        return self._neiqin_queue_notices(kind)

    def _neiqin_notice_enabled(self):
        return self.filtered(lambda o: o.company_id.neiqin_send_notices)

    def _neiqin_notice_targets(self):
        codes = {code for code in self.mapped("neiqin_platform") if code}
        # Platforms are configuration every back-office user reads.
        platforms = {
            p.code: p
            for p in self.env["neiqin.platform"].sudo().search([("code", "in", list(codes))])
        }
        return {
            order.id: {
                "partner": order.partner_id,
                "company": order.company_id,
                "platform": platforms.get(order.neiqin_platform),
                "platform_ref": order.neiqin_platform_order_no,
            }
            for order in self
        }

    def _neiqin_notice_values(self):
        """The placeholders' values (neiqin.notice.template): the carrier
        and tracking number of the order's last shipped delivery."""
        values = {}
        for order in self:
            shipped = order.picking_ids.filtered(
                lambda p: p.picking_type_code == "outgoing" and p.carrier_tracking_ref
            ).sorted("id")
            picking = shipped[-1:] if shipped else order.picking_ids[:0]
            values[order.id] = {
                "customer": order.partner_id.name,
                "order": order.name,
                "platform_order_no": order.neiqin_platform_order_no or order.name,
                "carrier": (picking.carrier_id or order.carrier_id).name or "",
                "tracking_number": picking.carrier_tracking_ref or "",
                "amount": format_amount(
                    self.env, order.amount_total, order.currency_id, order.partner_id.lang
                ),
                "shop": order.company_id.name,
            }
        return values

    def _neiqin_notice_mail_template(self, kind):
        return self.env.ref(f"neiqin_orders.mail_template_order_{kind}", raise_if_not_found=False)

    # ------------------------------------------------------------ review checks (set-based)
    def _neiqin_orders_from_sql(self, query):
        """The orders whose ids ``query`` selects (pending writes flushed first)."""
        self.env.flush_all()
        self.env.cr.execute(query)
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _neiqin_dq_check_stock_insufficient(self, rule):
        """Draft orders with a storable product short of free stock in the
        order's warehouse (on hand minus reserved)."""
        drafts = self.filtered(lambda o: o.state in ("draft", "sent"))
        if not drafts:
            return self.browse()
        return self._neiqin_orders_from_sql(
            SQL(
                """
                WITH need AS (
                    SELECT l.order_id, l.product_id, o.warehouse_id,
                           SUM(l.product_uom_qty / lu.factor * pu.factor) AS qty
                      FROM sale_order_line l
                      JOIN sale_order o ON o.id = l.order_id
                      JOIN product_product p ON p.id = l.product_id
                      JOIN product_template t ON t.id = p.product_tmpl_id AND t.is_storable
                      JOIN uom_uom lu ON lu.id = l.product_uom
                      JOIN uom_uom pu ON pu.id = t.uom_id
                     WHERE l.order_id = ANY(%(ids)s) AND l.display_type IS NULL
                     GROUP BY l.order_id, l.product_id, o.warehouse_id
                ), stock AS (
                    SELECT w.id AS warehouse_id, l.id AS location_id
                      FROM stock_warehouse w
                      JOIN stock_location wl ON wl.id = w.lot_stock_id
                      JOIN stock_location l ON l.parent_path LIKE wl.parent_path || %(wildcard)s
                     WHERE w.id IN (SELECT warehouse_id FROM need)
                ), free AS (
                    -- Each product's quants read once (by product), then
                    -- kept where they lie in a needed warehouse's stock.
                    SELECT s.warehouse_id, q.product_id,
                           SUM(q.quantity - q.reserved_quantity) AS qty
                      FROM stock_quant q
                      JOIN stock s ON s.location_id = q.location_id
                     WHERE q.product_id IN (SELECT product_id FROM need)
                     GROUP BY s.warehouse_id, q.product_id
                )
                SELECT DISTINCT need.order_id
                  FROM need
                  LEFT JOIN free ON free.warehouse_id = need.warehouse_id
                                AND free.product_id = need.product_id
                 WHERE COALESCE(free.qty, 0) < need.qty
                """,
                ids=drafts.ids,
                wildcard="%",
            )
        )

    @dq_reads(
        "partner_shipping_id.street",
        "partner_shipping_id.city",
        "partner_shipping_id.zip",
        "partner_shipping_id.state_id",
        "partner_shipping_id.country_id.zip_required",
        "partner_shipping_id.country_id.state_required",
    )
    def _neiqin_dq_check_address_incomplete(self, rule):
        """Orders whose delivery address lacks street, city, country, or the
        ZIP code or province the country requires."""
        return self._neiqin_orders_from_sql(
            SQL(
                """
                SELECT o.id
                  FROM sale_order o
                  JOIN res_partner a ON a.id = o.partner_shipping_id
                  LEFT JOIN res_country c ON c.id = a.country_id
                 WHERE o.id = ANY(%(ids)s)
                   AND (COALESCE(btrim(a.street), '') = ''
                        OR COALESCE(btrim(a.city), '') = ''
                        OR a.country_id IS NULL
                        OR (c.zip_required AND COALESCE(btrim(a.zip), '') = '')
                        OR (c.state_required AND a.state_id IS NULL))
                """,
                ids=self.ids,
            )
        )

    @dq_reads("partner_shipping_id.neiqin_phone_valid")
    def _neiqin_dq_check_phone_invalid(self, rule):
        """Orders whose delivery contact has no phone, or one that is not a
        valid number for the address's country (checked when the contact's
        number changes: ``res.partner.neiqin_phone_valid``)."""
        return self._neiqin_orders_from_sql(
            SQL(
                """
                SELECT o.id
                  FROM sale_order o
                  JOIN res_partner a ON a.id = o.partner_shipping_id
                 WHERE o.id = ANY(%(ids)s) AND NOT COALESCE(a.neiqin_phone_valid, false)
                """,
                ids=self.ids,
            )
        )

    def _neiqin_dq_check_probable_duplicate(self, rule):
        """Orders of the same customer to the same address placed within the
        rule's window (``duplicate_window_hours``, 24 when 0) of another
        open order."""
        hours = rule.duplicate_window_hours or 24.0
        # Driven from each order's customer (indexed commercial partner, then
        # indexed customer of the other orders), never from all orders.
        return self._neiqin_orders_from_sql(
            SQL(
                """
                SELECT o.id
                  FROM sale_order o
                  JOIN res_partner p ON p.id = o.partner_id
                  JOIN res_partner a ON a.id = o.partner_shipping_id
                 WHERE o.id = ANY(%(ids)s)
                   AND o.state <> 'cancel'
                   AND EXISTS (
                        SELECT 1
                          FROM res_partner p2
                          JOIN sale_order o2 ON o2.partner_id = p2.id
                          JOIN res_partner a2 ON a2.id = o2.partner_shipping_id
                         WHERE p2.commercial_partner_id = p.commercial_partner_id
                           AND o2.id <> o.id
                           AND o2.state <> 'cancel'
                           AND o2.date_order BETWEEN o.date_order - %(span)s
                                                 AND o.date_order + %(span)s
                           AND (a2.id = a.id
                                OR (lower(btrim(a2.street)) = lower(btrim(a.street))
                                    AND COALESCE(a2.zip, '') = COALESCE(a.zip, '')))
                   )
                """,
                ids=self.ids,
                span=timedelta(hours=hours),
            )
        )

    def _neiqin_dq_check_price_deviation(self, rule):
        """Orders with a line below the product's price floor, or whose net
        unit price deviates from the price Odoo would give the line (the
        order's pricelist, else the list price, taxes as the order's fiscal
        position maps them) by more than the rule's
        ``max_price_deviation_percent`` (30 when 0)."""
        percent = rule.max_price_deviation_percent or 30.0
        below_floor = self._neiqin_orders_from_sql(
            SQL(
                """
                SELECT DISTINCT l.order_id
                  FROM sale_order_line l
                  JOIN product_product p ON p.id = l.product_id
                  JOIN product_template t ON t.id = p.product_tmpl_id
                 WHERE l.order_id = ANY(%(ids)s)
                   AND l.display_type IS NULL
                   AND NOT COALESCE(l.is_downpayment, false)
                   AND t.neiqin_price_floor > 0
                   AND l.price_unit * (1 - COALESCE(l.discount, 0) / 100) < t.neiqin_price_floor
                """,
                ids=self.ids,
            )
        )
        return below_floor | self._neiqin_off_pricelist_price(percent / 100.0)

    def _neiqin_off_pricelist_price(self, ratio):
        """Orders with a line whose net unit price differs from the price
        Odoo would put on it by more than ``ratio`` of that price.

        Odoo's own computation decides the price (``sale.order.line``'s
        ``_compute_price_unit``): the pricelist's price for the quantity, unit,
        date and currency, made tax-included when the fiscal position maps
        the product's taxes to tax-included ones. On the orders of the
        company's tax-included position (marketplace prices, see
        ``res.company._neiqin_tax_included_position``) the taxes added on top
        of the pricelist price are counted in, as they are in what the buyer
        paid. The pricelist is asked
        once per group of lines sharing those, up to the periods and steps
        of its rules' dates and minimum quantities (``_compute_price_rule``
        for all their products), so the queries grow with the pricelists'
        rules, never with the number of orders. A pricelist in another
        currency converts at the rate of the group's first order date: rates
        move by far less than the deviation a rule allows."""
        # The engine checks with archived records visible; the pricelist
        # rules that apply are the active ones, as on the order.
        lines = (
            self.env["sale.order.line"]
            .with_context(active_test=True)
            .search_fetch(
                [
                    ("order_id", "in", self.ids),
                    ("display_type", "=", False),
                    ("is_downpayment", "=", False),
                    ("product_id", "!=", False),
                    ("combo_item_id", "=", False),
                    ("product_id.type", "!=", "combo"),
                ],
                [
                    "order_id",
                    "company_id",
                    "product_id",
                    "product_uom",
                    "product_uom_qty",
                    "price_unit",
                    "discount",
                    "currency_id",
                ],
            )
        )
        if not lines:
            return self.browse()
        periods, steps = self._neiqin_pricelist_periods()
        groups = {}
        for line in lines:
            order = line.order_id
            qty = line.product_uom_qty or 1.0
            key = (
                order.pricelist_id,
                line.currency_id,
                line.company_id,
                order.fiscal_position_id,
                line.product_uom,
                periods(order.date_order),
                # Minimum quantities are in the product's unit: a line in
                # another unit is asked for its own quantity.
                steps(qty) if line.product_uom == line.product_id.uom_id else ("qty", qty),
            )
            groups.setdefault(key, []).append(line)
        bad = set()
        for (pricelist, currency, company, position, uom, _period, _step), group in groups.items():
            products = self.env["product.product"].union(*(line.product_id for line in group))
            qty = group[0].product_uom_qty or 1.0
            date = group[0].order_id.date_order
            prices = pricelist.with_company(company)._compute_price_rule(
                products, qty, currency=currency, uom=uom, date=date
            )
            # Marketplace prices are what the buyer paid: on an order of the
            # company's tax-included position, the taxes a product adds on
            # top of its pricelist price are in the line's price too.
            tax_included = position and position == company.neiqin_tax_included_fpos_id
            for line in group:
                product_taxes = line.product_id.taxes_id.filtered(
                    lambda tax, company=company: tax.company_id == company
                )
                expected = line.product_id._get_tax_included_unit_price_from_price(
                    prices[line.product_id.id][0],
                    product_taxes=product_taxes,
                    fiscal_position=position,
                )
                added = product_taxes.filtered(lambda tax: not tax.price_include)
                if tax_included and added:
                    expected = added.compute_all(
                        expected, currency=currency, product=line.product_id
                    )["total_included"]
                net = line.price_unit * (1 - (line.discount or 0.0) / 100)
                if expected > 0 and abs(net - expected) > expected * ratio:
                    bad.add(line.order_id.id)
        return self.browse(sorted(bad))

    def _neiqin_pricelist_periods(self):
        """Two functions: one giving a datetime the period it falls in
        between the start and end dates of the pricelist rules, one giving a
        quantity the step it falls in between their minimum quantities. Two
        lines of one period and one step get the same pricelist rules, so
        the pricelist is asked once for them: the number of questions grows
        with the rules' dates and quantities, never with the orders. One
        query."""
        # Archived rules too: more periods and steps, never a wrong one.
        items = (
            self.env["product.pricelist.item"]
            .with_context(active_test=False)
            .search_fetch(
                [
                    "|",
                    "|",
                    ("date_start", "!=", False),
                    ("date_end", "!=", False),
                    ("min_quantity", "!=", 0),
                ],
                ["date_start", "date_end", "min_quantity"],
            )
        )
        bounds = sorted({d for item in items for d in (item.date_start, item.date_end) if d})
        quantities = sorted({item.min_quantity for item in items if item.min_quantity})

        def period(when):
            return bisect.bisect_right(bounds, when)

        def step(qty):
            return bisect.bisect_right(quantities, qty)

        return period, step

    @dq_reads(
        "partner_shipping_id.name",
        "partner_shipping_id.street",
        "partner_shipping_id.street2",
        "partner_shipping_id.city",
    )
    def _neiqin_dq_check_address_keywords(self, rule):
        """Orders whose delivery contact's name, street or city contains one
        of the rule's ``address_keywords``, whatever the case. No keyword: no
        order."""
        keywords = rule._address_keywords()
        if not keywords or not self:
            return self.browse()
        patterns = [f"%{escape_psql(word)}%" for word in keywords]
        # One text per address, its parts on lines of their own: a keyword
        # (which holds no new line) never matches across two of them.
        return self._neiqin_orders_from_sql(
            SQL(
                """
                SELECT o.id
                  FROM sale_order o
                  JOIN res_partner a ON a.id = o.partner_shipping_id
                 WHERE o.id = ANY(%(ids)s)
                   AND concat_ws(%(newline)s, a.name, a.street, a.street2, a.city)
                       ILIKE ANY(%(patterns)s)
                """,
                ids=self.ids,
                newline="\n",
                patterns=patterns,
            )
        )

    def _neiqin_dq_check_manual_review_product(self, rule):
        """Orders with a line of one of the rule's products reviewed by hand
        (``manual_review_product_ids``), or of a product of one of its
        categories or their subcategories (``manual_review_categ_ids``)."""
        templates = rule.manual_review_product_ids
        # A category's subcategories are those whose path starts with its own.
        categories = rule.manual_review_categ_ids
        paths = [f"{escape_psql(path)}%" for path in categories.mapped("parent_path")]
        if not (templates or paths) or not self:
            return self.browse()
        return self._neiqin_orders_from_sql(
            SQL(
                """
                SELECT DISTINCT l.order_id
                  FROM sale_order_line l
                  JOIN product_product p ON p.id = l.product_id
                  JOIN product_template t ON t.id = p.product_tmpl_id
                  LEFT JOIN product_category c ON c.id = t.categ_id
                 WHERE l.order_id = ANY(%(ids)s)
                   AND l.display_type IS NULL
                   AND (t.id = ANY(%(templates)s) OR c.parent_path LIKE ANY(%(paths)s))
                """,
                ids=self.ids,
                templates=templates.ids,
                paths=paths,
            )
        )
