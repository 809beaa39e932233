import hashlib
import logging

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, split_every

from ..engine.actions import result_notification
from ..engine.guard import engine_writes, require_group

_logger = logging.getLogger(__name__)

REVIEW_STATES = [
    ("none", "Not Reviewed"),
    ("to_review", "To Review"),
    ("exception", "Exception"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]
# The fields the gate owns: only the engine writes them (neiqin.engine.mixin),
# through the review, approval, override and rejection.
GATE_FIELDS = {
    "neiqin_review_state",
    "neiqin_reviewed_by_id",
    "neiqin_reviewed_at",
    "neiqin_override_reason",
    "neiqin_override_by_id",
    "neiqin_override_at",
    "neiqin_override_rule_ids",
    "neiqin_override_fingerprint",
}
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True}


class NeiqinGateMixin(models.AbstractModel):
    """A review gate on a model: its records stop at an action (confirming,
    closing, publishing) while a rule serving the gate finds a blocking
    issue, unless a lead overrides it with a written reason.

    A model inherits this mixin (after ``mail.thread``), names its gate in
    ``_neiqin_gate`` (the code of a ``neiqin.gate`` record its module ships)
    and calls ``_neiqin_check_can_proceed(action)`` before the action. Review
    states: not reviewed (outside the gate), to review, exception, approved,
    rejected. Every rule of the gate checks every record at once before any
    side effect; a refusal lists the exceptions of each record and the
    issues it found are kept (see :meth:`_neiqin_keep_findings`).

    Hooks a model may override: ``_neiqin_in_review`` (the records the gate
    applies to), ``_neiqin_gate_pending`` (the records whose action is still
    ahead), ``_neiqin_auto_approves``, ``_neiqin_on_approval``,
    ``_neiqin_on_reject``, ``_neiqin_fingerprint_values`` (what an override
    depends on) and ``_neiqin_lapse_message``."""

    _name = "neiqin.gate.mixin"
    _description = "Review gate"
    _inherit = ["neiqin.dq.mixin", "neiqin.engine.mixin"]

    # The code of the neiqin.gate record this model's review is.
    _neiqin_gate = None
    # A large review writes its states by batches of this size, emptying the
    # record cache between them; its checks still run once on all records.
    _neiqin_review_write_batch = 10000

    neiqin_review_state = fields.Selection(
        REVIEW_STATES,
        string="Review",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    neiqin_reviewed_by_id = fields.Many2one(
        "res.users", string="Reviewed By", copy=False, readonly=True
    )
    neiqin_reviewed_at = fields.Datetime(string="Reviewed On", copy=False, readonly=True)
    neiqin_exception_summary = fields.Char(
        string="Review Exceptions",
        compute="_compute_neiqin_exception_summary",
        groups="neiqin_base.group_neiqin_clerk",
    )
    neiqin_override_reason = fields.Text(
        string="Override Reason", copy=False, readonly=True, tracking=True
    )
    neiqin_override_by_id = fields.Many2one(
        "res.users", string="Overridden By", copy=False, readonly=True
    )
    neiqin_override_at = fields.Datetime(string="Overridden On", copy=False, readonly=True)
    neiqin_override_rule_ids = fields.Many2many(
        "neiqin.dq.rule",
        string="Exceptions Overridden",
        copy=False,
        readonly=True,
        groups="neiqin_base.group_neiqin_clerk",
        help="The rules whose exceptions the lead's override waived. Another exception "
        "still stops the record.",
    )
    neiqin_override_fingerprint = fields.Char(
        string="Override Fingerprint",
        copy=False,
        readonly=True,
        groups="neiqin_base.group_neiqin_clerk",
        help="What the record was when it was overridden: the override lapses when it " "changes.",
    )

    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | GATE_FIELDS

    @api.depends_context("lang")
    def _compute_neiqin_exception_summary(self):
        issues = self.env["neiqin.dq.issue"].search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids), ("state", "=", "open")]
        )
        by_record = {}
        # The names of the rules of the issues the user may read, whatever
        # their right on the rules themselves.
        for issue in issues.sudo():
            by_record.setdefault(issue.res_id, []).append(issue.rule_id.name)
        for record in self:
            record.neiqin_exception_summary = ", ".join(sorted(set(by_record.get(record.id, []))))

    # ------------------------------------------------------------ hooks
    def _neiqin_in_review(self):
        """Those of these records the gate applies to."""
        return self.filtered(lambda r: r.neiqin_review_state != "none")

    def _neiqin_gate_pending(self):
        """Those of these records whose guarded action is still ahead."""
        return self

    def _neiqin_reviewable(self):
        """The records a review checks: in review, neither rejected nor past
        their action for good (a model may narrow it)."""
        return self._neiqin_in_review().filtered(lambda r: r.neiqin_review_state != "rejected")

    def _neiqin_auto_approves(self):
        """Whether a clean record of these is approved by its review."""
        return False

    def _neiqin_on_approval(self, confirm=True, vals=None):
        """Approved records: ``vals`` (the approval) written, in the same
        writes as what the model adds on approval."""
        if vals:
            with engine_writes():
                self.write(vals)

    def _neiqin_on_reject(self):
        """Rejected records: what the model does once they are rejected."""

    def _neiqin_fingerprint_values(self):
        """What an override of this record depends on (a tuple of values
        whose ``repr`` is stable): when it changes, the override lapses."""
        self.ensure_one()
        return (self.write_date and fields.Datetime.to_string(self.write_date),)

    def _neiqin_lapse_message(self):
        return self.env._(
            "The override by %(lead)s no longer holds: the record changed since. It is "
            "reviewed again.",
            lead=self.neiqin_override_by_id.name or "-",
        )

    # ------------------------------------------------------------ rules and issues
    @api.model
    def _neiqin_gate_record(self):
        return self.env["neiqin.gate"]._by_code(self._neiqin_gate)

    def _neiqin_gate_rules(self):
        """The active rules serving this model's gate that may apply to these
        records: their companies' and those shared by every company (a rule
        checks only the records of its company). None when the gate is
        archived: it lets every record through."""
        gate = self._neiqin_gate_record()
        if not gate.active:
            return self.env["neiqin.dq.rule"].sudo()
        domain = [("gate_ids", "in", gate.ids), ("model_name", "=", self._name)]
        if "company_id" in self._fields:
            domain.append(("company_id", "in", [False, *self.company_id.ids]))
        # Configuration, read as the engine: which rules stop a record is not
        # the caller's choice.
        return self.env["neiqin.dq.rule"].sudo().search(domain)

    def _neiqin_blocking_issues(self):
        """Open blocking issues of these records from the gate's rules, by
        record id (one query).

        Read as the engine: whoever is stopped is told which exceptions
        stop them, even without back-office rights."""
        gate = self._neiqin_gate_record()
        Issue = self.env["neiqin.dq.issue"].sudo()
        if not gate.active or not self.ids:
            return {}
        issues = Issue.search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("state", "=", "open"),
                ("severity", "=", "blocking"),
                ("rule_id.gate_ids", "in", gate.ids),
            ]
        )
        by_record = {}
        for issue in issues:
            by_record[issue.res_id] = by_record.get(issue.res_id, Issue) | issue
        return by_record

    def _neiqin_exception_message(self, blocking):
        return "\n".join(
            self.env._(
                "%(order)s: %(exceptions)s",
                order=record.display_name,
                exceptions=", ".join(blocking[record.id].rule_id.mapped("name")),
            )
            for record in self
            if record.id in blocking
        )

    # ------------------------------------------------------------ overrides
    def _neiqin_fingerprint(self):
        """{record id: what its override depends on, hashed}."""
        return {
            record.id: hashlib.sha256(
                repr(record._neiqin_fingerprint_values()).encode()
            ).hexdigest()
            for record in self.sudo()
        }

    def _neiqin_unwaived(self, blocking):
        """{record id: its blocking issues no override waived}, for the
        records of ``blocking`` ({record id: issues}) that still have one. An
        override lapses, and is removed with a note in the chatter, when the
        record changed since it was given."""
        self.filtered(lambda r: r.id in blocking)._neiqin_lapse_changed_overrides()
        unwaived = {}
        for record in self.filtered(lambda r: r.id in blocking):
            issues = blocking[record.id]
            if record.neiqin_override_at:
                waived = record.sudo().neiqin_override_rule_ids
                issues = issues.filtered(lambda i, waived=waived: i.rule_id not in waived)
            if issues:
                unwaived[record.id] = issues
        return unwaived

    def _neiqin_lapse_changed_overrides(self):
        """Lapse the overrides of those of these records that changed since."""
        overridden = self.filtered("neiqin_override_at")
        if overridden:
            fingerprints = overridden._neiqin_fingerprint()
            lapsed = overridden.filtered(
                lambda r: r.sudo().neiqin_override_fingerprint != fingerprints[r.id]
            )
            if lapsed:
                lapsed._neiqin_lapse_override()

    def _neiqin_stopped(self, blocking):
        """The records stopped by blocking issues no override waived."""
        unwaived = self._neiqin_unwaived(blocking)
        return self.filtered(lambda r: r.id in unwaived)

    def _neiqin_lapse_override(self):
        for record in self:
            record.message_post(body=record._neiqin_lapse_message())
        # The override's fields are the engine's, kept from users without
        # back-office rights (their groups): whoever's change made the
        # override lapse, the engine clears it.
        with engine_writes():
            self.sudo().write(
                {
                    "neiqin_override_reason": False,
                    "neiqin_override_by_id": False,
                    "neiqin_override_at": False,
                    "neiqin_override_rule_ids": [fields.Command.clear()],
                    "neiqin_override_fingerprint": False,
                    "neiqin_review_state": "to_review",
                }
            )

    # ------------------------------------------------------------ the review
    def _neiqin_review(self, auto_approve=None, confirm_approved=True):
        """Run every rule of the gate on these records (one query per rule),
        then set their review state: exception when a blocking rule fails,
        approved when the record is approved automatically. Returns the
        blocking issues found, by record id."""
        records = self._neiqin_reviewable()
        if not records:
            return {}
        # Issues are the review engine's bookkeeping: whoever reaches the gate
        # (a salesperson too) runs every check, whatever their rights on
        # issues and rules. Their right on the record itself is their own.
        records.sudo()._neiqin_dq_check(records._neiqin_gate_rules())
        blocking = records._neiqin_blocking_issues()
        now = fields.Datetime.now()
        size = self._neiqin_review_write_batch
        for batch in split_every(size, records.ids, self.browse):
            batch._neiqin_set_review_state(blocking, now, auto_approve, confirm_approved)
            if len(records) > size:
                self.env.flush_all()
                self.env.invalidate_all()
        return blocking

    def _neiqin_set_review_state(self, blocking, now, auto_approve, confirm_approved):
        """Set these reviewed records' review state from their open blocking
        issues (``blocking``: {record id: issues}); approve the clean ones
        when asked to or when they are approved automatically."""
        exception = self._neiqin_stopped(blocking)
        clean = self - exception
        with engine_writes():
            if exception:
                exception.filtered(lambda r: r.neiqin_review_state != "exception").write(
                    {"neiqin_review_state": "exception"}
                )
            to_approve = clean.filtered(
                lambda r: r.neiqin_review_state != "approved"
                and (
                    r.neiqin_override_at
                    or (auto_approve if auto_approve is not None else r._neiqin_auto_approves())
                )
            )
            if to_approve:
                to_approve._neiqin_on_approval(
                    confirm=confirm_approved,
                    vals={
                        "neiqin_review_state": "approved",
                        "neiqin_reviewed_by_id": self.env.uid,
                        "neiqin_reviewed_at": now,
                    },
                )
            back_to_review = (
                clean.filtered(lambda r: r.neiqin_review_state == "exception") - to_approve
            )
            if back_to_review:
                back_to_review.write({"neiqin_review_state": "to_review"})

    def _neiqin_back_to_review(self):
        """Records whose data changed before their action are reviewed again."""
        again = self._neiqin_gate_pending().filtered(
            lambda r: r.neiqin_review_state in ("approved", "exception")
        )
        if again:
            with engine_writes():
                again.write({"neiqin_review_state": "to_review"})

    def _neiqin_check_can_proceed(self, action):
        """Refuse ``action`` for records with a blocking exception that no
        override of a lead waived; the issues found are kept (see
        :meth:`_neiqin_keep_findings`). The review confirms nothing itself:
        ``action`` goes on."""
        try:
            # The review of refused records is undone with the refusal; what
            # it found is written in a transaction of its own below.
            with self.env.cr.savepoint():
                blocking = self._neiqin_review(confirm_approved=False)
                rejected = self.filtered(lambda r: r.neiqin_review_state == "rejected")
                if rejected:
                    raise UserError(
                        self.env._(
                            "These records were rejected at review: %s",
                            ", ".join(rejected.mapped("display_name")),
                        )
                    )
                unwaived = self._neiqin_unwaived(blocking)
                if unwaived:
                    raise _Refused(self._neiqin_exception_message(unwaived), list(unwaived))
        except _Refused as refusal:
            self._neiqin_keep_findings()
            # An override that lapsed stays lapsed: the record changed.
            self.browse(refusal.record_ids)._neiqin_lapse_changed_overrides()
            raise UserError(
                self.env._(
                    "%(action)s is blocked by review exceptions. Fix the data, or ask a lead to "
                    "override them with a reason:\n%(details)s",
                    action=action,
                    details=refusal.details,
                )
            ) from None

    def _neiqin_keep_findings(self):
        """Review these records again in a transaction of its own and commit
        it, so that the issues that refused an action, and the records'
        exception state, survive the refusal's rollback.

        It sees what is saved: a record or rule made in the refused
        transaction is not there yet, and is skipped. It never waits: rows
        the refused transaction holds are left as they are. A failure here
        is logged, never raised in place of the refusal."""
        try:
            with self.env.registry.cursor() as cr:
                cr.execute("SET LOCAL lock_timeout = '2s'")
                # The engine's own transaction: it files issues and review
                # states of records the caller was just refused on, as the
                # review does in the caller's transaction.
                context = {
                    key: self.env.context[key] for key in ("lang", "tz") if key in self.env.context
                }
                env = api.Environment(cr, SUPERUSER_ID, {**context, **QUIET})
                records = env[self._name].browse(self.ids).exists()
                if not records:
                    return
                records = records._neiqin_reviewable()
                if not records:
                    return
                records._neiqin_dq_check(records._neiqin_gate_rules())
                # Only the records no other transaction holds (the refused one
                # may have written them) get their state: it never waits.
                cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE id = ANY(%s) FOR UPDATE SKIP LOCKED",
                        SQL.identifier(records._table),
                        records.ids,
                    )
                )
                free = records.browse([row[0] for row in cr.fetchall()])
                stopped = free._neiqin_stopped(free._neiqin_blocking_issues())
                with engine_writes():
                    stopped.filtered(lambda r: r.neiqin_review_state != "exception").write(
                        {"neiqin_review_state": "exception"}
                    )
        except Exception:  # noqa: BLE001
            _logger.warning(
                "Could not keep the review findings of %s %s", self._name, self.ids, exc_info=True
            )

    # ------------------------------------------------------------ actions
    def _neiqin_check_clerk(self):
        require_group(
            self.env,
            "neiqin_base.group_neiqin_clerk",
            self.env._("Only back-office staff can review %s.", self._description),
        )

    def _neiqin_check_lead(self):
        require_group(
            self.env,
            "neiqin_base.group_neiqin_lead",
            self.env._("Only a back-office lead can override review exceptions."),
        )

    def _neiqin_check_reviewed(self):
        outside = self - self._neiqin_in_review()
        if outside:
            raise UserError(outside._neiqin_not_in_review_message())

    def _neiqin_not_in_review_message(self):
        """Why these records cannot be approved, rejected or overridden."""
        return self.env._(
            "These records are not under review; check them against their rules first: %s",
            ", ".join(self.mapped("display_name")),
        )

    def action_neiqin_review(self):
        """Button: review the records now, and say what came of it."""
        self._neiqin_check_clerk()
        self._neiqin_review()
        return self._neiqin_review_notification(self.env._("Review rules checked"))

    def _neiqin_review_notification(self, title):
        """A notification of what a review did to these records, then the
        screen reloaded: a button's consequences are announced."""
        _ = self.env._
        by_state = self.grouped("neiqin_review_state")
        stopped = by_state.get("exception", self.browse())
        waiting = by_state.get("to_review", self.browse())
        approved = by_state.get("approved", self.browse())
        lines = [
            label % ", ".join(records.mapped("display_name"))
            for label, records in (
                (_("Approved: %s"), approved),
                (_("Still stopped by exceptions: %s"), stopped),
                (_("No blocking exception, waiting for approval: %s"), waiting),
                (_("No change: %s"), self - approved - stopped - waiting),
            )
            if records
        ]
        return result_notification(title, lines, warning=bool(stopped))

    def action_neiqin_approve(self):
        """Button: a clerk approves records that have no blocking exception."""
        self._neiqin_check_clerk()
        self._neiqin_check_reviewed()
        self._neiqin_check_can_proceed(self.env._("Approval"))
        with engine_writes():
            self.filtered(lambda r: r.neiqin_review_state != "approved").write(
                {
                    "neiqin_review_state": "approved",
                    "neiqin_reviewed_by_id": self.env.uid,
                    "neiqin_reviewed_at": fields.Datetime.now(),
                }
            )
            self._neiqin_on_approval()
        return True

    def action_neiqin_reject(self):
        self._neiqin_check_clerk()
        self._neiqin_check_reviewed()
        past = self - self._neiqin_gate_pending()
        if past:
            raise UserError(past[0]._neiqin_past_review_message())
        with engine_writes():
            self.write(
                {
                    "neiqin_review_state": "rejected",
                    "neiqin_reviewed_by_id": self.env.uid,
                    "neiqin_reviewed_at": fields.Datetime.now(),
                }
            )
        self._neiqin_on_reject()
        return True

    def _neiqin_past_review_message(self):
        """Why this record, past its review, cannot be rejected."""
        return self.env._(
            "%s is already past its review: cancel it instead of rejecting it.",
            self.display_name,
        )

    def action_neiqin_override(self):
        self._neiqin_check_lead()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override Review Exceptions"),
            "res_model": "neiqin.gate.override.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    def _neiqin_override(self, reason):
        """A lead waives the blocking exceptions the records have now, with a
        reason kept on the record and in its chatter. The override covers
        these exceptions only, and only while the record stays as it is (see
        :meth:`_neiqin_unwaived`)."""
        self._neiqin_check_lead()
        self._neiqin_check_reviewed()
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(self.env._("Write why the exceptions are overridden."))
        blocking = self._neiqin_review(confirm_approved=False)
        now = fields.Datetime.now()
        fingerprints = self._neiqin_fingerprint()
        with engine_writes():
            for record in self:
                waived = blocking.get(record.id, self.env["neiqin.dq.issue"]).rule_id
                record.write(
                    {
                        "neiqin_override_reason": reason,
                        "neiqin_override_by_id": self.env.uid,
                        "neiqin_override_at": now,
                        "neiqin_override_rule_ids": [fields.Command.set(waived.ids)],
                        "neiqin_override_fingerprint": fingerprints[record.id],
                        "neiqin_review_state": "approved",
                        "neiqin_reviewed_by_id": self.env.uid,
                        "neiqin_reviewed_at": now,
                    }
                )
        for record in self:
            record.message_post(body=self.env._("Review exceptions overridden: %s", reason))
        self._neiqin_on_approval()


class _Refused(Exception):
    """A gate refused an action: ``details`` lists the exceptions."""

    def __init__(self, details, record_ids):
        super().__init__(details)
        self.details = details
        self.record_ids = record_ids
