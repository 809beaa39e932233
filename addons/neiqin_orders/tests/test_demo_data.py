import re

from odoo.tests import Form, TransactionCase, tagged

MARKETPLACES = {"tmall", "jd", "pdd", "douyin"}
DEMO_ORDERS = (
    "demo_order_clean",
    "demo_order_remark",
    "demo_order_address",
    "demo_order_blacklist",
    "demo_order_rejected",
    "demo_order_payment",
    "demo_order_shipped_sf",
    "demo_order_shipped_yto",
    "demo_order_delivered_jd",
    "demo_order_delivered_zto",
    "demo_order_new",
)
CARRIERS = {
    "SF": "demo_carrier_sf",
    "ZTO": "demo_carrier_zto",
    "YTO": "demo_carrier_yto",
    "JD": "demo_carrier_jd",
}


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """What the demo clerk finds on logging in to a database with demo data:
    the order desk's work, in yuan, with something overdue to act on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.demo = cls.env["ir.module.module"]._get("neiqin_orders").demo
        if not cls.demo:
            return
        cls.clerk = cls.env.ref("neiqin_base.demo_user_clerk")
        cls.clerk2 = cls.env.ref("neiqin_base.demo_user_clerk2")
        cls.lead = cls.env.ref("neiqin_base.demo_user_lead")
        cls.team = cls.env.ref("neiqin_base.demo_team_orders")
        cls.shop = cls.env.ref("neiqin_orders.demo_company_cn")
        cls.orders = cls.env["sale.order"].browse(
            [cls.env.ref(f"neiqin_orders.{xmlid}").id for xmlid in DEMO_ORDERS]
        )

    def setUp(self):
        super().setUp()
        if not self.demo:
            self.skipTest("the database has no demo data")

    def test_demo_clerk_step_board_has_work_and_something_overdue(self):
        Log = self.env["neiqin.step.log"].with_user(self.clerk)
        board = Log.search([("state", "in", ("open", "paused"))])
        order_steps = board.filtered(lambda log: log.res_model == "sale.order")
        self.assertTrue(order_steps, "the clerk's board lists order steps")
        self.assertTrue(set(order_steps.owner_user_id.ids) <= {self.clerk.id, self.clerk2.id})
        self.assertEqual(order_steps.owner_team_id, self.team)
        overdue = Log.search([("is_overdue", "=", True), ("owner_user_id", "=", self.clerk.id)])
        self.assertTrue(
            overdue.filtered(lambda log: log.res_model == "sale.order"),
            "an order step of the demo clerk is overdue",
        )
        self.assertTrue(all(text.startswith("overdue by") for text in overdue.mapped("time_left")))

    def test_demo_orders_belong_to_the_clerks_of_the_order_desk(self):
        self.assertTrue(set(self.orders.user_id.ids) <= {self.clerk.id, self.clerk2.id})
        self.assertEqual(self.orders.neiqin_step_team_id, self.team)
        issues = self.env["neiqin.dq.issue"].search(
            [("res_model", "=", "sale.order"), ("res_id", "in", self.orders.ids)]
        )
        self.assertTrue(issues, "the review found exceptions in the demo orders")
        self.assertEqual(issues.owner_team_id, self.team)
        records = self.env["neiqin.responsibility"].search(
            [("res_model", "=", "sale.order"), ("res_id", "in", self.orders.ids)]
        )
        self.assertTrue(records)
        self.assertEqual(records.owner_team_id, self.team)
        self.assertTrue(records.step_log_id)

    def test_demo_shop_sells_in_yuan_to_chinese_customers_on_marketplaces(self):
        self.assertEqual(self.orders.currency_id, self.env.ref("base.CNY"))
        self.assertTrue(
            {str(code) for code in self.orders.mapped("neiqin_platform")} <= MARKETPLACES
        )
        customers = self.orders.partner_id
        self.assertEqual(customers.country_id, self.env.ref("base.cn"))
        self.assertEqual(customers.state_id.country_id, self.env.ref("base.cn"))
        self.assertGreaterEqual(len(customers.state_id), 5, "customers across the provinces")

    def test_demo_clerk_records_responsibility_from_the_order_and_the_lead_confirms(self):
        order = self.env.ref("neiqin_orders.demo_order_remark").with_user(self.clerk)
        passage = order._neiqin_open_logs()
        action = order.action_neiqin_record_responsibility()
        self.assertEqual(action["context"]["default_step_log_id"], passage.id)
        Record = self.env["neiqin.responsibility"].with_user(self.clerk)
        with Form(Record.with_context(**action["context"])) as form:
            self.assertEqual(form.owner_user_id, self.clerk)
            self.assertEqual(form.owner_team_id, self.team)
            form.cause = "Gift-wrap remark read late"
        record = form.record
        self.assertEqual(record.res_ref, order)
        self.assertEqual(record.res_model_label, self.env["ir.model"]._get("sale.order").name)
        record.with_user(self.lead).action_confirm()
        self.assertEqual(record.state, "confirmed")

    def test_order_form_offers_record_responsibility_to_clerks(self):
        arch = (
            self.env["sale.order"]
            .with_user(self.clerk)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="action_neiqin_record_responsibility"', arch)

    def test_demo_shop_is_a_company_in_china_selling_in_yuan(self):
        self.assertEqual(self.shop.country_id, self.env.ref("base.cn"))
        self.assertEqual(self.shop.state_id, self.env.ref("base.state_cn_ZJ"))
        self.assertEqual(self.shop.currency_id, self.env.ref("base.CNY"))
        self.assertNotEqual(self.shop, self.env.ref("base.main_company"))
        self.assertEqual(self.orders.company_id, self.shop)
        self.assertEqual(self.orders.warehouse_id.company_id, self.shop)
        self.assertTrue(self.shop.chart_template, "the shop has a chart of accounts")
        self.assertTrue(
            self.env["account.journal"].search(
                [("company_id", "=", self.shop.id), ("type", "=", "sale")]
            ),
            "the shop can invoice",
        )
        # The shop's review settings: clean orders approved and confirmed.
        self.assertEqual(self.shop.neiqin_review_scope, "marketplace")
        self.assertTrue(self.shop.neiqin_auto_approve)
        self.assertTrue(self.shop.neiqin_confirm_approved)

    def test_demo_prices_include_the_13_percent_vat(self):
        tax = self.env.ref("neiqin_orders.demo_tax_sale_vat13")
        self.assertEqual((tax.amount, tax.amount_type, tax.type_tax_use), (13, "percent", "sale"))
        self.assertTrue(tax.price_include)
        self.assertEqual(tax.company_id, self.shop)
        self.assertEqual(self.shop.account_sale_tax_id, tax)
        self.assertEqual(self.orders.order_line.product_id.taxes_id, tax)
        self.assertEqual(self.orders.order_line.tax_id, tax)
        order = self.env.ref("neiqin_orders.demo_order_clean")
        self.assertEqual(order.amount_total, 158, "the buyer paid the price, VAT included")
        self.assertAlmostEqual(order.amount_tax, round(158 - 158 / 1.13, 2))
        self.assertEqual(order.neiqin_payment_state, "paid")

    def test_demo_orders_at_every_review_state(self):
        by_state = self.orders.grouped("neiqin_review_state")
        self.assertEqual(set(by_state), {"to_review", "exception", "approved", "rejected"})
        self.assertEqual(set(self.orders.mapped("neiqin_platform")), MARKETPLACES)
        self.assertTrue(
            all(order.state == "sale" for order in by_state["approved"]),
            "approved marketplace orders are confirmed",
        )

    def test_demo_orders_at_every_step_of_the_order_process(self):
        def ref(xmlid):
            return self.env.ref(f"neiqin_orders.{xmlid}")

        open_orders = self.orders.filtered(lambda o: o.neiqin_step_state == "open")
        self.assertLessEqual(
            {"confirm", "payment", "dispatch", "tracking"},
            set(open_orders.neiqin_step_id.mapped("code")),
        )
        self.assertEqual(ref("demo_order_payment").neiqin_step_id.code, "payment")
        self.assertEqual(ref("demo_order_clean").neiqin_step_id.code, "dispatch")
        for xmlid in ("demo_order_shipped_sf", "demo_order_shipped_yto"):
            self.assertEqual(ref(xmlid).neiqin_step_id.code, "tracking", xmlid)
        for xmlid in ("demo_order_delivered_jd", "demo_order_delivered_zto"):
            order = ref(xmlid)
            self.assertEqual(
                (order.neiqin_step_id.code, order.neiqin_step_state), ("notify", "done"), xmlid
            )
            # Its delivery (after-sales may have added a return's receipt).
            delivery = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
            self.assertEqual(delivery.neiqin_logistics_state, "delivered")
            self.assertIn("delivered", order.neiqin_notice_ids.mapped("kind"))

    def test_demo_carriers_ship_with_numbers_of_their_real_pattern(self):
        carriers = self.env["delivery.carrier"]
        for code, xmlid in CARRIERS.items():
            carrier = self.env.ref(f"neiqin_orders.{xmlid}")
            self.assertEqual(carrier.neiqin_code, code)
            carriers |= carrier
        # A carrier's company is its delivery product's: the demo leaves
        # Odoo's shared delivery product (and its carriers) to every company.
        self.assertFalse(self.env.ref("delivery.product_product_delivery").company_id)
        shipped = self.orders.picking_ids.filtered(lambda p: p.state == "done")
        self.assertEqual(shipped.carrier_id, carriers, "each carrier has shipped a parcel")
        for picking in shipped:
            pattern = picking.carrier_id.neiqin_tracking_pattern
            self.assertTrue(re.fullmatch(pattern, picking.carrier_tracking_ref), picking.name)
            self.assertFalse(
                picking.carrier_id._neiqin_tracking_error(picking.carrier_tracking_ref)
            )
        # and each pattern refuses another carrier's number
        for picking in shipped:
            for other in carriers - picking.carrier_id:
                self.assertTrue(other._neiqin_tracking_error(picking.carrier_tracking_ref))

    def test_demo_users_work_in_the_shop_in_chinese(self):
        for user in self.clerk | self.clerk2 | self.lead:
            self.assertEqual(user.lang, "zh_CN", user.login)
            self.assertEqual(user.company_id, self.shop, user.login)
        # The administrator may switch to the shop; Odoo's own tests log in
        # as the administrator of the main company, which stays the default.
        admin = self.env.ref("base.user_admin")
        self.assertIn(self.shop, admin.company_ids)
        self.assertEqual(admin.company_id, self.env.ref("base.main_company"))
