from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import NeiqinCase


@tagged("post_install", "-at_install")
class TestResponsibility(NeiqinCase):
    def _record(self, user=None, **vals):
        task = self._task()
        log = task._neiqin_enter_step("one")
        values = {
            "step_log_id": log.id,
            "responsibility_type": "delay",
            "cause": "Late entry",
            **vals,
        }
        return self.env["neiqin.responsibility"].with_user(user or self.clerk).create(values)

    def test_record_takes_document_step_and_owner_from_the_passage(self):
        record = self._record()
        self.assertEqual(record.res_model, "neiqin.task")
        self.assertEqual(record.step_id, self.step1)
        self.assertEqual(record.owner_user_id, self.clerk)
        self.assertEqual(record.owner_team_id, self.team)
        self.assertTrue(record.name.startswith("RSP/"))
        self.assertEqual(record.state, "open")

    def test_clerk_cannot_confirm(self):
        record = self._record()
        with self.assertRaises(AccessError):
            record.with_user(self.clerk).action_confirm()
        with self.assertRaises(AccessError):
            record.with_user(self.clerk).write({"state": "confirmed"})
        self.assertEqual(record.state, "open")

    def test_lead_confirms_then_closes_with_a_correction(self):
        record = self._record()
        record.with_user(self.lead).action_confirm()
        self.assertEqual(record.state, "confirmed")
        self.assertEqual(record.confirmed_by_id, self.lead)
        with self.assertRaisesRegex(UserError, "correction"):
            record.with_user(self.lead).action_close()
        record.with_user(self.clerk).write({"correction": "Entry reminder at 9:00"})
        record.with_user(self.lead).action_close()
        self.assertEqual(record.state, "closed")
        self.assertTrue(record.closed_at)

    def test_clerk_sees_own_and_team_records_only(self):
        mine = self._record()
        other = self._record(
            user=self.lead,
            step_log_id=False,
            owner_user_id=self.clerk2.id,
            owner_team_id=self.team2.id,
        )
        visible = (
            self.env["neiqin.responsibility"]
            .with_user(self.clerk)
            .search([("id", "in", (mine | other).ids)])
        )
        self.assertEqual(visible, mine)
        visible2 = (
            self.env["neiqin.responsibility"]
            .with_user(self.clerk2)
            .search([("id", "in", (mine | other).ids)])
        )
        self.assertEqual(visible2, other)

    def test_kpi_points_cannot_be_negative(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self._record(kpi_points=-3)

    def test_form_creates_a_record(self):
        form = Form(self.env["neiqin.responsibility"].with_user(self.clerk))
        form.responsibility_type = "complaint"
        form.owner_user_id = self.clerk
        form.cause = "Customer complained about a wrong size"
        record = form.save()
        self.assertEqual(record.reported_by_id, self.clerk)
