from datetime import timedelta

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import tagged
from odoo.tools import SQL

from .common import NeiqinCase


@tagged("post_install", "-at_install")
class TestOverdue(NeiqinCase):
    def _activities(self, task, user=None):
        domain = [("res_model", "=", "neiqin.task"), ("res_id", "=", task.id)]
        if user:
            domain.append(("user_id", "=", user.id))
        return self.env["mail.activity"].search(domain)

    def _own_logs_only(self):
        # Demo passages in a reused database may be overdue too; keep the
        # test to its own rows.
        self.env["neiqin.step.log"].flush_model()
        self.env.cr.execute(
            SQL(
                "UPDATE neiqin_step_log SET alerted_at = now(), escalated_at = now() "
                "WHERE process_id != %s",
                self.process.id,
            )
        )

    def test_overdue_step_alerts_owner_once(self):
        task = self._task()
        with freeze_time("2026-11-18 09:00:00"):
            log = task._neiqin_enter_step("one")
        self._own_logs_only()
        with freeze_time("2026-11-18 15:00:00"):
            self.env["neiqin.step.log"]._cron_check_overdue()
            self.env["neiqin.step.log"]._cron_check_overdue()
        self.assertTrue(log.alerted_at)
        self.assertTrue(log.is_late)
        self.assertFalse(log.escalated_at)
        activities = self._activities(task)
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.clerk)
        self.assertEqual(
            activities.activity_type_id, self.env.ref("neiqin_base.mail_activity_type_step_overdue")
        )

    def test_overdue_step_escalates_once_to_the_lead(self):
        task = self._task()
        with freeze_time("2026-11-18 09:00:00"):
            log = task._neiqin_enter_step("one")
        self._own_logs_only()
        # deadline 14:00, escalation 2 working hours later: 16:00
        with freeze_time("2026-11-18 16:30:00"):
            self.env["neiqin.step.log"]._cron_check_overdue()
        with freeze_time("2026-11-19 16:30:00"):
            self.env["neiqin.step.log"]._cron_check_overdue()
        self.assertEqual(log.escalated_to_id, self.lead)
        self.assertEqual(len(self._activities(task, self.lead)), 1)
        self.assertEqual(len(self._activities(task, self.clerk)), 1)

    def test_step_on_time_is_left_alone(self):
        task = self._task()
        with freeze_time("2026-11-18 09:00:00"):
            log = task._neiqin_enter_step("one")
        self._own_logs_only()
        with freeze_time("2026-11-18 13:59:00"):
            self.env["neiqin.step.log"]._cron_check_overdue()
        self.assertFalse(log.alerted_at)
        self.assertFalse(self._activities(task))

    def test_paused_step_is_not_alerted(self):
        task = self._task()
        with freeze_time("2026-11-18 09:00:00"):
            log = task._neiqin_enter_step("one")
            task._neiqin_pause("waiting")
        self._own_logs_only()
        with freeze_time("2026-11-20 09:00:00"):
            self.env["neiqin.step.log"]._cron_check_overdue()
        self.assertFalse(log.alerted_at)

    def test_deleted_document_is_no_longer_alerted(self):
        running, paused = self._task("Running"), self._task("Paused")
        with freeze_time("2026-11-18 09:00:00"):
            logs = (running | paused)._neiqin_enter_step("one")
            paused._neiqin_pause("waiting")
        self._own_logs_only()
        (running | paused).with_user(self.manager).unlink()
        # The passages stay, as the audit trail, and are over.
        self.assertEqual(logs.exists(), logs)
        self.assertEqual(set(logs.mapped("state")), {"cancel"})
        self.assertTrue(all(logs.mapped("done_at")))
        with freeze_time("2026-11-20 09:00:00"):
            self.assertEqual(self.env["neiqin.step.log"]._cron_check_overdue(), 0)
        self.assertFalse(logs.filtered("alerted_at"))

    def test_passage_of_a_document_deleted_in_sql_is_cancelled_and_the_others_alerted(self):
        kept, gone = self._task("Kept"), self._task("Gone")
        with freeze_time("2026-11-18 09:00:00"):
            kept_log = kept._neiqin_enter_step("one")
            gone_log = gone._neiqin_enter_step("one")
        self._own_logs_only()
        # As a cascade of the database deletes it: the ORM does not see it.
        self.env.flush_all()
        self.env.cr.execute(SQL("DELETE FROM neiqin_task WHERE id = %s", gone.id))
        self.env.invalidate_all()
        with freeze_time("2026-11-18 15:00:00"):
            self.env["neiqin.step.log"]._cron_check_overdue()
        self.assertEqual(gone_log.state, "cancel")
        self.assertFalse(gone_log.alerted_at)
        self.assertTrue(kept_log.alerted_at)
        self.assertEqual(self._activities(kept).user_id, self.clerk)

    def test_passage_of_a_model_no_longer_installed_is_cancelled(self):
        task = self._task()
        with freeze_time("2026-11-18 09:00:00"):
            log = task._neiqin_enter_step("one")
        self._own_logs_only()
        self.env.flush_all()
        # As the passages of an add-on's documents stay when it is removed.
        self.env.cr.execute(
            SQL("UPDATE neiqin_step_log SET res_model = 'x_nq_removed.doc' WHERE id = %s", log.id)
        )
        self.env.invalidate_all()
        with freeze_time("2026-11-18 15:00:00"):
            self.env["neiqin.step.log"]._cron_check_overdue()
        self.assertEqual(log.state, "cancel")

    def _queries_to_alert(self, count):
        tasks = self.env["neiqin.task"]
        for index in range(count):
            tasks |= self._task(f"Count {count}-{index}")
        with freeze_time("2026-11-18 09:00:00"):
            logs = tasks._neiqin_enter_step("one")
        self._own_logs_only()
        self.env.flush_all()
        self.env.invalidate_all()
        with freeze_time("2026-11-18 15:00:00"):
            before = self.cr.sql_log_count
            self.assertEqual(self.env["neiqin.step.log"]._cron_check_overdue(), count)
            queries = self.cr.sql_log_count - before
        self.assertEqual(len(logs.filtered("alerted_at")), count)
        return queries

    def test_overdue_scan_query_count_does_not_grow_with_rows(self):
        self._queries_to_alert(1)  # warm-up: caches of types, models, users
        self.assertEqual(self._queries_to_alert(3), self._queries_to_alert(12))

    def test_finished_steps_cost_no_query_in_the_scan(self):
        task = self._task()
        task._neiqin_enter_step("one")
        self._own_logs_only()
        for _ in range(20):
            task.action_neiqin_next_step()
            task.action_neiqin_next_step()
            task.action_neiqin_next_step()
            task._neiqin_enter_step("one")
        self.env["neiqin.step.log"].flush_model()
        self.env.cr.execute(
            SQL("UPDATE neiqin_step_log SET alerted_at = now(), escalated_at = now()")
        )
        # nothing due: one query to claim rows, whatever the number of closed logs
        with self.assertQueryCount(1):
            self.env["neiqin.step.log"]._cron_check_overdue()


@tagged("post_install", "-at_install")
class TestOverdueConcurrency(NeiqinCase):
    """Alone in its class: it commits through its own cursors, which the
    snapshot of a class that goes on writing the same rows would not see."""

    def test_concurrent_cron_workers_alert_once(self):
        """Two runs overlap (the scheduled action and a call from a script):
        the second skips the rows the first has claimed, and later finds
        them alerted."""
        registry = self.env.registry
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            cr.execute(
                SQL(
                    "UPDATE neiqin_step_log SET alerted_at = now(), escalated_at = now() "
                    "WHERE state = 'open'"
                )
            )
            team = env["neiqin.team"].create(
                {"name": "Concurrency Desk", "lead_user_id": SUPERUSER_ID}
            )
            process = env["neiqin.process"].create(
                {
                    "name": "Concurrency",
                    "code": "test_concurrency",
                    "model_name": "neiqin.task",
                    "step_ids": [
                        (
                            0,
                            0,
                            {
                                "code": "a",
                                "name": "A",
                                "deadline_hours": 1,
                                "escalation_hours": 100,
                                "owner_type": "user",
                                "owner_user_id": env.ref("base.user_admin").id,
                                "owner_team_id": team.id,
                            },
                        )
                    ],
                }
            )
            task = env["neiqin.task"].create({"name": "Concurrent", "process_id": process.id})
            log = task._neiqin_enter_step("a")
            past = fields.Datetime.now() - timedelta(hours=2)
            cr.execute(
                SQL("UPDATE neiqin_step_log SET deadline_at = %s WHERE id = %s", past, log.id)
            )
            ids = {"team": team.id, "process": process.id, "task": task.id, "log": log.id}
        try:
            with registry.cursor() as cr1, registry.cursor() as cr2:
                env1 = api.Environment(cr1, SUPERUSER_ID, {})
                env2 = api.Environment(cr2, SUPERUSER_ID, {})
                self.assertEqual(env1["neiqin.step.log"]._cron_check_overdue(), 1)
                # the first worker has not committed: its rows are locked and skipped
                self.assertEqual(env2["neiqin.step.log"]._cron_check_overdue(), 0)
                cr1.commit()
                cr2.rollback()
                # a later run finds the row already alerted
                self.assertEqual(env2["neiqin.step.log"]._cron_check_overdue(), 0)
                cr2.commit()
            with registry.cursor() as cr:
                cr.execute(
                    SQL(
                        "SELECT count(*) FROM mail_activity "
                        "WHERE res_model = 'neiqin.task' AND res_id = %s",
                        ids["task"],
                    )
                )
                self.assertEqual(cr.fetchone()[0], 1)
        finally:
            with registry.cursor() as cr:
                cr.execute(
                    SQL(
                        "DELETE FROM mail_activity WHERE res_model = 'neiqin.task' AND res_id = %s",
                        ids["task"],
                    )
                )
                cr.execute(SQL("DELETE FROM neiqin_step_log WHERE process_id = %s", ids["process"]))
                cr.execute(SQL("DELETE FROM neiqin_task WHERE id = %s", ids["task"]))
                cr.execute(SQL("DELETE FROM neiqin_process WHERE id = %s", ids["process"]))
                cr.execute(SQL("DELETE FROM neiqin_team WHERE id = %s", ids["team"]))
