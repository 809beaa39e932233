"""A clerk reviews a product another clerk edited, sees what changed,
approves it and publishes it on a channel, in the browser, at desktop and
phone width (tour in neiqin_catalog/static/tests/tours/catalog_tour.js)."""

from odoo.tests import HttpCase

from odoo.addons.neiqin_catalog.tests.common import CatalogCase

from .common import as_neiqin_test
from .tour_browser import screenshots


class CatalogTour(CatalogCase):
    # The screen sizes below run it; pytest does not collect it alone.
    __test__ = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Approved once, then edited and submitted by the second clerk: the
        # first one reviews it.
        cls.product = cls._product(name="Tour hoodie")
        cls.product.with_user(cls.clerk).action_neiqin_info_submit()
        cls.product.with_user(cls.clerk2).action_neiqin_info_approve()
        cls.product.with_user(cls.clerk2).write({"name": "Tour hoodie, new cut"})
        cls.product.with_user(cls.clerk2).action_neiqin_info_submit()
        cls.listing = cls._listing(cls.product, cls.tmall)

    def test_a_clerk_reviews_a_colleagues_edit_and_publishes_it(self):
        with screenshots():
            self.start_tour(
                f"/odoo/action-neiqin_catalog.action_neiqin_product/{self.product.id}",
                "neiqin_catalog_review_tour",
                login=self.clerk.login,
                timeout=120,
            )
        self.assertEqual(self.product.neiqin_info_reviewer_id, self.clerk)
        self.assertEqual(self.product.neiqin_info_state, "published")
        self.assertEqual(self.listing.state, "published")
        self.assertEqual(self.listing.published_by_id, self.clerk)


@as_neiqin_test
class TestCatalogTourDesktop(CatalogTour, HttpCase):
    __test__ = True
    browser_size = "1366x768"


@as_neiqin_test
class TestCatalogTourPhone(CatalogTour, HttpCase):
    __test__ = True
    browser_size = "375x812"
    touch_enabled = True
