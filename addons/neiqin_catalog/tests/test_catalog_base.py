from odoo.exceptions import AccessError

from .common import CatalogCase


class TestCatalogBase(CatalogCase):
    def test_new_product_enters_the_information_process(self):
        product = self._product()
        self.assertEqual(product.neiqin_info_state, "draft")
        self.assertEqual(product.neiqin_process_id, self.info_process)
        self.assertEqual(product.neiqin_step_id.code, "entry")
        self.assertEqual(product.neiqin_step_team_id, self.info_team)
        self.assertTrue(product.neiqin_step_deadline_at)

    def test_products_not_for_sale_stay_out_of_the_process(self):
        product = self._product(sale_ok=False)
        self.assertFalse(product.neiqin_process_id)

    def test_lifecycle_fields_are_the_engines(self):
        product = self._product()
        for vals in (
            {"neiqin_info_state": "published"},
            {"neiqin_info_reviewer_id": self.clerk2.id},
            {"neiqin_info_snapshot": {"name": "x"}},
        ):
            with self.assertRaises(AccessError):
                product.with_user(self.lead).write(vals)
        with self.assertRaises(AccessError):
            self._product(neiqin_info_state="published")

    def test_listing_state_is_the_engines(self):
        listing = self._listing(self._product())
        with self.assertRaises(AccessError):
            listing.with_user(self.lead).write({"state": "published"})
        with self.assertRaises(AccessError):
            listing.with_user(self.lead).write({"neiqin_review_state": "approved"})
