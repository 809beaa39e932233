from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..engine.actions import responsibility_action
from ..engine.deadline import (
    DeadlinePlanner,
    add_working_hours,
    overdue_domain,
    time_left,
    working_hours_between,
)
from ..engine.guard import engine_writes, require_group

# The fields the process engine keeps on each record (see _neiqin_owned_fields).
PROCESS_FIELDS = {
    "neiqin_process_id",
    "neiqin_step_id",
    "neiqin_step_state",
    "neiqin_step_deadline_at",
    "neiqin_step_owner_id",
    "neiqin_step_team_id",
}


class NeiqinProcessMixin(models.AbstractModel):
    """Puts the records of any model through a ``neiqin.process``.

    Inherit it, then call ``_neiqin_enter_step(code)`` where the business
    flow reaches a step (``action_confirm`` of an order, say). Every passage
    is an immutable ``neiqin.step.log`` row; the record keeps its current
    step, owner and deadline in stored fields for kanban boards and filters.

    A model naming its process (``_neiqin_process = "order"``, the code of a
    ``neiqin.process``) puts its new records in the first step of that
    process when they are created, those ``_neiqin_in_process_scope()``
    keeps: it declares nothing else and overrides no ``create``.

    Hooks: ``_neiqin_process_code()`` names the process (default: the
    model's ``_neiqin_process``, else the first process applying to the
    model) and ``_neiqin_preferred_owner()`` names the
    user who should own team steps when they belong to the team;
    ``_neiqin_in_process_scope()`` chooses the records that go through the
    process; ``_neiqin_check_manual_step()`` refuses a step a person may not
    move.

    The process fields are the engine's: a ``create`` or ``write`` from a
    user cannot set them (``neiqin.engine.mixin``), and the buttons moving
    a record through its steps are for back-office staff.
    """

    _name = "neiqin.process.mixin"
    _inherit = ["neiqin.engine.mixin"]
    _description = "Back-office process mixin"
    # The code of the process the model's records go through; a model
    # naming one has its new records enter its first step (see create).
    _neiqin_process = None

    neiqin_process_id = fields.Many2one(
        "neiqin.process",
        string="Current Process",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    neiqin_step_id = fields.Many2one(
        "neiqin.process.step",
        string="Process Step",
        readonly=True,
        copy=False,
        index="btree_not_null",
        group_expand="_read_group_neiqin_step_id",
    )
    neiqin_step_state = fields.Selection(
        [("open", "In Progress"), ("paused", "Paused"), ("done", "Finished")],
        string="Step Status",
        readonly=True,
        copy=False,
    )
    neiqin_step_deadline_at = fields.Datetime(string="Step Deadline", readonly=True, copy=False)
    neiqin_step_owner_id = fields.Many2one(
        "res.users", string="Step Owner", readonly=True, copy=False
    )
    neiqin_step_team_id = fields.Many2one(
        "neiqin.team", string="Step Team", readonly=True, copy=False
    )
    neiqin_step_is_overdue = fields.Boolean(
        string="Step Overdue",
        compute="_compute_neiqin_step_is_overdue",
        search="_search_neiqin_step_is_overdue",
    )
    neiqin_step_time_left = fields.Char(
        string="Time Left",
        compute="_compute_neiqin_step_time_left",
        help="Time left until the deadline of the current step, or how long it is overdue.",
    )
    neiqin_step_log_ids = fields.One2many(
        "neiqin.step.log",
        "res_id",
        string="Step History",
        domain=lambda self: [("res_model", "=", self._name)],
        groups="neiqin_base.group_neiqin_clerk",
    )

    @api.model
    def _read_group_neiqin_step_id(self, steps, domain):
        process = self.browse()._neiqin_get_process()
        return steps | process.step_ids.filtered("active") if process else steps

    @api.depends("neiqin_step_state", "neiqin_step_deadline_at")
    def _compute_neiqin_step_is_overdue(self):
        now = fields.Datetime.now()
        for record in self:
            record.neiqin_step_is_overdue = (
                record.neiqin_step_state == "open"
                and bool(record.neiqin_step_deadline_at)
                and record.neiqin_step_deadline_at < now
            )

    @api.depends("neiqin_step_state", "neiqin_step_deadline_at")
    @api.depends_context("lang")
    def _compute_neiqin_step_time_left(self):
        """From the record's own columns, no query (engine/deadline.py); a
        paused step says so, its deadline moves when it resumes."""
        now = fields.Datetime.now()
        for record in self:
            state = record.neiqin_step_state
            if state == "paused":
                record.neiqin_step_time_left = self.env._("paused")
            else:
                record.neiqin_step_time_left = state == "open" and time_left(
                    self.env, state, record.neiqin_step_deadline_at, now
                )

    def _search_neiqin_step_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Step Overdue."))
        return overdue_domain(
            "neiqin_step_state",
            "neiqin_step_deadline_at",
            (operator == "=") == value,
            fields.Datetime.now(),
        )

    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | PROCESS_FIELDS

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        # Generated data (the benchmark's) is placed in its steps by the
        # code that makes it, as superuser; a user's context cannot keep a
        # record out of its process.
        if self._neiqin_process and not (self.env.su and self.env.context.get("neiqin_no_process")):
            # A new record's first values are no changes to track (the
            # chatter's creation note tells its creation): without this,
            # tracking reads every tracked field of the new records before
            # the write, and compares them again when the transaction ends.
            records.with_context(mail_notrack=True)._neiqin_start_process()
        return records

    def unlink(self):
        """A deleted document has no step left to do: its running and
        paused passages are cancelled, so that no one is alerted about it
        any more. The passages themselves stay: they are the audit trail."""
        logs = self._neiqin_open_logs()
        result = super().unlink()
        self._neiqin_close_logs(logs, state="cancel")
        return result

    # ------------------------------------------------------------------ hooks
    def _neiqin_process_code(self):
        """Code of the process these records go through; empty: by model."""
        return self._neiqin_process or ""

    def _neiqin_preferred_owner(self):
        self.ensure_one()
        return self["user_id"] if "user_id" in self._fields else None

    def _neiqin_steps_overdue(self, logs):
        """Hook called by the overdue cron on the documents whose passages
        ``logs`` were just found overdue (e.g. to tell the customer of a delay)."""
        return None

    def _neiqin_in_process_scope(self):
        """Hook: those of these records that go through their process."""
        return self

    def _neiqin_start_process(self, whatever_scope=False):
        """Put those of these records that are in no process and in the
        process's scope (any, ``whatever_scope``) into its first step;
        return them."""
        todo = self.filtered(lambda r: not r.neiqin_process_id)
        if todo and not whatever_scope:
            todo = todo._neiqin_in_process_scope()
        if not todo:
            return todo
        process = todo._neiqin_get_process()
        step = process._first_step() if process else None
        if not step:
            return todo.browse()
        todo._neiqin_enter_step(step)
        return todo

    def _neiqin_check_manual_step(self):
        """Hook: raise when a person may not move these records to their
        next step by hand (the flow moves them when its event happens)."""
        return None

    def _neiqin_get_process(self):
        code = self._neiqin_process_code()
        Process = self.env["neiqin.process"]
        if code:
            return Process._get_by_code(code)
        return Process.search([("model_name", "=", self._name)], limit=1)

    # ------------------------------------------------------------------ engine
    def _neiqin_logs_model(self):
        # The step logs are the engine's audit trail: whoever may act on the
        # document moves it through its steps, whichever team owns the step,
        # so the engine reads and writes logs past the record rules (clerks
        # only ever read logs, see the ACLs). Access to the document itself is
        # checked by the document's own write.
        return self.env["neiqin.step.log"].sudo()

    def _neiqin_open_logs(self):
        """The open or paused passages of these records (one query)."""
        if not self.ids:
            return self._neiqin_logs_model()
        return self._neiqin_logs_model().search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("state", "in", ("open", "paused")),
            ]
        )

    def _neiqin_close_logs(self, logs, state="done"):
        now = fields.Datetime.now()
        for log in logs:
            vals = {"state": state, "done_at": now, "done_by_id": self.env.uid}
            if log.state == "paused":
                calendar = log.process_id._effective_calendar()
                vals["paused_hours"] = log.paused_hours + working_hours_between(
                    calendar, log.paused_at, now
                )
                vals["paused_at"] = False
            if state == "done":
                vals["is_late"] = log.is_late or bool(log.deadline_at and now > log.deadline_at)
            with engine_writes():
                log.write(vals)

    def _neiqin_enter_step(self, step, process=None):
        """Finish the current step of these records and enter ``step``.

        ``step`` is a ``neiqin.process.step`` or a step code of the records'
        process. Records already in that step are left as they are, so a
        flow may call this more than once.
        """
        if not self:
            return self._neiqin_logs_model()
        if isinstance(step, str):
            process = process or self._neiqin_get_process()
            if not process:
                raise UserError(
                    self.env._("No back-office process is configured for %s.", self._description)
                )
            code = step
            step = process.step_ids.filtered(lambda s: s.code == code and s.active)
            if not step:
                raise UserError(
                    self.env._(
                        "Process %(process)s has no active step %(code)s.",
                        process=process.name,
                        code=code,
                    )
                )
        step.ensure_one()
        process = step.process_id
        open_logs = self._neiqin_open_logs()
        staying = open_logs.filtered(lambda log: log.step_id == step)
        moving = self.filtered(lambda r: r.id not in set(staying.mapped("res_id")))
        if not moving:
            return staying
        self._neiqin_close_logs(open_logs - staying)
        now = fields.Datetime.now()
        calendar = process._effective_calendar()
        planner = DeadlinePlanner()
        deadline = planner.add(calendar, now, step.deadline_hours)
        escalate_at = planner.add(calendar, deadline, step._escalation_hours())
        vals_list = []
        owners = {}
        for record in moving:
            user, team = step._resolve_owner(record)
            owners[record.id] = (user, team)
            vals_list.append(
                {
                    "res_model": record._name,
                    "res_id": record.id,
                    "res_name": record.display_name,
                    "process_id": process.id,
                    "step_id": step.id,
                    "company_id": (
                        record["company_id"].id if "company_id" in record._fields else False
                    )
                    or self.env.company.id,
                    "owner_user_id": user.id,
                    "owner_team_id": team.id,
                    "entered_at": now,
                    "deadline_at": deadline,
                    "escalate_at": escalate_at,
                }
            )
        logs = self._neiqin_logs_model().create(vals_list)
        for (user, team), records in self._neiqin_group(moving, owners).items():
            self._neiqin_engine_write(
                records,
                {
                    "neiqin_process_id": process.id,
                    "neiqin_step_id": step.id,
                    "neiqin_step_state": "open",
                    "neiqin_step_deadline_at": deadline,
                    "neiqin_step_owner_id": user.id,
                    "neiqin_step_team_id": team.id,
                },
            )
        return logs | staying

    @staticmethod
    def _neiqin_engine_write(records, vals):
        """Write fields the engine owns on ``records``."""
        with engine_writes():
            records.write(vals)

    @staticmethod
    def _neiqin_group(records, key_by_id):
        grouped = {}
        for record in records:
            key = key_by_id[record.id]
            grouped[key] = grouped.get(key, record.browse()) | record
        return grouped

    def _neiqin_finish_step(self):
        """Finish the current step; the records leave the process."""
        self._neiqin_close_logs(self._neiqin_open_logs())
        self._neiqin_engine_write(
            self, {"neiqin_step_state": "done", "neiqin_step_deadline_at": False}
        )

    def _neiqin_cancel_process(self):
        self._neiqin_close_logs(self._neiqin_open_logs(), state="cancel")
        self._neiqin_engine_write(
            self,
            {"neiqin_step_id": False, "neiqin_step_state": False, "neiqin_step_deadline_at": False},
        )

    def _neiqin_next_step(self):
        """Move each record to the step after its current one (or finish)."""
        by_step = {}
        for record in self:
            by_step.setdefault(record.neiqin_step_id, record.browse())
            by_step[record.neiqin_step_id] |= record
        for step, records in by_step.items():
            if not step:
                records._neiqin_enter_step(records._neiqin_first_step())
                continue
            following = step._next_step()
            if following:
                records._neiqin_enter_step(following)
            else:
                records._neiqin_finish_step()

    def _neiqin_first_step(self):
        process = self._neiqin_get_process()
        step = process._first_step() if process else None
        if not step:
            raise UserError(
                self.env._(
                    "No back-office process with steps is configured for %s.", self._description
                )
            )
        return step

    def _neiqin_pause(self, reason=None):
        """Stop the clock (e.g. waiting for the customer)."""
        logs = self._neiqin_open_logs().filtered(lambda log: log.state == "open")
        if not logs:
            raise UserError(self.env._("There is no running step to pause."))
        with engine_writes():
            logs.write(
                {
                    "state": "paused",
                    "paused_at": fields.Datetime.now(),
                    "pause_reason": reason or False,
                }
            )
        self._neiqin_engine_write(
            self.filtered(lambda r: r.id in set(logs.mapped("res_id"))),
            {"neiqin_step_state": "paused"},
        )

    def _neiqin_resume(self):
        """Restart the clock: the deadline moves by the working hours paused."""
        logs = self._neiqin_open_logs().filtered(lambda log: log.state == "paused")
        if not logs:
            raise UserError(self.env._("There is no paused step to resume."))
        now = fields.Datetime.now()
        for log in logs:
            calendar = log.process_id._effective_calendar()
            paused = working_hours_between(calendar, log.paused_at, now)
            vals = {"state": "open", "paused_at": False, "paused_hours": log.paused_hours + paused}
            if log.deadline_at and not log.alerted_at:
                vals["deadline_at"] = add_working_hours(calendar, log.deadline_at, paused)
            if log.escalate_at and not log.escalated_at:
                vals["escalate_at"] = add_working_hours(calendar, log.escalate_at, paused)
            with engine_writes():
                log.write(vals)
            self._neiqin_engine_write(
                self.browse(log.res_id),
                {
                    "neiqin_step_state": "open",
                    "neiqin_step_deadline_at": vals.get("deadline_at", log.deadline_at),
                },
            )

    # ------------------------------------------------------------------ buttons
    def _neiqin_check_step_rights(self):
        """Moving, pausing and resuming steps is back-office work."""
        require_group(
            self.env,
            "neiqin_base.group_neiqin_clerk",
            self.env._("Only back-office staff can move a document through its process steps."),
        )

    def action_neiqin_next_step(self):
        self._neiqin_check_step_rights()
        self._neiqin_check_manual_step()
        self._neiqin_next_step()
        return True

    def action_neiqin_resume(self):
        self._neiqin_check_step_rights()
        self._neiqin_resume()
        return True

    def action_neiqin_pause(self):
        self._neiqin_check_step_rights()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Pause Step"),
            "res_model": "neiqin.step.pause.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    def action_neiqin_record_responsibility(self):
        """Open a new responsibility record about this document, traced to
        its current step passage (else its last one) when the user may see
        it: the step, its owner and its team are filled in from it."""
        self.ensure_one()
        self._neiqin_check_step_rights()
        self.check_access("read")
        logs = self._neiqin_logs_model().search(
            [("res_model", "=", self._name), ("res_id", "=", self.id)],
            order="entered_at desc, id desc",
        )
        current = logs.filtered(lambda log: log.state in ("open", "paused"))[:1] or logs[:1]
        # The passage is offered only when the user may see it: the record
        # refuses a passage they may not open.
        passage = current.with_env(self.env)._filtered_access("read")
        return responsibility_action(self.env, self._name, self.id, passage)

    def _neiqin_demo_due_in(self, hours):
        """Demo and training data: make the running passages of these
        records due ``hours`` clock hours from now (negative: overdue since
        then), as if they had entered their step that long before. The
        superuser's only (demo files): deadlines are never set by hand."""
        if not self.env.su:
            raise AccessError(self.env._("Only demo data may move the deadline of a step."))
        logs = self._neiqin_open_logs().filtered(lambda log: log.state == "open")
        if not logs:
            return
        deadline = fields.Datetime.now() + timedelta(hours=hours)
        self.env.flush_all()
        # One statement per step: its passages entered it the step's
        # deadline before, and escalate after its escalation delay.
        for step, step_logs in logs.grouped("step_id").items():
            self.env.cr.execute(
                SQL(
                    """UPDATE neiqin_step_log
                          SET entered_at = %(entered)s, deadline_at = %(deadline)s,
                              escalate_at = %(escalate)s
                        WHERE id = ANY(%(ids)s)""",
                    entered=deadline - timedelta(hours=step.deadline_hours),
                    deadline=deadline,
                    escalate=deadline + timedelta(hours=step._escalation_hours()),
                    ids=step_logs.ids,
                )
            )
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET neiqin_step_deadline_at = %s WHERE id = ANY(%s)",
                SQL.identifier(self._table),
                deadline,
                logs.mapped("res_id"),
            )
        )
        self.env.invalidate_all()

    def action_neiqin_view_step_logs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("neiqin_base.action_neiqin_step_log")
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {}
        return action
