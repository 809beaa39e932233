from datetime import timedelta

from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL

from .common import CommittingCase


@tagged("post_install", "-at_install")
class TestDqLateCommit(CommittingCase):
    """Alone in its class (see ``CommittingCase``)."""

    def _open_issues(self, env, rule_id):
        return env["neiqin.dq.issue"].search([("rule_id", "=", rule_id), ("state", "=", "open")])

    def test_rescan_sees_a_change_committed_after_the_scan_began(self):
        registry = self.registry
        with registry.cursor() as cr:
            env = self._env(cr)
            test_start = self._db_now(cr)
            partner = env["res.partner"].create(
                {"name": "Late writer", "ref": "DQL-1", "email": "late@example.com"}
            )
            rule = env["neiqin.dq.rule"].create(
                {
                    "name": "Late commit",
                    "model_id": env["ir.model"]._get("res.partner").id,
                    "rule_type": "required",
                    "field_ids": [
                        Command.set([env["ir.model.fields"]._get("res.partner", "email").id])
                    ],
                    "scope_domain": "[('ref', '=like', 'DQL-%')]",
                }
            )
            rule._scan(full=True)
            partner_id, rule_id = partner.id, rule.id
        try:
            # A long transaction (a cron batch, an import) empties the email
            # and goes on with other work; it commits after a scan began.
            with registry.cursor() as late_cr:
                late = self._env(late_cr)
                late["res.partner"].browse(partner_id).email = False
                late.flush_all()
                late_cr.execute("SELECT now() AT TIME ZONE 'UTC'")
                late_start = late_cr.fetchone()[0]  # the write date of the change
                with registry.cursor() as cr:
                    rule = self._env(cr)["neiqin.dq.rule"].browse(rule_id)
                    rule._scan()
                    self.assertFalse(self._open_issues(rule.env, rule_id))
                    self.assertLessEqual(rule.rescan_from, late_start)
                    # As if that scan had begun 20 minutes into the long
                    # transaction (a test cannot wait so long): longer than
                    # the fixed margin rescans used to look back.
                    cr.execute(
                        SQL(
                            "UPDATE neiqin_dq_rule SET last_scan_at = %s WHERE id = %s",
                            rule.last_scan_at + timedelta(minutes=20),
                            rule_id,
                        )
                    )
            with registry.cursor() as cr:
                env = self._env(cr)
                rule = env["neiqin.dq.rule"].browse(rule_id)
                self.assertEqual(rule._scan()[rule], 1)
                self.assertEqual(self._open_issues(env, rule_id).res_id, partner_id)
        finally:
            with registry.cursor() as cr:
                # Saving the rule asked for its indexes.
                cron = self._env(cr).ref("neiqin_base.ir_cron_neiqin_dq_scan_indexes")
                cr.execute(
                    SQL(
                        "DELETE FROM ir_cron_trigger WHERE cron_id = %s AND create_date >= %s",
                        cron.id,
                        test_start,
                    )
                )
                cr.execute(SQL("DELETE FROM neiqin_dq_issue WHERE rule_id = %s", rule_id))
                cr.execute(SQL("DELETE FROM neiqin_dq_rule WHERE id = %s", rule_id))
                cr.execute(SQL("DELETE FROM res_partner WHERE id = %s", partner_id))
                cr.execute(SQL("DELETE FROM neiqin_dq_change WHERE changed_at >= %s", test_start))
