from odoo.tests import tagged

from ..engine import reads
from .common import NeiqinDqCase


@tagged("post_install", "-at_install")
class TestEngineReads(NeiqinDqCase):
    """engine/reads.py: what a rule reads, and whether a change concerns it."""

    def test_field_rule_reads_its_fields_and_its_scope(self):
        rule = self._rule("required", fields=["email"])
        links, read = reads.rule_reads(rule)
        self.assertEqual(links, {})
        self.assertEqual(read, {("res.partner", "email"), ("res.partner", "ref")})

    def test_scope_through_a_link_reads_the_linked_record(self):
        rule = self._rule(
            "required",
            fields=["email"],
            scope_domain="[('country_id.code', '=', 'CN')]",
        )
        links, read = reads.rule_reads(rule)
        self.assertEqual(links, {"country_id": "res.country"})
        self.assertIn(("res.country", "code"), read)
        self.assertIn(("res.partner", "country_id"), read)
        self.assertEqual(reads.linked_paths(rule), links)

    def test_reference_reads_the_linked_record_and_whether_it_is_active(self):
        rule = self._rule("reference", fields=["user_id"])
        links, read = reads.rule_reads(rule)
        self.assertEqual(links, {"user_id": "res.users"})
        self.assertIn(("res.users", "active"), read)
        self.assertIn(("res.users", "id"), read)

    def test_to_many_or_hierarchical_conditions_read_unknown(self):
        for scope in (
            "[('child_ids.email', '=', False)]",
            "[('parent_id', 'child_of', 1)]",
        ):
            with self.subTest(scope=scope):
                rule = self._rule("required", fields=["email"], scope_domain=scope)
                self.assertIsNone(reads.rule_reads(rule))
                self.assertIsNone(reads.linked_paths(rule))

    def test_module_check_reads_what_it_declares(self):
        rule = self._rule("method", method_name="_neiqin_dq_check_email_undeliverable")
        self.assertEqual(reads.method_reads(rule), ("email",))
        self.assertEqual(reads.linked_paths(rule), {})
        self.assertIn(("res.partner", "email"), reads.build_reads(rule)[rule.id])

    def test_link_compared_with_a_name_reads_the_linked_record(self):
        self.assertTrue(reads.names_linked_record("ilike", "chin"))
        self.assertTrue(reads.names_linked_record("in", ["China", 3]))
        self.assertFalse(reads.names_linked_record("=", 3))
        self.assertFalse(reads.names_linked_record("in", [1, 2]))

    def test_literal_conditions_use_no_placeholder(self):
        self.assertTrue(reads.literal("[('email', '=', False)]"))
        self.assertFalse(reads.literal("[('create_uid', '=', uid)]"))

    def test_rule_rereads_only_when_a_field_it_reads_was_written(self):
        rule = self._rule("required", fields=["email"])
        read = reads.build_reads(rule)[rule.id]
        self.assertFalse(reads.rereads(rule, read, {"res.partner": {"phone"}}))
        self.assertTrue(reads.rereads(rule, read, {"res.partner": {"email"}}))
        # Records created, or nothing known: every rule rechecks.
        self.assertTrue(reads.rereads(rule, read, {"res.partner": {reads.CREATED}}))
        self.assertTrue(reads.rereads(rule, read, None))
        self.assertTrue(reads.rereads(rule, None, {}))
        # A new linked record changes nothing until a record links to it.
        self.assertFalse(reads.rereads(rule, read, {"res.country": {reads.CREATED}}))
