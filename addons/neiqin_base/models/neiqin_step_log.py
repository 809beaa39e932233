import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..engine.actions import document_action, model_labels, responsibility_action
from ..engine.deadline import overdue_domain, time_left, working_hours_between
from ..engine.guard import engine_writes, engine_writing, require_group

_logger = logging.getLogger(__name__)

# Fields the engine may still change while a passage is open; everything else
# is fixed once written, and nothing changes after the passage ends.
ENGINE_FIELDS = {
    "state",
    "done_at",
    "done_by_id",
    "is_late",
    "paused_at",
    "paused_hours",
    "pause_reason",
    "deadline_at",
    "escalate_at",
    "alerted_at",
    "escalated_at",
    "escalated_to_id",
}


class NeiqinStepLog(models.Model):
    """One passage of one record through one step.

    Rows are written by the process engine only (the mixin and the overdue
    cron) and are immutable once the passage is done or cancelled.
    """

    _name = "neiqin.step.log"
    _description = "Process step log"
    _order = "entered_at desc, id desc"
    _rec_name = "step_id"

    res_model = fields.Char(string="Document Model", required=True, readonly=True, index=True)
    res_id = fields.Many2oneReference(
        string="Document ID", model_field="res_model", required=True, readonly=True, index=True
    )
    res_name = fields.Char(string="Document", readonly=True)
    res_model_label = fields.Char(
        string="Document Type",
        compute="_compute_res_model_label",
        help="The kind of document (its model's label, e.g. Sales Order).",
    )
    process_id = fields.Many2one("neiqin.process", required=True, readonly=True, index=True)
    step_id = fields.Many2one("neiqin.process.step", required=True, readonly=True, index=True)
    step_code = fields.Char(related="step_id.code")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
        index=True,
    )
    owner_user_id = fields.Many2one("res.users", string="Owner", readonly=True, index=True)
    owner_team_id = fields.Many2one("neiqin.team", string="Team", readonly=True, index=True)
    state = fields.Selection(
        [("open", "In Progress"), ("paused", "Paused"), ("done", "Done"), ("cancel", "Cancelled")],
        default="open",
        required=True,
        readonly=True,
    )
    entered_at = fields.Datetime(
        string="Entered", required=True, readonly=True, default=fields.Datetime.now
    )
    deadline_at = fields.Datetime(string="Deadline", readonly=True)
    escalate_at = fields.Datetime(readonly=True)
    done_at = fields.Datetime(string="Finished", readonly=True)
    done_by_id = fields.Many2one("res.users", string="Finished By", readonly=True)
    is_late = fields.Boolean(
        string="Late",
        readonly=True,
        help="Finished after its deadline, or found overdue while open.",
    )
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )
    paused_at = fields.Datetime(readonly=True)
    paused_hours = fields.Float(
        string="Paused (working hours)", readonly=True, help="Working hours the clock was stopped."
    )
    pause_reason = fields.Char(readonly=True)
    alerted_at = fields.Datetime(string="Owner Alerted", readonly=True)
    escalated_at = fields.Datetime(string="Escalated", readonly=True)
    escalated_to_id = fields.Many2one("res.users", readonly=True)
    duration_hours = fields.Float(
        string="Duration (working hours)", compute="_compute_duration_hours"
    )
    time_left = fields.Char(
        compute="_compute_time_left",
        help="Time left before the deadline of a running passage, or how long it is "
        "overdue; for a finished passage, whether it was finished in time.",
    )

    def init(self):
        # The overdue cron reads only open passages: these partial indexes keep
        # its query independent of the (ever growing) number of closed ones.
        self.env.cr.execute(
            SQL(
                """
                CREATE INDEX IF NOT EXISTS neiqin_step_log_alert_due_idx
                    ON neiqin_step_log (deadline_at)
                 WHERE state = 'open' AND alerted_at IS NULL;
                CREATE INDEX IF NOT EXISTS neiqin_step_log_escalation_due_idx
                    ON neiqin_step_log (escalate_at)
                 WHERE state = 'open' AND escalated_at IS NULL;
                CREATE INDEX IF NOT EXISTS neiqin_step_log_current_idx
                    ON neiqin_step_log (res_model, res_id)
                 WHERE state IN ('open', 'paused');
                """
            )
        )

    @api.depends("state", "deadline_at")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for log in self:
            log.is_overdue = log.state == "open" and bool(log.deadline_at) and log.deadline_at < now

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Overdue."))
        return overdue_domain(
            "state", "deadline_at", (operator == "=") == value, fields.Datetime.now()
        )

    @api.depends("res_model")
    def _compute_res_model_label(self):
        for log, label in zip(self, model_labels(self.env, self.mapped("res_model")), strict=True):
            log.res_model_label = label

    @api.depends("state", "deadline_at", "done_at", "paused_at")
    def _compute_time_left(self):
        now = fields.Datetime.now()
        for log in self:
            log.time_left = time_left(
                self.env, log.state, log.deadline_at, now, log.paused_at, log.done_at
            )

    @api.depends("entered_at", "done_at", "paused_hours", "process_id.calendar_id")
    def _compute_duration_hours(self):
        now = fields.Datetime.now()
        for log in self:
            calendar = log.process_id._effective_calendar() if log.process_id else None
            end = log.done_at or (log.paused_at if log.state == "paused" else now)
            log.duration_hours = max(
                working_hours_between(calendar, log.entered_at, end) - log.paused_hours, 0.0
            )

    @api.depends("step_id", "res_name")
    def _compute_display_name(self):
        for log in self:
            log.display_name = f"{log.res_name or ''} · {log.step_id.name or ''}"

    # ------------------------------------------------------------------ guard
    def write(self, vals):
        if not engine_writing():
            raise UserError(
                self.env._(
                    "Step logs are written by the process engine only; they cannot be edited."
                )
            )
        forbidden = set(vals) - ENGINE_FIELDS
        if forbidden:
            raise UserError(
                self.env._(
                    "These step log fields never change once written: %s",
                    ", ".join(sorted(forbidden)),
                )
            )
        if self.filtered(lambda log: log.state in ("done", "cancel")):
            raise UserError(self.env._("A finished step log cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Step logs are an audit trail: they cannot be deleted."))

    # ------------------------------------------------------------------ actions
    def action_open_document(self):
        self.ensure_one()
        return document_action(self.res_model, self.res_id)

    def action_record_responsibility(self):
        """Open a new responsibility record traced to this passage: its
        document, its step, its owner and its team are filled in."""
        self.ensure_one()
        require_group(
            self.env,
            "neiqin_base.group_neiqin_clerk",
            self.env._("Only back-office staff can record a responsibility."),
        )
        return responsibility_action(self.env, self.res_model, self.res_id, self)

    # ------------------------------------------------------------------ cron
    @api.model
    def _overdue_query(self, now, limit, skip=()):
        """The cron's one query: open passages due for an owner alert or an
        escalation, locked so that a concurrent worker skips them; those of
        ``skip`` (ids this run failed to alert) left out."""
        return SQL(
            """
            SELECT id FROM neiqin_step_log
             WHERE state = 'open'
               AND ((alerted_at IS NULL AND deadline_at < %(now)s)
                 OR (escalated_at IS NULL AND escalate_at < %(now)s))
               %(skip)s
             ORDER BY id
             LIMIT %(limit)s
               FOR UPDATE SKIP LOCKED
            """,
            now=now,
            limit=limit,
            skip=SQL("AND id != ALL(%s)", sorted(skip)) if skip else SQL(),
        )

    @api.model
    def _cron_check_overdue(self, batch_size=500):
        """Alert owners of overdue steps and escalate to the lead past the
        second threshold. Each passage is alerted and escalated at most once,
        also when two runs overlap (Odoo runs the scheduled action in one
        worker at a time, but the method may also be called from code or a
        shell): rows are claimed with FOR UPDATE SKIP LOCKED and marked in
        the same transaction.

        One bad row does not stop the others: the passages of documents
        that no longer exist are cancelled, and a passage whose alert still
        fails is left for the next run, its error logged, while the rest of
        its batch is alerted and committed. Returns the number of passages
        alerted, escalated or cancelled."""
        cron_mode = bool(self.env.context.get("cron_id"))
        done = 0
        failed = set()  # ids that failed in this run: the next batches leave them out
        while True:
            now = fields.Datetime.now()
            self.env.flush_all()
            self.env.cr.execute(self._overdue_query(now, batch_size, skip=failed))
            logs = self.browse([row[0] for row in self.env.cr.fetchall()])
            if not logs:
                break
            alive = logs._cancel_passages_of_missing_documents(now)
            failing = alive._alert_isolated(now) if alive else alive
            failed.update(failing.ids)
            done += len(logs) - len(failing)
            if not cron_mode:
                # One batch when called by hand or from a test: the caller owns
                # the transaction (and its row locks).
                break
            self.env["ir.cron"]._notify_progress(done=done, remaining=0)
            # Commit per batch: a long scan keeps what it has done and frees
            # its row locks for the other workers (CONVENTIONS: batched crons).
            self.env.cr.commit()  # pylint: disable=invalid-commit
        return done

    def _cancel_passages_of_missing_documents(self, now):
        """Cancel those of these open passages whose document no longer
        exists (deleted in SQL or by a cascade of the database, or its
        add-on removed): nobody can act on it, and alerting it would fail
        at every run. Returns the others. One query per document model."""
        missing = self.browse()
        for model_name, logs in self.grouped("res_model").items():
            model = self.env.get(model_name)
            if model is None or model._abstract:
                missing |= logs
                continue
            found = set(model.browse(set(logs.mapped("res_id"))).exists().ids)
            missing |= logs.browse(log.id for log in logs if log.res_id not in found)
        if missing:
            _logger.info(
                "Cancelling %s overdue step passages whose document no longer exists: %s",
                len(missing),
                missing.ids,
            )
            with engine_writes():
                missing.write({"state": "cancel", "done_at": now, "done_by_id": self.env.uid})
        return self - missing

    def _alert_isolated(self, now):
        """Alert and escalate these passages in a savepoint; when that
        fails, each half again, so that a failing passage is left out (its
        error logged) and the others are alerted. Returns the passages that
        failed. The batch costs one savepoint; a failing row a few more,
        about two per halving."""
        try:
            with self.env.cr.savepoint():
                self._alert_and_escalate(now)
        except Exception:  # whatever one row raises must not stop the others
            if len(self) == 1:
                _logger.exception(
                    "Overdue step passage %s (%s,%s) could not be alerted; retried at the next run",
                    self.id,
                    self.res_model,
                    self.res_id,
                )
                return self
        else:
            return self.browse()
        half = len(self) // 2
        return self[:half]._alert_isolated(now) | self[half:]._alert_isolated(now)

    def _alert_and_escalate(self, now):
        to_alert = self.filtered(
            lambda log: not log.alerted_at and log.deadline_at and log.deadline_at < now
        )
        to_escalate = self.filtered(
            lambda log: not log.escalated_at and log.escalate_at and log.escalate_at < now
        )
        # Quietly: the activity is the alert (on the owner's activities menu
        # and the document); an "assigned to you" message per activity would
        # cost queries for every row, and mail the owner once per passage.
        Activity = self.env["mail.activity"].with_context(mail_activity_quick_update=True)
        # One activity per document and user: when the owner is also the lead
        # who gets the escalation, the escalation says it all.
        activity_vals = {}
        for log in to_alert:
            if log.owner_user_id:
                vals = log._activity_vals(log.owner_user_id, escalation=False)
                if vals:
                    activity_vals[(vals["res_model_id"], vals["res_id"], vals["user_id"])] = vals
        escalations = {}
        for log in to_escalate:
            lead = log._escalation_user()
            escalations[log] = lead
            vals = lead and log._activity_vals(lead, escalation=True)
            if vals:
                activity_vals[(vals["res_model_id"], vals["res_id"], vals["user_id"])] = vals
        # Activities live on the documents; the engine creates them on behalf
        # of the owner, who may not be the user running the cron.
        Activity = Activity.sudo()
        # Each activity reads the name of its document alone: read them all
        # first, one query per model, and the activities find them cached.
        for model_name, logs in (to_alert | to_escalate).grouped("res_model").items():
            if model_name in self.env:
                documents = Activity.env[model_name].browse(set(logs.mapped("res_id")))
                documents.mapped("display_name")
        Activity.create(list(activity_vals.values()))
        with engine_writes():
            to_alert.write({"alerted_at": now, "is_late": True})
        for model, logs in self._group_by_value({log: log.res_model for log in to_alert}).items():
            if model in self.env and hasattr(self.env[model], "_neiqin_steps_overdue"):
                self.env[model].browse(logs.mapped("res_id"))._neiqin_steps_overdue(logs)
        for lead, logs in self._group_by_value(escalations).items():
            with engine_writes():
                logs.write({"escalated_at": now, "escalated_to_id": lead.id, "is_late": True})

    @staticmethod
    def _group_by_value(mapping):
        grouped = {}
        for log, value in mapping.items():
            grouped.setdefault(value, log.browse())
            grouped[value] |= log
        return grouped

    def _escalation_user(self):
        """The owner's lead: the team lead, else the owner's manager."""
        self.ensure_one()
        lead = self.owner_team_id.lead_user_id
        if not lead or lead == self.owner_user_id:
            employee = self.owner_user_id.employee_ids[:1]
            lead = employee.parent_id.user_id or lead
        return lead

    def _activity_vals(self, user, escalation):
        self.ensure_one()
        model = self.env["ir.model"]._get(self.res_model)
        if not model.is_mail_activity:
            return None
        step = self.step_id
        if escalation:
            activity_type = self.env.ref("neiqin_base.mail_activity_type_step_escalated")
            summary = self.env._("Escalated: %(step)s is overdue", step=step.name)
        else:
            activity_type = step.activity_type_id or self.env.ref(
                "neiqin_base.mail_activity_type_step_overdue"
            )
            summary = self.env._("Overdue: %(step)s", step=step.name)
        return {
            "res_model_id": model.id,
            "res_id": self.res_id,
            "activity_type_id": activity_type.id,
            "summary": summary,
            "note": self.env._(
                "Deadline was %(deadline)s (owner: %(owner)s).",
                deadline=fields.Datetime.to_string(self.deadline_at),
                owner=self.owner_user_id.name or self.owner_team_id.name or "-",
            ),
            "user_id": user.id,
            "date_deadline": fields.Date.context_today(self),
        }
