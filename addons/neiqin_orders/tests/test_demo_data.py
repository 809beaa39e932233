from odoo.tests import Form, TransactionCase, tagged

MARKETPLACES = {"tmall", "jd", "pdd", "douyin"}
DEMO_ORDERS = (
    "demo_order_clean",
    "demo_order_remark",
    "demo_order_address",
    "demo_order_blacklist",
)


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
        carriers = self.env.ref("neiqin_orders.demo_carrier_sf") | self.env.ref(
            "neiqin_orders.demo_carrier_zto"
        )
        self.assertEqual(set(carriers.mapped("neiqin_code")), {"SF", "ZTO"})

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
