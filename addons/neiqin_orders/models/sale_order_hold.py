"""Two review strategies of the order desk (审单策略), as rules of the review
engine rather than a mechanism of their own:

- the hold after payment (付款后延迟审单): a paid quotation is not approved
  until some minutes after its payment, as buyers often change their address
  right after paying; the review cron approves it by itself afterwards
  (rule ``rule_order_paid_recently``, a module check);
- the hold (挂起): a clerk holds quotations with a reason and an optional
  release time; the hold is an exception of the review (rule
  ``rule_order_on_hold``) that no lead's override waives, released by the
  Release button or by the review cron once its time has come.

Kept apart from sale_order.py: the review's checks and flow stay there.
"""

import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_datetime

from odoo.addons.neiqin_base.engine.guard import engine_writes

_logger = logging.getLogger(__name__)

# The hold's fields: written by the hold and release actions only.
HOLD_FIELDS = (
    "neiqin_hold_reason",
    "neiqin_hold_until",
    "neiqin_held_by_id",
    "neiqin_held_at",
)
# The payment time: the connector's (API), else the engine's.
PAYMENT_TIME_FIELDS = ("neiqin_paid_at",)
HOLD_RULE = "neiqin_orders.rule_order_on_hold"
PAID_CHECK = "_neiqin_dq_check_paid_recently"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    neiqin_paid_at = fields.Datetime(
        string="Paid On",
        compute="_compute_neiqin_paid_at",
        store=True,
        readonly=True,
        copy=False,
        help="When the buyer paid: the payment time the platform reports through the "
        "connector, else when the order was first found paid in full.",
    )
    neiqin_hold_reason = fields.Text(string="Hold Reason", copy=False, readonly=True, tracking=True)
    neiqin_hold_until = fields.Datetime(
        string="Held Until",
        copy=False,
        readonly=True,
        tracking=True,
        help="The review releases the hold by itself at this time. Empty: until a clerk "
        "releases it.",
    )
    neiqin_held_by_id = fields.Many2one("res.users", string="Held By", copy=False, readonly=True)
    neiqin_held_at = fields.Datetime(
        string="Held On",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="Set while the order is on hold: the review stops it.",
    )

    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | set(HOLD_FIELDS) | set(PAYMENT_TIME_FIELDS)

    # ------------------------------------------------------------ payment time
    @api.depends("neiqin_payment_state")
    def _compute_neiqin_paid_at(self):
        # The first time an order is found paid in full; a time the
        # connector gave is kept, and so is the first one when the payment
        # later changes (a refund does not make the order paid again later).
        now = fields.Datetime.now()
        for order in self:
            paid_at = order.neiqin_paid_at
            if not paid_at and order.neiqin_payment_state in ("paid", "over"):
                paid_at = now
            order.neiqin_paid_at = paid_at

    @api.model
    def _api_parse_order(self, data):
        clean = super()._api_parse_order(data)
        clean["paid_at"] = self._api_datetime(data.get("paid_at"), "paid_at")
        return clean

    def _api_order_header(self, item):
        vals = super()._api_order_header(item)
        if item.get("paid_at"):
            vals["neiqin_paid_at"] = item["paid_at"]
        return vals

    def _api_upsert_apply(self, plans, index):
        # The payment time is the engine's field: an update writes it as the
        # engine, from the parsed payload (a datetime checked by
        # _api_parse_order), after the rest of the update. New orders are
        # created as the engine already.
        paid_at = {}
        for position, plan in enumerate(plans):
            if isinstance(plan, tuple) and plan[0] == "update" and "neiqin_paid_at" in plan[2]:
                paid_at[position] = plan[2].pop("neiqin_paid_at")
        results = super()._api_upsert_apply(plans, index)
        if paid_at:
            with engine_writes():
                for position, value in paid_at.items():
                    plans[position][1].write({"neiqin_paid_at": value})
        return results

    @api.model
    def _neiqin_paid_hold_end(self, rule, paid_at):
        """When the hold after payment of ``rule`` ends for an order paid
        at ``paid_at`` (None when the rule holds nothing)."""
        minutes = rule.hold_minutes_after_payment
        if minutes <= 0 or not paid_at:
            return None
        return paid_at + timedelta(minutes=minutes)

    def _neiqin_dq_check_paid_recently(self, rule):
        """Orders paid less than the rule's ``hold_minutes_after_payment``
        ago (none when 0).

        It declares no ``dq_reads`` on purpose: its verdict changes as time
        passes, not when the order is written, so every open issue of it is
        checked again by each scan, and the review cron checks the orders in
        exception again (``_neiqin_review`` runs every rule on them)."""
        minutes = rule.hold_minutes_after_payment
        if minutes <= 0 or not self:
            return self.browse()
        return self._neiqin_orders_from_sql(
            SQL(
                "SELECT o.id FROM sale_order o WHERE o.id = ANY(%s) AND o.neiqin_paid_at > %s",
                self.ids,
                fields.Datetime.now() - timedelta(minutes=minutes),
            )
        )

    # ------------------------------------------------------------ hold and release
    def action_neiqin_hold(self):
        """Button: a clerk holds the orders, with a reason and an optional
        release time (wizard)."""
        self._neiqin_check_clerk()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Hold Orders"),
            "res_model": "neiqin.order.hold.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    def _neiqin_hold(self, reason, until=False):
        """Hold these quotations: the review stops them (rule
        ``rule_order_on_hold``) until ``until`` (a future time; empty: until
        a clerk releases them). The clerk's role is checked here, whoever
        calls; a quotation outside the review scope enters it, so that the
        hold stops it."""
        self._neiqin_check_clerk()
        _ = self.env._
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(_("Write why the orders are held."))
        now = fields.Datetime.now()
        until = fields.Datetime.to_datetime(until) if until else False
        if until and until <= now:
            raise ValidationError(_("The release time of a hold must be in the future."))
        if not self:
            return True
        late = self.filtered(
            lambda o: o.state not in ("draft", "sent") or o.neiqin_review_state == "rejected"
        )
        if late:
            raise UserError(
                _(
                    "Only quotations awaiting their review can be held, not confirmed, cancelled "
                    "or rejected orders: %s",
                    ", ".join(late.mapped("display_name")),
                )
            )
        self._neiqin_start_process(whatever_scope=True)
        outside = self - self._neiqin_in_review()
        if outside:
            raise UserError(outside._neiqin_not_in_review_message())
        with engine_writes():
            self.write(
                {
                    "neiqin_hold_reason": reason,
                    "neiqin_hold_until": until,
                    "neiqin_held_by_id": self.env.uid,
                    "neiqin_held_at": now,
                }
            )
        for order in self:
            order.message_post(body=order._neiqin_hold_message())
        self._neiqin_review(confirm_approved=False)
        return True

    def _neiqin_hold_message(self):
        """Who held the order, why, and until when (for the chatter and the
        review's exceptions)."""
        _ = self.env._
        if self.neiqin_hold_until:
            return _(
                "On hold by %(user)s: %(reason)s. Released by itself on %(until)s.",
                user=self.neiqin_held_by_id.name or "-",
                reason=self.neiqin_hold_reason,
                until=format_datetime(self.env, self.neiqin_hold_until),
            )
        return _(
            "On hold by %(user)s: %(reason)s. Held until a clerk releases it.",
            user=self.neiqin_held_by_id.name or "-",
            reason=self.neiqin_hold_reason,
        )

    def action_neiqin_release(self):
        """Button: a clerk releases the held orders; they are checked again
        (a clean one may be approved, and that is announced, but nothing is
        confirmed)."""
        self._neiqin_check_clerk()
        held = self.filtered("neiqin_held_at")
        if not held:
            raise UserError(self.env._("None of these orders is on hold."))
        held._neiqin_release()
        held._neiqin_review(confirm_approved=False)
        return held._neiqin_review_notification(self.env._("Hold released"))

    def _neiqin_release(self, automatic=False):
        """Clear the hold of these orders, saying in their chatter who
        released it (or that its time came) and what it was."""
        _ = self.env._
        for order in self:
            if automatic:
                body = _(
                    "Hold released by itself: its release time has come (held by %(user)s: "
                    "%(reason)s).",
                    user=order.neiqin_held_by_id.name or "-",
                    reason=order.neiqin_hold_reason,
                )
            else:
                body = _(
                    "Hold released by %(releaser)s (held by %(user)s: %(reason)s).",
                    releaser=self.env.user.name,
                    user=order.neiqin_held_by_id.name or "-",
                    reason=order.neiqin_hold_reason,
                )
            order.message_post(body=body)
        with engine_writes():
            self.write(dict.fromkeys(HOLD_FIELDS, False))

    @api.model
    def _neiqin_release_due_holds(self):
        """Release the holds whose release time has come, and review those
        orders again: a clean one is approved (and confirmed) as the review
        cron approves any. Rows another worker holds are left to its run."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT id FROM sale_order
                    WHERE neiqin_held_at IS NOT NULL AND neiqin_hold_until <= %s
                    ORDER BY id
                      FOR UPDATE SKIP LOCKED""",
                fields.Datetime.now(),
            )
        )
        due = self.browse([row[0] for row in self.env.cr.fetchall()])
        if due:
            _logger.info("Releasing the holds of %s orders whose time has come", len(due))
            due._neiqin_release(automatic=True)
            due._neiqin_review()
        return due

    @api.model
    def _cron_neiqin_review(self, batch_size=50000):
        """The review cron releases the holds whose time has come first."""
        self._neiqin_release_due_holds()
        return super()._cron_neiqin_review(batch_size=batch_size)

    # ------------------------------------------------------------ the hold in the review
    @api.model
    def _neiqin_hold_rule(self):
        # Read as the engine: which rule is the hold is the module's data.
        # The XML id's lookup is cached; env.ref would also ask the database
        # whether the rule exists, once for every order whose exceptions are
        # shown.
        rule_id = self.env["ir.model.data"]._xmlid_to_res_id(HOLD_RULE, raise_if_not_found=False)
        return self.env["neiqin.dq.rule"].browse(rule_id or [])

    def _neiqin_unwaived(self, blocking):
        """A hold is never waived by a lead's override: a held order is
        stopped until it is released, whatever else was overridden."""
        unwaived = super()._neiqin_unwaived(blocking)
        rule = self._neiqin_hold_rule()
        if not rule:
            return unwaived
        for order in self.filtered(lambda o: o.id in blocking):
            held = blocking[order.id].filtered(lambda i, rule=rule: i.rule_id.id == rule.id)
            if held:
                unwaived[order.id] = unwaived.get(order.id, held) | held
        return unwaived

    def _neiqin_override(self, reason):
        """A lead's override does not release a hold: it is refused for held
        orders (release them first, or override once they are released)."""
        self._neiqin_check_lead()
        held = self.filtered("neiqin_held_at")
        if held:
            raise UserError(
                self.env._(
                    "An override does not release a hold: release these orders first, then "
                    "override what still stops them: %s",
                    ", ".join(held.mapped("display_name")),
                )
            )
        return super()._neiqin_override(reason)

    def _neiqin_exception_message(self, blocking):
        """The refusal's list of exceptions, with why and until when held
        orders are held."""
        message = super()._neiqin_exception_message(blocking)
        held = self.filtered(lambda o: o.neiqin_held_at and o.id in blocking)
        if not held:
            return message
        lines = [
            self.env._(
                "%(order)s: %(hold)s", order=order.display_name, hold=order._neiqin_hold_message()
            )
            for order in held
        ]
        return "\n".join([message, *lines])

    def _neiqin_exception_box(self, issues, advice):
        """The form's list of exceptions: the hold and the hold after
        payment say when they end, for this order."""
        if issues:
            advice = {**advice, **self._neiqin_hold_advice(issues.rule_id)}
        return super()._neiqin_exception_box(issues, advice)

    def _neiqin_hold_advice(self, rules):
        """{rule id: what the hold rules among ``rules`` mean for this order}."""
        _ = self.env._
        advice = {}
        hold_rule = self._neiqin_hold_rule()
        # Only the rule's id and hold setting are read, to explain to the
        # user the exceptions of this order they already see.
        for rule in rules.sudo():
            if rule.id == hold_rule.id and self.neiqin_held_at:
                advice[rule.id] = _(
                    "%(hold)s Release it with the Release button; a lead's override does not "
                    "release it.",
                    hold=self._neiqin_hold_message(),
                )
            elif rule.rule_type == "method" and rule.method_name == PAID_CHECK:
                end = self._neiqin_paid_hold_end(rule, self.neiqin_paid_at)
                if end:
                    advice[rule.id] = _(
                        "Paid on %(paid)s: released by itself on %(end)s, when the review runs "
                        "again; a lead may override it sooner.",
                        paid=format_datetime(self.env, self.neiqin_paid_at),
                        end=format_datetime(self.env, end),
                    )
        return advice
