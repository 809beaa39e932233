import logging

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from ..engine import scan_index

INDEX = "res_partner__neiqin_dq_function_ci_hash_index"
LOGGER = "odoo.addons.neiqin_base.engine.scan_index"


@tagged("post_install", "-at_install")
class TestDqScanIndexBuild(TransactionCase):
    """Alone in its class, and never using the class's cursor: a concurrent
    build waits for every transaction holding a snapshot, the test's own
    included. It commits through cursors of its own and deletes what it
    made."""

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    def _run_job(self):
        """Run the scheduled action as ir.cron does: the runner's transaction
        locks the job's row, with a snapshot, until the job has returned and
        its own transaction has ended."""
        registry = self.registry
        with registry.cursor() as runner_cr:
            cron = self._env(runner_cr).ref("neiqin_base.ir_cron_neiqin_dq_scan_indexes")
            runner_cr.execute(
                SQL("SELECT id FROM ir_cron WHERE id = %s FOR NO KEY UPDATE SKIP LOCKED", cron.id)
            )
            with registry.cursor() as job_cr:
                thread = self._env(job_cr)["neiqin.dq.rule"]._cron_maintain_scan_indexes()
        thread.join(timeout=60)
        self.assertFalse(thread.is_alive(), "the build waited for the job that started it")

    def _found(self):
        with self.registry.cursor() as cr:
            return scan_index.found_indexes(cr, [INDEX]).get(INDEX)

    def test_build_stopped_before_its_tag_is_the_engines(self):
        """A worker gone while PostgreSQL finished its build: the index is
        there, valid, untagged; the engine had noted it was building it."""
        registry = self.registry
        with registry.cursor() as cr:
            env = self._env(cr)
            rule = self._rule(env)
            rule_id = rule.id
            cr.execute(
                SQL(
                    "CREATE INDEX %s ON res_partner USING hash (lower(btrim((function)::text)))",
                    SQL.identifier(INDEX),
                )
            )
            env["ir.config_parameter"].set_param("neiqin_base.dq_scan_index_building", INDEX)
        try:
            self._run_job()
            self.assertEqual(self._found(), scan_index.FoundIndex("res_partner", True, True, True))
            with registry.cursor() as cr:
                param = self._env(cr)["ir.config_parameter"]
                self.assertFalse(param.get_param("neiqin_base.dq_scan_index_building"))
        finally:
            self._clean(rule_id)

    def test_scheduled_action_builds_and_drops_without_blocking_writes(self):
        registry = self.registry
        with registry.cursor() as cr:
            rule_id = self._rule(self._env(cr)).id
        try:
            self.assertIsNone(self._found())
            with self.assertLogs(LOGGER, logging.INFO) as logged:
                self._run_job()
            self.assertIn(f"index {INDEX} built", logged.output[-1])
            self.assertEqual(self._found(), scan_index.FoundIndex("res_partner", True, True, True))
            with registry.cursor() as cr:
                self._env(cr)["neiqin.dq.rule"].browse(rule_id).unlink()
            with self.assertLogs(LOGGER, logging.INFO) as logged:
                self._run_job()
            self.assertIn(f"index {INDEX} dropped", logged.output[-1])
            self.assertIsNone(self._found())
        finally:
            self._clean(rule_id)

    def _rule(self, env):
        return env["neiqin.dq.rule"].create(
            {
                "name": "Same job title",
                "model_id": env["ir.model"]._get("res.partner").id,
                "rule_type": "duplicate",
                "field_ids": [
                    Command.set([env["ir.model.fields"]._get("res.partner", "function").id])
                ],
                "case_insensitive": True,
            }
        )

    def _clean(self, rule_id):
        with self.registry.cursor() as cr:
            cr.execute(SQL("DELETE FROM neiqin_dq_rule WHERE id = %s", rule_id))
            cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(INDEX)))
            cron = self._env(cr).ref("neiqin_base.ir_cron_neiqin_dq_scan_indexes")
            cr.execute(SQL("DELETE FROM ir_cron_trigger WHERE cron_id = %s", cron.id))
            self._env(cr)["ir.config_parameter"].set_param(
                "neiqin_base.dq_scan_index_building", False
            )


@tagged("post_install", "-at_install")
class TestScanIndexPlan(TransactionCase):
    """What the maintenance does, given what the database has."""

    def test_plan_builds_missing_rebuilds_invalid_and_drops_only_tagged(self):
        wanted = {
            "t__missing": scan_index.ScanIndex("t", ('"a"',)),
            "t__there": scan_index.ScanIndex("t", ('"b"',)),
            "t__by_hand": scan_index.ScanIndex("t", ('"c"',)),
            "t__invalid": scan_index.ScanIndex("t", ('"d"',)),
            "t__taken": scan_index.ScanIndex("t", ('"e"',)),
        }
        found = {
            "t__there": scan_index.FoundIndex("t", True, True, True),
            "t__by_hand": scan_index.FoundIndex("t", True, True, False),
            "t__invalid": scan_index.FoundIndex("t", True, False, False),
            "t__taken": scan_index.FoundIndex(None, False, False, False),
            "t__old": scan_index.FoundIndex("t", True, True, True),
            "u__other": scan_index.FoundIndex("u", True, True, False),
        }
        drop, build = scan_index.plan(wanted, found)
        self.assertEqual(drop, ["t__invalid", "t__old"])
        self.assertEqual(build, ["t__invalid", "t__missing"])
