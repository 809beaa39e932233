from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import API_GROUPS, OrdersCase


@tagged("post_install", "-at_install")
class TestReviewStrategies(OrdersCase):
    """The review strategies (审单策略) of the order desk: suspicious address
    words, products always reviewed by hand, the seller's flag and memo, and
    prices off the order's pricelist."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api_user = cls._user("ord_api_strategies", API_GROUPS)
        # The shipped rules apply to every company: their editor works for all.
        cls.lead.company_ids = cls.env["res.company"].search([])
        cls.keywords = cls.env.ref("neiqin_orders.rule_order_address_keywords")
        cls.manual = cls.env.ref("neiqin_orders.rule_order_manual_review_product")
        cls.flag = cls.env.ref("neiqin_orders.rule_order_seller_flag")
        cls.price = cls.env.ref("neiqin_orders.rule_order_price")

    def _check(self, rule, good, bad):
        orders = good | bad
        orders._neiqin_review()
        self.assertFlagged(rule, bad, among=orders)

    def _queries(self, check, rule, count, lines=None):
        """The queries ``check`` takes on ``count`` fresh orders."""
        orders = self.env["sale.order"].browse()
        for _i in range(count):
            orders |= self._order(lines=lines)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        getattr(orders, check)(rule)
        return self.cr.sql_log_count - before

    # ------------------------------------------------------------ clean order
    def test_clean_order_breaks_no_strategy(self):
        order = self._order(neiqin_seller_flag="green", neiqin_seller_memo="Thanks!")
        order.with_user(self.clerk).action_neiqin_review()
        for rule in self.keywords | self.manual | self.flag | self.price:
            self.assertFlagged(rule, self.env["sale.order"], among=order)
        self.assertEqual(order.neiqin_review_state, "approved")

    # ------------------------------------------------------------ address keywords
    def test_address_keywords_flag_whatever_the_case(self):
        fake_name = self._customer(name="FAKE buyer")
        test_street = self._customer(name="Zhang Wei", street="测试地址 1号")
        test_city = self._customer(name="Li Na", street2="Building Test", city="Shanghai")
        self._check(
            self.keywords,
            self._order(),
            self._order(partner=fake_name)
            | self._order(partner=test_street)
            | self._order(partner=test_city),
        )

    def test_address_keywords_are_the_rules_and_match_literally(self):
        # % and _ are letters of a keyword, not wildcards.
        self.keywords.address_keywords = "5%_off, 无效"
        literal = self._customer(name="Wang Fang", street="Lane 5%_off")
        wildcard = self._customer(name="Chen Jie", street="Lane 50% off")
        invalid = self._customer(name="Zhao Lei", city="无效市")
        self._check(
            self.keywords,
            self._order(partner=wildcard) | self._order(partner=self._customer(name="fake")),
            self._order(partner=literal) | self._order(partner=invalid),
        )

    def test_no_address_keywords_flag_nothing(self):
        self.keywords.address_keywords = False
        suspicious = self._order(partner=self._customer(name="test"))
        self._check(self.keywords, suspicious, self.env["sale.order"])

    def test_address_keywords_refuse_empty_entries_and_long_lists(self):
        rule = self.keywords.with_user(self.lead)
        with self.assertRaisesRegex(ValidationError, "empty entry"):
            rule.address_keywords = "测试,,fake"
        with self.assertRaisesRegex(ValidationError, "at most 100"):
            rule.address_keywords = "\n".join(f"word{i}" for i in range(101))
        with self.assertRaisesRegex(ValidationError, "longer than 64"):
            rule.address_keywords = "x" * 65
        # One keyword a line, a last new line included, is a list.
        rule.address_keywords = "测试\n假地址\n"
        self.assertEqual(rule._address_keywords(), ["测试", "假地址"])

    # ------------------------------------------------------------ manual review
    def test_manual_review_products_and_categories_stop_the_order(self):
        parent = self.env["product.category"].create({"name": "Fragile"})
        child = self.env["product.category"].create({"name": "Glass", "parent_id": parent.id})
        self.lamp.categ_id = child
        self.manual.with_user(self.lead).write(
            {
                "manual_review_product_ids": [Command.set(self.mug.product_tmpl_id.ids)],
                "manual_review_categ_ids": [Command.set(parent.ids)],
            }
        )
        self.env["stock.quant"]._update_available_quantity(
            self.lamp, self.warehouse.lot_stock_id, 10
        )
        self._check(
            self.manual,
            self._order(),
            self._order(lines=[(self.tee, 1, 80.0), (self.mug, 1, 40.0)])
            | self._order(lines=[(self.lamp, 1, 200.0)]),
        )

    def test_manual_review_product_waits_for_a_lead(self):
        self.manual.manual_review_product_ids = self.tee.product_tmpl_id
        order = self._order()
        order.with_user(self.clerk).action_neiqin_review()
        self.assertEqual(order.neiqin_review_state, "exception")
        self.assertIn(self.manual, order.with_user(self.clerk).neiqin_exception_rule_ids)
        action = order.with_user(self.lead).action_neiqin_override()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.lead).with_context(**action["context"])
        )
        wizard.reason = "Checked the shirt's size with the buyer"
        wizard.save().action_override()
        self.assertEqual(order.neiqin_review_state, "approved")

    def test_keyword_and_product_checks_do_not_grow_with_orders(self):
        self.manual.manual_review_product_ids = self.lamp.product_tmpl_id
        self.manual.manual_review_categ_ids = self.env.ref("product.product_category_all")
        for check, rule in (
            ("_neiqin_dq_check_address_keywords", self.keywords),
            ("_neiqin_dq_check_manual_review_product", self.manual),
            ("_neiqin_dq_check_price_deviation", self.price),
        ):
            with self.subTest(check=check):
                self._queries(check, rule, 1)  # caches warmed up
                few = self._queries(check, rule, 2)
                many = self._queries(check, rule, 20)
                self.assertEqual(few, many, f"{check}: {few} queries for 2 orders, {many} for 20")

    # ------------------------------------------------------------ seller flag and memo
    def test_seller_flag_and_memo_come_from_the_platform(self):
        api = self.env["sale.order"].with_user(self.api_user)
        result = api.api_upsert_orders(
            [self._order_payload("SF-1", seller_flag="red", seller_memo="客户要求顺丰发货")]
        )[0]
        self.assertEqual(result["status"], "created", result)
        order = self.env["sale.order"].browse(result["id"])
        self.assertEqual(order.neiqin_seller_flag, "red")
        self.assertEqual(order.neiqin_seller_memo, "客户要求顺丰发货")
        self.assertFlagged(self.flag, order, among=order)
        # Sent again without the keys: memo and flag stay.
        again = api.api_upsert_orders([self._order_payload("SF-1")])[0]
        self.assertEqual(again["status"], "unchanged", again)
        self.assertEqual(order.neiqin_seller_flag, "red")

    def test_seller_flag_and_memo_change_on_confirmed_orders(self):
        api = self.env["sale.order"].with_user(self.api_user)
        order = self.env["sale.order"].browse(
            api.api_upsert_orders([self._order_payload("SF-2")])[0]["id"]
        )
        if order.state != "sale":  # confirmed at approval when the company says so
            order.action_confirm()
        self.assertEqual(order.state, "sale")
        result = api.api_upsert_orders(
            [self._order_payload("SF-2", seller_flag="purple", seller_memo="发票随货")]
        )[0]
        self.assertEqual(result["status"], "updated", result)
        self.assertEqual(order.neiqin_seller_flag, "purple")
        self.assertEqual(order.neiqin_seller_memo, "发票随货")
        cleared = api.api_upsert_orders([self._order_payload("SF-2", seller_flag="")])[0]
        self.assertEqual(cleared["status"], "updated", cleared)
        self.assertFalse(order.neiqin_seller_flag)

    def test_unknown_seller_flag_is_refused_with_the_accepted_ones(self):
        api = self.env["sale.order"].with_user(self.api_user)
        results = api.api_upsert_orders(
            [
                self._order_payload("SF-3", seller_flag="orange"),
                self._order_payload("SF-4", seller_flag="Red"),
                self._order_payload("SF-5", seller_flag="yellow"),
            ]
        )
        for bad in results[:2]:
            self.assertEqual(bad["status"], "error", bad)
            self.assertIn("red, yellow, green, blue, purple", bad["message"])
        self.assertEqual(results[2]["status"], "created", results[2])

    def test_seller_flag_rule_stops_the_colours_of_its_condition(self):
        self.flag.with_user(
            self.lead
        ).bad_record_domain = "[('neiqin_seller_flag', 'in', ['red', 'yellow'])]"
        self._check(
            self.flag,
            self._order(neiqin_seller_flag="blue") | self._order(),
            self._order(neiqin_seller_flag="red") | self._order(neiqin_seller_flag="yellow"),
        )

    def test_clerk_removes_the_flag_after_reading_the_memo(self):
        order = self._order(neiqin_seller_flag="red", neiqin_seller_memo="客户要求顺丰发货")
        order.with_user(self.clerk).action_neiqin_review()
        self.assertEqual(order.neiqin_review_state, "exception")
        order.with_user(self.clerk).neiqin_seller_flag = False
        order.with_user(self.clerk).action_neiqin_review()
        self.assertEqual(order.neiqin_review_state, "approved")

    # ------------------------------------------------------------ pricelist price
    def test_price_deviation_is_against_the_pricelist_price(self):
        self.price.max_price_deviation_percent = 10
        pricelist = self.env["product.pricelist"].create(
            {
                "name": "Members",
                "currency_id": self.env.company.currency_id.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "1_product",
                            "product_tmpl_id": self.tee.product_tmpl_id.id,
                            "compute_price": "fixed",
                            "fixed_price": 60.0,
                        }
                    ),
                    Command.create(
                        {
                            "applied_on": "1_product",
                            "product_tmpl_id": self.tee.product_tmpl_id.id,
                            "compute_price": "fixed",
                            "fixed_price": 50.0,
                            "min_quantity": 3,
                        }
                    ),
                ],
            }
        )
        at_pricelist = self._order(lines=[(self.tee, 1, 60.0)], pricelist_id=pricelist.id)
        bulk = self._order(lines=[(self.tee, 3, 50.0)], pricelist_id=pricelist.id)
        at_list = self._order(lines=[(self.tee, 1, 80.0)], pricelist_id=pricelist.id)
        bulk_at_one = self._order(lines=[(self.tee, 3, 60.0)], pricelist_id=pricelist.id)
        # Without a pricelist, the list price.
        no_pricelist = self._order(lines=[(self.tee, 1, 80.0)])
        no_pricelist.pricelist_id = False
        cheap = self._order(lines=[(self.tee, 1, 60.0)])
        cheap.pricelist_id = False
        self._check(self.price, at_pricelist | bulk | no_pricelist, at_list | bulk_at_one | cheap)

    def test_price_deviation_compares_prices_as_the_position_maps_them(self):
        company = self.env.company

        def tax(name, amount):
            return self.env["account.tax"].create(
                {
                    "name": name,
                    "amount": amount,
                    "amount_type": "percent",
                    "type_tax_use": "sale",
                    "price_include_override": "tax_included",
                    "company_id": company.id,
                }
            )

        vat, exempt = tax("VAT 13% incl. (strategies)", 13.0), tax("VAT 0% incl.", 0.0)
        scarf = self.env["product.product"].create(
            {
                "name": "Taxed scarf",
                "type": "consu",
                "list_price": 113.0,
                "taxes_id": [Command.set(vat.ids)],
            }
        )
        # A platform that pays the VAT itself: its orders sell without it.
        position = self.env["account.fiscal.position"].create(
            {
                "name": "Platform pays the VAT",
                "company_id": company.id,
                "tax_ids": [Command.create({"tax_src_id": vat.id, "tax_dest_id": exempt.id})],
            }
        )
        self.price.max_price_deviation_percent = 5

        def order(price):
            return self._order(lines=[(scarf, 1, price)], fiscal_position_id=position.id)

        # Odoo prices the scarf 100 under the position (113 less its VAT):
        # 113 is 13 % above that.
        self._check(self.price, order(100.0), order(113.0))
