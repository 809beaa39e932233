from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.neiqin_base.engine.deadline import DeadlinePlanner
from odoo.addons.neiqin_base.engine.guard import engine_writes


class NeiqinMeetingAction(models.Model):
    """An action item decided in a meeting (会议行动项): what to do, who
    does it, by when. Once the minutes are published it is an activity of
    its owner and a passage through the ``meeting_action`` process, whose
    overdue scan marks it late and escalates it; it is followed until done."""

    _name = "neiqin.meeting.action"
    _description = "Meeting action item"
    _inherit = ["mail.thread", "mail.activity.mixin", "neiqin.process.mixin"]
    _order = "deadline, id"
    _check_company_auto = True
    _neiqin_process = "meeting_action"

    meeting_id = fields.Many2one(
        "neiqin.meeting", required=True, ondelete="cascade", index=True, check_company=True
    )
    name = fields.Char(string="What to Do", required=True, tracking=True)
    owner_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    deadline = fields.Date(required=True, tracking=True)
    state = fields.Selection(
        [("open", "Open"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="open",
        required=True,
        readonly=True,
        copy=False,
    )
    done_at = fields.Datetime(string="Done On", readonly=True, copy=False)
    done_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    activity_id = fields.Many2one(
        "mail.activity",
        string="Follow-up Activity",
        readonly=True,
        copy=False,
        index=True,
        ondelete="set null",
    )
    is_late = fields.Boolean(string="Late", compute="_compute_is_late", search="_search_is_late")
    company_id = fields.Many2one(related="meeting_id.company_id", store=True, index=True)
    meeting_state = fields.Selection(related="meeting_id.state", string="Meeting Status")

    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | {"state", "done_at", "done_by_id", "activity_id"}

    @api.depends("state", "deadline")
    def _compute_is_late(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_late = action.state == "open" and action.deadline < today

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Late."))
        late = [("state", "=", "open"), ("deadline", "<", fields.Date.context_today(self))]
        if (operator == "=") == value:
            return late
        return ["!", "&", *late]

    # ------------------------------------------------------------------ process hooks
    def _neiqin_in_process_scope(self):
        """Items are followed once the minutes are published."""
        return self.filtered(
            lambda a: a.state == "open" and a.meeting_id.state in ("held", "closed")
        )

    def _neiqin_preferred_owner(self):
        self.ensure_one()
        return self.owner_id

    @api.model
    def _neiqin_deadline_at(self, deadline):
        """An item is due by the end of its deadline day."""
        return datetime.combine(deadline + timedelta(days=1), time.min)

    def _neiqin_enter_step(self, step, process=None):
        """The engine dates a passage from the step's hours; an item is due
        on its own deadline: the new passages take it (and their escalation
        follows it by the step's escalation delay)."""
        logs = super()._neiqin_enter_step(step, process=process)
        self._neiqin_sync_deadline(logs)
        return logs

    def _neiqin_sync_deadline(self, logs=None):
        if logs is None:
            logs = self._neiqin_open_logs()
        logs = logs.filtered(lambda log: not log.alerted_at and log.state in ("open", "paused"))
        if not logs:
            return
        by_id = {action.id: action for action in self}
        planner = DeadlinePlanner()
        grouped = {}
        for log in logs:
            action = by_id.get(log.res_id)
            if not action:
                continue
            deadline_at = self._neiqin_deadline_at(action.deadline)
            escalate_at = planner.add(
                log.process_id._effective_calendar(), deadline_at, log.step_id._escalation_hours()
            )
            grouped.setdefault((deadline_at, escalate_at), []).append(log.id)
        for (deadline_at, escalate_at), log_ids in grouped.items():
            with engine_writes():
                logs.browse(log_ids).write({"deadline_at": deadline_at, "escalate_at": escalate_at})
                self.browse(logs.browse(log_ids).mapped("res_id")).write(
                    {"neiqin_step_deadline_at": deadline_at}
                )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        # An item added to published minutes is followed at once (create
        # has started its process: _neiqin_in_process_scope).
        actions.filtered(lambda a: a.meeting_id.state != "draft")._neiqin_follow_up()
        return actions

    def write(self, vals):
        if {"owner_id", "deadline"} & set(vals):
            # An attendee cannot hand an item over to themselves (and then
            # close it), nor move its deadline.
            self._neiqin_check_organizer(self.env._("change the owner or the deadline"))
        if "meeting_id" in vals and self.filtered(lambda a: a.meeting_id.id != vals["meeting_id"]):
            raise ValidationError(self.env._("An action item cannot move to another meeting."))
        result = super().write(vals)
        followed = self.filtered(lambda a: a.state == "open" and a.activity_id)
        if followed and {"deadline", "owner_id", "name"} & set(vals):
            followed._neiqin_update_activities()
            if "owner_id" in vals:
                followed._neiqin_hand_over()
            elif "deadline" in vals:
                followed._neiqin_sync_deadline()
        return result

    # ------------------------------------------------------------------ follow-up
    def _neiqin_follow_up(self):
        """Give each open item of published minutes an activity of its
        owner due on its deadline (one batch) and start it in its process."""
        actions = self.filtered(
            lambda a: a.state == "open" and not a.activity_id and a.meeting_id.state != "draft"
        )
        if not actions:
            return
        actions._neiqin_start_process()
        model_id = self.env["ir.model"]._get_id(self._name)
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        vals_list = [
            {
                "res_model_id": model_id,
                "res_id": action.id,
                "activity_type_id": todo.id if todo else False,
                "summary": action.name,
                "note": self.env._("Action item of the meeting %s", action.meeting_id.name),
                "user_id": action.owner_id.id,
                "date_deadline": action.deadline,
            }
            for action in actions
        ]
        # The organizer (or a lead) gives the owners their activities: the
        # activity is created on their behalf on an item the caller may
        # write (checked here), quietly, one mail per owner being the
        # activity itself.
        actions.check_access("write")
        activities = (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(vals_list)
        )
        # One statement links every item to its activity (a write per item
        # would cost an UPDATE each).
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE neiqin_meeting_action AS item SET activity_id = link.activity_id
                     FROM unnest(%s::int[], %s::int[]) AS link(item_id, activity_id)
                    WHERE item.id = link.item_id""",
                actions.ids,
                activities.ids,
            )
        )
        actions.invalidate_recordset(["activity_id"])

    def _neiqin_hand_over(self):
        """A passage keeps the owner it started with (the step log is the
        audit trail): a new owner ends it and starts a new one, theirs."""
        for step, actions in self.filtered("neiqin_step_id").grouped("neiqin_step_id").items():
            actions._neiqin_cancel_process()
            actions._neiqin_enter_step(step)

    def _neiqin_update_activities(self):
        for action in self:
            # The activity follows the item the caller just changed.
            action.activity_id.sudo().write(
                {
                    "summary": action.name,
                    "user_id": action.owner_id.id,
                    "date_deadline": action.deadline,
                }
            )

    def _neiqin_check_organizer(self, what):
        """The meeting's organizer or a lead decides who does what by when."""
        if self.env.su or self.env.user.has_group("neiqin_base.group_neiqin_lead"):
            return
        self.meeting_id._check_organizer(what)

    def _neiqin_check_may_close(self):
        """The owner, the organizer or a lead closes an item."""
        if self.env.su or self.env.user.has_group("neiqin_base.group_neiqin_lead"):
            return
        user = self.env.user
        others = self.filtered(lambda a: user not in (a.owner_id | a.meeting_id.organizer_id))
        if others:
            raise AccessError(
                self.env._(
                    "Only the owner of an action item, the meeting's organizer or a lead "
                    "can close it: %s",
                    ", ".join(others.mapped("name")),
                )
            )

    def action_done(self):
        """Mark the items done; their activities are done with them."""
        self._neiqin_check_may_close()
        todo = self.filtered(lambda a: a.state == "open")
        if not todo:
            return True
        activities = todo.activity_id
        todo._neiqin_mark_done()
        if activities:
            # The activities are the items' own: marking them done is part
            # of closing the items the caller may close (checked above).
            activities.sudo().with_context(neiqin_meeting_action_closing=True).action_feedback(
                feedback=self.env._("Action item done.")
            )
        return True

    def action_cancel(self):
        """Cancel the items (no longer to do); their activities go."""
        self._neiqin_check_may_close()
        todo = self.filtered(lambda a: a.state == "open")
        activities = todo.activity_id
        with engine_writes():
            todo.write({"state": "cancelled"})
        todo.filtered("neiqin_process_id")._neiqin_cancel_process()
        # The items' own activities, as in action_done.
        activities.sudo().unlink()
        return True

    def _neiqin_mark_done(self):
        with engine_writes():
            self.write(
                {"state": "done", "done_at": fields.Datetime.now(), "done_by_id": self.env.uid}
            )
        self.filtered("neiqin_process_id")._neiqin_finish_step()


class NeiqinProcessStep(models.Model):
    """A step can be owned by the document's own owner (an action item's
    owner): the engine asks the document (``_neiqin_preferred_owner``)."""

    _inherit = "neiqin.process.step"

    owner_type = fields.Selection(
        selection_add=[("document", "Document's Owner")], ondelete={"document": "set default"}
    )

    @api.constrains("owner_type", "owner_user_id", "owner_team_id", "owner_job_id")
    def _check_owner(self):
        return super(
            NeiqinProcessStep, self.filtered(lambda s: s.owner_type != "document")
        )._check_owner()

    def _resolve_owner(self, record=None):
        self.ensure_one()
        if self.owner_type != "document":
            return super()._resolve_owner(record)
        preferred = record._neiqin_preferred_owner() if record is not None else None
        return preferred or self.env["res.users"], self.owner_team_id


class NeiqinStepLog(models.Model):
    _inherit = "neiqin.step.log"

    def _escalation_user(self):
        """A late action item with no team lead nor manager above its owner
        goes to the meeting's organizer, who follows the meeting up."""
        lead = super()._escalation_user()
        if lead or self.res_model != "neiqin.meeting.action":
            return lead
        return self.env["neiqin.meeting.action"].browse(self.res_id).meeting_id.organizer_id
