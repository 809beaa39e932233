from odoo.tests import tagged
from odoo.tools import SQL

from ..engine import filing
from .common import NeiqinDqCase


@tagged("post_install", "-at_install")
class TestEngineFiling(NeiqinDqCase):
    """engine/filing.py: issues opened, reopened, closed and re-keyed after a
    check, the engine's view of the issues filed."""

    def setUp(self):
        super().setUp()
        self.rule = self._rule("required", fields=["email"], message="Add an email").sudo()
        self.Issue = self.env["neiqin.dq.issue"].sudo()

    def _file(self, bad, checked=None):
        rule = self.rule
        ids = set(checked if checked is not None else bad)
        known = filing.known_issues(rule, SQL("i.res_id = ANY(%s)", sorted(ids | set(bad))))
        filing.file_findings(self.env, {rule: ids}, {rule: bad}, known)
        return self.Issue.search([("rule_id", "=", rule.id)])

    def test_sort_findings_says_what_changes(self):
        rule = self.rule
        known = {rule.id: {1: (10, "open", None), 2: (20, "closed", None), 3: (30, "open", "a")}}
        close, reopen, new, rekey = filing.sort_findings(
            {rule: {1, 2, 3, 4}}, {rule: {2: None, 3: "b", 4: None}}, known
        )
        self.assertEqual((close, reopen), ([10], [20]))
        self.assertEqual(new, [(rule, 4, None)])
        self.assertEqual(rekey, [(30, "b")])

    def test_sort_findings_leaves_records_not_checked_alone(self):
        rule = self.rule
        known = {rule.id: {1: (10, "open", None)}}
        self.assertEqual(filing.sort_findings({rule: {2}}, {rule: {}}, known), ([], [], [], []))
        # None: the whole scope was checked.
        self.assertEqual(filing.sort_findings({rule: None}, {rule: {}}, known)[0], [10])

    def test_file_findings_opens_closes_and_reopens(self):
        issue = self._file({self.no_email.id: None})
        self.assertEqual((issue.res_id, issue.state), (self.no_email.id, "open"))
        self.assertEqual(issue.message, "Add an email")
        self.assertEqual(issue.res_name, "no_email")
        self._file({}, checked=[self.no_email.id])
        self.assertEqual(issue.state, "closed")
        self.assertTrue(issue.closed_at)
        self.assertEqual(self._file({self.no_email.id: None}), issue)
        self.assertEqual((issue.state, issue.reopen_count), ("open", 1))

    def test_file_findings_moves_an_issue_to_its_new_duplicate_key(self):
        issue = self._file({self.no_email.id: "a"})
        self._file({self.no_email.id: "b"})
        self.assertEqual(issue.duplicate_key, "b")

    def test_known_issues_gives_the_latest_issue_of_each_record(self):
        first = self._file({self.no_email.id: None})
        self.assertEqual(
            filing.known_issues(self.rule, SQL("TRUE")),
            {self.rule.id: {self.no_email.id: (first.id, "open", None)}},
        )
        self.assertEqual(
            filing.known_issues(self.rule, SQL("i.res_id = %s", self.with_email.id)),
            {self.rule.id: {}},
        )

    def test_issue_vals_copy_the_rule(self):
        self.rule.write({"severity": "blocking", "owner_team_id": self.team.id})
        [vals] = filing.issue_vals(self.env, [(self.rule, self.no_email.id, None)], "now")
        self.assertEqual(vals["res_model"], "res.partner")
        self.assertEqual(vals["severity"], "blocking")
        self.assertEqual(vals["owner_team_id"], self.team.id)
        self.assertEqual(vals["found_at"], "now")

    def test_batch_size_is_a_setting(self):
        self.assertEqual(filing.batch_size(self.env), filing.DEFAULT_BATCH_SIZE)
        self.env["ir.config_parameter"].sudo().set_param(filing.BATCH_SIZE, "5")
        self.assertEqual(filing.batch_size(self.env), 5)
