from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import sql

from .common import NeiqinCase, run_migration

# A value for each field the engine owns on an issue, different from what
# the scan filed: what a caller over XML-RPC would try to set.
ENGINE_VALUES = {
    "state": "ignored",
    "severity": "info",
    "duplicate_key": "x",
    "res_model": "res.users",
    "res_name": "Someone else",
    "found_at": "2020-01-01 00:00:00",
    "closed_at": "2020-01-01 00:00:00",
    "reopen_count": 7,
    "last_reopened_at": "2020-01-01 00:00:00",
    "severity_sequence": 9,
    "state_sequence": 9,
}


@tagged("post_install", "-at_install")
class TestDqIssue(NeiqinCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.env["res.partner"].create({"name": "No Mail", "ref": "DQI-1"})
        cls.rule = cls.env["neiqin.dq.rule"].create(
            {
                "name": "Email required",
                "model_id": cls.env["ir.model"]._get("res.partner").id,
                "rule_type": "required",
                "field_ids": [fields.Command.set(cls._field_ids("email"))],
                "scope_domain": "[('ref', '=like', 'DQI-%')]",
                "severity": "blocking",
                "owner_team_id": cls.team.id,
            }
        )
        cls.rule._scan()
        cls.issue = cls.rule.issue_ids
        assert cls.issue.state == "open", "the scan files one open issue"

    @classmethod
    def _field_ids(cls, *names):
        return [cls.env["ir.model.fields"]._get("res.partner", name).id for name in names]

    def _in_chinese(self):
        """The rule says its message in zh_CN too; the scan that filed the
        issue ran in en_US."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.rule.message = "Add the customer's email"
        self.rule.update_field_translations("message", {"zh_CN": "请填写客户邮箱"})
        self.issue.invalidate_recordset()

    def test_issue_message_is_read_in_the_readers_language(self):
        self._in_chinese()
        late = self.env["res.partner"].create({"name": "Late", "ref": "DQI-L"})
        self.rule.with_context(lang="en_US")._scan(full=True)
        issue = self.rule.issue_ids.filtered(lambda i: i.res_id == late.id)
        issue = issue.with_user(self.clerk)
        self.assertEqual(issue.with_context(lang="zh_CN").message, "请填写客户邮箱")
        self.assertEqual(issue.with_context(lang="en_US").message, "Add the customer's email")
        self.assertEqual(
            issue.with_context(lang="zh_CN").read(["message"])[0]["message"], "请填写客户邮箱"
        )

    def test_issue_without_rule_message_shows_the_translated_rule_name(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.rule.update_field_translations("name", {"zh_CN": "邮箱必填"})
        self.issue.invalidate_recordset()
        self.assertFalse(self.rule.message)
        self.assertEqual(
            self.issue.with_user(self.lead).with_context(lang="zh_CN").message, "邮箱必填"
        )

    def test_issues_are_searched_by_message_in_the_readers_language(self):
        self._in_chinese()
        Issue = self.env["neiqin.dq.issue"].with_user(self.clerk).with_context(lang="zh_CN")
        self.assertEqual(Issue.search([("message", "ilike", "客户邮箱")]), self.issue)
        self.assertFalse(Issue.search([("message", "ilike", "customer's email")]))
        self.assertNotIn(self.issue, Issue.search([("message", "not ilike", "客户邮箱")]))
        # No message: the rule's name is what the issue says.
        self.rule.message = False
        self.assertEqual(Issue.search([("message", "=", "Email required")]), self.issue)

    def test_reading_messages_costs_the_same_for_many_issues(self):
        others = self.env["res.partner"].create(
            [{"name": f"No Mail {n}", "ref": f"DQI-M{n}"} for n in range(5)]
        )
        self.rule._scan(full=True)
        issues = self.rule.issue_ids
        self.assertEqual(len(issues), 1 + len(others))
        issues = issues.with_user(self.clerk).with_context(lang="zh_CN")
        issues.mapped("rule_id")
        self.env.invalidate_all()
        issues.mapped("rule_id")
        # The issues read, their message costs one query for all: their
        # rules' texts.
        with self.assertQueryCount(1):
            self.assertEqual(set(issues.mapped("message")), {"Email required"})

    def test_migration_drops_the_message_copied_by_the_scan(self):
        self.env.cr.execute("ALTER TABLE neiqin_dq_issue ADD COLUMN message varchar")
        run_migration(self.env.cr, "neiqin_base", "18.0.1.5.0", "18.0.1.4.0")
        self.assertFalse(sql.column_exists(self.env.cr, "neiqin_dq_issue", "message"))
        self.issue.invalidate_recordset()
        self.assertEqual(self.issue.message, "Email required")

    def test_clerk_cannot_accept_a_blocking_issue(self):
        with self.assertRaisesRegex(AccessError, "lead"):
            self.issue.with_user(self.clerk).action_accept()
        self.assertEqual(self.issue.state, "open")
        self.assertTrue(self.partner.with_user(self.clerk).neiqin_dq_has_blocking)

    def test_clerk_cannot_reopen_an_accepted_issue(self):
        self.issue.with_user(self.lead).action_accept()
        with self.assertRaisesRegex(AccessError, "lead"):
            self.issue.with_user(self.clerk).action_reopen()
        self.assertEqual(self.issue.state, "ignored")

    def test_lead_accepts_then_reopens(self):
        issue = self.issue.with_user(self.lead)
        issue.action_accept()
        self.assertEqual(issue.state, "ignored")
        self.assertTrue(issue.closed_at)
        self.assertFalse(self.partner.with_user(self.lead).neiqin_dq_has_blocking)
        issue.action_reopen()
        self.assertEqual(issue.state, "open")
        self.assertFalse(issue.closed_at)

    def test_only_open_issues_are_accepted_and_accepted_ones_reopened(self):
        issue = self.issue.with_user(self.lead)
        with self.assertRaisesRegex(UserError, "accepted"):
            issue.action_reopen()
        self.partner.email = "fixed@example.com"
        issue.action_recheck()
        self.assertEqual(issue.state, "closed")
        with self.assertRaisesRegex(UserError, "open"):
            issue.action_accept()

    def test_nobody_writes_the_engine_fields(self):
        for user in (self.clerk, self.lead, self.manager):
            for name, value in ENGINE_VALUES.items():
                with self.subTest(user=user.login, field=name):
                    with self.assertRaisesRegex(AccessError, "back-office engine"):
                        self.issue.with_user(user).write({name: value})
        self.assertEqual(
            (self.issue.state, self.issue.severity, self.issue.res_model),
            ("open", "blocking", "res.partner"),
        )

    def test_the_engine_fields_list_every_finding(self):
        self.assertEqual(
            self.env["neiqin.dq.issue"]._neiqin_owned_fields(),
            set(ENGINE_VALUES) | {"rule_id", "res_id", "company_id"},
        )

    def test_nobody_writes_another_rule_record_or_company(self):
        other = self.env["res.partner"].create({"name": "Other", "ref": "DQI-2"})
        company = self.env["res.company"].create({"name": "DQI Other Co"})
        for name, value in (
            ("rule_id", self.rule.copy().id),
            ("res_id", other.id),
            ("company_id", company.id),
        ):
            with self.subTest(field=name), self.assertRaises(AccessError):
                self.issue.with_user(self.lead).write({name: value})

    def test_clerk_cannot_create_an_issue_even_already_accepted(self):
        Issue = self.env["neiqin.dq.issue"].with_user(self.clerk)
        with self.assertRaises(AccessError):
            Issue.create(
                {
                    "rule_id": self.rule.id,
                    "res_model": "res.partner",
                    "res_id": self.partner.id,
                    "state": "ignored",
                }
            )
        with self.assertRaises(AccessError):
            Issue.create({"note": "by hand", "owner_user_id": self.clerk.id})

    def test_clerk_assigns_and_discusses_an_issue(self):
        issue = self.issue.with_user(self.clerk)
        issue.write({"owner_user_id": self.clerk.id, "note": "Calling the customer"})
        issue.message_post(body="Asked the customer for an email address")
        self.assertEqual(issue.owner_user_id, self.clerk)
        self.assertEqual(issue.note, "Calling the customer")

    def test_form_saving_the_values_it_shows_changes_nothing(self):
        issue = self.issue.with_user(self.clerk)
        issue.write({"state": "open", "severity": "blocking", "note": "same values"})
        self.assertEqual(issue.note, "same values")

    def test_clerk_rechecks_an_issue_of_the_team(self):
        self.partner.email = "fixed@example.com"
        action = self.issue.with_user(self.clerk).action_recheck()
        self.assertEqual(self.issue.state, "closed")
        # The clerk is told what came of it.
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn(f"Fixed: {self.issue.res_name}", action["params"]["message"])
        # Broken again: the check reopens it, though clerks create no issue.
        self.partner.email = False
        action = self.issue.with_user(self.clerk).action_recheck()
        self.assertEqual((self.issue.state, self.issue.reopen_count), ("open", 1))
        self.assertIn("Still wrong", action["params"]["message"])

    def test_recheck_needs_back_office_rights_and_the_issue(self):
        with self.assertRaisesRegex(AccessError, "back-office staff"):
            self.issue.with_user(self.outsider).action_recheck()
        # Another team's clerk does not reach the issue.
        with self.assertRaises(AccessError):
            self.issue.with_user(self.clerk2).action_recheck()

    def test_lead_scan_files_issues(self):
        self.env["res.partner"].create({"name": "No Mail Either", "ref": "DQI-3"})
        self.rule.with_user(self.lead).action_run_full()
        self.assertEqual(len(self.rule.issue_ids.filtered(lambda i: i.state == "open")), 2)
