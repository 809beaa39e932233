"""Publishing a product per channel through the product_publish gate: the
product must have been approved, and the product rules of that channel
must let it through (or a lead overrides them)."""

from odoo import Command
from odoo.exceptions import AccessError, UserError

from .common import CatalogCase


class TestPublish(CatalogCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.jd_rule = cls.env["neiqin.dq.rule"].create(
            {
                "name": "Price over 1000 stopped on JD",
                "model_id": cls.env["ir.model"]._get("product.template").id,
                "rule_type": "domain",
                "bad_record_domain": "[('list_price', '>', 1000)]",
                "severity": "blocking",
                "neiqin_platform_ids": [Command.set(cls.jd.ids)],
            }
        )

    def _approved(self, **vals):
        product = self._product(**vals)
        product.with_user(self.clerk).action_neiqin_info_submit()
        product.with_user(self.clerk2).action_neiqin_info_approve()
        return product

    def test_a_product_never_approved_is_refused(self):
        product = self._product()
        listing = self._listing(product)
        with self.assertRaisesRegex(UserError, "approved"):
            listing.with_user(self.clerk).action_neiqin_publish()
        product.with_user(self.clerk).action_neiqin_info_submit()
        with self.assertRaisesRegex(UserError, "approved"):
            listing.with_user(self.clerk).action_neiqin_publish()
        self.assertEqual(listing.state, "draft")

    def test_publishing_publishes_the_listing_and_the_product(self):
        product = self._approved()
        listing = self._listing(product)
        listing.with_user(self.clerk).action_neiqin_publish()
        self.assertEqual(listing.state, "published")
        self.assertEqual(listing.published_by_id, self.clerk)
        self.assertTrue(listing.published_at)
        self.assertEqual(listing.neiqin_review_state, "approved")
        self.assertEqual(product.neiqin_info_state, "published")
        self.assertEqual(product.neiqin_step_id.code, "monitor")
        self.assertEqual(product.neiqin_step_owner_id, self.lead)

    def test_a_product_rule_of_jd_stops_publishing_on_jd_only(self):
        product = self._approved(list_price=1299.0)
        tmall = self._listing(product, self.tmall)
        jd = self._listing(product, self.jd)
        with self.assertRaisesRegex(UserError, "Price over 1000 stopped on JD"):
            jd.with_user(self.clerk).action_neiqin_publish()
        self.assertEqual(jd.state, "draft")
        tmall.with_user(self.clerk).action_neiqin_publish()
        self.assertEqual(tmall.state, "published")
        # Fixed, reviewed again, then published on JD too.
        product.with_user(self.clerk).write({"list_price": 999.0})
        self.assertEqual(product.neiqin_info_state, "needs_update")
        product.with_user(self.clerk).action_neiqin_info_submit()
        product.with_user(self.clerk2).action_neiqin_info_approve()
        jd.with_user(self.clerk).action_neiqin_publish()
        self.assertEqual(jd.state, "published")

    def test_the_product_on_channels_button_is_refused_as_a_whole(self):
        product = self._approved(list_price=1299.0)
        listings = self._listing(product, self.tmall) | self._listing(product, self.jd)
        with self.assertRaisesRegex(UserError, "Price over 1000 stopped on JD"):
            product.with_user(self.clerk).action_neiqin_info_publish()
        self.assertEqual(set(listings.mapped("state")), {"draft"})
        self.assertEqual(product.neiqin_info_state, "approved")

    def test_a_rule_of_every_channel_stops_every_channel(self):
        self.jd_rule.neiqin_platform_ids = False
        product = self._approved(list_price=1299.0)
        listing = self._listing(product, self.tmall)
        with self.assertRaisesRegex(UserError, "Price over 1000 stopped on JD"):
            listing.with_user(self.clerk).action_neiqin_publish()

    def test_a_warning_rule_does_not_stop_publishing(self):
        self.jd_rule.severity = "warning"
        product = self._approved(list_price=1299.0)
        listing = self._listing(product, self.jd)
        listing.with_user(self.clerk).action_neiqin_publish()
        self.assertEqual(listing.state, "published")

    def test_a_lead_overrides_a_listings_exceptions_with_the_gates_wizard(self):
        product = self._approved(list_price=1299.0)
        listing = self._listing(product, self.jd)
        with self.assertRaises(AccessError):
            listing.with_user(self.clerk).action_neiqin_override()
        listing.with_user(self.clerk).action_neiqin_review()
        self.assertEqual(listing.neiqin_review_state, "exception")
        action = listing.with_user(self.lead).action_neiqin_override()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.lead)
            .with_context(**action["context"])
            .create({"reason": "JD shows the description of the brand page for now"})
        )
        self.assertIn("Price over 1000 stopped on JD", wizard.exception_summary)
        wizard.action_override()
        self.assertEqual(listing.neiqin_override_rule_ids, self.jd_rule)
        listing.with_user(self.clerk).action_neiqin_publish()
        self.assertEqual(listing.state, "published")

    def test_an_override_lapses_when_the_product_is_edited(self):
        product = self._approved(list_price=1299.0)
        listing = self._listing(product, self.jd)
        listing.with_user(self.lead)._neiqin_override("For now")
        product.with_user(self.clerk).write({"name": "Cotton hoodie, new cut"})
        product.with_user(self.clerk).action_neiqin_info_submit()
        product.with_user(self.clerk2).action_neiqin_info_approve()
        with self.assertRaisesRegex(UserError, "Price over 1000 stopped on JD"):
            listing.with_user(self.clerk).action_neiqin_publish()

    def test_withdrawing_unpublishes_a_listing(self):
        product = self._approved()
        listing = self._listing(product)
        with self.assertRaises(UserError):
            listing.with_user(self.clerk).action_neiqin_withdraw()
        listing.with_user(self.clerk).action_neiqin_publish()
        listing.with_user(self.clerk).action_neiqin_withdraw()
        self.assertEqual(listing.state, "unpublished")

    def test_a_published_product_edited_keeps_its_listings_until_republished(self):
        product = self._approved()
        listing = self._listing(product)
        listing.with_user(self.clerk).action_neiqin_publish()
        first = listing.published_at
        product.with_user(self.clerk).write({"list_price": 249.0})
        self.assertEqual(product.neiqin_info_state, "needs_update")
        self.assertEqual(listing.state, "published")
        with self.assertRaisesRegex(UserError, "approved"):
            listing.with_user(self.clerk).action_neiqin_publish()
        product.with_user(self.clerk).action_neiqin_info_submit()
        product.with_user(self.clerk2).action_neiqin_info_approve()
        product.with_user(self.clerk2).action_neiqin_info_publish()
        self.assertEqual(product.neiqin_info_state, "published")
        self.assertEqual(listing.published_by_id, self.clerk2)
        self.assertGreaterEqual(listing.published_at, first)

    def test_publish_on_channels_leaves_withdrawn_listings_alone(self):
        product = self._approved()
        tmall = self._listing(product, self.tmall)
        jd = self._listing(product, self.jd)
        jd.with_user(self.clerk).action_neiqin_publish()
        jd.with_user(self.clerk).action_neiqin_withdraw()
        product.with_user(self.clerk).action_neiqin_info_publish()
        self.assertEqual(tmall.state, "published")
        self.assertEqual(jd.state, "unpublished")

    def test_a_product_without_channels_is_told_to_add_them(self):
        product = self._approved()
        with self.assertRaisesRegex(UserError, "Channels"):
            product.with_user(self.clerk).action_neiqin_info_publish()

    def test_a_plain_user_is_refused_on_every_button(self):
        product = self._approved()
        listing = self._listing(product)
        for action in (
            listing.with_user(self.outsider).action_neiqin_publish,
            listing.with_user(self.outsider).action_neiqin_withdraw,
            listing.with_user(self.outsider).action_neiqin_override,
            product.with_user(self.outsider).action_neiqin_info_publish,
        ):
            with self.subTest(action=action), self.assertRaises(AccessError):
                action()
        self.assertEqual(listing.state, "draft")
