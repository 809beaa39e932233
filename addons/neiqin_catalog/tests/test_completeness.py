import re
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import Form
from odoo.tools import SQL

from .common import CatalogCase, ean13, product_image


class TestCompleteness(CatalogCase):
    def test_scores_against_hand_computed_values(self):
        full = self._product()
        # Short description (10) and a wrong check digit (10).
        code = ean13()
        short = self._product(
            description_sale="Soft cotton.",
            barcode=code[:-1] + str((int(code[-1]) + 1) % 10),
        )
        # No image (15 + 10), no volume (10), the catch-all category (5).
        bare = self._product(
            image_1920=False,
            volume=0.0,
            categ_id=self.env.ref("product.product_category_all").id,
        )
        # Price below cost (15), a forbidden word in the name (10).
        cheap = self._product(name="全网最低 卫衣", list_price=50.0)
        self.assertEqual(full.neiqin_completeness, 100)
        self.assertFalse(full.neiqin_completeness_missing)
        self.assertEqual(short.neiqin_completeness, 80)
        self.assertEqual(
            short.neiqin_completeness_missing, "longer sales description, valid barcode"
        )
        self.assertEqual(bare.neiqin_completeness, 60)
        self.assertEqual(
            bare.neiqin_completeness_missing, "image, larger image, weight and volume, category"
        )
        self.assertEqual(cheap.neiqin_completeness, 75)
        self.assertEqual(
            cheap.neiqin_completeness_missing, "sale price above cost, no forbidden word"
        )

    def test_listing_scores_its_product_and_its_title(self):
        full = self._product()
        cheap = self._product(name="全网最低 卫衣", list_price=50.0)
        too_long = self._listing(full, self.jd, channel_title="卫" * 46)
        words = self._listing(cheap, self.tmall)
        # 100 × 0.8, the title too long for JD (45): 80 + 10.
        self.assertEqual(too_long.completeness, 90)
        self.assertEqual(
            too_long.completeness_missing, "channel title within the channel's length limit"
        )
        # 75 × 0.8 = 60, the product's name holds a forbidden word: 60 + 10.
        self.assertEqual(words.completeness, 70)
        self.assertEqual(
            words.completeness_missing,
            "sale price above cost, no forbidden word, no forbidden word in the channel title",
        )
        too_long.with_user(self.clerk).channel_title = "纯棉卫衣"
        self.assertEqual(too_long.completeness, 100)

    def test_score_follows_an_edit_in_the_form(self):
        product = self._product(description_sale="Soft cotton.", image_1920=False)
        self.assertEqual(product.neiqin_completeness, 65)
        with Form(product.with_user(self.clerk)) as form:
            form.description_sale = "Long-staple cotton, heavy loop-back fabric, loose fit."
        self.assertEqual(product.neiqin_completeness, 75)
        product.with_user(self.clerk).image_1920 = product_image(600, 600)
        self.assertEqual(product.neiqin_completeness, 100)
        listing = self._listing(product)
        product.with_user(self.clerk).barcode = "12345"
        self.assertEqual(product.neiqin_completeness, 90)
        self.assertEqual(listing.completeness, 92)  # round(90 × 0.8) + 20

    def test_cost_written_on_the_variant_scores_the_product(self):
        product = self._product()
        product.product_variant_id.with_user(self.clerk).standard_price = 500.0
        # Scored before the commit (the test commits nothing: run it).
        self.env.cr.precommit.run()
        self.assertEqual(product.neiqin_completeness, 85)
        self.assertIn("sale price above cost", product.neiqin_completeness_missing)

    def test_variants_are_scored_before_the_commit_not_in_odoos_flows(self):
        """Odoo makes a variant, then archives another of the same
        combination before either is written: scoring in between must not
        flush them (the unique index of active combinations)."""
        product = self._product()
        first = product.product_variant_id
        second = self.env["product.product"].create({"product_tmpl_id": product.id})
        first.active = False
        self.assertEqual(product.neiqin_completeness, 100, "not scored yet")
        second.barcode = "12345"
        self.env.cr.precommit.run()
        self.assertLess(product.neiqin_completeness, 100)
        self.assertIn("valid barcode", product.neiqin_completeness_missing)

    def test_settings_and_words_rescore_through_the_cron(self):
        product = self._product(description_sale="Twenty-one characters")
        self.assertEqual(product.neiqin_completeness, 100)
        self.company.neiqin_description_min_chars = 40
        self.env["neiqin.forbidden.word"].create({"word": "Twenty"})
        self.env["product.template"]._cron_neiqin_completeness()
        self.assertEqual(product.neiqin_completeness, 80)
        self.assertEqual(
            product.neiqin_completeness_missing, "longer sales description, no forbidden word"
        )

    def test_score_is_not_written_by_hand(self):
        product = self._product(image_1920=False)
        with self.assertRaises(AccessError):
            product.with_user(self.lead).write({"neiqin_completeness": 100})
        self.assertEqual(product.neiqin_completeness, 75)

    def _queries(self, products):
        Template = self.env["product.template"]
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        Template._neiqin_update_completeness(products.ids)
        return self.env.cr.sql_log_count - before

    def test_computation_queries_do_not_grow_with_the_products(self):
        two = self.env["product.template"].union(*(self._product() for __ in range(2)))
        twenty = self.env["product.template"].union(*(self._product() for __ in range(20)))
        for product in two | twenty:
            self._listing(product)
        self._queries(two)  # the caches Odoo fills once (the current user, the category)
        self.assertEqual(self._queries(two), self._queries(twenty))
        self.assertLessEqual(self._queries(twenty), 3)

    def test_writing_many_products_scores_them_together(self):
        products = self.env["product.template"].union(*(self._product() for __ in range(20)))
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        products.with_user(self.clerk).write({"description_sale": "Too short."})
        self.assertLessEqual(self.env.cr.sql_log_count - before, 40)
        self.assertEqual(set(products.mapped("neiqin_completeness")), {90})

    def test_scores_are_kept_apart_from_the_product_rows(self):
        products = self.env["product.template"].union(*(self._product() for __ in range(3)))
        self.env.flush_all()
        statements = []
        execute = type(self.env.cr).execute

        def record(cr, query, params=None, log_exceptions=True):
            statements.append(str(query))
            return execute(cr, query, params, log_exceptions)

        with patch.object(type(self.env.cr), "execute", record):
            self.env["product.template"]._neiqin_update_completeness()
        self.assertFalse(
            [q for q in statements if re.search(r"UPDATE\s+product_template", q)],
            "scoring every product writes no product row",
        )
        rows = dict(
            self.env.execute_query(
                SQL(
                    "SELECT product_tmpl_id, score FROM neiqin_product_completeness "
                    "WHERE product_tmpl_id = ANY(%s)",
                    products.ids,
                )
            )
        )
        self.assertEqual(rows, dict.fromkeys(products.ids, 100))
        # A deleted product takes its score with it.
        gone = products[0].id
        products[0].unlink()
        self.assertFalse(
            self.env.execute_query(
                SQL("SELECT 1 FROM neiqin_product_completeness WHERE product_tmpl_id = %s", gone)
            )
        )

    def test_board_filters_and_sorting_read_the_scores(self):
        category = self.env["product.category"].create({"name": "Board"})
        full = self._product(categ_id=category.id)
        bare = self._product(categ_id=category.id, image_1920=False)  # 75
        Template = self.env["product.template"].with_user(self.clerk)
        domain = [("categ_id", "=", category.id)]
        # The board by category: the average of the scores.
        groups = Template.read_group(domain, ["neiqin_completeness:avg"], ["categ_id"])
        self.assertEqual(groups[0]["neiqin_completeness"], 87.5)
        # The list's filter (to complete) and sorting.
        incomplete = Template.search([*domain, ("neiqin_completeness", "<", 100)])
        self.assertEqual(incomplete, bare)
        self.assertEqual(Template.search(domain, order="neiqin_completeness"), bare | full)
        self.assertEqual(
            Template.search([*domain, ("neiqin_completeness_missing", "ilike", "larger image")]),
            bare,
        )
        self.assertEqual(
            Template.search([*domain, ("neiqin_completeness_missing", "=", False)]), full
        )
        fields = Template.fields_get(["neiqin_completeness"], ["aggregator", "sortable"])
        self.assertEqual(fields["neiqin_completeness"]["aggregator"], "avg")
        self.assertTrue(fields["neiqin_completeness"]["sortable"])
