from psycopg2 import Error

from odoo.tests import tagged

from ..engine import scan_index
from .common import NeiqinDqCase

KEY_INDEX = "res_partner__neiqin_dq_zip_ci_hash_index"


@tagged("post_install", "-at_install")
class TestEngineScanIndex(NeiqinDqCase):
    """engine/scan_index.py: the indexes rules need, built and dropped."""

    def test_specs_index_write_dates_links_and_duplicate_keys(self):
        rule = self._rule(
            "duplicate",
            fields=["zip"],
            case_insensitive=True,
            scope_domain="[('country_id.code', '=', 'CN')]",
        )
        specs = scan_index.index_specs(rule)
        self.assertEqual(specs[KEY_INDEX].method, "hash")
        self.assertEqual(specs[KEY_INDEX].table, "res_partner")
        self.assertIn("res_partner__neiqin_write_date_index", specs)
        self.assertIn("res_country__neiqin_write_date_index", specs)
        # The link a rescan follows backwards, unless its field has one.
        self.assertEqual(
            "res_partner__neiqin_country_id_index" in specs,
            not self.Partner._fields["country_id"].index,
        )

    def test_apply_plan_builds_tags_and_drops(self):
        rule = self._rule("duplicate", fields=["zip"], case_insensitive=True)
        specs = {KEY_INDEX: scan_index.index_specs(rule)[KEY_INDEX]}
        found = scan_index.found_indexes(self.env.cr, specs)
        scan_index.apply_plan(
            self.env, specs, {n: f for n, f in found.items() if n in specs}, False
        )
        there = scan_index.found_indexes(self.env.cr, specs)[KEY_INDEX]
        self.assertEqual(there, scan_index.FoundIndex("res_partner", True, True, True))
        # Wanted no more: the engine's index is dropped.
        found = scan_index.found_indexes(self.env.cr, specs)
        scan_index.apply_plan(self.env, {}, {KEY_INDEX: found[KEY_INDEX]}, False)
        self.assertNotIn(KEY_INDEX, scan_index.found_indexes(self.env.cr, specs))

    def test_an_index_a_stopped_build_left_is_tagged(self):
        self.env.cr.execute(f"CREATE INDEX {KEY_INDEX} ON res_partner (zip)")
        scan_index.note_building(self.env, KEY_INDEX)
        found = scan_index.found_with_stopped_build(self.env, {})
        self.assertTrue(found[KEY_INDEX].tagged)
        self.assertTrue(scan_index.found_indexes(self.env.cr, [KEY_INDEX])[KEY_INDEX].tagged)
        param = self.env["ir.config_parameter"].sudo().get_param(scan_index.INDEX_BUILDING)
        self.assertFalse(param)

    def test_failed_ddl_raises_in_a_transaction(self):
        with self.assertRaises(Error), self.env.cr.savepoint():
            scan_index.run_ddl(self.env, scan_index.drop_sql("res_partner", False), False)
