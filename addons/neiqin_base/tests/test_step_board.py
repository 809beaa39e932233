from datetime import timedelta

from freezegun import freeze_time
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import NeiqinCase


@tagged("post_install", "-at_install")
class TestStepBoard(NeiqinCase):
    """What a clerk reads on the step board: time left, urgency first, the
    kind of document, and a responsibility record started from a passage."""

    def _passage(self, name, hours, user=None):
        """A running passage of a new task in step one, due in ``hours``
        clock hours from now (negative: overdue)."""
        task = self._task(name, user=user)
        log = task._neiqin_enter_step("one")
        task._neiqin_demo_due_in(hours)
        return task, log

    def _text(self, log, now):
        log.invalidate_recordset(["time_left"])
        with freeze_time(now):
            return log.with_user(self.clerk).time_left

    def test_time_left_says_what_is_left_or_how_long_overdue(self):
        _task, log = self._passage("Due", 2)
        deadline = log.deadline_at
        self.assertEqual(
            self._text(log, deadline - timedelta(hours=2, minutes=15)), "2 h 15 min left"
        )
        self.assertEqual(self._text(log, deadline - timedelta(minutes=5)), "5 min left")
        self.assertEqual(self._text(log, deadline + timedelta(hours=3)), "overdue by 3 h")
        self.assertEqual(
            self._text(log, deadline + timedelta(days=2, hours=1)), "overdue by 2 d 1 h"
        )

    def test_time_left_of_a_finished_passage_says_whether_it_was_late(self):
        in_time, log_in_time = self._passage("In time", 1)
        late, log_late = self._passage("Late", -3)
        (in_time | late).with_user(self.clerk).action_neiqin_next_step()
        self.assertEqual(log_in_time.with_user(self.clerk).time_left, "finished in time")
        self.assertEqual(log_late.with_user(self.clerk).time_left, "finished 3 h late")
        self.assertTrue(log_late.is_late)

    def test_time_left_is_computed_for_the_board_without_a_query(self):
        logs = self.env["neiqin.step.log"]
        for index in range(5):
            logs |= self._passage(f"Batch {index}", index - 2)[1]
        logs = logs.with_user(self.clerk)
        logs.mapped("state")  # the rows themselves, as the list reads them
        with self.assertQueryCount(0):
            texts = logs.mapped("time_left")
        self.assertEqual(len(texts), 5)

    def test_board_lists_overdue_first_then_nearest_deadline(self):
        _t1, later = self._passage("Later", 5)
        _t2, overdue = self._passage("Overdue", -2)
        _t3, soon = self._passage("Soon", 1)
        Log = self.env["neiqin.step.log"].with_user(self.clerk)
        arch = Log.get_views([(False, "list")])["views"]["list"]["arch"]
        order = etree.fromstring(arch).get("default_order")
        self.assertTrue(order, "the step list sorts by urgency, not by entry time")
        board = Log.search([("id", "in", (later | overdue | soon).ids)], order=order)
        self.assertEqual(board.ids, [overdue.id, soon.id, later.id])
        self.assertEqual(board.filtered("is_overdue"), overdue)

    def test_due_today_and_overdue_filters(self):
        late_task, overdue = self._passage("Overdue", -2)
        later_task, next_week = self._passage("Next week", 24 * 7)
        Log = self.env["neiqin.step.log"].with_user(self.clerk)
        mine = [("id", "in", (overdue | next_week).ids)]
        self.assertEqual(Log.search([*mine, ("is_overdue", "=", True)]), overdue)
        self.assertEqual(Log.search([*mine, ("is_overdue", "=", False)]), next_week)
        Task = self.env["neiqin.task"].with_user(self.clerk)
        tasks = [("id", "in", (late_task | later_task).ids)]
        self.assertEqual(Task.search([*tasks, ("neiqin_step_is_overdue", "=", True)]), late_task)
        self.assertEqual(Task.search([*tasks, ("neiqin_step_is_overdue", "!=", True)]), later_task)
        arch = Log.get_views([(False, "search")])["views"]["search"]["arch"]
        names = {node.get("name") for node in etree.fromstring(arch).iter("filter")}
        self.assertLessEqual({"filter_overdue", "filter_due_today"}, names)

    def test_passage_shows_the_label_of_its_document_model(self):
        _task, log = self._passage("Labelled", 2)
        label = self.env["ir.model"]._get("neiqin.task").name
        self.assertEqual(log.with_user(self.clerk).res_model_label, label)
        self.assertNotEqual(label, "neiqin.task")

    def test_process_names_its_model_by_label(self):
        process = self.process.with_user(self.clerk)
        self.assertEqual(process.model_id.model, "neiqin.task")
        self.assertEqual(
            process.model_id.display_name, self.env["ir.model"]._get("neiqin.task").name
        )
        # A manager choosing the model by its label sets the technical name.
        partner_model = self.env["ir.model"]._get("res.partner")
        with Form(self.process.with_user(self.manager)) as form:
            form.model_id = partner_model
        self.assertEqual(self.process.model_name, "res.partner")

    def test_record_responsibility_from_a_passage_fills_document_step_owner_and_team(self):
        task, log = self._passage("Traced", -1)
        action = log.with_user(self.clerk).action_record_responsibility()
        Record = self.env["neiqin.responsibility"].with_user(self.clerk)
        with Form(Record.with_context(**action["context"])) as form:
            self.assertEqual(form.step_log_id, log)
            self.assertEqual(form.step_id, self.step1)
            self.assertEqual(form.owner_user_id, self.clerk)
            self.assertEqual(form.owner_team_id, self.team)
            form.cause = "Entry forgotten"
        record = form.save()
        self.assertEqual((record.res_model, record.res_id), ("neiqin.task", task.id))
        self.assertEqual(record.res_ref, task)
        self.assertEqual(record.responsibility_type, "delay", "an overdue passage is a delay")
        self.assertEqual(record.res_model_label, self.env["ir.model"]._get("neiqin.task").name)
        # The lead confirms what the clerk recorded.
        record.with_user(self.lead).action_confirm()
        self.assertEqual(record.state, "confirmed")

    def test_record_responsibility_from_the_document_takes_its_current_passage(self):
        task, _log = self._passage("Moved", 2)
        task.with_user(self.clerk).action_neiqin_next_step()
        current = task._neiqin_open_logs()
        self.assertEqual(current.step_id, self.step2)
        action = task.with_user(self.clerk).action_neiqin_record_responsibility()
        self.assertEqual(action["context"]["default_res_model"], "neiqin.task")
        self.assertEqual(action["context"]["default_res_id"], task.id)
        # Step two is the other desk's: the clerk may not open its passage,
        # so the form names the document only.
        self.assertNotIn("default_step_log_id", action["context"])
        # The lead sees every passage: the form names it, its owner and team.
        action = task.with_user(self.lead).action_neiqin_record_responsibility()
        self.assertEqual(action["context"]["default_step_log_id"], current.id)
        Record = self.env["neiqin.responsibility"].with_user(self.lead)
        with Form(Record.with_context(**action["context"])) as form:
            self.assertEqual(form.owner_user_id, self.clerk2)
            self.assertEqual(form.owner_team_id, self.team2)
            form.cause = "Wrong amount"
        self.assertEqual(form.record.step_log_id, current)

    def test_choosing_a_passage_in_the_form_brings_its_document_and_team(self):
        task, log = self._passage("Chosen", 2)
        with Form(self.env["neiqin.responsibility"].with_user(self.clerk)) as form:
            form.step_log_id = log
            self.assertEqual(form.res_model, "neiqin.task")
            self.assertEqual(form.res_id, task.id)
            self.assertEqual(form.owner_team_id, self.team)
            form.cause = "Chosen by hand"
        self.assertEqual(form.record.res_ref, task)

    def test_choosing_a_step_fills_its_team(self):
        with Form(self.env["neiqin.responsibility"].with_user(self.clerk)) as form:
            form.step_id = self.step2
            self.assertEqual(form.owner_team_id, self.team2)
            self.assertEqual(form.owner_user_id, self.clerk2, "step two is owned by a user")
            form.cause = "Step only"

    def test_record_responsibility_is_back_office_work(self):
        task, log = self._passage("Outsider", 2)
        with self.assertRaises(AccessError):
            log.with_user(self.outsider).action_record_responsibility()
        with self.assertRaises(AccessError):
            task.with_user(self.outsider).action_neiqin_record_responsibility()

    def test_a_passage_of_another_document_is_still_refused(self):
        task, _log = self._passage("Named", 2)
        _other, other_log = self._passage("Other", 2)
        with self.assertRaisesRegex(ValidationError, "another document"):
            self.env["neiqin.responsibility"].with_user(self.clerk).create(
                {
                    "res_model": "neiqin.task",
                    "res_id": task.id,
                    "step_log_id": other_log.id,
                    "cause": "Mixed up",
                }
            )

    def test_only_demo_data_moves_a_deadline(self):
        task = self._task("By hand")
        task._neiqin_enter_step("one")
        with self.assertRaises(AccessError):
            task.with_user(self.lead)._neiqin_demo_due_in(-1)
        self.assertGreater(task.neiqin_step_deadline_at, fields.Datetime.now() - timedelta(hours=1))
