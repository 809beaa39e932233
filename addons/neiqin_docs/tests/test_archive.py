from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DocsCase


@tagged("post_install", "-at_install")
class TestArchive(DocsCase):
    """The operations archive: categories, access by group and company,
    full-text search, traceability, filing of any record."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Archive = cls.env["neiqin.archive.document"]
        cls.procedures = cls.env.ref("neiqin_docs.archive_category_procedure")
        cls.reports = cls.env.ref("neiqin_docs.archive_category_report")

    def _archive_document(self, user=None, **vals):
        values = {
            "name": "Order review procedure",
            "category_id": self.procedures.id,
            "content": "<p>Check the address and the payment of each order.</p>",
            **vals,
        }
        return self.Archive.with_user(user or self.clerk).create(values)

    def test_shipped_categories_and_their_complete_name(self):
        sub = self.env["neiqin.archive.category"].create(
            {"name": "Promotions", "parent_id": self.reports.id}
        )
        self.assertEqual(sub.complete_name, "Operations Reports / Promotions")
        document = self._archive_document(category_id=self.reports.id)
        self.assertEqual(document.kind, "report")

    def test_full_text_search_matches_title_and_content(self):
        by_title = self._archive_document(name="Double 11 review")
        by_content = self._archive_document(
            name="Weekly report", content="<p>Double 11 sales rose.</p>"
        )
        other = self._archive_document(name="Returns procedure", content="<p>Refunds.</p>")
        found = self.Archive.with_user(self.outsider).search(
            [("search_text", "ilike", "double 11")]
        )
        self.assertIn(by_title, found)
        self.assertIn(by_content, found)
        self.assertNotIn(other, found)

    def test_a_document_for_some_groups_is_read_by_them_only(self):
        document = self._archive_document(
            user=self.lead,
            group_ids=[Command.set(self.env.ref("neiqin_base.group_neiqin_lead").ids)],
        )
        self.assertFalse(self.Archive.with_user(self.clerk).search([("id", "=", document.id)]))
        with self.assertRaises(AccessError):
            document.with_user(self.outsider).read(["name"])
        self.assertTrue(document.with_user(self.lead).read(["name"]))
        self.assertTrue(document.with_user(self.manager).read(["name"]))
        open_document = self._archive_document(name="For everyone")
        self.assertTrue(open_document.with_user(self.outsider).read(["name"]))

    def test_another_companys_documents_are_out_of_reach(self):
        other = self.env["res.company"].create({"name": "Other Shop"})
        document = self.Archive.create(
            {"name": "Elsewhere", "category_id": self.procedures.id, "company_id": other.id}
        )
        with self.assertRaises(AccessError):
            document.with_user(self.manager).read(["name"])

    def test_employees_read_clerks_file_managers_delete(self):
        with self.assertRaises(AccessError):
            self._archive_document(user=self.outsider)
        document = self._archive_document()
        with self.assertRaises(AccessError):
            document.with_user(self.outsider).write({"name": "Changed"})
        with self.assertRaises(AccessError):
            document.with_user(self.lead).unlink()
        document.with_user(self.manager).unlink()
        self.assertFalse(document.exists())

    def test_a_content_change_keeps_the_previous_content(self):
        document = self._archive_document()
        document.with_user(self.clerk2).write(
            {"content": "<p>Check the address, the payment and the stock.</p>"}
        )
        notes = document.message_ids.filtered(lambda m: "previous content" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertIn("Check the address and the payment of each order.", notes.body)
        self.assertEqual(notes.author_id, self.clerk2.partner_id)
        # Saving the same content again logs nothing.
        document.with_user(self.clerk2).write(
            {"content": "<p>Check the address, the payment and the stock.</p>"}
        )
        notes = document.message_ids.filtered(lambda m: "previous content" in (m.body or ""))
        self.assertEqual(len(notes), 1)

    def test_tracked_fields_say_who_changed_what(self):
        document = (
            self.Archive.with_context(tracking_disable=False)
            .with_user(self.clerk)
            .create({"name": "Order review procedure", "category_id": self.procedures.id})
        )
        # A record is not tracked in the transaction that creates it: end it
        # as a request would.
        self.env.flush_all()
        self.env.cr.precommit.run()
        document.with_user(self.clerk2).write(
            {"name": "Order review procedure v2", "category_id": self.reports.id}
        )
        document.env.flush_all()
        document.env.cr.precommit.run()
        tracked = document.message_ids.tracking_value_ids
        names = set(tracked.field_id.mapped("name"))
        self.assertLessEqual({"name", "category_id"}, names)
        message = tracked.mail_message_id[:1]
        self.assertEqual(message.author_id, self.clerk2.partner_id)

    def test_filing_any_record_once(self):
        """The filing method is generic: a record without a hook of its own
        is filed under its name, once."""
        Archive = self.Archive.with_user(self.lead)
        tasks = self.env["neiqin.task"].create([{"name": "Stock count"}, {"name": "Price check"}])
        documents = Archive._neiqin_file(tasks, "neiqin_docs.archive_category_report")
        self.assertEqual(documents.mapped("name"), ["Stock count", "Price check"])
        self.assertEqual(documents.mapped("res_id"), tasks.ids)
        self.assertEqual(set(documents.mapped("kind")), {"report"})
        self.assertEqual(
            Archive._neiqin_file(tasks, "neiqin_docs.archive_category_report"), documents
        )
