from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.neiqin_base.engine import scan_index
from odoo.addons.neiqin_base.tests.common import run_migration

from .common import OrdersCase


@tagged("post_install", "-at_install")
class TestReviewRules(OrdersCase):
    """Each review rule flags exactly the orders that break it."""

    def _check(self, rule, good, bad):
        orders = good | bad
        orders._neiqin_review()
        self.assertFlagged(self.env.ref(f"neiqin_orders.rule_order_{rule}"), bad, among=orders)

    def test_review_rules_have_their_scan_indexes_from_install(self):
        # Built while the module was installed, tagged as the engine's.
        rules = self.env["neiqin.dq.rule"].search([("model_name", "=", "sale.order")])
        names = rules._scan_index_specs()
        self.assertIn("sale_order__neiqin_write_date_index", names)
        found = scan_index.found_indexes(self.env.cr, names)
        self.assertEqual({name for name in names if found[name].tagged}, set(names))

    def test_clean_order_breaks_no_rule(self):
        order = self._order()
        order._neiqin_review()
        self.assertFalse(order.neiqin_dq_issue_ids.filtered(lambda i: i.severity == "blocking"))
        self.assertEqual(order.neiqin_review_state, "approved")

    def test_stock_insufficient(self):
        self._check(
            "stock",
            self._order(lines=[(self.mug, 5, 40.0)]),
            self._order(lines=[(self.mug, 6, 40.0)]) | self._order(lines=[(self.lamp, 1, 200.0)]),
        )

    def test_stock_counts_reserved_quantities(self):
        first = self._order(lines=[(self.mug, 4, 40.0)])
        first.action_confirm()
        self._check(
            "stock",
            self._order(lines=[(self.mug, 1, 40.0)]),
            self._order(lines=[(self.mug, 2, 40.0)]),
        )

    def test_stock_counts_the_order_warehouse_only(self):
        other = self.env["stock.warehouse"].create({"name": "North", "code": "NTH"})
        shelf = self.env["stock.location"].create(
            {"name": "Shelf", "location_id": other.lot_stock_id.id}
        )
        # Stock on a sub-location of the other warehouse's stock counts there.
        self.env["stock.quant"]._update_available_quantity(self.lamp, shelf, 3)
        from_north = self._order(lines=[(self.lamp, 3, 200.0)])
        from_north.warehouse_id = other
        self._check(
            "stock",
            from_north,
            self._order(lines=[(self.lamp, 1, 200.0)])
            | self._order(lines=[(self.mug, 4, 40.0), (self.lamp, 1, 200.0)]),
        )

    def test_address_incomplete(self):
        no_city = self._customer(name="No City", city=False)
        no_zip = self._customer(name="No Zip", zip=False)
        self._check(
            "address", self._order(), self._order(partner=no_city) | self._order(partner=no_zip)
        )

    def test_address_state_required_by_country(self):
        self.country.state_required = True
        no_state = self._customer(name="No Province", state_id=False)
        self._check("address", self._order(), self._order(partner=no_state))

    def test_phone_missing_or_malformed(self):
        no_phone = self._customer(name="No Phone", mobile=False, phone=False)
        bad_phone = self._customer(name="Bad Phone", mobile="12345")
        self._check(
            "phone", self._order(), self._order(partner=no_phone) | self._order(partner=bad_phone)
        )

    def test_phone_fixed_on_the_contact_clears_the_exception(self):
        bad_phone = self._customer(name="Bad Phone", mobile="12345")
        order = self._order(partner=bad_phone)
        self.assertFalse(bad_phone.neiqin_phone_valid)
        self._check("phone", self.env["sale.order"], order)
        bad_phone.mobile = "+86 139 1234 5678"
        self.assertTrue(bad_phone.neiqin_phone_valid)
        order._neiqin_review()
        self.assertFalse(self._flagged(order, "neiqin_orders.rule_order_phone"))
        bad_phone.write({"mobile": False, "phone": False})
        self.assertFalse(bad_phone.neiqin_phone_valid)

    def test_buyer_remark_until_read(self):
        remark = self._order(neiqin_buyer_remark="Gift wrap, please")
        self._check("remark", self._order(), remark)
        remark.action_neiqin_mark_remark_read()
        self.assertFalse(self._flagged(remark, "neiqin_orders.rule_order_remark"))

    def test_refund_requested(self):
        self._check(
            "refund",
            self._order(neiqin_refund_state="refunded"),
            self._order(neiqin_refund_state="requested")
            | self._order(neiqin_refund_state="in_progress"),
        )

    def test_blacklisted_customer(self):
        company = self.env["res.partner"].create(
            {
                "name": "Bad Co",
                "is_company": True,
                "neiqin_blacklisted": True,
                "neiqin_blacklist_reason": "fraud",
            }
        )
        contact = self._customer(name="Bad Co contact", parent_id=company.id)
        self._check("blacklist", self._order(), self._order(partner=contact))

    def test_probable_duplicate_within_hours(self):
        other = self._customer(name="Somebody Else", street="1 Other Road")
        base = self._order(lines=[(self.tee, 1, 80.0)])
        duplicate = self._order(lines=[(self.mug, 1, 40.0)])
        far = self._order(partner=other)
        far2 = self._order(partner=other, date_order=fields.Datetime.now() - timedelta(hours=30))
        self._check("duplicate", far | far2, base | duplicate)

    def test_probable_duplicate_window_is_the_rules_hours(self):
        self.env.ref("neiqin_orders.rule_order_duplicate").duplicate_window_hours = 40
        other = self._customer(name="Somebody Else", street="1 Other Road")
        far = self._order(partner=other)
        far2 = self._order(partner=other, date_order=fields.Datetime.now() - timedelta(hours=30))
        self._check("duplicate", self._order(partner=self._customer(name="Alone")), far | far2)

    def test_price_deviation_is_the_rules_percent(self):
        self.env.ref("neiqin_orders.rule_order_price").max_price_deviation_percent = 60
        off_list = self._order(lines=[(self.mug, 1, 20.0)])  # 50 % off a list price of 40
        far_off = self._order(lines=[(self.mug, 1, 10.0)])  # 75 % off
        self._check("price", off_list, far_off)

    def test_upgrade_moves_the_parameter_to_the_field_of_each_check(self):
        duplicate = self.env.ref("neiqin_orders.rule_order_duplicate")
        price = self.env.ref("neiqin_orders.rule_order_price")
        self.env.flush_all()
        # As before 18.0.1.2.0: one Parameter field for both, the price
        # check under the name it had then.
        self.env.cr.execute("ALTER TABLE neiqin_dq_rule ADD COLUMN threshold float8")
        self.env.cr.execute(
            "UPDATE neiqin_dq_rule SET threshold = 12 WHERE id = %s", [duplicate.id]
        )
        self.env.cr.execute(
            """UPDATE neiqin_dq_rule SET threshold = 15,
                      method_name = '_neiqin_dq_price_deviation' WHERE id = %s""",
            [price.id],
        )
        run_migration(self.env.cr, "neiqin_orders", "18.0.1.2.0", "18.0.1.1.0")
        self.env.invalidate_all()
        self.assertEqual(duplicate.duplicate_window_hours, 12)
        self.assertEqual(price.max_price_deviation_percent, 15)
        self.assertFalse(duplicate.max_price_deviation_percent)
        self.assertFalse(price.duplicate_window_hours)

    def test_price_below_floor_or_off_the_list_price(self):
        self.tee.neiqin_price_floor = 70.0
        below_floor = self._order(lines=[(self.tee, 1, 69.0)])
        discounted = self._order(lines=[(self.tee, 1, 80.0)])
        discounted.order_line.discount = 20  # net 64, below the floor
        off_list = self._order(lines=[(self.mug, 1, 20.0)])  # 50 % off a list price of 40
        near = self._order(lines=[(self.mug, 1, 35.0)])
        self._check("price", self._order() | near, below_floor | discounted | off_list)

    def test_amount_above_threshold(self):
        rule = self.env.ref("neiqin_orders.rule_order_amount")
        rule.max_value = 500
        self._check(
            "amount",
            self._order(lines=[(self.tee, 6, 80.0)]),
            self._order(lines=[(self.tee, 7, 80.0)]),
        )

    def test_archived_or_unsaleable_product(self):
        archived = self._order(lines=[(self.mug, 1, 40.0)])
        self.mug.active = False
        unsaleable = self._order(lines=[(self.lamp, 1, 200.0)])
        self.lamp.sale_ok = False
        self._check("product", self._order(), archived | unsaleable)

    def test_paid_amount_differs_from_total(self):
        exact = self._order(neiqin_platform_paid=80.0, neiqin_payment_ref="P1")
        short = self._order(neiqin_platform_paid=50.0, neiqin_payment_ref="P2")
        over = self._order(neiqin_platform_paid=90.0, neiqin_payment_ref="P3")
        self._check("payment", exact | self._order(), short | over)
        self.assertEqual(exact.neiqin_payment_state, "paid")
        self.assertEqual(short.neiqin_payment_state, "partial")

    def test_review_queries_do_not_grow_with_orders(self):
        def cost(count):
            orders = self.env["sale.order"].browse()
            for _i in range(count):
                orders |= self._order(lines=[(self.tee, 1, 80.0), (self.mug, 1, 40.0)])
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            orders._neiqin_review()
            self.env.flush_all()
            return self.cr.sql_log_count - before

        small, large = cost(3), cost(30)
        # per-rule queries are constant; only batched writes and per-order
        # tracking grow, and those by a small, bounded factor
        self.assertLess(large, small * 3, f"{small} queries for 3 orders, {large} for 30")
