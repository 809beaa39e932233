"""Who may do what on every Neiqin model: one table, written by hand.

Each row lists, per role, the operations allowed by the access rights
(r = read, w = write, c = create, u = unlink). A Neiqin model without a row
fails the test, so every new model must come with its decision here.
"""

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

from .common import as_neiqin_test

ROLES = ("public", "portal", "user", "clerk", "lead", "manager")
NONE = dict.fromkeys(("public", "portal", "user"), "")
# Process definitions are shown on the documents every employee works on.
CONFIG = {"public": "", "portal": "", "user": "r"}

MATRIX = {
    # neiqin_base
    "neiqin.team": {**CONFIG, "clerk": "r", "lead": "r", "manager": "rwcu"},
    "neiqin.process": {**CONFIG, "clerk": "r", "lead": "r", "manager": "rwcu"},
    "neiqin.process.step": {**CONFIG, "clerk": "r", "lead": "r", "manager": "rwcu"},
    "neiqin.step.log": {**NONE, "clerk": "r", "lead": "r", "manager": "r"},
    "neiqin.responsibility": {**NONE, "clerk": "rwc", "lead": "rwc", "manager": "rwcu"},
    "neiqin.dq.rule": {**NONE, "clerk": "r", "lead": "rwc", "manager": "rwcu"},
    "neiqin.dq.issue": {**NONE, "clerk": "rw", "lead": "rw", "manager": "rwu"},
    "neiqin.task": {**NONE, "clerk": "rwc", "lead": "rwc", "manager": "rwcu"},
    # The engine's own log of written fields: written and pruned in SQL.
    "neiqin.dq.change": {**NONE, "clerk": "", "lead": "", "manager": "r"},
    "neiqin.step.pause.wizard": {**NONE, "clerk": "rwc", "lead": "rwc", "manager": "rwc"},
    # neiqin_orders
    "neiqin.dispatch.rule": {**NONE, "clerk": "r", "lead": "rwc", "manager": "rwcu"},
    "neiqin.logistics.event": {**NONE, "clerk": "rwc", "lead": "rwc", "manager": "rwcu"},
    "neiqin.order.notice": {**NONE, "clerk": "r", "lead": "r", "manager": "rwcu"},
    "neiqin.order.override.wizard": {**NONE, "clerk": "rwc", "lead": "rwc", "manager": "rwc"},
    "neiqin.tracking.import.wizard": {**NONE, "clerk": "rwc", "lead": "rwc", "manager": "rwc"},
    "neiqin.tracking.import.line": {**NONE, "clerk": "rwc", "lead": "rwc", "manager": "rwc"},
}

# Record rules: may the role read a record owned by another user of another
# team (same company)? Models not listed have no ownership rule.
FOREIGN_READ = {
    "neiqin.step.log": {"clerk": False, "lead": True, "manager": True},
    "neiqin.responsibility": {"clerk": False, "lead": True, "manager": True},
    "neiqin.dq.issue": {"clerk": False, "lead": True, "manager": True},
    "neiqin.task": {"clerk": False, "lead": True, "manager": True},
}

OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}


@as_neiqin_test
class TestAccessMatrix(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            "public": cls.env.ref("base.public_user"),
            "portal": new_test_user(cls.env, "am_portal", groups="base.group_portal"),
            "user": new_test_user(cls.env, "am_user", groups="base.group_user"),
            "clerk": new_test_user(cls.env, "am_clerk", groups="neiqin_base.group_neiqin_clerk"),
            "lead": new_test_user(cls.env, "am_lead", groups="neiqin_base.group_neiqin_lead"),
            "manager": new_test_user(
                cls.env, "am_manager", groups="neiqin_base.group_neiqin_manager"
            ),
        }
        cls.stranger = new_test_user(
            cls.env, "am_stranger", groups="neiqin_base.group_neiqin_clerk"
        )
        cls.foreign_team = cls.env["neiqin.team"].create(
            {"name": "Foreign Desk", "member_ids": [Command.set(cls.stranger.ids)]}
        )

    def test_every_neiqin_model_has_a_row(self):
        models = self.env["ir.model"].search([("model", "=like", "neiqin.%")]).mapped("model")
        concrete = {m for m in models if m in self.env and not self.env[m]._abstract}
        self.assertEqual(
            concrete - set(MATRIX), set(), "Neiqin models missing from the access matrix"
        )
        self.assertEqual(
            set(MATRIX) - concrete, set(), "Access matrix rows for models that do not exist"
        )

    def test_access_rights_match_the_matrix(self):
        for model, expected in MATRIX.items():
            for role in ROLES:
                allowed = expected[role]
                for letter, operation in OPERATIONS.items():
                    with self.subTest(model=model, role=role, operation=operation):
                        has = self.env[model].with_user(self.users[role]).has_access(operation)
                        self.assertEqual(has, letter in allowed, f"{role} {operation} {model}")

    def _foreign_records(self):
        """One record per ruled model, owned by the stranger's team."""
        task = self.env["neiqin.task"].create(
            {
                "name": "Foreign",
                "user_id": self.stranger.id,
                "team_id": self.foreign_team.id,
                "process_id": self.env.ref("neiqin_base.process_data").id,
            }
        )
        step = self.env.ref("neiqin_base.step_data_entry")
        log = (
            self.env["neiqin.step.log"]
            .sudo()
            .create(
                {
                    "res_model": "neiqin.task",
                    "res_id": task.id,
                    "res_name": task.name,
                    "process_id": step.process_id.id,
                    "step_id": step.id,
                    "owner_user_id": self.stranger.id,
                    "owner_team_id": self.foreign_team.id,
                }
            )
        )
        responsibility = self.env["neiqin.responsibility"].create(
            {
                "owner_user_id": self.stranger.id,
                "owner_team_id": self.foreign_team.id,
                "cause": "x",
                "reported_by_id": self.stranger.id,
            }
        )
        rule = self.env["neiqin.dq.rule"].create(
            {
                "name": "r",
                "model_id": self.env["ir.model"]._get("res.partner").id,
                "rule_type": "domain",
                "domain": "[('id', '=', 0)]",
                "owner_user_id": self.stranger.id,
                "owner_team_id": self.foreign_team.id,
            }
        )
        issue = self.env["neiqin.dq.issue"].create(
            {
                "rule_id": rule.id,
                "res_model": "res.partner",
                "res_id": self.stranger.partner_id.id,
                "owner_user_id": self.stranger.id,
                "owner_team_id": self.foreign_team.id,
            }
        )
        return {
            "neiqin.task": task,
            "neiqin.step.log": log,
            "neiqin.responsibility": responsibility,
            "neiqin.dq.issue": issue,
        }

    def test_record_rules_match_the_matrix(self):
        records = self._foreign_records()
        self.assertEqual(set(records), set(FOREIGN_READ))
        for model, expected in FOREIGN_READ.items():
            for role, can_read in expected.items():
                with self.subTest(model=model, role=role):
                    record = records[model].with_user(self.users[role])
                    self.assertEqual(
                        record.has_access("read"), can_read, f"{role} reads a foreign {model}"
                    )

    def test_stranger_reads_own_team_records(self):
        for model, record in self._foreign_records().items():
            with self.subTest(model=model):
                self.assertTrue(record.with_user(self.stranger).has_access("read"))

    def test_other_company_records_are_hidden(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        team = self.env["neiqin.team"].create({"name": "Other Co Desk", "company_id": other.id})
        manager = self.users["manager"]
        self.assertFalse(team.with_user(manager).has_access("read"))
        manager.write({"company_ids": [Command.link(other.id)]})
        self.assertTrue(
            team.with_user(manager).with_context(allowed_company_ids=[other.id]).has_access("read")
        )
