from datetime import date, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import DocsCase


@tagged("post_install", "-at_install")
class TestMeeting(DocsCase):
    """Operations meetings: minutes, action items followed as activities
    and through the ``meeting_action`` process, filing in the archive."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Meeting = cls.env["neiqin.meeting"]
        cls.Action = cls.env["neiqin.meeting.action"]
        cls.today = fields.Date.context_today(cls.Meeting)

    def _meeting(self, items=1, owner=None, deadline=None, user=None, **vals):
        """A draft meeting organised by ``user`` (default: the clerk), the
        second clerk attending, with ``items`` action items."""
        owner = owner or self.clerk2
        deadline = deadline or self.today + timedelta(days=3)
        values = {
            "name": "Weekly operations meeting",
            "attendee_ids": [Command.set(self.clerk2.ids)],
            "minutes": "<p>Order review is late in the evening.</p>",
            "decisions": "Add an evening reviewer\nComplete the product specs",
            "action_ids": [
                Command.create(
                    {"name": f"Item {index}", "owner_id": owner.id, "deadline": deadline}
                )
                for index in range(items)
            ],
            **vals,
        }
        return self.Meeting.with_user(user or self.clerk).create(values)

    def _activities(self, actions):
        return self.env["mail.activity"].search(
            [("res_model", "=", "neiqin.meeting.action"), ("res_id", "in", actions.ids)]
        )

    # ------------------------------------------------------------------ publishing
    def test_draft_items_are_not_followed_yet(self):
        meeting = self._meeting()
        self.assertFalse(meeting.action_ids.activity_id)
        self.assertFalse(meeting.action_ids.neiqin_step_id)

    def test_publishing_turns_every_open_item_into_an_activity_of_its_owner(self):
        meeting = self._meeting(items=2)
        meeting.action_publish_minutes()
        self.assertEqual(meeting.state, "held")
        for item in meeting.action_ids:
            self.assertEqual(item.activity_id.user_id, self.clerk2)
            self.assertEqual(item.activity_id.date_deadline, item.deadline)
            self.assertEqual(item.activity_id.res_id, item.id)
        self.assertEqual(len(self._activities(meeting.action_ids)), 2)

    def test_publishing_starts_the_follow_up_step_owned_by_the_item_owner_due_on_its_deadline(
        self,
    ):
        meeting = self._meeting(deadline=self.today + timedelta(days=2))
        meeting.action_publish_minutes()
        item = meeting.action_ids
        step = self.env.ref("neiqin_docs.step_meeting_action_follow_up")
        self.assertEqual(item.neiqin_step_id, step)
        self.assertEqual(item.neiqin_step_owner_id, self.clerk2)
        self.assertEqual(item.neiqin_step_deadline_at.date(), self.today + timedelta(days=3))
        log = item._neiqin_open_logs()
        self.assertEqual(log.owner_user_id, self.clerk2)
        self.assertEqual(log.deadline_at, item.neiqin_step_deadline_at)
        self.assertGreater(log.escalate_at, log.deadline_at)

    def test_publishing_is_set_based(self):
        """As many queries for 20 items as for 2 (after a first run that
        fills the caches)."""
        counts = []
        for items in (1, 2, 20):
            meeting = self._meeting(items=items)
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            meeting.action_publish_minutes()
            self.env.flush_all()
            counts.append(self.cr.sql_log_count - start)
        self.assertEqual(counts[1], counts[2], f"queries for 1, 2 and 20 items: {counts}")

    def test_publishing_needs_minutes(self):
        meeting = self._meeting(minutes=False)
        with self.assertRaisesRegex(UserError, "Write the minutes"):
            meeting.action_publish_minutes()

    def test_item_added_to_published_minutes_is_followed_at_once(self):
        meeting = self._meeting(items=0)
        meeting.action_publish_minutes()
        item = self.Action.with_user(self.clerk).create(
            {
                "meeting_id": meeting.id,
                "name": "Late addition",
                "owner_id": self.clerk2.id,
                "deadline": self.today,
            }
        )
        self.assertEqual(item.activity_id.user_id, self.clerk2)
        self.assertTrue(item.neiqin_step_id)

    def test_only_the_organizer_or_a_lead_publishes(self):
        meeting = self._meeting()
        with self.assertRaises(AccessError):
            meeting.with_user(self.clerk2).action_publish_minutes()
        meeting.with_user(self.lead).action_publish_minutes()
        self.assertEqual(meeting.state, "held")

    # ------------------------------------------------------------------ done
    def test_marking_the_activity_done_marks_the_item_done(self):
        meeting = self._meeting()
        meeting.action_publish_minutes()
        item = meeting.action_ids
        item.activity_id.with_user(self.clerk2).action_feedback(feedback="Done")
        self.assertEqual(item.state, "done")
        self.assertEqual(item.done_by_id, self.clerk2)
        self.assertEqual(item.neiqin_step_state, "done")
        self.assertFalse(item._neiqin_open_logs())

    def test_marking_the_item_done_closes_its_activity(self):
        meeting = self._meeting()
        meeting.action_publish_minutes()
        item = meeting.action_ids
        activity = item.activity_id
        item.with_user(self.clerk2).action_done()
        self.assertEqual(item.state, "done")
        self.assertFalse(activity.exists() and activity.active)
        self.assertEqual(meeting.action_done_count, 1)
        self.assertEqual(meeting.action_progress, 100.0)

    def test_only_the_owner_the_organizer_or_a_lead_marks_an_item_done(self):
        meeting = self._meeting(owner=self.lead, attendee_ids=[Command.set(self.clerk2.ids)])
        meeting.action_publish_minutes()
        item = meeting.action_ids
        # An attendee reads the item and its activity, but may not close them.
        with self.assertRaises(AccessError):
            item.with_user(self.clerk2).action_done()
        with self.assertRaises(AccessError):
            item.activity_id.with_user(self.clerk2).action_feedback()
        self.assertEqual(item.state, "open")
        item.with_user(self.clerk).action_done()  # the organizer
        self.assertEqual(item.state, "done")

    def test_only_the_organizer_or_a_lead_changes_who_does_what_by_when(self):
        meeting = self._meeting(owner=self.lead)
        meeting.action_publish_minutes()
        item = meeting.action_ids.with_user(self.clerk2)
        with self.assertRaises(AccessError):
            item.write({"owner_id": self.clerk2.id})
        with self.assertRaises(AccessError):
            item.write({"deadline": self.today + timedelta(days=30)})
        with self.assertRaises(AccessError):
            meeting.with_user(self.clerk2).write({"organizer_id": self.clerk2.id})
        item.with_user(self.clerk).write({"owner_id": self.clerk2.id})
        self.assertEqual(item.activity_id.user_id, self.clerk2)
        # The lead's passage ends; the new owner's starts, due on the same day.
        log = item._neiqin_open_logs()
        self.assertEqual(log.owner_user_id, self.clerk2)
        self.assertEqual(item.neiqin_step_owner_id, self.clerk2)
        self.assertEqual(log.deadline_at.date(), item.deadline + timedelta(days=1))

    def test_the_state_of_an_item_is_the_engines(self):
        meeting = self._meeting()
        with self.assertRaises(AccessError):
            meeting.action_ids.with_user(self.clerk2).write({"state": "done"})
        with self.assertRaises(AccessError):
            meeting.with_user(self.clerk).write({"state": "closed"})

    def test_cancelling_an_item_removes_its_activity_and_passage(self):
        meeting = self._meeting()
        meeting.action_publish_minutes()
        item = meeting.action_ids
        item.with_user(self.clerk).action_cancel()
        self.assertEqual(item.state, "cancelled")
        self.assertFalse(self._activities(item).filtered("active"))
        self.assertFalse(item._neiqin_open_logs())

    def test_a_new_deadline_moves_the_activity_and_the_passage(self):
        meeting = self._meeting()
        meeting.action_publish_minutes()
        item = meeting.action_ids
        new = self.today + timedelta(days=10)
        item.with_user(self.clerk).deadline = new
        self.assertEqual(item.activity_id.date_deadline, new)
        self.assertEqual(item._neiqin_open_logs().deadline_at.date(), new + timedelta(days=1))

    # ------------------------------------------------------------------ counts
    def test_the_meeting_shows_open_done_and_late_items(self):
        meeting = self._meeting(items=0)
        Action = self.Action.with_user(self.clerk)
        for name, deadline in (("a", -2), ("b", 3), ("c", 3)):
            Action.create(
                {
                    "meeting_id": meeting.id,
                    "name": name,
                    "owner_id": self.clerk2.id,
                    "deadline": self.today + timedelta(days=deadline),
                }
            )
        meeting.action_publish_minutes()
        meeting.action_ids.filtered(lambda a: a.name == "c").action_done()
        meeting.invalidate_recordset()
        self.assertEqual(
            (meeting.action_open_count, meeting.action_late_count, meeting.action_done_count),
            (2, 1, 1),
        )
        self.assertAlmostEqual(meeting.action_progress, 100.0 / 3)
        late = self.Meeting.search([("action_ids.is_late", "=", True)])
        self.assertIn(meeting, late)

    # ------------------------------------------------------------------ escalation
    def test_a_late_item_is_escalated_by_the_engine_once(self):
        meeting = self._meeting(deadline=date.today() - timedelta(days=6))
        meeting.action_publish_minutes()
        item = meeting.action_ids
        Log = self.env["neiqin.step.log"]
        Log._cron_check_overdue()
        Log._cron_check_overdue()
        log = Log.search([("res_model", "=", item._name), ("res_id", "=", item.id)])
        self.assertTrue(log.alerted_at)
        self.assertTrue(log.is_late)
        self.assertTrue(log.escalated_at)
        # Neither a team lead nor a manager above the owner: the organizer.
        self.assertEqual(log.escalated_to_id, self.clerk)
        escalated = self.env.ref("neiqin_base.mail_activity_type_step_escalated")
        escalations = self._activities(item).filtered(lambda a: a.activity_type_id == escalated)
        self.assertEqual(len(escalations), 1)
        self.assertEqual(escalations.user_id, self.clerk)
        self.assertTrue(item.is_late)
        # The engine's overdue activity is not the item's own: done, it
        # leaves the item open.
        overdue = self._activities(item) - item.activity_id - escalations
        overdue.with_user(self.clerk2).action_feedback()
        self.assertEqual(item.state, "open")

    def test_the_owners_manager_is_escalated_before_the_organizer(self):
        self.employee2.parent_id = self.lead_employee
        meeting = self._meeting(deadline=date.today() - timedelta(days=6))
        meeting.action_publish_minutes()
        self.env["neiqin.step.log"]._cron_check_overdue()
        log = meeting.action_ids._neiqin_open_logs()
        self.assertEqual(log.escalated_to_id, self.lead)

    # ------------------------------------------------------------------ access
    def test_an_employee_reaches_only_the_meetings_they_organise_or_attend(self):
        meeting = self._meeting()
        self.assertFalse(self.Meeting.with_user(self.outsider).search([("id", "=", meeting.id)]))
        with self.assertRaises(AccessError):
            meeting.with_user(self.outsider).read(["name"])
        with self.assertRaises(AccessError):
            meeting.action_ids.with_user(self.outsider).read(["name"])
        self.assertTrue(meeting.with_user(self.clerk2).read(["name"]))
        self.assertTrue(meeting.with_user(self.lead).read(["name"]))
        own = self.Meeting.with_user(self.outsider).create({"name": "My own meeting"})
        self.assertEqual(own.organizer_id, self.outsider)

    def test_only_managers_delete_meetings(self):
        meeting = self._meeting()
        with self.assertRaises(AccessError):
            meeting.with_user(self.clerk).unlink()
        with self.assertRaises(AccessError):
            meeting.with_user(self.lead).unlink()
        meeting.with_user(self.manager).unlink()
        self.assertFalse(meeting.exists())

    # ------------------------------------------------------------------ filing
    def test_closing_files_the_minutes_in_the_archive(self):
        meeting = self._meeting()
        meeting.action_publish_minutes()
        meeting.with_user(self.clerk).action_close()
        self.assertEqual(meeting.state, "closed")
        document = meeting.archive_document_id
        self.assertEqual(document.category_id, self.env.ref("neiqin_docs.archive_category_minutes"))
        self.assertEqual(document.kind, "minutes")
        self.assertEqual((document.res_model, document.res_id), (meeting._name, meeting.id))
        self.assertIn("Order review is late in the evening.", document.content)
        self.assertIn("Add an evening reviewer", document.content)
        self.assertIn("Item 0", document.content)
        # The organizer (a plain clerk) reads the filed minutes.
        self.assertTrue(document.with_user(self.clerk).read(["name"]))

    def test_filing_again_updates_the_same_document(self):
        meeting = self._meeting()
        meeting.action_publish_minutes()
        meeting.action_close()
        Archive = self.env["neiqin.archive.document"].with_user(self.clerk)
        first = meeting.archive_document_id
        meeting.action_ids.action_done()
        again = Archive._neiqin_file(meeting, "neiqin_docs.archive_category_minutes")
        self.assertEqual(again, first)
        self.assertEqual(
            self.env["neiqin.archive.document"].search_count(
                [("res_model", "=", meeting._name), ("res_id", "=", meeting.id)]
            ),
            1,
        )

    def test_closing_needs_published_minutes(self):
        meeting = self._meeting()
        with self.assertRaisesRegex(UserError, "Publish the minutes"):
            meeting.action_close()
