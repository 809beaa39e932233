from datetime import datetime, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.neiqin_base.engine.guard import engine_writes

from .common import CatalogCase


class TestPromotions(CatalogCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.start = fields.Datetime.now() + timedelta(days=2)
        cls.end = cls.start + timedelta(days=1)

    def _ready_product(self, stock=100.0, **vals):
        """A product ready for a promotion: complete, published on Tmall
        and JD, in stock."""
        product = self._product(**vals)
        listings = self._listing(product, self.tmall) | self._listing(product, self.jd)
        with engine_writes():
            product.neiqin_completeness = 100
            listings.write({"state": "published"})
        if stock:
            self.env["stock.quant"]._update_available_quantity(
                product.product_variant_id, self.warehouse.lot_stock_id, stock
            )
        return product

    def _promotion(self, products, price=149.0, qty=10.0, user=None, **vals):
        return (
            self.env["neiqin.promotion"]
            .with_user(user or self.clerk)
            .create(
                {
                    "name": "双十一大促",
                    "platform_ids": [Command.set((self.tmall | self.jd).ids)],
                    "date_start": self.start,
                    "date_end": self.end,
                    "line_ids": [
                        Command.create(
                            {"product_tmpl_id": p.id, "promo_price": price, "expected_qty": qty}
                        )
                        for p in products
                    ],
                    **vals,
                }
            )
        )

    def _failed(self, promotion):
        return {
            (check.check_type, check.product_tmpl_id)
            for check in promotion.check_ids
            if check.result == "failed"
        }

    def test_clerk_prepares_lead_schedules_and_launches(self):
        product = self._ready_product()
        promotion = self._promotion(product)
        self.assertTrue(promotion.code.startswith("PROMO/"))
        with self.assertRaises(AccessError):
            promotion.action_schedule()
        promotion.with_user(self.lead).action_schedule()
        self.assertEqual(promotion.state, "scheduled")
        self.assertFalse(self._failed(promotion))
        # Scheduled: the clerk no longer changes it.
        with self.assertRaises(AccessError):
            promotion.write({"name": "Changed"})
        with self.assertRaises(AccessError):
            promotion.line_ids.write({"promo_price": 1.0})
        with self.assertRaises(AccessError):
            promotion.action_launch()
        promotion.with_user(self.lead).action_launch()
        self.assertEqual(promotion.state, "scheduled", "it starts at its start")
        item = self.env["product.pricelist.item"].search(
            [("neiqin_promotion_id", "=", promotion.id)]
        )
        self.assertRecordValues(
            item,
            [
                {
                    "pricelist_id": promotion.pricelist_id.id,
                    "applied_on": "1_product",
                    "product_tmpl_id": product.id,
                    "compute_price": "fixed",
                    "fixed_price": 149.0,
                    "date_start": promotion.date_start,
                    "date_end": promotion.date_end,
                }
            ],
        )
        self.assertEqual(promotion.item_count, 1)
        self.assertIn(("pricelist", "ok"), {(c.check_type, c.result) for c in promotion.check_ids})
        variant = product.product_variant_id
        pricelist = promotion.pricelist_id
        price_at = lambda when: pricelist._get_product_price(variant, 1.0, date=when)  # noqa: E731
        self.assertEqual(price_at(self.start - timedelta(hours=1)), 199.0)
        self.assertEqual(price_at(self.start + timedelta(hours=1)), 149.0)
        self.assertEqual(price_at(self.end + timedelta(hours=1)), 199.0)
        # The start cron runs it; the end cron ends it and removes its prices.
        Promotion = self.env["neiqin.promotion"]
        Promotion._cron_promotion_start(now=self.start + timedelta(minutes=5))
        self.assertEqual(promotion.state, "running")
        Promotion._cron_promotion_end(now=self.end - timedelta(minutes=5))
        self.assertEqual(promotion.state, "running")
        Promotion._cron_promotion_end(now=self.end + timedelta(minutes=5))
        self.assertEqual(promotion.state, "ended")
        self.assertFalse(
            self.env["product.pricelist.item"].search([("neiqin_promotion_id", "=", promotion.id)])
        )
        self.assertEqual(product.list_price, 199.0)
        post = promotion.check_ids.filtered(lambda c: c.section == "post")
        self.assertEqual(post.mapped("result"), ["ok"])

    def test_a_started_promotion_runs_at_launch(self):
        product = self._ready_product()
        promotion = self._promotion(product, date_start=fields.Datetime.now() - timedelta(hours=1))
        promotion.with_user(self.lead).action_schedule()
        promotion.with_user(self.lead).action_launch()
        self.assertEqual(promotion.state, "running")
        self.assertTrue(promotion.pricelist_id)

    def test_checklist_names_each_failure_and_stops_the_launch(self):
        good = self._ready_product(name="Good")
        unpublished = self._ready_product(name="Unpublished")
        unpublished.neiqin_listing_ids.filtered(
            lambda lst: lst.platform_id == self.jd
        ).sudo().unlink()
        pricey = self._ready_product(name="Pricey", list_price=120.0)
        no_stock = self._ready_product(name="No stock", stock=0)
        promotion = self._promotion(good | unpublished | pricey | no_stock, price=130.0, qty=5)
        promotion.with_user(self.lead).action_schedule()
        self.assertEqual(
            self._failed(promotion),
            {
                ("published", unpublished),
                ("price_regular", pricey),
                ("stock", no_stock),
            },
        )
        detail = promotion.check_ids.filtered(
            lambda c: c.result == "failed" and c.check_type == "published"
        ).detail
        self.assertIn("JD", detail)
        with self.assertRaises(UserError) as refusal:
            promotion.with_user(self.lead).action_launch()
        message = str(refusal.exception)
        for name in ("Unpublished", "Pricey", "No stock"):
            self.assertIn(name, message)
        self.assertNotIn("Good", message)
        self.assertFalse(promotion.launched_at)
        self.assertFalse(
            self.env["product.pricelist.item"].search([("neiqin_promotion_id", "=", promotion.id)])
        )

    def test_checklist_finds_a_missing_pricelist_item_and_low_information(self):
        product = self._ready_product()
        other = self._ready_product(name="Incomplete")
        with engine_writes():
            other.neiqin_completeness = 40
        promotion = self._promotion(product | other)
        promotion.with_user(self.lead).action_schedule()
        self.assertEqual(self._failed(promotion), {("information", other)})
        promotion.with_user(self.lead).write({"override_reason": "已与品牌方确认"})
        promotion.with_user(self.lead).action_launch()
        self.assertEqual(promotion.override_by_id, self.lead)
        self.env["product.pricelist.item"].search(
            [("neiqin_promotion_id", "=", promotion.id), ("product_tmpl_id", "=", product.id)]
        ).unlink()
        promotion.with_user(self.clerk).action_run_checklist()
        self.assertEqual(self._failed(promotion), {("information", other), ("pricelist", product)})

    def test_clerk_cannot_override_nor_set_the_state(self):
        promotion = self._promotion(self._ready_product())
        with self.assertRaises(AccessError):
            promotion.write({"state": "running"})
        with self.assertRaises(AccessError):
            promotion.write({"override_by_id": self.clerk.id})
        with self.assertRaises(AccessError):
            promotion.write({"override_reason": "Trust me"})
        with self.assertRaises(AccessError):
            self._promotion(self._ready_product(), override_reason="Trust me")
        with self.assertRaises(AccessError):
            promotion.action_cancel()
        with self.assertRaises(AccessError):
            promotion.unlink()

    def test_outsider_sees_no_promotion(self):
        promotion = self._promotion(self._ready_product())
        with self.assertRaises(AccessError):
            promotion.with_user(self.outsider).read(["name"])
        with self.assertRaises(AccessError):
            self._promotion(self._ready_product(), user=self.outsider)

    def test_cancel_removes_the_prices(self):
        promotion = self._promotion(self._ready_product())
        promotion.with_user(self.lead).action_schedule()
        promotion.with_user(self.lead).action_launch()
        self.assertEqual(promotion.item_count, 1)
        promotion.with_user(self.lead).action_cancel()
        self.assertEqual(promotion.state, "cancelled")
        self.assertEqual(promotion.item_count, 0)

    def test_post_campaign_check_finds_an_item_left_without_end(self):
        product = self._ready_product()
        promotion = self._promotion(product)
        promotion.with_user(self.lead).action_schedule()
        promotion.with_user(self.lead).action_launch()
        self.env["neiqin.promotion"]._cron_promotion_end(now=self.end + timedelta(hours=1))
        self.assertEqual(promotion.state, "ended")
        rule = self.env.ref("neiqin_catalog.rule_promotion_still_discounted")
        self.assertFalse(promotion._neiqin_dq_check_still_discounted(rule))
        # Someone copied the promotional price without an end date.
        self.env["product.pricelist.item"].create(
            {
                "pricelist_id": promotion.pricelist_id.id,
                "applied_on": "1_product",
                "product_tmpl_id": product.id,
                "compute_price": "fixed",
                "fixed_price": 149.0,
            }
        )
        promotion.with_user(self.lead).action_post_campaign_check()
        post = promotion.check_ids.filtered(lambda c: c.section == "post")
        self.assertEqual(post.mapped("check_type"), ["left_discounted"])
        self.assertEqual(post.result, "failed")
        self.assertIn("still applies", promotion.message_ids[0].body)
        self.assertEqual(promotion._neiqin_dq_check_still_discounted(rule), promotion)
        issues = rule._check_records(promotion)
        self.assertEqual(issues.mapped("res_id"), promotion.ids)

    def test_post_campaign_check_finds_a_lowered_list_price(self):
        product = self._ready_product()
        promotion = self._promotion(product)
        promotion.with_user(self.lead).action_schedule()
        promotion.with_user(self.lead).action_launch()
        product.list_price = 149.0
        self.env["neiqin.promotion"]._cron_promotion_end(now=self.end + timedelta(hours=1))
        self.assertEqual(self._failed(promotion.with_context()), {("list_price_lowered", product)})

    def test_checklist_is_set_based(self):
        Promotion = self.env["neiqin.promotion"]
        small = Promotion.browse(self._promotion([self._ready_product() for _ in range(2)]).id)
        large = Promotion.browse(
            self._promotion([self._ready_product() for _ in range(8)], name="Big").id
        )
        # A first run fills the caches (decimal precision, parameters).
        small._checklist_findings()
        counts = []
        for promotion in (small, large):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            promotion._checklist_findings()
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])

    def test_end_cron_is_set_based(self):
        Promotion = self.env["neiqin.promotion"]
        counts = []
        for size in (1, 4):
            promotions = Promotion
            for __ in range(size):
                promotion = self._promotion(self._ready_product())
                promotion.with_user(self.lead).action_schedule()
                promotion.with_user(self.lead).action_launch()
                promotions |= promotion
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Promotion._cron_promotion_end(now=self.end + timedelta(hours=1))
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(set(promotions.mapped("state")), {"ended"})
        self.assertEqual(counts[0], counts[1])

    def test_dates_must_be_in_order(self):
        with self.assertRaises(ValidationError):
            self._promotion(self._ready_product(), date_end=datetime(2020, 1, 1))
