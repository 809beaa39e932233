from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from ..engine import changes
from .common import NeiqinDqCase


@tagged("post_install", "-at_install")
class TestEngineChanges(NeiqinDqCase):
    """engine/changes.py: from when a rescan reads changes, and which rules
    have any to recheck."""

    def test_scan_clock_reads_back_to_the_oldest_open_transaction(self):
        clock = changes.scan_clock(self.env)
        self.assertEqual(clock.started, self.env.cr.now().replace(tzinfo=None))
        oldest = changes.oldest_transaction_start(self.env) or clock.started
        expected = min(clock.started, oldest) - changes.RESCAN_MARGIN
        self.assertEqual(clock.rescan_from, max(expected, clock.started - changes.FULL_SCAN_EVERY))
        self.assertLessEqual(clock.rescan_from, clock.started - changes.RESCAN_MARGIN)

    def test_open_transactions_are_read_once_per_transaction(self):
        self.env.cr.precommit.data.pop(changes.OLDEST_OPEN, None)
        before = self.cr.sql_log_count
        first = changes.oldest_transaction_start(self.env)
        self.assertEqual(changes.oldest_transaction_start(self.env), first)
        self.assertEqual(self.cr.sql_log_count - before, 1)

    def test_look_back_is_the_earliest_of_the_rules(self):
        early, late = self._rule("required", fields=["email"]), self._rule("required", ["city"])
        now = fields.Datetime.now()
        early.sudo().write({"last_scan_at": now, "rescan_from": now - timedelta(hours=2)})
        late.sudo().write({"last_scan_at": now, "rescan_from": now - timedelta(minutes=5)})
        self.assertEqual(changes.look_back(early | late), now - timedelta(hours=2))
        # Scanned before the look-back was recorded: its scan less the margin.
        early.sudo().write({"rescan_from": False})
        self.assertEqual(changes.look_back(early | late), now - changes.WATERMARK_MARGIN)

    def test_full_scan_is_due_once_a_day(self):
        rule = self._rule("required", fields=["email"])
        now = fields.Datetime.now()
        self.assertTrue(changes.full_scan_due(rule, now))
        rule.sudo().last_full_scan_at = now - timedelta(hours=23)
        self.assertFalse(changes.full_scan_due(rule, now))
        self.assertTrue(changes.full_scan_due(rule, now + timedelta(hours=2)))

    def test_scan_changes_rechecks_only_rules_reading_a_written_field(self):
        email = self._rule("required", fields=["email"])
        city = self._rule("required", fields=["city"])
        rules = (email | city).sudo()
        rules._scan()
        self._age(rules)
        self.with_email.email = False
        self.env.flush_all()
        last_writes = self.env["neiqin.dq.change"]._last_writes(changes.look_back(rules))
        checked, bad, known = changes.scan_changes(rules, self.Partner, last_writes)
        self.assertEqual(checked[email], set(self.with_email.ids))
        self.assertEqual(set(bad[email]), set(self.with_email.ids))
        self.assertEqual(known[email.id], {})
        # The city was not written: nothing to recheck.
        self.assertEqual((checked[city], bad[city], known[city.id]), (set(), {}, {}))
