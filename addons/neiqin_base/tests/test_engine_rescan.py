from datetime import timedelta

from odoo.tests import tagged
from odoo.tools import SQL

from ..engine import rescan
from ..engine.changes import look_back
from .common import NeiqinDqCase


@tagged("post_install", "-at_install")
class TestEngineRescan(NeiqinDqCase):
    """engine/rescan.py: the compiled rescan of a model's rules, and its run."""

    def setUp(self):
        super().setUp()
        self.email = self._rule("required", fields=["email"])
        self.city = self._rule("required", fields=["city"])
        self.key = self._rule("duplicate", fields=["city"], case_insensitive=True)
        self.rules = (self.email | self.city | self.key).sudo()

    def test_plan_has_a_column_per_scope_condition_and_key(self):
        plan = rescan.build_rescan_plan(self.rules)
        self.assertTrue(plan.since_at)
        self.assertTrue(all(plan.params[i] is rescan.SINCE for i in plan.since_at))
        # One scope shared by the three rules: one column.
        self.assertEqual(len(plan.scopes), 1)
        self.assertEqual(set(plan.scope_of.values()), set(plan.scopes))
        self.assertEqual([rule_id for rule_id, __ in plan.conditions], self.rules[:2].ids)
        self.assertEqual([rule_id for rule_id, __ in plan.duplicates], self.key.ids)
        self.assertEqual((plan.every_open, plan.methods, plan.prefetch), ((), (), ()))

    def test_plan_of_a_check_reading_unknown_rechecks_every_open_issue(self):
        rule = self._rule(
            "required", fields=["email"], scope_domain="[('child_ids.ref', '=like', 'DQE-%')]"
        ).sudo()
        self.assertEqual(rescan.build_rescan_plan(rule).every_open, tuple(rule.ids))

    def test_plan_of_a_declared_module_check_prefetches_what_it_reads(self):
        rule = self._rule("method", method_name="_neiqin_dq_check_email_undeliverable").sudo()
        plan = rescan.build_rescan_plan(rule)
        self.assertEqual(plan.methods, tuple(rule.ids))
        self.assertEqual([name for name, __ in plan.prefetch], ["email"])

    def test_changes_domain_follows_links_backwards(self):
        since = self.env.cr.now()
        self.assertEqual(
            rescan.changes_domain(self.Partner, {}, since), [("write_date", ">=", since)]
        )
        domain = rescan.changes_domain(self.Partner, {"country_id": "res.country"}, since)
        self.assertIn("|", domain)
        self.assertIn(("write_date", ">=", since), domain)

    def test_changed_ids_selects_linked_records_written_since(self):
        self._age(self.rules)
        self.env.cr.execute(
            "UPDATE res_country SET write_date = now() WHERE id = %s", [self.country.id]
        )
        since = self.env.cr.now().replace(tzinfo=None) - timedelta(minutes=1)
        found = self.Partner.search(
            [
                (
                    "country_id",
                    "in",
                    SQL("(%s)", rescan.changed_ids(self.Partner, "country_id", {}, since)),
                )
            ]
        )
        self.assertIn(self.no_email, found)
        self.assertNotIn(self.with_email, found)

    def test_run_plan_reads_only_the_records_written_since(self):
        self.rules._scan()
        self._age(self.rules)
        self.with_email.email = False
        plan = rescan.build_rescan_plan(self.rules)
        rows, known = rescan.run_plan(self.rules, plan, look_back(self.rules))
        self.assertEqual([row[0] for row in rows], self.with_email.ids)
        self.assertEqual(known[self.email.id], {})
        bad = rescan.bad_of_rows(self.rules, plan, rows)
        self.assertEqual(set(bad[self.email]), set(self.with_email.ids))
        self.assertEqual(bad[self.city], {})

    def test_recheck_changes_checks_the_changed_records(self):
        self.rules._scan()
        self._age(self.rules)
        self.with_email.email = False
        plan = rescan.build_rescan_plan(self.rules)
        checked, bad, known = rescan.recheck_changes(
            self.rules, self.Partner, plan, look_back(self.rules)
        )
        # The changed record only: the unchanged one with an open issue
        # cannot have changed its verdict.
        self.assertEqual(checked[self.email], set(self.with_email.ids))
        self.assertEqual(set(bad[self.email]), set(self.with_email.ids))
        self.assertEqual(known[self.email.id], {})
        self.assertEqual((bad[self.city], bad[self.key]), ({}, {}))

    def test_recheck_changes_rechecks_the_group_a_record_left(self):
        twin = self._partner("twin", email="b@example.com", city="shanghai ")
        self.rules._scan()
        self.assertEqual(len(self.key.issue_ids), 2)
        self._age(self.rules)
        twin.city = "Hangzhou"
        plan = rescan.build_rescan_plan(self.rules)
        checked, bad, known = rescan.recheck_changes(
            self.rules, self.Partner, plan, look_back(self.rules)
        )
        # The other member of the group it left, found by its issue's key.
        self.assertEqual(checked[self.key], {twin.id, self.with_email.id})
        self.assertEqual(bad[self.key], {})
        self.assertEqual(set(known[self.key.id]), {twin.id, self.with_email.id})
