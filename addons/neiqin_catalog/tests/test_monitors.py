from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.neiqin_base.engine.guard import engine_writes

from .common import CatalogCase


@tagged("post_install", "-at_install")
class TestMonitors(CatalogCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock = cls.env.ref("stock.stock_location_stock")
        cls.Quant = cls.env["stock.quant"]

    def _published(self, reviewed_days_ago=1, **vals):
        product = self._product(**vals)
        with engine_writes():
            product.write(
                {
                    "neiqin_info_state": "published",
                    "neiqin_info_reviewed_at": fields.Datetime.now()
                    - timedelta(days=reviewed_days_ago),
                }
            )
        return product

    def test_monitors_are_listed_with_their_owner(self):
        monitors = self.env["neiqin.dq.rule"].search([("neiqin_is_monitor", "=", True)])
        for xmlid in (
            "rule_monitor_published_out_of_stock",
            "rule_monitor_not_reviewed",
            "rule_monitor_negative_stock",
            "rule_promotion_still_discounted",
        ):
            rule = self.env.ref(f"neiqin_catalog.{xmlid}")
            self.assertIn(rule, monitors)
            self.assertEqual(rule.owner_team_id, self.info_team)
            self.assertEqual(rule.neiqin_owner_display, self.lead.name)
            self.assertFalse(rule.gate_ids, "a monitor stops no publishing")

    def test_published_product_without_free_stock_is_flagged(self):
        rule = self.env.ref("neiqin_catalog.rule_monitor_published_out_of_stock")
        empty = self._published()
        stocked = self._published()
        reserved_only = self._published()
        draft = self._product()
        self.Quant._update_available_quantity(stocked.product_variant_id, self.stock, 5)
        self.Quant._update_available_quantity(reserved_only.product_variant_id, self.stock, 2)
        self.Quant._update_reserved_quantity(reserved_only.product_variant_id, self.stock, 2)
        among = empty | stocked | reserved_only | draft
        self.assertFlagged(rule, empty | reserved_only, among=among)

    def test_out_of_stock_check_is_one_query(self):
        rule = self.env.ref("neiqin_catalog.rule_monitor_published_out_of_stock")
        small = self.env["product.template"].concat(*(self._published() for _i in range(2)))
        large = self.env["product.template"].concat(*(self._published() for _i in range(20)))
        self.env.flush_all()
        with self.assertQueryCount(1):
            small._neiqin_dq_check_published_out_of_stock(rule)
        with self.assertQueryCount(1):
            large._neiqin_dq_check_published_out_of_stock(rule)

    def test_information_not_reviewed_for_90_days(self):
        rule = self.env.ref("neiqin_catalog.rule_monitor_not_reviewed")
        old = self._published(reviewed_days_ago=91)
        recent = self._published(reviewed_days_ago=89)
        self.assertFlagged(rule, old, among=old | recent)

    def test_negative_quant_in_an_internal_location(self):
        rule = self.env.ref("neiqin_catalog.rule_monitor_negative_stock")
        product = self._product()
        other = self._product()
        self.Quant._update_available_quantity(product.product_variant_id, self.stock, -3)
        self.Quant._update_available_quantity(other.product_variant_id, self.stock, 4)
        quants = self.Quant.search(
            [("product_id", "in", (product | other).product_variant_ids.ids)]
        )
        negative = quants.filtered(lambda q: q.quantity < 0)
        self.assertTrue(negative)
        self.assertFlagged(rule, negative, among=quants)

    def test_monitor_menu_opens_the_issues(self):
        rule = self.env.ref("neiqin_catalog.rule_monitor_negative_stock")
        action = rule.with_user(self.clerk).action_view_issues()
        self.assertEqual(action["domain"], [("rule_id", "=", rule.id)])
        found = (
            self.env["neiqin.dq.rule"]
            .with_user(self.clerk)
            .search([("neiqin_is_monitor", "=", True)])
        )
        self.assertIn(rule, found)
        self.assertEqual(found.mapped("open_issue_count"), found.mapped("open_issue_count"))


@tagged("post_install", "-at_install")
class TestMaintenanceRules(CatalogCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]

    def _partner(self, name, **vals):
        return self.Partner.create({"name": name, **vals})

    def test_duplicate_customers_by_email_ignore_case(self):
        rule = self.env.ref("neiqin_catalog.rule_partner_duplicate_email")
        one = self._partner("Zhang Wei", email="Zhang.Wei@Example.COM")
        two = self._partner("Zhang Wei 2", email=" zhang.wei@example.com")
        alone = self._partner("Li Na", email="li.na.maint@example.com")
        self.assertFlagged(rule, one | two, among=one | two | alone)

    def test_duplicate_customers_by_phone_digits(self):
        rule = self.env.ref("neiqin_catalog.rule_partner_duplicate_phone")
        one = self._partner("Zhang Wei", phone="138 1234 5678")
        two = self._partner("Zhang Wei 2", mobile="+86-138-1234-5678")
        alone = self._partner("Li Na", phone="137 4321 9876")
        company = self._partner("Shop Co", is_company=True, phone="021 5555 6666")
        employee = self._partner("Clerk", parent_id=company.id, phone="021-5555-6666")
        among = one | two | alone | company | employee
        self.assertFlagged(rule, one | two, among=among)

    def test_malformed_phone_numbers(self):
        rule = self.env.ref("neiqin_catalog.rule_partner_phone_malformed")
        good = (
            self._partner("Mobile", phone="138 1234 5678")
            | self._partner("Mobile +86", mobile="+86-139-0000-1111")
            | self._partner("Fixed", phone="010-6552 9988")
            | self._partner("Fixed +86", phone="+86 21 5555 6666")
            | self._partner("No phone")
        )
        bad = (
            self._partner("Short", phone="1390000")
            | self._partner("Not a mobile", phone="12812345678")
            | self._partner("Good phone, bad mobile", phone="13812345678", mobile="abc")
        )
        self.assertFlagged(rule, bad, among=good | bad)

    def test_malformed_phone_check_is_one_query(self):
        rule = self.env.ref("neiqin_catalog.rule_partner_phone_malformed")
        small = self.Partner.concat(*(self._partner(f"P{i}", phone="123") for i in range(2)))
        large = self.Partner.concat(*(self._partner(f"P{i}", phone="123") for i in range(20)))
        self.env.flush_all()
        with self.assertQueryCount(1):
            self.assertEqual(small._neiqin_dq_check_phone_malformed(rule), small)
        with self.assertQueryCount(1):
            self.assertEqual(large._neiqin_dq_check_phone_malformed(rule), large)

    def test_confirmed_order_without_delivery_address(self):
        rule = self.env.ref("neiqin_catalog.rule_order_no_delivery_address")
        product = self._product()
        with_address = self._partner("With address", street="Zhangjiang Road 88", city="Shanghai")
        without = self._partner("Without address", city="Shanghai")
        orders = self.env["sale.order"]
        for partner in (with_address, without, without):
            orders |= self.env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "order_line": [(0, 0, {"product_id": product.product_variant_id.id})],
                }
            )
        confirmed = orders[:2]
        # Confirmed as the database holds it: the check reads the state only.
        confirmed.write({"state": "sale"})
        self.assertFlagged(rule, orders[1], among=orders)
        self.assertFalse(rule.gate_ids)
