from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
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


@tagged("post_install", "-at_install")
class TestResponsibilityControls(NeiqinCase):
    """What the people a record concerns cannot do, tried as them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lead2 = new_test_user(cls.env, "nq_lead2", groups="neiqin_base.group_neiqin_lead")
        cls.lead2.lang = "en_US"
        cls.task = cls._task()
        cls.log = cls.task._neiqin_enter_step("one")

    def _record(self, user=None, **vals):
        values = {"step_log_id": self.log.id, "cause": "Late entry", "kpi_points": 2, **vals}
        return self.env["neiqin.responsibility"].with_user(user or self.clerk).create(values)

    def _confirmed(self, **vals):
        record = self._record(**vals)
        record.with_user(self.lead).action_confirm()
        return record

    def test_clerk_cannot_create_a_record_already_confirmed_or_closed(self):
        for name, value in (
            ("state", "closed"),
            ("confirmed_by_id", self.lead.id),
            ("confirmed_at", "2024-01-01 00:00:00"),
            ("closed_at", "2024-01-01 00:00:00"),
            ("name", "RSP/FAKE"),
            ("reported_by_id", self.clerk2.id),
            ("res_name", "Something else"),
        ):
            with self.subTest(field=name), self.assertRaises(AccessError):
                self._record(**{name: value})
        self.assertFalse(
            self.env["neiqin.responsibility"].search([("step_log_id", "=", self.log.id)])
        )

    def test_defaults_sent_by_a_caller_do_not_confirm_a_record(self):
        record = (
            self.env["neiqin.responsibility"]
            .with_user(self.clerk)
            .with_context(default_state="closed", default_confirmed_by_id=self.lead.id)
            .create({"step_log_id": self.log.id, "cause": "x"})
        )
        self.assertEqual((record.state, record.confirmed_by_id), ("open", self.env["res.users"]))
        self.assertEqual(record.reported_by_id, self.clerk)

    def test_nobody_writes_the_state_or_the_confirmation_directly(self):
        record = self._record()
        for user in (self.clerk, self.lead, self.manager):
            for name, value in (
                ("state", "confirmed"),
                ("confirmed_by_id", self.lead.id),
                ("confirmed_at", "2024-01-01 00:00:00"),
                ("reported_by_id", self.clerk2.id),
            ):
                with self.subTest(user=user.login, field=name), self.assertRaises(AccessError):
                    record.with_user(user).write({name: value})
        self.assertEqual(record.state, "open")

    def test_owner_cannot_change_a_confirmed_record(self):
        record = self._confirmed()
        for name, value in (
            ("kpi_points", 0),
            ("owner_user_id", self.clerk2.id),
            ("owner_team_id", self.team2.id),
            ("cause", "Not my fault"),
            ("responsibility_type", "other"),
            ("step_log_id", False),
        ):
            with self.subTest(field=name), self.assertRaisesRegex(AccessError, "confirmed"):
                record.with_user(self.clerk).write({name: value})
        self.assertEqual((record.kpi_points, record.owner_user_id), (2, self.clerk))

    def test_owner_writes_the_correction_until_the_record_is_closed(self):
        record = self._confirmed()
        record.with_user(self.clerk).write({"correction": "Reminder at 9:00"})
        record.with_user(self.clerk).message_post(body="Done today")
        record.with_user(self.lead).action_close()
        with self.assertRaisesRegex(AccessError, "confirmed"):
            record.with_user(self.clerk).write({"correction": "Nothing to correct"})
        self.assertEqual(record.correction, "Reminder at 9:00")

    def test_form_saving_the_values_it_shows_changes_nothing(self):
        record = self._confirmed()
        record.with_user(self.clerk).write({"kpi_points": 2, "cause": "Late entry"})
        self.assertEqual(record.kpi_points, 2)

    def test_another_lead_amends_a_confirmed_record(self):
        record = self._confirmed()
        record.with_user(self.lead2).write({"kpi_points": 1})
        self.assertEqual(record.kpi_points, 1)

    def test_lead_owner_neither_confirms_nor_changes_a_record_of_their_own(self):
        record = self._record(user=self.lead, owner_user_id=self.lead.id)
        self.assertEqual(record.owner_user_id, self.lead)
        with self.assertRaisesRegex(AccessError, "of their own"):
            record.with_user(self.lead).action_confirm()
        record.with_user(self.lead2).action_confirm()
        with self.assertRaisesRegex(AccessError, "confirmed"):
            record.with_user(self.lead).write({"kpi_points": 0})
        with self.assertRaisesRegex(AccessError, "of their own"):
            record.with_user(self.lead).action_reopen()
        self.assertEqual((record.state, record.kpi_points), ("confirmed", 2))

    def test_reopened_record_is_open_to_its_people_again(self):
        record = self._confirmed()
        with self.assertRaises(AccessError):
            record.with_user(self.clerk).action_reopen()
        record.with_user(self.lead).action_reopen()
        self.assertEqual((record.state, record.confirmed_by_id), ("open", self.env["res.users"]))
        record.with_user(self.clerk).write({"cause": "Late entry, file missing"})
        with self.assertRaisesRegex(UserError, "reopened"):
            record.with_user(self.lead).action_reopen()

    def test_document_the_user_cannot_read_is_refused(self):
        hidden = self._task("Secret reconciliation", user=self.clerk2, team_id=self.team2.id)
        for res_model, res_id in (
            ("neiqin.task", hidden.id),
            ("ir.config_parameter", self.env["ir.config_parameter"].search([], limit=1).id),
            ("neiqin.task", 999999999),
            ("no.such.model", 1),
            ("neiqin.engine.mixin", 1),
        ):
            with self.subTest(model=res_model):
                with self.assertRaisesRegex(AccessError, "does not exist or you may not") as ctx:
                    self._record(step_log_id=False, res_model=res_model, res_id=res_id)
                self.assertNotIn("Secret", str(ctx.exception))
        record = self._record(
            step_log_id=False,
            res_model="neiqin.task",
            res_id=self.task.id,
            owner_user_id=self.clerk.id,
        )
        with self.assertRaisesRegex(AccessError, "does not exist or you may not"):
            record.with_user(self.clerk).write({"res_id": hidden.id})
        self.assertEqual(record.res_name, self.task.name)

    def test_passage_of_another_document_is_refused(self):
        other = self._task("Other task")
        other_log = other._neiqin_enter_step("one")
        with self.assertRaisesRegex(ValidationError, "another document"):
            self._record(step_log_id=other_log.id, res_model="neiqin.task", res_id=self.task.id)
        record = self._record()
        with self.assertRaisesRegex(ValidationError, "another document"):
            record.with_user(self.clerk).write({"step_log_id": other_log.id})
        self.assertEqual(record.step_log_id, self.log)

    def test_passage_the_user_cannot_see_is_refused(self):
        hidden = self._task("Other desk task", user=self.clerk2, team_id=self.team2.id)
        hidden_log = hidden._neiqin_enter_step("two")
        with self.assertRaisesRegex(AccessError, "passage does not exist or you may not"):
            self._record(step_log_id=hidden_log.id)

    def test_step_is_the_step_of_the_passage(self):
        with self.assertRaisesRegex(ValidationError, "names the step of"):
            self._record(step_id=self.step2.id)
