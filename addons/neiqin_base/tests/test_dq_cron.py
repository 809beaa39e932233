from datetime import timedelta

from odoo import Command, api, fields
from odoo.tests import HttpCase, tagged

SCOPE = "[('ref', '=like', 'DQC-%')]"
LOGGER = "odoo.addons.neiqin_base.models.neiqin_dq_rule"


@tagged("post_install", "-at_install")
class TestDqCron(HttpCase):
    """The scheduled scan commits as it files. Run on a cursor of the test's
    transaction, whose commits are savepoints."""

    def setUp(self):
        super().setUp()
        Partner = self.env["res.partner"]
        self.good = Partner.create(
            {"name": "good", "ref": "DQC-1", "email": "a@example.com", "city": "Hangzhou"}
        )
        self.no_email = Partner.create({"name": "no email", "ref": "DQC-2", "city": "Ningbo"})
        self.no_city = Partner.create({"name": "no city", "ref": "DQC-3", "email": "c@x.org"})
        model = self.env["ir.model"]._get("res.partner").id
        email = self.env["ir.model.fields"]._get("res.partner", "email").id
        # Other rules stay out of the scheduled scan.
        self.env["neiqin.dq.rule"].search([]).active = False
        self.required, self.broken = self.env["neiqin.dq.rule"].create(
            [
                {
                    "name": "Cron required",
                    "model_id": model,
                    "rule_type": "required",
                    "field_ids": [Command.set([email])],
                    "scope_domain": SCOPE,
                },
                {
                    "name": "Cron broken",
                    "model_id": model,
                    "rule_type": "domain",
                    "bad_record_domain": "[('city', '=', False)]",
                    "scope_domain": SCOPE,
                },
            ]
        )
        self.env.flush_all()

    def _cron(self):
        with self.registry.cursor() as cr:
            api.Environment(cr, self.env.uid, {})["neiqin.dq.rule"]._cron_scan()
        self.env.invalidate_all()

    def _open(self, rule):
        issues = rule.issue_ids.filtered(lambda issue: issue.state == "open")
        return self.env["res.partner"].browse(issues.mapped("res_id"))

    def test_a_rule_that_fails_does_not_stop_the_others(self):
        # A field its scope names was removed since the rule was saved.
        self.env.cr.execute(
            "UPDATE neiqin_dq_rule SET scope_domain = %s WHERE id = %s",
            ["[('x_removed_field', '=', 1)]", self.broken.id],
        )
        self.broken.invalidate_recordset()
        with self.assertLogs(LOGGER, level="ERROR") as logged:
            self._cron()
        self.assertIn("Cron broken", logged.output[0])
        self.assertEqual(self._open(self.required), self.no_email)
        self.assertTrue(self.required.last_full_scan_at)
        self.assertFalse(self.broken.last_scan_at)

    def test_code_saved_in_a_condition_is_never_run(self):
        # A condition saved before conditions became data, calling code: the
        # scheduled scan (as root) refuses it and scans the other rules.
        admin = self.env.ref("base.group_system")
        victim = self.env["res.users"].create({"name": "Victim", "login": "dqc_victim"})
        self.env.cr.execute(
            "UPDATE neiqin_dq_rule SET bad_record_domain = %s WHERE id = %s",
            [f"[('id', '=', user.write({{'groups_id': [(4, {admin.id})]}}))]", self.broken.id],
        )
        self.broken.invalidate_recordset()
        with self.assertLogs(LOGGER, level="ERROR") as logged:
            self._cron()
        self.assertIn("Cron broken", logged.output[0])
        self.assertFalse(victim.has_group("base.group_system"))
        self.assertFalse(self.broken.issue_ids)
        self.assertEqual(self._open(self.required), self.no_email)

    def test_daily_full_scan_finds_what_write_dates_do_not_tell(self):
        self._cron()
        self.assertEqual(self._open(self.required), self.no_email)
        self.assertEqual(self._open(self.broken), self.no_city)
        # good loses its email in a way its write date does not show (a
        # database script); the hourly scan does not see it.
        self.env.cr.execute(
            """UPDATE res_partner SET email = NULL, write_date = now() - interval '2 days'
                WHERE id = %s""",
            [self.good.id],
        )
        self.good.invalidate_recordset()
        self._cron()
        self.assertEqual(self._open(self.required), self.no_email)
        # A day after the last full scan, the scheduled scan checks everything.
        day_ago = fields.Datetime.now() - timedelta(days=1, minutes=1)
        (self.required | self.broken).write({"last_full_scan_at": day_ago})
        self.env.flush_all()
        self._cron()
        self.assertEqual(self._open(self.required), self.no_email | self.good)
        self.assertGreater(self.required.last_full_scan_at, day_ago)
