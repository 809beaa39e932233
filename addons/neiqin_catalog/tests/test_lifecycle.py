"""The product-information lifecycle: edits tracked, the four-eyes review,
what changed since the last approval, as the real users."""

import base64
import hashlib

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form

from .common import CatalogCase, ean13

# Two different one-pixel PNG images.
PIXEL_RED = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)
PIXEL_BLUE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYPgPAAEDAQAIicLsAAAAAElFTkSuQmCC"
)


class TestLifecycle(CatalogCase):
    def _submitted(self, user=None, **vals):
        user = user or self.clerk
        product = self._product(user=user, **vals)
        product.with_user(user).action_neiqin_info_submit()
        return product

    def _approved(self, **vals):
        product = self._submitted(**vals)
        product.with_user(self.clerk2).action_neiqin_info_approve()
        return product

    def _publish(self, product, platform=None):
        listing = self._listing(product, platform)
        listing.with_user(self.clerk2).action_neiqin_publish()
        return listing

    def assertStep(self, product, code):
        self.assertEqual(product.neiqin_step_id.code, code)
        self.assertEqual(product.neiqin_step_state, "open")
        self.assertEqual(product.neiqin_step_team_id, self.info_team)
        self.assertEqual(product.neiqin_step_owner_id, self.lead)

    # ------------------------------------------------------------ edits
    def test_the_creator_is_the_first_editor(self):
        product = self._product()
        self.assertEqual(product.neiqin_info_editor_id, self.clerk)
        self.assertTrue(product.neiqin_info_edited_at)

    def test_a_customer_facing_edit_records_its_editor(self):
        product = self._product()
        product.with_user(self.clerk2).write({"name": "Cotton hoodie, heavy"})
        self.assertEqual(product.neiqin_info_editor_id, self.clerk2)
        self.assertEqual(product.neiqin_info_state, "draft")

    def test_non_customer_facing_edits_change_nothing(self):
        product = self._approved()
        product.with_user(self.clerk2).write({"default_code": "HOODIE-X", "weight": 0.9})
        self.assertEqual(product.neiqin_info_state, "approved")
        self.assertEqual(product.neiqin_info_editor_id, self.clerk)
        self.assertStep(product, "publish")

    def test_saving_the_same_value_is_no_edit(self):
        product = self._approved()
        product.with_user(self.clerk2).write(
            {"name": product.name, "list_price": product.list_price}
        )
        self.assertEqual(product.neiqin_info_state, "approved")
        self.assertEqual(product.neiqin_info_editor_id, self.clerk)

    def test_an_edit_under_review_or_approved_goes_back_to_draft(self):
        under_review = self._submitted()
        approved = self._approved()
        (under_review | approved).with_user(self.clerk2).write({"list_price": 209.0})
        for product in under_review | approved:
            self.assertEqual(product.neiqin_info_state, "draft")
            self.assertEqual(product.neiqin_info_editor_id, self.clerk2)
            self.assertStep(product, "entry")

    def test_an_edit_of_a_published_product_needs_an_update_and_shows_the_change(self):
        product = self._approved()
        listing = self._publish(product)
        self.assertFalse(product.neiqin_info_changes)
        with Form(product.with_user(self.clerk)) as form:
            form.name = "Cotton hoodie, heavy loop-back"
            form.list_price = 219.0
        self.assertEqual(product.neiqin_info_state, "needs_update")
        self.assertStep(product, "update")
        self.assertEqual(listing.state, "published", "the channel keeps the old information")
        self.assertTrue(product.neiqin_info_has_live_listing)
        changes = str(product.with_user(self.clerk2).neiqin_info_changes)
        self.assertIn("Cotton hoodie, heavy loop-back", changes)
        self.assertIn("199.0", changes)
        self.assertIn("219.0", changes)
        self.assertNotIn("Barcode", changes)

    def test_the_image_replaced_is_shown_as_such(self):
        product = self._approved(image_1920=PIXEL_RED)
        self.assertEqual(
            product.neiqin_info_snapshot["image_1920"],
            hashlib.sha1(base64.b64decode(PIXEL_RED)).hexdigest(),
        )
        self.assertEqual(product.neiqin_info_snapshot["categ_id"], [self.category.id, "Apparel"])
        product.with_user(self.clerk).write({"image_1920": PIXEL_BLUE})
        self.assertEqual(product.neiqin_info_state, "draft")
        self.assertIn("image replaced", str(product.neiqin_info_changes))

    # ------------------------------------------------------------ the review
    def test_the_whole_lifecycle_as_the_real_users(self):
        product = self._product()
        self.assertStep(product, "entry")
        product.with_user(self.clerk).action_neiqin_info_submit()
        self.assertEqual(product.neiqin_info_state, "to_review")
        self.assertStep(product, "review")
        product.with_user(self.clerk2).action_neiqin_info_approve()
        self.assertEqual(product.neiqin_info_state, "approved")
        self.assertEqual(product.neiqin_info_reviewer_id, self.clerk2)
        self.assertTrue(product.neiqin_info_reviewed_at)
        self.assertEqual(product.neiqin_info_snapshot["name"], "Cotton hoodie")
        self.assertEqual(product.neiqin_info_snapshot["list_price"], 199.0)
        self.assertStep(product, "publish")
        listings = self._listing(product, self.tmall) | self._listing(product, self.jd)
        product.with_user(self.clerk2).action_neiqin_info_publish()
        self.assertEqual(set(listings.mapped("state")), {"published"})
        self.assertEqual(listings.published_by_id, self.clerk2)
        self.assertEqual(product.neiqin_info_state, "published")
        self.assertStep(product, "monitor")
        # An edit, its review, and the channels republished.
        product.with_user(self.clerk).write({"description_sale": "Heavy cotton, loose fit."})
        self.assertEqual(product.neiqin_info_state, "needs_update")
        product.with_user(self.clerk).action_neiqin_info_submit()
        self.assertIn("Heavy cotton, loose fit.", str(product.neiqin_info_changes))
        product.with_user(self.clerk2).action_neiqin_info_approve()
        self.assertFalse(product.neiqin_info_changes)
        product.with_user(self.clerk2).action_neiqin_info_publish()
        self.assertEqual(product.neiqin_info_state, "published")
        self.assertStep(product, "monitor")

    def test_a_clerk_cannot_approve_their_own_edit(self):
        product = self._submitted()
        with self.assertRaisesRegex(AccessError, "four eyes"):
            product.with_user(self.clerk).action_neiqin_info_approve()
        self.assertEqual(product.neiqin_info_state, "to_review")

    def test_a_lead_cannot_approve_their_own_edit_either(self):
        product = self._submitted(user=self.lead)
        with self.assertRaisesRegex(AccessError, "four eyes"):
            product.with_user(self.lead).action_neiqin_info_approve()
        product.with_user(self.clerk).action_neiqin_info_approve()
        self.assertEqual(product.neiqin_info_reviewer_id, self.clerk)

    def test_the_last_editor_is_the_one_refused(self):
        product = self._product()
        product.with_user(self.clerk2).write({"list_price": 189.0})
        product.with_user(self.clerk2).action_neiqin_info_submit()
        with self.assertRaises(AccessError):
            product.with_user(self.clerk2).action_neiqin_info_approve()
        product.with_user(self.clerk).action_neiqin_info_approve()
        self.assertEqual(product.neiqin_info_state, "approved")

    def test_a_manager_approves_their_own_edit_only_with_a_reason(self):
        product = self._submitted(user=self.manager)
        with self.assertRaises(AccessError):
            product.with_user(self.manager).action_neiqin_info_approve()
        action = product.with_user(self.manager).action_neiqin_info_approve_own()
        wizard_form = Form(
            self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"])
        )
        self.assertEqual(wizard_form.mode, "approve_own")
        wizard_form.reason = "   "
        wizard = wizard_form.save()
        with self.assertRaises(ValidationError):
            wizard.action_confirm()
        self.assertEqual(product.neiqin_info_state, "to_review")
        wizard.reason = "Only a price rounding, the team is away today"
        wizard.action_confirm()
        self.assertEqual(product.neiqin_info_state, "approved")
        self.assertEqual(product.neiqin_info_reviewer_id, self.manager)
        self.assertEqual(product.neiqin_info_override_by_id, self.manager)
        self.assertTrue(product.neiqin_info_override_at)
        self.assertEqual(
            product.neiqin_info_override_reason, "Only a price rounding, the team is away today"
        )
        self.assertIn(
            "Only a price rounding", " ".join(product.message_ids.mapped("body")), "in the chatter"
        )

    def test_only_a_manager_may_approve_their_own_edit(self):
        product = self._submitted(user=self.lead)
        with self.assertRaises(AccessError):
            product.with_user(self.lead).action_neiqin_info_approve_own()
        with self.assertRaises(AccessError):
            product.with_user(self.lead)._neiqin_info_approve_own("I am sure")
        self.assertEqual(product.neiqin_info_state, "to_review")

    def test_sending_back_needs_a_reason_posted_in_the_chatter(self):
        product = self._submitted()
        action = product.with_user(self.clerk2).action_neiqin_info_send_back()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.clerk2)
            .with_context(**action["context"])
            .create({"reason": "The description promises a size 3XL that does not exist"})
        )
        wizard.action_confirm()
        self.assertEqual(product.neiqin_info_state, "draft")
        self.assertStep(product, "entry")
        self.assertIn("size 3XL", " ".join(product.message_ids.mapped("body")))
        with self.assertRaises(ValidationError):
            self._submitted()._neiqin_info_send_back(" ")

    def test_sending_back_a_published_products_update_keeps_it_needing_one(self):
        product = self._approved()
        self._publish(product)
        product.with_user(self.clerk).write({"list_price": 229.0})
        product.with_user(self.clerk).action_neiqin_info_submit()
        product.with_user(self.clerk2)._neiqin_info_send_back("Price not agreed")
        self.assertEqual(product.neiqin_info_state, "needs_update")
        self.assertStep(product, "update")

    def test_actions_in_the_wrong_state_are_refused(self):
        product = self._product()
        with self.assertRaisesRegex(UserError, "Approval"):
            product.with_user(self.clerk2).action_neiqin_info_approve()
        product.with_user(self.clerk).action_neiqin_info_submit()
        with self.assertRaises(UserError):
            product.with_user(self.clerk).action_neiqin_info_submit()

    def test_a_plain_user_is_refused_on_every_button(self):
        product = self._submitted()
        as_outsider = product.with_user(self.outsider)
        for action in (
            as_outsider.action_neiqin_info_submit,
            as_outsider.action_neiqin_info_approve,
            as_outsider.action_neiqin_info_send_back,
            as_outsider.action_neiqin_info_approve_own,
            as_outsider.action_neiqin_info_publish,
            lambda: as_outsider._neiqin_info_send_back("No"),
            lambda: as_outsider._neiqin_info_approve_own("No"),
        ):
            with self.subTest(action=action), self.assertRaises(AccessError):
                action()
        self.assertEqual(product.neiqin_info_state, "to_review")

    def test_the_lifecycle_fields_cannot_be_written(self):
        product = self._submitted()
        for vals in (
            {"neiqin_info_override_reason": "Made up"},
            {"neiqin_info_override_by_id": self.manager.id},
            {"neiqin_info_editor_id": self.lead.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                product.with_user(self.manager).write(vals)

    def test_only_the_monitoring_step_is_finished_by_hand(self):
        product = self._submitted()
        with self.assertRaises(UserError):
            product.with_user(self.clerk2).action_neiqin_next_step()
        self.assertStep(product, "review")
        product.with_user(self.clerk2).action_neiqin_info_approve()
        self._publish(product)
        self.assertStep(product, "monitor")
        product.with_user(self.clerk2).action_neiqin_next_step()
        self.assertEqual(product.neiqin_step_state, "done")

    def test_demo_acting_as_a_user_is_the_superusers_only(self):
        product = self._product()
        with self.assertRaises(AccessError):
            product.with_user(self.manager)._neiqin_info_demo_as(
                "base.user_admin", "action_neiqin_info_submit"
            )

    def test_review_filters_split_my_edits_from_those_i_review(self):
        mine = self._submitted()
        theirs = self._submitted(user=self.clerk2)
        Product = self.env["product.template"].with_user(self.clerk)
        ids = (mine | theirs).ids
        self.assertEqual(
            Product.search([("id", "in", ids), ("neiqin_info_is_mine", "=", True)]), mine
        )
        self.assertEqual(
            Product.search([("id", "in", ids), ("neiqin_info_is_mine", "=", False)]), theirs
        )

    # ------------------------------------------------------------ set-based
    def _edit_queries(self, count):
        products = self.env["product.template"]
        for __ in range(count):
            products |= self._product(barcode=ean13())
        products.with_user(self.clerk).action_neiqin_info_submit()
        products.with_user(self.clerk2).action_neiqin_info_approve()
        self._listing(products[0])._neiqin_publish()
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        products.with_user(self.clerk2).write({"list_price": 99.0})
        self.env.flush_all()
        queries = self.env.cr.sql_log_count - before
        self.assertEqual(products[0].neiqin_info_state, "needs_update")
        self.assertEqual(set(products[1:].mapped("neiqin_info_state")), {"draft"})
        return queries

    def test_editing_many_products_is_set_based(self):
        self._edit_queries(2)  # warms the caches
        many, few = self._edit_queries(20), self._edit_queries(2)
        # A query per product would add 18 or more; the registry's caches may
        # move one query between the two runs.
        self.assertLessEqual(abs(many - few), 1, f"20 products: {many} queries, 2: {few}")
