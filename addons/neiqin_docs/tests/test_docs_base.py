from odoo.exceptions import AccessError

from .common import DocsCase


class TestDocsBase(DocsCase):
    def test_new_document_is_a_draft_first_version(self):
        self.assertEqual(self.document.state, "draft")
        self.assertEqual(self.document.version, 1)
        self.assertEqual(self.document.name, "Order Reviewer, version 1")
        self.assertEqual(self.document.duty_ids.step_ids, self.step)

    def test_lead_cannot_set_the_state_of_a_document(self):
        with self.assertRaises(AccessError):
            self.document.with_user(self.lead).write({"state": "approved"})
        with self.assertRaises(AccessError):
            self._document(job=self.job2, state="approved")

    def test_clerk_cannot_write_a_document(self):
        with self.assertRaises(AccessError):
            self.document.with_user(self.clerk).write({"goal": "Anything"})

    def test_new_version_copies_duties_and_indicators(self):
        self.assertEqual(self.document._neiqin_new_version(), self.document, "its own draft")
        # As if approved (approving is the approval feature's).
        self.document.sudo().state = "approved"
        new = self.document._neiqin_new_version()
        self.assertEqual((new.version, new.state, new.previous_id), (2, "draft", self.document))
        self.assertEqual(new.duty_ids.step_ids, self.step)
        self.assertEqual(new.indicator_ids.name, "Orders reviewed on time")
        self.assertEqual(self.document._neiqin_new_version(), new, "one draft at a time")
        with self.assertRaises(AccessError):
            self.document.with_user(self.clerk).action_new_version()
