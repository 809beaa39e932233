"""The catalogue's controls tried the other way round: each path around the
four eyes, the gate or the promotion's checklist that a user could take
with plain calls, refused on the server."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from odoo.addons.neiqin_base.engine.guard import engine_writes

from .common import CatalogCase, ean13


class TestCatalogControls(CatalogCase):
    def _approved(self):
        product = self._product()
        product.with_user(self.clerk).action_neiqin_info_submit()
        product.with_user(self.clerk2).action_neiqin_info_approve()
        return product

    def _published(self):
        product = self._approved()
        listing = self._listing(product)
        with engine_writes():
            listing.write({"state": "published"})
            product.write({"neiqin_info_state": "published"})
        return product, listing

    # ------------------------------------------------------------ four eyes
    def test_a_variants_barcode_is_an_edit_of_the_product(self):
        product, __ = self._published()
        product.product_variant_id.with_user(self.clerk).write({"barcode": ean13()})
        self.assertEqual(product.neiqin_info_state, "needs_update")
        self.assertEqual(product.neiqin_info_editor_id, self.clerk)

    def test_a_translated_name_is_an_edit_of_the_product(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        product, __ = self._published()
        product.with_user(self.clerk).update_field_translations("name", {"zh_CN": "全网最低价卫衣"})
        self.assertEqual(product.neiqin_info_state, "needs_update")
        self.assertIn(self.clerk, product.neiqin_info_editor_ids)
        product.with_user(self.clerk).action_neiqin_info_submit()
        with self.assertRaises(AccessError):
            product.with_user(self.clerk).action_neiqin_info_approve()

    def test_a_connector_neither_reviews_nor_publishes(self):
        connector = new_test_user(
            self.env,
            "nq_pim",
            groups="neiqin_base.group_neiqin_clerk,neiqin_base.group_neiqin_connector",
        )
        product = self._product()
        product.with_user(self.clerk).action_neiqin_info_submit()
        with self.assertRaises(AccessError):
            product.with_user(connector).action_neiqin_info_approve()
        product.with_user(self.clerk2).action_neiqin_info_approve()
        listing = self._listing(product)
        with self.assertRaises(AccessError):
            listing.with_user(connector).action_neiqin_publish()
        self.assertEqual(listing.state, "draft")

    # ------------------------------------------------------------ listings
    def test_a_listing_stays_on_its_product_and_channel(self):
        __, listing = self._published()
        other = self._product()
        with self.assertRaises(UserError):
            listing.with_user(self.clerk).write({"product_tmpl_id": other.id})
        with self.assertRaises(UserError):
            listing.with_user(self.clerk).write({"platform_id": self.jd.id})
        self.assertEqual(listing.platform_id, self.tmall)

    def test_a_published_title_changes_once_withdrawn(self):
        __, listing = self._published()
        with self.assertRaises(UserError):
            listing.with_user(self.clerk).write({"channel_title": "全网最低 卫衣"})
        listing.with_user(self.clerk).action_neiqin_withdraw()
        listing.with_user(self.clerk).write({"channel_title": "纯棉卫衣 秋冬款"})
        self.assertEqual(listing.channel_title, "纯棉卫衣 秋冬款")

    # ------------------------------------------------------------ promotions
    def _promotion(self, product, **vals):
        start = fields.Datetime.now() + timedelta(days=2)
        return (
            self.env["neiqin.promotion"]
            .with_user(self.clerk)
            .create(
                {
                    "name": "618",
                    "platform_ids": [Command.set(self.tmall.ids)],
                    "date_start": start,
                    "date_end": start + timedelta(days=1),
                    "line_ids": [
                        Command.create(
                            {"product_tmpl_id": product.id, "promo_price": 149.0, "expected_qty": 1}
                        )
                    ],
                    **vals,
                }
            )
        )

    def test_a_clerk_cannot_aim_a_promotion_at_a_pricelist_they_may_not_change(self):
        pricelist = self.env["product.pricelist"].create({"name": "Shop prices"})
        with self.assertRaises(UserError):
            self._promotion(self._product(), pricelist_id=pricelist.id)
        promotion = self._promotion(self._product())
        with self.assertRaises(UserError):
            promotion.with_user(self.clerk).write({"pricelist_id": pricelist.id})

    def test_a_leads_reason_lapses_when_the_promotion_changes(self):
        promotion = self._promotion(self._product())
        promotion.with_user(self.lead).write({"override_reason": "Brand agreed"})
        promotion.line_ids.with_user(self.clerk).write({"promo_price": 50.0})
        self.assertFalse(promotion.override_reason)
        promotion.with_user(self.lead).write({"override_reason": "Brand agreed again"})
        promotion.with_user(self.clerk).write({"date_end": promotion.date_end + timedelta(days=1)})
        self.assertFalse(promotion.override_reason)

    def test_only_a_lead_opens_a_promotions_prices(self):
        promotion = self._promotion(self._product())
        with self.assertRaises(AccessError):
            promotion.with_user(self.clerk).action_open_pricelist_items()
        self.assertEqual(
            promotion.with_user(self.lead).action_open_pricelist_items()["res_model"],
            "product.pricelist.item",
        )
