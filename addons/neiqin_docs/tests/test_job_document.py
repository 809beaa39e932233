from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form

from .. import models as docs_models
from ..engine.version_diff import ADDED, CHANGED, REMOVED, compare_versions, is_empty
from .common import DocsCase


class TestVersionDiff(DocsCase):
    """The comparison itself, on plain dicts."""

    def test_equal_versions_have_no_difference(self):
        snapshot = {
            "fields": {"goal": "A  goal"},
            "duties": [{"name": "Review", "description": "x", "steps": ["b", "a"]}],
            "indicators": [{"name": "On time", "target": "98 %", "weight": 50.0}],
        }
        same = {
            "fields": {"goal": "A goal"},
            "duties": [{"name": "Review", "description": "x", "steps": ["a", "b"]}],
            "indicators": [{"name": "On time", "target": "98 %", "weight": 50.0}],
        }
        self.assertTrue(is_empty(compare_versions(snapshot, same)))

    def test_fields_duties_and_indicators_added_removed_changed(self):
        old = {
            "fields": {"goal": "Old goal", "workflow": "Same"},
            "duties": [
                {"name": "Review", "description": "Check", "steps": ["One"]},
                {"name": "Dispatch", "description": "Ship", "steps": []},
            ],
            "indicators": [{"name": "On time", "target": "98 %", "weight": 50.0}],
        }
        new = {
            "fields": {"goal": "New goal", "workflow": "Same"},
            "duties": [
                {"name": "Review", "description": "Check", "steps": ["One", "Two"]},
                {"name": "Report", "description": "Weekly", "steps": []},
            ],
            "indicators": [{"name": "On time", "target": "99 %", "weight": 60.0}],
        }
        diff = compare_versions(old, new)
        self.assertEqual(diff["fields"], {"goal": ("Old goal", "New goal")})
        self.assertEqual(
            [(d["name"], d["change"]) for d in diff["duties"]],
            [("Review", CHANGED), ("Report", ADDED), ("Dispatch", REMOVED)],
        )
        self.assertEqual(diff["duties"][0]["values"], {"steps": (["One"], ["One", "Two"])})
        self.assertEqual(
            diff["indicators"][0]["values"], {"target": ("98 %", "99 %"), "weight": (50.0, 60.0)}
        )


class TestJobDocument(DocsCase):
    def _approve(self, document=None):
        return (document or self.document).with_user(self.manager).action_approve()

    # ------------------------------------------------------------------ versions

    def test_a_manager_approves_and_the_previous_version_is_superseded(self):
        self._approve()
        self.assertEqual(self.document.state, "approved")
        self.assertEqual(self.document.approved_by_id, self.manager)
        self.assertTrue(self.document.approved_at)
        self.assertEqual(self.job.neiqin_document_id, self.document)
        new = self.document.with_user(self.lead)._neiqin_new_version()
        new.with_user(self.lead).goal = "Review and hold risky orders."
        self._approve(new)
        self.job.invalidate_recordset()
        self.assertEqual(self.document.state, "superseded")
        self.assertEqual((new.state, new.version), ("approved", 2))
        self.assertEqual(self.job.neiqin_document_id, new)

    def test_approval_files_the_version_in_the_archive(self):
        self._approve()
        filed = self.env["neiqin.archive.document"].search(
            [("res_model", "=", "neiqin.job.document"), ("res_id", "=", self.document.id)]
        )
        self.assertEqual(len(filed), 1)
        self.assertEqual(filed.kind, "job_description")
        self.assertEqual(
            filed.category_id, self.env.ref("neiqin_docs.archive_category_job_description")
        )
        self.assertIn("Review every paid order before it ships.", filed.content)
        self.assertIn("Orders reviewed on time", filed.content)
        # An employee finds it by a word of its content.
        found = (
            self.env["neiqin.archive.document"]
            .with_user(self.outsider)
            .search([("content", "ilike", "paid order")])
        )
        self.assertIn(filed, found)

    def test_only_a_manager_approves(self):
        for user in (self.lead, self.clerk):
            with self.assertRaises(AccessError):
                self.document.with_user(user).action_approve()
        self.assertEqual(self.document.state, "draft")

    def test_an_empty_document_is_not_approved(self):
        empty = self._document(job=self.job2, goal=False)
        with self.assertRaisesRegex(UserError, "Service Agent, version 1"):
            self._approve(empty)
        job3 = self.env["hr.job"].create({"name": "Data Clerk"})
        no_duty = self._document(job=job3, duty_ids=[], goal="Keep the data")
        with self.assertRaisesRegex(UserError, "goal and at least one duty"):
            self._approve(no_duty)
        self.assertEqual((empty | no_duty).mapped("state"), ["draft", "draft"])

    def test_an_approved_version_is_read_only_on_the_server(self):
        self._approve()
        document = self.document.with_user(self.manager)
        attempts = [
            lambda: document.write({"goal": "Changed"}),
            lambda: document.duty_ids.write({"name": "Changed"}),
            lambda: document.duty_ids.write({"step_ids": [Command.clear()]}),
            lambda: document.indicator_ids.write({"weight": 10}),
            lambda: self.env["neiqin.job.duty"]
            .with_user(self.manager)
            .create({"document_id": document.id, "name": "Another"}),
            lambda: self.env["neiqin.job.indicator"]
            .with_user(self.manager)
            .create({"document_id": document.id, "name": "Another", "target": "1"}),
            lambda: document.duty_ids.unlink(),
            lambda: document.indicator_ids.unlink(),
            lambda: document.unlink(),
            lambda: document.write({"duty_ids": [Command.create({"name": "Sneaked in"})]}),
        ]
        for attempt in attempts:
            with (
                self.subTest(attempt=attempt),
                self.assertRaisesRegex(UserError, "Order Reviewer, version 1"),
            ):
                attempt()
        self.assertEqual(self.document.goal, "Review every paid order before it ships.")
        self.assertEqual(self.document.duty_ids.name, "Review orders")

    def test_a_lead_writes_a_draft_and_a_manager_deletes_it(self):
        self.document.with_user(self.lead).write({"goal": "Changed"})
        with self.assertRaises(AccessError):
            self.document.with_user(self.lead).unlink()
        self.document.with_user(self.manager).unlink()
        self.assertFalse(self.document.exists())

    def test_an_employee_reads_approved_versions_not_drafts(self):
        Document = self.env["neiqin.job.document"].with_user(self.outsider)
        self.assertFalse(Document.search([("id", "=", self.document.id)]))
        with self.assertRaises(AccessError):
            self.document.with_user(self.outsider).read(["goal"])
        self._approve()
        self.assertEqual(Document.search([("id", "=", self.document.id)]), self.document)
        self.assertEqual(self.document.with_user(self.outsider).duty_ids.name, "Review orders")

    # ------------------------------------------------------------------ diff

    def test_a_draft_shows_what_it_changes_in_its_previous_version(self):
        self._approve()
        new = self.document.with_user(self.lead)._neiqin_new_version()
        new.write(
            {
                "goal": "Review and hold risky orders.",
                "duty_ids": [
                    Command.update(new.duty_ids.id, {"step_ids": [Command.link(self.step2.id)]}),
                    Command.create({"name": "Report holds"}),
                ],
                "indicator_ids": [Command.update(new.indicator_ids.id, {"weight": 70})],
            }
        )
        diff = new._neiqin_compare(self.document)
        self.assertEqual(list(diff["fields"]), ["goal"])
        self.assertEqual(
            [(d["name"], d["change"]) for d in diff["duties"]],
            [("Review orders", CHANGED), ("Report holds", ADDED)],
        )
        self.assertEqual(diff["indicators"][0]["values"], {"weight": (60.0, 70.0)})
        html = str(new.diff_html)
        for text in ("Review and hold risky orders.", "Report holds", "Test Process / Two"):
            self.assertIn(text, html)

    def test_the_wizard_compares_two_versions_of_one_job(self):
        self._approve()
        new = self.document.with_user(self.lead)._neiqin_new_version()
        new.duty_ids.with_user(self.lead).unlink()
        new.with_user(self.lead).duty_ids = [Command.create({"name": "Dispatch orders"})]
        action = new.with_user(self.clerk).action_compare()
        self.assertEqual(action["res_model"], "neiqin.job.document.compare.wizard")
        with Form(
            self.env[action["res_model"]].with_user(self.lead).with_context(**action["context"])
        ) as wizard:
            self.assertIn("Dispatch orders", str(wizard.diff_html))
            self.assertIn("Review orders", str(wizard.diff_html))
        other = self._document(job=self.job2)
        with self.assertRaisesRegex(UserError, "different job positions"):
            self.env[action["res_model"]].with_user(self.lead).create(
                {"old_id": other.id, "new_id": new.id}
            )

    # ------------------------------------------------------------------ owner agreement

    def test_approval_makes_the_position_the_owner_of_its_steps(self):
        self.assertIn("Test Process / One", self.document.owner_disagreement)
        self._approve()
        self.assertEqual((self.step.owner_type, self.step.owner_job_id), ("job", self.job))
        self.assertFalse(self.document.owner_disagreement)
        # The engine now hands a record entering the step to an employee of the job.
        task = self._task(user=self.clerk2)
        task.action_start()
        self.assertEqual(task.neiqin_step_id, self.step)
        self.assertIn(task.neiqin_step_owner_id, self.clerk | self.outsider)
        user, __ = self.step._resolve_owner(task)
        self.assertEqual(user.employee_ids.job_id, self.job)

    def test_a_step_bound_by_another_jobs_description_is_refused(self):
        self._approve()
        rival = self._document(job=self.job2)
        with self.assertRaises(ValidationError) as raised:
            self._approve(rival)
        self.assertIn("Test Process / One", str(raised.exception))
        self.assertIn("Order Reviewer", str(raised.exception))
        self.assertEqual(rival.state, "draft")
        self.assertEqual(self.step.owner_job_id, self.job)

    # ------------------------------------------------------------------ PDF

    def test_the_pdf_renders_the_chinese_text(self):
        self.document.write(
            {
                "goal": "确保每一笔订单准确发货。",
                "workflow": "<p>每日九点前审核订单。</p>",
                "responsibility": "<p>对审核准确率负责。</p>",
            }
        )
        self._approve()
        report = self.env.ref("neiqin_docs.action_report_neiqin_job_document")
        content, __ = (
            self.env["ir.actions.report"]
            .with_user(self.outsider)
            ._render_qweb_pdf(report.report_name, self.document.ids)
        )
        html = content.decode()
        for text in (
            "确保每一笔订单准确发货。",
            "每日九点前审核订单。",
            "对审核准确率负责。",
            "Review orders",
            "Test Process / One",
            "Orders reviewed on time",
            "Noto Sans CJK SC",
        ):
            self.assertIn(text, html)
        self.assertEqual(
            self.document.with_user(self.outsider).action_print()["report_name"],
            report.report_name,
        )

    # ------------------------------------------------------------------ read view

    def test_my_job_description_opens_the_users_current_document(self):
        self._approve()
        action = self.env["neiqin.job.document"].with_user(self.clerk).action_my_job_description()
        self.assertEqual(action["res_id"], self.document.id)
        self.assertEqual(
            action["views"][0][0], self.env.ref("neiqin_docs.view_neiqin_job_document_read").id
        )
        nothing = self.env["neiqin.job.document"].with_user(self.lead).action_my_job_description()
        self.assertEqual(nothing["domain"], [("id", "in", [])])

    # ------------------------------------------------------------------ demo bindings

    def test_the_demo_bindings_link_the_steps_that_exist(self):
        job3 = self.env["hr.job"].create({"name": "Data Clerk"})
        document = self._document(job=job3, duty_ids=[Command.create({"name": "Enter data"})])
        self._approve(document)
        Data = self.env["ir.model.data"]
        Data.create(
            [
                {
                    "module": "neiqin_docs_test",
                    "name": "duty",
                    "model": "neiqin.job.duty",
                    "res_id": document.duty_ids.id,
                },
                {
                    "module": "neiqin_docs_test",
                    "name": "step",
                    "model": "neiqin.process.step",
                    "res_id": self.step3.id,
                },
            ]
        )
        bindings = {
            "neiqin_docs_test.duty": ["neiqin_docs_test.step", "neiqin_docs_test.not_installed"],
            "neiqin_docs_test.missing_duty": ["neiqin_docs_test.step"],
        }
        module = docs_models.neiqin_job_document
        with patch.dict(module.DEMO_BINDINGS, bindings, clear=True):
            Document = self.env["neiqin.job.document"]
            with self.assertRaises(AccessError):
                Document.with_user(self.lead)._neiqin_bind_demo_steps()
            self.assertEqual(Document._neiqin_link_demo_steps(), document)
            self.assertEqual(document.duty_ids.step_ids, self.step3)
            self.assertEqual(self.step3.owner_type, "team", "linking keeps the owners")
            Document.with_user(self.manager)._neiqin_bind_demo_steps()
        self.assertEqual((self.step3.owner_type, self.step3.owner_job_id), ("job", job3))
