from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from ..engine import scan_index
from .common import NeiqinCase, age_changes, run_migration

SCOPE = "[('ref', '=like', 'DQT-%')]"
FOUND_NONE = scan_index.FoundIndex(None, False, False, False)


@tagged("post_install", "-at_install")
class TestDqRules(NeiqinCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._dq_setup()

        def make(ref, **vals):
            return cls.Partner.create({"name": ref, "ref": f"DQT-{ref}", **vals})

        cls.good = make(
            "good",
            email="good@example.com",
            phone="+86 138 0000 0001",
            street="1 Road",
            city="Shanghai",
            country_id=cls.country.id,
            partner_latitude=31.2,
        )
        cls.no_email = make(
            "no_email", phone="1", street="2 Road", city="Beijing", country_id=cls.country.id
        )
        cls.bad_email = make(
            "bad_email",
            email="not-an-email",
            street="3 Road",
            city="Beijing",
            country_id=cls.country.id,
        )
        cls.dup_a = make(
            "dup_a", email="Same@Example.com", country_id=cls.country.id, street="4", city="X"
        )
        cls.dup_b = make(
            "dup_b", email=" same@example.com", country_id=cls.country.id, street="5", city="Y"
        )
        cls.no_country = make("no_country", email="nc@example.com", street="6", city="Z")
        cls.far = make(
            "far",
            email="far@example.com",
            partner_latitude=123.0,
            country_id=cls.country.id,
            street="7",
            city="Z",
        )
        cls.all = (
            cls.good
            | cls.no_email
            | cls.bad_email
            | cls.dup_a
            | cls.dup_b
            | cls.no_country
            | cls.far
        )

    def _field(self, name):
        return self.env["ir.model.fields"]._get("res.partner", name)

    def _rule(self, rule_type, **vals):
        values = {
            "name": f"Test {rule_type}",
            "model_id": self.partner_model.id,
            "rule_type": rule_type,
            "scope_domain": SCOPE,
            **vals,
        }
        if "fields" in values:
            values["field_ids"] = [Command.set([self._field(f).id for f in values.pop("fields")])]
        return self.Rule.create(values)

    def _bad(self, rule):
        rule._scan()
        return self._open(rule)

    def _open(self, rule):
        """The records with an open issue of ``rule``, as filed."""
        return self.Partner.browse(
            rule.issue_ids.filtered(lambda i: i.state == "open").mapped("res_id")
        )

    # ------------------------------------------------------------ each type
    def test_required_finds_records_missing_a_field(self):
        rule = self._rule("required", fields=["email", "street"])
        self.assertEqual(self._bad(rule), self.no_email)

    def test_regex_finds_malformed_values(self):
        rule = self._rule("regex", fields=["email"], pattern=r"^\s*[^@\s]+@[^@\s]+\.[a-zA-Z]+$")
        self.assertEqual(self._bad(rule), self.bad_email)

    def test_range_finds_values_out_of_bounds(self):
        rule = self._rule(
            "range",
            fields=["partner_latitude"],
            has_min=True,
            min_value=-90,
            has_max=True,
            max_value=90,
        )
        self.assertEqual(self._bad(rule), self.far)

    def test_range_compares_with_the_bounds_as_typed(self):
        # Latitudes keep 7 digits: a domain would round this minimum to 0.
        rule = self._rule("range", fields=["partner_latitude"], has_min=True, min_value=0.00000001)
        self.assertEqual(self._bad(rule), self.all - self.good - self.far)

    def test_domain_finds_matching_records(self):
        rule = self._rule("domain", bad_record_domain="[('email', '=', False)]")
        self.assertEqual(self._bad(rule), self.no_email)

    def test_duplicate_finds_both_sides_ignoring_case_and_spaces(self):
        rule = self._rule("duplicate", fields=["email"], case_insensitive=True)
        self.assertEqual(self._bad(rule), self.dup_a | self.dup_b)

    def test_duplicate_is_exact_when_case_matters(self):
        rule = self._rule("duplicate", fields=["email"])
        self.assertFalse(self._bad(rule))

    def _index_methods(self, table, name):
        self.env.cr.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname LIKE %s",
            [table, f"%{name}%"],
        )
        return {row[0]: row[1].split(" USING ")[1].split(" ")[0] for row in self.env.cr.fetchall()}

    def _tagged(self, name):
        return scan_index.found_indexes(self.env.cr, [name]).get(name, FOUND_NONE).tagged

    def _trigger_count(self):
        cron = self.env.ref("neiqin_base.ir_cron_neiqin_dq_scan_indexes")
        return self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])

    def test_duplicate_keys_are_indexed_by_hash_for_one_field_by_btree_for_more(self):
        self._rule("duplicate", fields=["email"], case_insensitive=True)
        self._rule("duplicate", fields=["city", "zip"])
        self.Rule._maintain_scan_indexes(concurrently=False)
        self.assertEqual(
            self._index_methods("res_partner", "neiqin_dq_"),
            {
                "res_partner__neiqin_dq_email_ci_hash_index": "hash",
                "res_partner__neiqin_dq_city_zip_index": "btree",
            },
        )

    def test_upgrade_replaces_the_btree_index_of_a_one_field_key(self):
        rule = self._rule("duplicate", fields=["email"], case_insensitive=True)
        self.Rule._maintain_scan_indexes(concurrently=False)
        self.env.cr.execute("DROP INDEX res_partner__neiqin_dq_email_ci_hash_index")
        # As the engine indexed a key before 18.0.1.1.0.
        self.env.cr.execute(
            "CREATE INDEX res_partner__neiqin_dq_email_ci_index "
            "ON res_partner (lower(btrim((email)::text)))"
        )
        run_migration(self.env.cr, "neiqin_base", "18.0.1.1.0", "18.0.1.0.0")
        self.assertEqual(
            self._index_methods("res_partner", "neiqin_dq_"),
            {"res_partner__neiqin_dq_email_ci_hash_index": "hash"},
        )
        self.assertEqual(self._bad(rule), self.dup_a | self.dup_b)

    def test_saving_a_rule_builds_no_index_in_the_request(self):
        triggers = self._trigger_count()
        # The lead changes it below: a rule of the lead's company.
        rule = self._rule(
            "duplicate", fields=["city"], case_insensitive=True, company_id=self.company.id
        )
        # CREATE INDEX would block the writes on contacts while it builds:
        # the scheduled action builds it, soon.
        self.assertFalse(self._index_methods("res_partner", "neiqin_dq_city"))
        self.assertEqual(self._trigger_count(), triggers + 1)
        # Scans work without it.
        self.assertEqual(
            self._bad(rule), self.no_email | self.bad_email | self.no_country | self.far
        )
        rule.with_user(self.lead).case_insensitive = False
        self.assertFalse(self._index_methods("res_partner", "neiqin_dq_city"))
        self.assertEqual(self._trigger_count(), triggers + 2)
        self.Rule._maintain_scan_indexes(concurrently=False)
        self.assertEqual(
            self._index_methods("res_partner", "neiqin_dq_city"),
            {"res_partner__neiqin_dq_city_hash_index": "hash"},
        )
        self.assertTrue(self._tagged("res_partner__neiqin_dq_city_hash_index"))

    def test_indexes_no_rule_needs_are_dropped_if_the_engine_made_them(self):
        rule = self._rule(
            "duplicate", fields=["city"], case_insensitive=True, company_id=self.company.id
        )
        self.Rule._maintain_scan_indexes(concurrently=False)
        name = "res_partner__neiqin_dq_city_ci_hash_index"
        self.assertTrue(self._tagged(name))
        # An index someone made with a name like the engine's.
        self.env.cr.execute("CREATE INDEX res_partner__neiqin_dq_zip_index ON res_partner (zip)")
        triggers = self._trigger_count()
        rule.with_user(self.lead).active = False
        self.assertEqual(self._trigger_count(), triggers + 1)
        self.Rule._maintain_scan_indexes(concurrently=False)
        self.assertEqual(
            self._index_methods("res_partner", "neiqin_dq_zip"),
            {"res_partner__neiqin_dq_zip_index": "btree"},
        )
        self.assertFalse(self._index_methods("res_partner", "neiqin_dq_city"))
        rule.with_user(self.lead).active = True
        self.Rule._maintain_scan_indexes(concurrently=False)
        self.assertTrue(self._tagged(name))
        rule.with_user(self.manager).unlink()
        self.assertEqual(self._trigger_count(), triggers + 3)
        self.Rule._maintain_scan_indexes(concurrently=False)
        self.assertFalse(self._index_methods("res_partner", "neiqin_dq_city"))
        self.assertTrue(self._index_methods("res_partner", "neiqin_dq_zip"))

    def test_upgrade_tags_the_indexes_the_engine_made_before(self):
        self._rule("duplicate", fields=["city"], case_insensitive=True)
        # As the engine indexed a key before 18.0.1.3.0: at once, no tag.
        self.env.cr.execute(
            "CREATE INDEX res_partner__neiqin_dq_city_ci_hash_index "
            "ON res_partner USING hash (lower(btrim((city)::text)))"
        )
        self.env.cr.execute("CREATE INDEX res_partner__neiqin_dq_zip_index ON res_partner (zip)")
        self._migrate("18.0.1.3.0", "18.0.1.2.0")
        self.assertTrue(self._tagged("res_partner__neiqin_dq_city_ci_hash_index"))
        self.assertFalse(self._tagged("res_partner__neiqin_dq_zip_index"))

    def test_upgrade_gives_each_condition_its_field_and_checks_their_prefix(self):
        condition = self._rule("domain", bad_record_domain="[('city', '=', False)]")
        reference = self._rule(
            "reference", fields=["country_id"], linked_record_domain="[('code', '!=', 'FR')]"
        )
        method = self._rule("method", method_name="_neiqin_dq_check_email_undeliverable")
        rules = condition | reference | method
        self.env.flush_all()
        # As rules were before 18.0.1.4.0: one condition column for both
        # meanings, check methods named _neiqin_dq_<name>.
        self.env.cr.execute("ALTER TABLE neiqin_dq_rule ADD COLUMN domain varchar")
        self.env.cr.execute(
            """UPDATE neiqin_dq_rule
                  SET domain = coalesce(bad_record_domain, linked_record_domain),
                      bad_record_domain = NULL, linked_record_domain = NULL,
                      method_name = replace(method_name, '_neiqin_dq_check_', '_neiqin_dq_')
                WHERE id = ANY(%s)""",
            [rules.ids],
        )
        self._migrate("18.0.1.4.0", "18.0.1.3.0", "pre-migration")
        self.env.invalidate_all()
        self.assertEqual(condition.bad_record_domain, "[('city', '=', False)]")
        self.assertFalse(condition.linked_record_domain)
        self.assertEqual(reference.linked_record_domain, "[('code', '!=', 'FR')]")
        self.assertFalse(reference.bad_record_domain)
        self.assertEqual(method.method_name, "_neiqin_dq_check_email_undeliverable")
        rules._check_configuration()
        self.assertEqual(self._bad(reference), self.no_country)

    def test_check_method_names_are_not_the_mixins_helpers(self):
        with self.assertRaisesRegex(ValidationError, "_neiqin_dq_check_"):
            self._rule("method", method_name="_neiqin_dq_rules")
        with self.assertRaisesRegex(ValidationError, "_neiqin_dq_check_"):
            self._rule("method", method_name="_neiqin_dq_email_undeliverable")

    def test_each_condition_field_serves_its_type_only(self):
        # A reference rule reads its own condition, not a condition rule's.
        rule = self._rule("reference", fields=["country_id"], bad_record_domain="[('id', '!=', 0)]")
        self.assertEqual(self._bad(rule), self.no_country)

    def _migrate(self, version, installed, script="post-migration"):
        run_migration(self.env.cr, "neiqin_base", version, installed, script)

    def test_reference_finds_missing_targets(self):
        rule = self._rule("reference", fields=["country_id"])
        self.assertEqual(self._bad(rule), self.no_country)

    def test_reference_finds_targets_breaking_the_condition(self):
        rule = self._rule(
            "reference", fields=["country_id"], linked_record_domain="[('code', '!=', 'FR')]"
        )
        self.far.country_id = self.env.ref("base.fr")
        self.assertEqual(self._bad(rule), self.no_country | self.far)

    def test_reference_finds_archived_targets(self):
        two = self.good | self.far
        rule = self._rule(
            "reference", fields=["user_id"], scope_domain=f"[('id', 'in', {two.ids})]"
        )
        self.good.user_id = self.clerk2
        self.assertEqual(self._bad(rule), self.far)
        self.clerk2.active = False
        self.assertEqual(self._bad(rule), self.far | self.good)

    def test_method_rule_calls_the_module_check(self):
        rule = self._rule("method", method_name="_neiqin_dq_check_email_undeliverable")
        self.assertEqual(self._bad(rule), self.bad_email)

    def test_module_check_answers_alike_from_the_cache_and_from_the_database(self):
        rule = self._rule("method", method_name="_neiqin_dq_check_email_undeliverable")
        odd = self.Partner.create(
            [
                {"name": "named", "email": '"Named" <named@example.com>'},
                {"name": "double at", "email": "x@@example.com"},
                {"name": "spaced", "email": "two words@example.com"},
                {"name": "no dot", "email": "local@host"},
            ]
        )
        partners = self.all | odd
        partners.mapped("email")  # in the cache, as a rescan leaves them
        from_cache = partners._neiqin_dq_check_email_undeliverable(rule)
        self.assertIn(self.bad_email, from_cache)
        self.assertNotIn(self.good, from_cache)
        partners.invalidate_recordset(["email"])
        with self.assertQueryCount(1):
            from_database = partners._neiqin_dq_check_email_undeliverable(rule)
        self.assertEqual(from_database, from_cache)

    def test_issue_carries_rule_owner_and_message(self):
        rule = self._rule(
            "required", fields=["email"], owner_team_id=self.team.id, message="Add an email"
        )
        rule._scan()
        issue = rule.issue_ids
        self.assertEqual(issue.res_name, "no_email")
        self.assertEqual(issue.owner_team_id, self.team)
        self.assertEqual(issue.message, "Add an email")
        self.assertEqual(self.no_email.with_user(self.clerk).neiqin_dq_issue_count, 1)

    # ------------------------------------------------------------ lifecycle
    def test_fixed_record_closes_its_issue_and_reopening_is_counted(self):
        rule = self._rule("required", fields=["email"])
        rule._scan()
        issue = rule.issue_ids
        self.no_email.email = "fixed@example.com"
        rule._scan()
        self.assertEqual(issue.state, "closed")
        self.assertTrue(issue.closed_at)
        self.no_email.email = False
        rule._scan()
        self.assertEqual(issue.state, "open")
        self.assertEqual(issue.reopen_count, 1)
        self.assertEqual(len(rule.issue_ids), 1)

    def _age_data_and_scan(self, rule):
        """Make every test partner, and the countries they link to, older
        than the rule's last scan."""
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE res_country SET write_date = now() - interval '1 day'
                WHERE id IN (SELECT country_id FROM res_partner WHERE ref LIKE 'DQT-%%')"""
        )
        age_changes(self.env, rule, SQL("ref LIKE 'DQT-%%'"))

    def test_incremental_scan_checks_only_changed_records(self):
        rule = self._rule("required", fields=["email"])
        self.assertEqual(rule._scan()[rule], len(self.all))
        self.assertEqual(rule._linked_paths(), {})
        self._age_data_and_scan(rule)
        self.good.email = False
        # Only the changed record: the unchanged one with an open issue
        # cannot have changed its verdict, and its issue stays open.
        self.assertEqual(rule._scan()[rule], 1)
        self.assertEqual(self._bad(rule), self.no_email | self.good)

    def test_incremental_scan_rechecks_only_rules_reading_a_written_field(self):
        email = self._rule("required", fields=["email"])
        phone = self._rule("required", fields=["phone"])
        city = self._rule("domain", bad_record_domain="[('country_id.code', '=', 'ZZ')]")
        rules = email | phone | city
        rules._scan()
        self._age_data_and_scan(rules)
        self.good.phone = False
        self.bad_email.write({"phone": "+86 138 0000 0003"})
        counts = rules._scan()
        # The changed records, against the rule reading the phone only.
        self.assertEqual((counts[email], counts[phone], counts[city]), (0, 2, 0))
        self.assertIn(self.good, self._open(phone))
        self.assertNotIn(self.bad_email, self._open(phone))
        # A field read through a link: the country's code.
        self._age_data_and_scan(rules)
        self.country.code = "ZZ"
        counts = rules._scan()
        self.assertEqual((counts[email], counts[phone]), (0, 0))
        self.assertEqual(self._open(city), self.all - self.no_country)

    def test_incremental_scan_checks_new_records_against_every_rule(self):
        email = self._rule("required", fields=["email"])
        phone = self._rule("required", fields=["phone"])
        (email | phone)._scan()
        self._age_data_and_scan(email | phone)
        new = self.Partner.create({"name": "new", "ref": "DQT-new"})
        counts = (email | phone)._scan()
        self.assertEqual((counts[email], counts[phone]), (1, 1))
        self.assertIn(new, self._open(email))
        self.assertIn(new, self._open(phone))

    def test_written_fields_are_saved_at_commit_and_forgotten_by_full_scans(self):
        rule = self._rule("required", fields=["phone"])
        self.env.cr.execute("DELETE FROM neiqin_dq_change")
        self.env.cr.execute(
            "INSERT INTO neiqin_dq_change (model, field, changed_at) "
            "VALUES ('res.partner', 'city', now() - interval '3 days')"
        )
        self.good.phone = "+86 138 0000 0009"
        self.env.cr.flush()  # as committing does
        self.env.cr.execute("SELECT model, field, changed_at FROM neiqin_dq_change")
        rows = self.env.cr.fetchall()
        now = self.env.cr.now().replace(tzinfo=None)
        self.assertIn(("res.partner", "phone", now), rows)
        rule._scan(full=True)
        self.env.cr.execute("SELECT model, field FROM neiqin_dq_change")
        remaining = self.env.cr.fetchall()
        self.assertIn(("res.partner", "phone"), remaining)
        self.assertNotIn(("res.partner", "city"), remaining)

    def test_written_fields_are_remembered_whoever_writes_them(self):
        """An employee without any right on the log edits a contact: what
        was written is remembered all the same, and the log stays closed
        to them."""
        self._rule("required", fields=["phone"])
        self.env.cr.execute("DELETE FROM neiqin_dq_change")
        writer = new_test_user(
            self.env, "dq_writer", groups="base.group_user,base.group_partner_manager"
        )
        self.good.with_user(writer).phone = "+86 138 0000 0010"
        self.env.cr.flush()  # as committing does
        self.env.cr.execute("SELECT model, field FROM neiqin_dq_change")
        self.assertIn(("res.partner", "phone"), self.env.cr.fetchall())
        with self.assertRaises(AccessError):
            self.env["neiqin.dq.change"].with_user(writer).search([])
        self.assertTrue(self.env["neiqin.dq.change"].with_user(self.manager).search([]))

    def test_rescan_looking_back_further_than_remembered_rechecks_every_rule(self):
        email = self._rule("required", fields=["email"])
        phone = self._rule("required", fields=["phone"])
        (email | phone)._scan()
        self._age_data_and_scan(email | phone)
        self.env.cr.execute(
            """UPDATE neiqin_dq_rule SET last_scan_at = now() - interval '3 days',
                                         rescan_from = now() - interval '3 days'
                WHERE id = ANY(%s)""",
            [(email | phone).ids],
        )
        (email | phone).invalidate_recordset()
        self.good.phone = False
        counts = (email | phone)._scan()
        # Every record written within those three days, by both rules.
        self.assertEqual(counts[email], len(self.all))
        self.assertEqual(counts[phone], len(self.all))

    def test_incremental_scan_closes_issue_of_record_leaving_the_scope(self):
        rule = self._rule("required", fields=["email"])
        rule._scan()
        issue = rule.issue_ids
        self._age_data_and_scan(rule)
        self.no_email.ref = "OUT-no_email"
        self.assertEqual(rule._scan()[rule], 1)
        self.assertEqual(issue.state, "closed")

    def test_incremental_scan_rechecks_the_duplicate_group_a_record_left(self):
        rule = self._rule("duplicate", fields=["email"], case_insensitive=True)
        self.assertEqual(rule._linked_paths(), {})
        rule._scan()
        self.assertEqual(set(rule.issue_ids.mapped("duplicate_key")), {"same@example.com"})
        self._age_data_and_scan(rule)
        # dup_b changes its email: dup_a, unchanged, is no longer a duplicate,
        # and is found by the key its issue keeps.
        self.dup_b.email = "other@example.com"
        self.assertEqual(rule._scan()[rule], 2)
        self.assertFalse(self._bad(rule))

    def test_record_written_within_its_duplicate_group_keeps_the_group_open(self):
        rule = self._rule("duplicate", fields=["email"], case_insensitive=True)
        rule._scan()
        self._age_data_and_scan(rule)
        # A write that keeps the key: the group is read with the record, not
        # looked up again by the key its issue keeps.
        self.dup_b.email = "SAME@example.com"
        self.env.flush_all()
        with self.assertQueryCount(8):
            # The rule, the fields written since, the transactions open as
            # the scan starts, the rule's fields (for its checks, and again
            # for its compiled rescan, once per edit of the rule), the rescan
            # statement, the issue of the group's other member, the
            # bookkeeping.
            self.assertEqual(rule._scan()[rule], 1)
        self.assertEqual(self._open(rule), self.dup_a | self.dup_b)

    def test_rescan_follows_an_edited_rule(self):
        rule = self._rule("regex", fields=["email"], pattern=r"^[^@\s]+@[^@\s]+$")
        self.assertEqual(self._bad(rule), self.bad_email | self.dup_b)
        self._age_data_and_scan(rule)
        self.assertEqual(self._bad(rule), self.bad_email | self.dup_b)
        # The compiled rescan of the rule was kept: an edit replaces it.
        rule.pattern = r"^good@"
        for partner in self.all.filtered("email"):
            partner.email += " "  # the field it reads
        self.assertEqual(self._bad(rule), self.all - self.good - self.no_email)

    def test_scan_bookkeeping_is_not_an_edit_of_the_rule(self):
        rule = self._rule("required", fields=["email"])
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE neiqin_dq_rule SET write_date = '2020-01-01' WHERE id = %s", [rule.id]
        )
        rule.invalidate_recordset()
        rule.with_user(self.manager)._scan()
        self.assertTrue(rule.last_scan_at)
        self.assertEqual(rule.last_full_scan_at, rule.last_scan_at)
        self.assertEqual(rule.last_scan_checked, len(self.all))
        self.assertEqual(str(rule.write_date), "2020-01-01 00:00:00")
        self.assertNotEqual(rule.write_uid, self.manager)

    def test_scan_ignores_the_defaults_of_the_view_it_is_run_from(self):
        rule = self._rule("required", fields=["email"])
        rule.with_context(default_state="closed", default_message="x").action_run()
        issue = rule.issue_ids
        self.assertEqual((issue.state, issue.message), ("open", rule.name))

    def test_issue_follows_a_record_moving_to_another_duplicate_group(self):
        rule = self._rule("duplicate", fields=["email"], case_insensitive=True)
        rule._scan()
        self._age_data_and_scan(rule)
        self.dup_b.email = "GOOD@example.com"
        rule._scan()
        self.assertEqual(self._open(rule), self.dup_b | self.good)
        issues = rule.issue_ids.filtered(lambda i: i.state == "open")
        self.assertEqual(set(issues.mapped("duplicate_key")), {"good@example.com"})
        # Leaving its second group, dup_b leaves good alone too: found by
        # the key dup_b's issue took when it moved.
        self._age_data_and_scan(rule)
        self.dup_b.email = "unique@example.com"
        self.assertEqual(rule._scan()[rule], 2)
        self.assertFalse(self._open(rule))

    def test_full_scan_gives_duplicate_issues_filed_without_a_key_their_key(self):
        rule = self._rule("duplicate", fields=["email"], case_insensitive=True)
        rule._scan()
        rule.issue_ids.flush_recordset()
        self.env.cr.execute(
            "UPDATE neiqin_dq_issue SET duplicate_key = NULL WHERE rule_id = %s", [rule.id]
        )
        rule.issue_ids.invalidate_recordset(["duplicate_key"])
        rule._scan(full=True)
        self.assertEqual(self._open(rule), self.dup_a | self.dup_b)
        self.assertEqual(set(rule.issue_ids.mapped("duplicate_key")), {"same@example.com"})

    def test_incremental_scan_finds_a_new_duplicate_on_two_fields(self):
        rule = self._rule("duplicate", fields=["email", "city"])
        rule._scan()
        self.assertFalse(self._open(rule))
        self._age_data_and_scan(rule)
        # far takes good's email and city: both are flagged, though good
        # itself did not change.
        self.far.write({"email": self.good.email, "city": self.good.city})
        self.assertEqual(rule._scan()[rule], 1)
        self.assertEqual(self._open(rule), self.good | self.far)

    def test_recheck_follows_many_to_one_paths_only(self):
        by_country = self._rule("domain", bad_record_domain="[('country_id.code', '=', 'FR')]")
        self.assertEqual(by_country._linked_paths(), {"country_id": "res.country"})
        reference = self._rule("reference", fields=["country_id"])
        self.assertEqual(reference._linked_paths(), {"country_id": "res.country"})
        # A link compared with an id reads the record only; with a name, the
        # linked record too.
        by_id = self._rule("domain", bad_record_domain=f"[('country_id', '=', {self.country.id})]")
        self.assertEqual(by_id._linked_paths(), {})
        by_name = self._rule("domain", bad_record_domain="[('country_id', 'ilike', 'Chin')]")
        self.assertEqual(by_name._linked_paths(), {"country_id": "res.country"})
        # A module check declares what it reads.
        method = self._rule("method", method_name="_neiqin_dq_check_email_undeliverable")
        self.assertEqual(method._linked_paths(), {})
        # To-many paths and hierarchies are not told by a write date.
        for domain in (
            "[('child_ids.email', '=', False)]",
            "[('category_id', '!=', False)]",
            f"[('parent_id', 'child_of', {self.good.id})]",
        ):
            self.assertIsNone(
                self._rule("domain", bad_record_domain=domain)._linked_paths(), domain
            )
        # The link columns a rescan follows backwards are indexed.
        self.Rule._maintain_scan_indexes(concurrently=False)
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'res_partner' "
            "AND indexdef LIKE '%%(country_id)%%'"
        )
        self.assertTrue(self.env.cr.fetchall())

    def test_incremental_scan_rechecks_issues_whose_linked_record_changed(self):
        rule = self._rule("domain", bad_record_domain="[('country_id.code', '=', 'CN')]")
        rule._scan()
        flagged = self._open(rule)
        self.assertEqual(flagged, self.all - self.no_country)
        self._age_data_and_scan(rule)
        self.env.cr.execute(
            "UPDATE res_country SET write_date = now() - interval '1 day' WHERE id = %s",
            [self.country.id],
        )
        self.country.invalidate_recordset()
        # Nothing changed: no record is checked again, the issues stay open.
        self.assertEqual(rule._scan()[rule], 0)
        self.assertEqual(self._open(rule), flagged)
        # The linked country changes: every record linked to it is checked
        # again, and its issue closes.
        self._age_data_and_scan(rule)
        self.country.code = "ZZ"
        self.assertEqual(rule._scan()[rule], len(flagged))
        self.assertFalse(self._open(rule))

    def test_incremental_scan_follows_a_two_link_path(self):
        rule = self._rule(
            "domain", bad_record_domain="[('country_id.currency_id.name', '=', 'CNY')]"
        )
        self.assertEqual(
            rule._linked_paths(),
            {"country_id": "res.country", "country_id.currency_id": "res.currency"},
        )
        rule._scan()
        flagged = self._open(rule)
        self.assertEqual(flagged, self.all - self.no_country)
        self._age_data_and_scan(rule)
        currency = self.country.currency_id
        for record in (self.country, currency):
            self.env.cr.execute(
                f"UPDATE {record._table} SET write_date = now() - interval '1 day' "
                "WHERE id = %s",
                [record.id],
            )
            record.invalidate_recordset()
        self.assertEqual(rule._scan()[rule], 0)
        # The currency two links away changes: the issues are checked again.
        self._age_data_and_scan(rule)
        currency.name = "CNX"
        self.assertEqual(rule._scan()[rule], len(flagged))
        self.assertFalse(self._open(rule))

    def test_incremental_scan_finds_records_a_linked_change_makes_wrong(self):
        rule = self._rule("domain", bad_record_domain="[('country_id.code', '=', 'ZZ')]")
        rule._scan()
        self.assertFalse(self._open(rule))
        self._age_data_and_scan(rule)
        # No partner is written: their country is.
        self.country.code = "ZZ"
        self.assertEqual(rule._scan()[rule], len(self.all - self.no_country))
        self.assertEqual(self._open(rule), self.all - self.no_country)

    def test_incremental_scan_flags_records_whose_reference_stops_matching(self):
        rule = self._rule(
            "reference", fields=["country_id"], linked_record_domain="[('code', '!=', 'ZZ')]"
        )
        self.assertEqual(self._bad(rule), self.no_country)
        self._age_data_and_scan(rule)
        # Only the linked country is written.
        self.country.code = "ZZ"
        self.assertEqual(rule._scan()[rule], len(self.all - self.no_country))
        self.assertEqual(self._open(rule), self.all)
        self._age_data_and_scan(rule)
        self.country.code = "CN"
        rule._scan()
        self.assertEqual(self._open(rule), self.no_country)

    def test_incremental_scan_closes_issue_of_record_a_linked_change_takes_out_of_scope(self):
        rule = self._rule(
            "required",
            fields=["email"],
            scope_domain="[('ref', '=like', 'DQT-%'), ('country_id.code', '!=', 'ZZ')]",
        )
        self.assertEqual(self._bad(rule), self.no_email)
        self._age_data_and_scan(rule)
        self.country.code = "ZZ"
        rule._scan()
        self.assertFalse(self._open(rule))

    def test_incremental_scan_of_a_declared_module_check_reads_only_changes(self):
        rule = self._rule("method", method_name="_neiqin_dq_check_email_undeliverable")
        self.assertEqual(self._bad(rule), self.bad_email)
        self._age_data_and_scan(rule)
        self.good.email = "still@example.com"
        # Only the changed record: bad_email's open issue is not checked
        # again, since nothing it reads changed.
        self.assertEqual(rule._scan()[rule], 1)
        self.assertEqual(self._open(rule), self.bad_email)
        self._age_data_and_scan(rule)
        self.bad_email.email = "fixed@example.com"
        self.assertEqual(rule._scan()[rule], 1)
        self.assertFalse(self._open(rule))

    def test_deleting_a_record_closes_its_issues(self):
        rules = self._rule("required", fields=["phone"]) | self._rule("required", fields=["street"])
        rules._scan()
        issues = rules.issue_ids.filtered(lambda i: i.res_id == self.dup_a.id)
        self.assertEqual(len(issues), 1)
        # By someone who may delete contacts and has no access to issues.
        contacts = new_test_user(
            self.env, "nq_contacts", groups="base.group_user,base.group_partner_manager"
        )
        self.dup_a.with_user(contacts).unlink()
        self.assertEqual(issues.state, "closed")
        self.assertTrue(issues.closed_at)

    def test_deleting_a_duplicate_rechecks_the_rest_of_its_group(self):
        rule = self._rule("duplicate", fields=["email"], case_insensitive=True)
        rule._scan()
        self.assertEqual(self._open(rule), self.dup_a | self.dup_b)
        contacts = new_test_user(
            self.env, "nq_contacts", groups="base.group_user,base.group_partner_manager"
        )
        self.dup_b.with_user(contacts).unlink()
        self.assertFalse(self._open(rule))

    def test_scheduled_scan_checks_everything_once_a_day(self):
        rule = self._rule("required", fields=["email"])
        self.assertTrue(rule._full_scan_due())
        rule._scan()
        self.assertTrue(rule.last_full_scan_at)
        self.assertFalse(rule._full_scan_due())
        rule.last_full_scan_at = rule.last_full_scan_at - timedelta(days=1, minutes=1)
        rule._scan()
        # An incremental scan does not count as a full one.
        self.assertTrue(rule._full_scan_due())
        rule._scan(full=True)
        self.assertFalse(rule._full_scan_due())

    def test_interrupted_scan_is_completed_by_the_next_one(self):
        rule = self._rule("required", fields=["phone"])
        rule._scan()
        filed = rule.issue_ids.sorted("id")
        self.assertEqual(len(filed), 5)
        res_ids = set(filed.mapped("res_id"))
        # A first scan stopped after filing three issues: the others were not
        # filed and the rule was never marked as scanned.
        filed[3:].unlink()
        rule.last_scan_at = False
        self.assertEqual(rule._scan()[rule], len(self.all))
        self.assertEqual(len(rule.issue_ids), 5)
        self.assertEqual(rule.issue_ids.sorted("id")[:3], filed[:3])
        self.assertEqual(set(rule.issue_ids.mapped("res_id")), res_ids)

    def test_rules_of_one_model_are_scanned_together(self):
        rules = (
            self._rule("required", fields=["email"])
            | self._rule("regex", fields=["email"], pattern="^[^@]+@[^@]+$")
            | self._rule("duplicate", fields=["email"], case_insensitive=True)
            | self._rule("reference", fields=["country_id"])
            | self._rule("domain", bad_record_domain="[('city', '=', False)]")
        )
        rules._scan()
        expected = {
            "required": self.no_email,
            "regex": self.bad_email,
            "duplicate": self.dup_a | self.dup_b,
            "reference": self.no_country,
            "domain": self.good.browse(),
        }
        for rule in rules:
            self.assertEqual(self._open(rule), expected[rule.rule_type], rule.rule_type)
        self._age_data_and_scan(rules)
        self.no_email.email = "back@example.com"
        self.dup_b.email = "other@example.com"
        self.env.flush_all()
        before = self.cr.sql_log_count
        checked = rules._scan()
        # Five rules rechecked with a handful of queries in all: changed
        # records, known issues, one check statement, the writes.
        self.assertLessEqual(self.cr.sql_log_count - before, 10)
        self.assertEqual(checked[rules[0]], 2)
        self.assertFalse(self._open(rules[0]))
        self.assertEqual(self._open(rules[1]), self.bad_email)
        self.assertFalse(self._open(rules[2]))
        self.assertEqual(self._open(rules[3]), self.no_country)

    def test_accepted_issue_is_not_reopened(self):
        rule = self._rule("required", fields=["email"])
        rule._scan()
        rule.issue_ids.with_user(self.lead).action_accept()
        rule._scan(full=True)
        self.assertEqual(rule.issue_ids.state, "ignored")
        self.assertEqual(len(rule.issue_ids), 1)

    def test_record_check_on_demand(self):
        rule = self._rule("required", fields=["email"], severity="blocking")
        issues = self.no_email._neiqin_dq_check(rule)
        self.assertEqual(issues.res_id, self.no_email.id)
        self.assertTrue(self.no_email.with_user(self.clerk).neiqin_dq_has_blocking)

    def test_issue_follows_its_rule_severity(self):
        rule = self._rule("required", fields=["email"], severity="blocking")
        rule._scan()
        issue = rule.issue_ids
        self.env.flush_all()
        issue.invalidate_recordset()
        self.assertEqual(
            (issue.severity, issue.severity_sequence, issue.state_sequence), ("blocking", 0, 0)
        )
        rule.severity = "info"
        issue.action_accept()
        self.assertEqual(
            (issue.severity, issue.severity_sequence, issue.state_sequence), ("info", 2, 1)
        )

    def test_scan_query_count_does_not_grow_with_records(self):
        rules = [
            self._rule("required", fields=["email"]),
            self._rule("regex", fields=["email"], pattern="^[^@]+@[^@]+$"),
            self._rule("duplicate", fields=["email"], case_insensitive=True),
            self._rule("reference", fields=["country_id"]),
        ]
        counts = []
        for extra in (0, 40):
            self.Partner.create(
                [{"name": f"bulk{extra}-{i}", "ref": f"DQT-bulk{extra}-{i}"} for i in range(extra)]
            )
            self.env.flush_all()
            for rule in rules:
                self.env.cr.execute("SELECT 1")  # warm-up, keeps counts comparable
                before = self.cr.sql_log_count
                rule._scan(full=True)
                counts.append((extra, rule.rule_type, self.cr.sql_log_count - before))
        small = {t: c for e, t, c in counts if e == 0}
        large = {t: c for e, t, c in counts if e == 40}
        for rule_type, count in small.items():
            # bulk records open new issues: one batched insert, never one per record
            self.assertLessEqual(large[rule_type], count + 6, f"{rule_type}: {counts}")

    # ------------------------------------------------------------ bad input
    def test_invalid_regex_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "not a valid regular expression"):
            self._rule("regex", fields=["email"], pattern="([a-z")

    def test_field_of_another_model_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "not a stored field of res.partner"):
            self._rule(
                "required",
                field_ids=[
                    Command.set([self.env["ir.model.fields"]._get("res.users", "login").id])
                ],
            )

    def test_invalid_condition_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "not valid"):
            self._rule("domain", bad_record_domain="[('no_such_field', '=', 1)]")

    def test_scan_buttons_name_a_condition_that_stopped_being_valid(self):
        # A field the scope names was removed since the rule was saved.
        rule = self._rule("required", fields=["email"])
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE neiqin_dq_rule SET scope_domain = %s WHERE id = %s",
            ["[('x_removed_field', '=', 1)]", rule.id],
        )
        rule.invalidate_recordset(["scope_domain"])
        for button in (rule.action_run, rule.action_run_full):
            with self.assertRaisesRegex(ValidationError, "x_removed_field"):
                button()

    def test_conditions_may_use_the_user_and_today(self):
        rule = self._rule(
            "domain",
            bad_record_domain="[('create_date', '<=', days_ago(-1))]",
            scope_domain=f"[('ref', '=like', 'DQT-%'), ('create_uid', '=', {self.env.uid})]",
        )
        self.assertEqual(self._bad(rule), self.all)
        rule.scope_domain = "[('ref', '=like', 'DQT-%'), ('create_uid', '!=', uid)]"
        self.assertFalse(self._bad(rule))

    def test_unknown_method_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "not a check method"):
            self._rule("method", method_name="unlink")

    def test_range_needs_a_number_field_and_ordered_bounds(self):
        with self.assertRaisesRegex(ValidationError, "number field"):
            self._rule("range", fields=["email"], has_min=True, min_value=1)
        with self.assertRaisesRegex(ValidationError, "minimum is above the maximum"):
            self._rule(
                "range",
                fields=["partner_latitude"],
                has_min=True,
                min_value=5,
                has_max=True,
                max_value=1,
            )

    def test_clerk_cannot_edit_rules(self):
        rule = self._rule("required", fields=["email"])
        with self.assertRaises(AccessError):
            rule.with_user(self.clerk).write({"severity": "info"})
        with self.assertRaises(AccessError):
            self.Rule.with_user(self.clerk).create(
                {
                    "name": "x",
                    "model_id": self.partner_model.id,
                    "rule_type": "domain",
                    "bad_record_domain": "[('id', '=', 0)]",
                }
            )
        # A lead edits the rules of their company.
        rule.company_id = self.lead.company_id
        rule.with_user(self.lead).write({"severity": "info"})
        self.assertEqual(rule.severity, "info")
