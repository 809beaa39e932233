import re
from contextlib import contextmanager
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import CatalogCase

# Statements filling Odoo's caches of access rules, groups and users.
ACCESS_CACHE = re.compile(
    r"\b(ir_rule|rule_group_rel|res_groups\w*|res_users|res_company|ir_model_data)\b"
)
SCOPE = "[('ref', '=like', 'CLN-%')]"


@tagged("post_install", "-at_install")
class TestCleaning(CatalogCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        cls.messy = cls._partner("messy", phone="138 1234 5678")
        cls.plus = cls._partner("plus", mobile="+86-139-0000-1111")
        cls.clean = cls._partner("clean", phone="+8613700001111")
        cls.invalid = cls._partner("invalid", phone="1390000")

    @classmethod
    def _partner(cls, ref, **vals):
        return cls.Partner.create({"name": ref, "ref": f"CLN-{ref}", **vals})

    def _run(self, kind="phone", user=None, scope=SCOPE):
        return (
            self.env["neiqin.cleaning"]
            .with_user(user or self.clerk)
            .create({"name": f"Test {kind}", "kind": kind, "scope_domain": scope})
        )

    @contextmanager
    def _statements(self):
        """The SQL statements the block runs, as a list."""
        statements = []
        execute = type(self.env.cr).execute

        def record(cr, query, params=None, log_exceptions=True):
            statements.append(query)
            return execute(cr, query, params, log_exceptions)

        with patch.object(type(self.env.cr), "execute", record):
            yield statements

    def _changes(self, run):
        return {
            (line.partner_id, line.field_name): (line.old_value, line.new_value)
            for line in run.line_ids
        }

    def test_preview_lists_only_the_values_it_changes(self):
        run = self._run()
        run.action_preview()
        self.assertEqual(run.state, "previewed")
        self.assertEqual(
            self._changes(run),
            {
                (self.messy, "phone"): ("138 1234 5678", "+8613812345678"),
                (self.plus, "mobile"): ("+86-139-0000-1111", "+8613900001111"),
            },
        )
        self.assertEqual(self.messy.phone, "138 1234 5678", "a preview changes nothing")

    def test_trim_and_case(self):
        spaced = self._partner("  spaced  name ", email=" a@example.com ")
        shouting = self._partner("Wang Fang", email="ZHANG.WEI@EXAMPLE.COM")
        latin = self._partner("y")
        chinese = self._partner("z")
        # The names the ORM would keep as typed, written as an import leaves them.
        latin.name = "zhang wei"
        chinese.name = " 张伟 "
        trim = self._run("trim", scope=f"[('id', 'in', {spaced.ids})]")
        trim.action_preview()
        self.assertEqual(
            self._changes(trim),
            {
                (spaced, "name"): ("  spaced  name ", "spaced name"),
                (spaced, "email"): (" a@example.com ", "a@example.com"),
            },
        )
        case = self._run("case", scope=f"[('id', 'in', {(shouting | latin | chinese).ids})]")
        case.action_preview()
        self.assertEqual(
            self._changes(case),
            {
                (shouting, "email"): ("ZHANG.WEI@EXAMPLE.COM", "zhang.wei@example.com"),
                (latin, "name"): ("zhang wei", "Zhang Wei"),
                (chinese, "name"): (" 张伟 ", "张伟"),
            },
        )

    def test_apply_writes_logs_and_skips_what_changed_since(self):
        run = self._run()
        run.action_preview()
        self.plus.mobile = "13911112222"  # edited after the preview
        run.with_user(self.clerk).action_apply()
        self.assertEqual(run.state, "applied")
        self.assertEqual(self.messy.phone, "+8613812345678")
        self.assertEqual(self.plus.mobile, "13911112222", "a newer edit is kept")
        lines = {line.partner_id: line for line in run.line_ids}
        self.assertEqual(lines[self.messy].state, "applied")
        self.assertEqual(lines[self.messy].applied_by_id, self.clerk)
        self.assertTrue(lines[self.messy].applied_at)
        self.assertEqual(lines[self.plus].state, "skipped")

    def test_undo_restores_and_flags_conflicts(self):
        other = self._partner("other", phone="136 0000 2222")
        run = self._run()
        run.action_preview()
        run.action_apply()
        other.phone = "13600003333"  # edited after the run
        with self.assertRaises(AccessError):
            run.with_user(self.clerk).action_undo()
        run.with_user(self.lead).action_undo()
        self.assertEqual(run.state, "undone")
        self.assertEqual(self.messy.phone, "138 1234 5678")
        self.assertEqual(self.plus.mobile, "+86-139-0000-1111")
        self.assertEqual(other.phone, "13600003333")
        lines = {line.partner_id: line for line in run.line_ids}
        self.assertEqual(lines[self.messy].state, "undone")
        self.assertEqual(lines[self.messy].undone_by_id, self.lead)
        self.assertEqual(lines[other].state, "conflict")

    def test_undo_selected_lines_only(self):
        run = self._run()
        run.action_preview()
        run.action_apply()
        line = run.line_ids.filtered(lambda ln: ln.partner_id == self.messy)
        line.with_user(self.lead).action_undo()
        self.assertEqual(self.messy.phone, "138 1234 5678")
        self.assertEqual(self.plus.mobile, "+8613900001111")

    def test_plain_user_and_clerk_refused_where_they_must_be(self):
        with self.assertRaises(AccessError):
            self._run(user=self.outsider)
        run = self._run()
        with self.assertRaises(AccessError):
            run.with_user(self.outsider).action_preview()
        run.action_preview()
        with self.assertRaises(AccessError):
            run.line_ids[0].with_user(self.clerk).write({"new_value": "+8600000000000"})
        with self.assertRaises(AccessError):
            run.with_user(self.clerk).write({"state": "applied"})
        with self.assertRaises(AccessError):
            run.line_ids.with_user(self.clerk).unlink()

    def test_scope_with_code_is_refused(self):
        for scope in (
            "[('name', '=', __import__('os').getcwd())]",
            "[('name', '=', user.name)]",
            "[('no_such_field', '=', 1)]",
        ):
            with self.assertRaises(ValidationError):
                self._run(scope=scope)

    def test_preview_queries_are_the_same_for_5_and_50_partners(self):
        counts = []
        for number in (5, 50):
            tag = f"QC{number}"
            self.Partner.create(
                [
                    {"name": f"{tag} {i}", "ref": tag, "phone": f"138 0000 {i:04d}"}
                    for i in range(number)
                ]
            )
            scope = f"[('ref', '=', '{tag}')]"
            # A first preview fills Odoo's caches the measured one may find filled.
            self._run(scope=scope).action_preview()
            run = self._run(scope=scope)
            self.env.flush_all()
            self.env.invalidate_all()
            with self._statements() as statements:
                run.action_preview()
                self.env.flush_all()
            # What reads the user's access rules and groups is cached by
            # Odoo, filled or not depending on what ran before: not counted.
            counts.append(len([q for q in statements if not ACCESS_CACHE.search(str(q))]))
            self.assertEqual(len(run.line_ids), number)
        self.assertEqual(counts[0], counts[1])

    def test_merge_duplicates_with_odoos_wizard(self):
        one = self._partner("dup one", email="same@example.com")
        two = self._partner("dup two", email="same@example.com")
        run = self._run("merge", scope=f"[('id', 'in', {(one | two).ids})]")
        run.action_preview()
        self.assertEqual(len(run.line_ids), 1)
        self.assertEqual(run.line_ids.partner_id, two)
        self.assertEqual(run.line_ids.merged_into_id, one)
        self.lead.groups_id = [Command.link(self.env.ref("base.group_partner_manager").id)]
        run.with_user(self.lead).action_apply()
        self.assertEqual(run.line_ids.state, "applied")
        self.assertFalse(two.exists())
        self.assertEqual(run.line_ids.merged_into_id, one)
        with self.assertRaises(UserError):
            run.line_ids.with_user(self.lead).action_undo()

    def test_apply_queries_are_the_same_for_2_and_20_partners(self):
        counts = []
        # The first run fills the caches Odoo fills once: not compared.
        for number in (2, 2, 20):
            tag = f"AQ{len(counts)}"
            self.Partner.create(
                [
                    {"name": f"{tag} {i}", "ref": tag, "phone": f"138 0000 {i:04d}"}
                    for i in range(number)
                ]
            )
            run = self._run(scope=f"[('ref', '=', '{tag}')]")
            run.action_preview()
            self.assertEqual(len(run.line_ids), number)
            self.env.flush_all()
            self.env.invalidate_all()
            with self._statements() as statements:
                run.with_user(self.clerk).action_apply()
                self.env.flush_all()
            counts.append(len([q for q in statements if not ACCESS_CACHE.search(str(q))]))
            partners = run.line_ids.partner_id
            self.assertEqual(
                sorted(partners.mapped("phone")),
                sorted(f"+86138{'0000'}{i:04d}" for i in range(number)),
            )
            self.assertEqual(set(run.line_ids.mapped("state")), {"applied"})
        self.assertEqual(counts[1], counts[2], counts)

    def test_apply_keeps_tracking_write_date_and_computed_fields(self):
        spaced = self._partner("spaced", email=" li.na@example.com ", city=" 杭州 ")
        spaced.name = "  Li  Na "
        contact = self.Partner.create(
            {"name": "李娜", "parent_id": spaced.id, "type": "contact", "city": " 杭州 "}
        )
        self.env.flush_all()
        run = self._run("trim", scope=f"[('id', '=', {spaced.id})]")
        run.action_preview()
        self.env.cr.precommit.clear()
        run.with_user(self.clerk).with_context(tracking_disable=False).action_apply()
        self.assertEqual(spaced.email, "li.na@example.com")
        self.assertEqual(spaced.complete_name, "Li Na", "recomputed")
        self.assertEqual(contact.complete_name, "Li Na, 李娜", "recomputed")
        self.assertEqual(spaced.write_uid, self.clerk)
        # The company's contact follows its address, as Odoo's write does.
        self.assertEqual(contact.city, "杭州")
        # The chatter tracks the change when the transaction commits.
        self.env.cr.precommit.run()
        tracked = spaced.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "email"
        )
        self.assertEqual(tracked.old_value_char, " li.na@example.com ")
        self.assertEqual(tracked.new_value_char, "li.na@example.com")
        # Undone as applied: the old values back, the contact's too.
        run.with_user(self.lead).action_undo()
        self.assertEqual(spaced.email, " li.na@example.com ")
        self.assertEqual(contact.city, " 杭州 ")
