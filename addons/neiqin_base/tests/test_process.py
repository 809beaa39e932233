import xmlrpc.client
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, tagged

from ..engine.guard import engine_writes
from .common import NeiqinCase


@tagged("post_install", "-at_install")
class TestProcess(NeiqinCase):
    def test_entering_a_step_writes_a_log_with_deadline_and_owner(self):
        task = self._task()
        with freeze_time("2026-11-18 16:00:00"):
            log = task._neiqin_enter_step("one")
        self.assertEqual(log.step_id, self.step1)
        self.assertEqual(log.entered_at, self.dt("2026-11-18 16:00"))
        # 2 hours today, 2 tomorrow morning
        self.assertEqual(log.deadline_at, self.dt("2026-11-19 11:00"))
        # escalation 2 working hours later, over the lunch break
        self.assertEqual(log.escalate_at, self.dt("2026-11-19 14:00"))
        # team step: the task's own user, a member of the team, owns it
        self.assertEqual(log.owner_user_id, self.clerk)
        self.assertEqual(log.owner_team_id, self.team)
        self.assertEqual(task.neiqin_step_id, self.step1)
        self.assertEqual(task.neiqin_step_deadline_at, log.deadline_at)
        self.assertEqual(task.neiqin_step_owner_id, self.clerk)

    def test_team_step_goes_to_lead_when_user_not_in_team(self):
        task = self._task(user=self.clerk2)
        log = task._neiqin_enter_step("one")
        self.assertEqual(log.owner_user_id, self.lead)

    def test_next_step_closes_the_previous_passage(self):
        task = self._task()
        with freeze_time("2026-11-18 09:00:00"):
            first = task._neiqin_enter_step("one")
        with freeze_time("2026-11-18 15:00:00"):
            task.action_neiqin_next_step()
        self.assertEqual(first.state, "done")
        self.assertEqual(first.done_at, self.dt("2026-11-18 15:00"))
        # deadline was 14:00 (4 working hours from 9:00 with lunch): late
        self.assertTrue(first.is_late)
        self.assertEqual(task.neiqin_step_id, self.step2)
        self.assertEqual(task.neiqin_step_owner_id, self.clerk2)

    def test_whole_process_leaves_one_log_per_step(self):
        task = self._task()
        task.action_start()
        task.action_neiqin_next_step()
        task.action_neiqin_next_step()
        task.action_neiqin_next_step()
        logs = task.neiqin_step_log_ids.sorted("id")
        self.assertEqual(logs.step_id, self.step1 | self.step2 | self.step3)
        self.assertEqual(set(logs.mapped("state")), {"done"})
        self.assertEqual(task.neiqin_step_state, "done")

    def test_entering_the_current_step_again_changes_nothing(self):
        task = self._task()
        log = task._neiqin_enter_step("one")
        again = task._neiqin_enter_step("one")
        self.assertEqual(again, log)
        self.assertEqual(len(task.neiqin_step_log_ids), 1)

    def test_batch_enter_computes_deadline_once(self):
        tasks = self._task("a") | self._task("b") | self._task("c")
        logs = tasks._neiqin_enter_step("one")
        self.assertEqual(len(logs), 3)
        self.assertEqual(len(set(logs.mapped("deadline_at"))), 1)

    def test_pause_and_resume_move_the_deadline_by_paused_working_hours(self):
        task = self._task()
        with freeze_time("2026-11-18 09:00:00"):
            log = task._neiqin_enter_step("one")
        self.assertEqual(log.deadline_at, self.dt("2026-11-18 14:00"))
        with freeze_time("2026-11-18 10:00:00"):
            task._neiqin_pause("waiting for the customer")
        self.assertEqual(log.state, "paused")
        self.assertEqual(task.neiqin_step_state, "paused")
        # paused over the night: 10:00-12:00 and 13:00-18:00 today, 9:00-10:00 tomorrow = 8 h
        with freeze_time("2026-11-19 10:00:00"):
            task._neiqin_resume()
        self.assertEqual(log.state, "open")
        self.assertAlmostEqual(log.paused_hours, 8.0)
        self.assertEqual(log.deadline_at, self.dt("2026-11-19 14:00"))
        self.assertEqual(task.neiqin_step_deadline_at, log.deadline_at)

    def test_paused_step_is_not_overdue(self):
        task = self._task()
        with freeze_time("2026-11-18 09:00:00"):
            task._neiqin_enter_step("one")
            task._neiqin_pause("waiting")
        with freeze_time("2026-11-25 09:00:00"):
            self.assertFalse(task.neiqin_step_is_overdue)
            self.assertNotIn(
                task, self.env["neiqin.task"].search([("neiqin_step_is_overdue", "=", True)])
            )

    def test_pause_wizard_stops_the_clock(self):
        task = self._task()
        task._neiqin_enter_step("one")
        action = task.action_neiqin_pause()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.reason = "Customer on holiday"
        wizard.save().action_pause()
        self.assertEqual(task.neiqin_step_log_ids.pause_reason, "Customer on holiday")

    def test_resume_without_pause_is_refused(self):
        task = self._task()
        task._neiqin_enter_step("one")
        with self.assertRaisesRegex(UserError, "no paused step"):
            task._neiqin_resume()

    def test_unknown_step_code_is_refused(self):
        with self.assertRaisesRegex(UserError, "no active step nope"):
            self._task()._neiqin_enter_step("nope")

    def test_logs_cannot_be_edited_or_deleted(self):
        task = self._task()
        log = task._neiqin_enter_step("one")
        with self.assertRaisesRegex(UserError, "process engine only"):
            log.write({"deadline_at": self.dt("2030-01-01 00:00")})
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            log.unlink()
        task.action_neiqin_next_step()
        # Not even the engine changes a finished passage; and the context
        # key an earlier version read opens nothing.
        with self.assertRaisesRegex(UserError, "process engine only"):
            log.with_context(neiqin_step_engine=True).write({"is_late": True})
        with engine_writes(), self.assertRaisesRegex(UserError, "finished step log"):
            log.write({"is_late": True})

    def test_clerk_moves_a_task_through_another_teams_step(self):
        task = self._task()
        task._neiqin_enter_step("one")
        task.with_user(self.clerk).action_neiqin_next_step()
        # step two belongs to the other team: the clerk no longer sees its log
        self.assertEqual(task.neiqin_step_id, self.step2)
        visible = (
            self.env["neiqin.step.log"]
            .with_user(self.clerk)
            .search([("res_id", "=", task.id), ("res_model", "=", "neiqin.task")])
        )
        self.assertEqual(visible.step_id, self.step1)

    def test_step_fields_are_the_engines(self):
        task = self._task()
        task._neiqin_enter_step("one")
        for vals in (
            {"neiqin_step_id": self.step3.id},
            {"neiqin_step_state": "done"},
            {"neiqin_process_id": False},
            {"neiqin_step_deadline_at": "2030-01-01 00:00:00"},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(AccessError, "engine"):
                task.with_user(self.clerk).write(vals)
        with self.assertRaisesRegex(AccessError, "engine"):
            self._task().with_user(self.clerk).create(
                {"name": "x", "process_id": self.process.id, "neiqin_step_state": "done"}
            )
        # A kanban column's default is ignored: the engine places the task.
        created = (
            self.env["neiqin.task"]
            .with_user(self.clerk)
            .with_context(default_neiqin_step_id=self.step3.id, default_neiqin_step_state="done")
            .create({"name": "quick", "process_id": self.process.id, "team_id": self.team.id})
        )
        self.assertFalse(created.neiqin_step_id)
        self.assertEqual(task.neiqin_step_id, self.step1)

    def test_only_back_office_staff_move_steps(self):
        task = self._task()
        task._neiqin_enter_step("one")
        task.message_subscribe(partner_ids=self.outsider.partner_id.ids)
        for button in ("action_neiqin_next_step", "action_neiqin_pause", "action_neiqin_resume"):
            with self.subTest(button=button), self.assertRaises(AccessError):
                getattr(task.with_user(self.outsider), button)()
        # The pause wizard, reached without the button, checks the same,
        # and only pauses documents the user may edit.
        wizard = (
            self.env["neiqin.step.pause.wizard"]
            .with_user(self.clerk2)
            .with_context(active_model="neiqin.task", active_ids=task.ids)
            .create({"reason": "waiting"})
        )
        with self.assertRaises(AccessError):
            wizard.action_pause()
        self.assertEqual(task.neiqin_step_state, "open")

    def test_a_model_naming_its_process_enters_new_records_on_create(self):
        # Tasks name no process: created, they wait for action_start.
        self.assertFalse(self._task().neiqin_step_id)
        Task = type(self.env["neiqin.task"])
        with patch.object(Task, "_neiqin_process", "test_process"):
            task = self._task()
        self.assertEqual(task.neiqin_process_id, self.process)
        self.assertEqual(task.neiqin_step_id, self.step1)
        self.assertEqual(task.neiqin_step_log_ids.step_id, self.step1)

    def test_step_owner_must_be_set(self):
        with self.assertRaisesRegex(Exception, "choose the"):
            self.env["neiqin.process.step"].create(
                {"process_id": self.process.id, "code": "x", "name": "X", "owner_type": "user"}
            )

    def test_process_counts_open_and_late_steps(self):
        task = self._task()
        with freeze_time("2026-11-18 09:00:00"):
            task._neiqin_enter_step("one")
        with freeze_time("2026-11-19 09:00:00"):
            self.process.invalidate_recordset(["open_log_count", "late_log_count"])
            self.assertEqual(self.process.open_log_count, 1)
            self.assertEqual(self.process.late_log_count, 1)


@tagged("post_install", "-at_install")
class TestProcessRpc(NeiqinCase, HttpCase):
    """The engine's helpers are not part of the API: a caller over XML-RPC
    reaches neither their former public names nor the private ones."""

    def _call(self, model, method, ids):
        db = self.env.cr.dbname
        uid = self.xmlrpc_common.authenticate(db, "nq_manager", "nq_manager", {})
        return self.xmlrpc_object.execute_kw(db, uid, "nq_manager", model, method, [ids])

    def test_step_helpers_are_not_callable_remotely(self):
        for model, method, record in (
            ("neiqin.process", "first_step", self.process),
            ("neiqin.process", "_first_step", self.process),
            ("neiqin.process.step", "next_step", self.step1),
            ("neiqin.process.step", "_next_step", self.step1),
        ):
            with self.subTest(method=method), self.assertRaises(xmlrpc.client.Fault) as caught:
                self._call(model, method, record.ids)
            self.assertRegex(caught.exception.faultString, "does not exist|Private methods", method)
        # Through the ORM, a user calling the old names fails as well.
        with self.assertRaises(AttributeError):
            self.process.with_user(self.manager).first_step()
        self.assertEqual(self.step1.with_user(self.manager)._next_step(), self.step2)
