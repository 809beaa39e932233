"""The review desk: a list of the orders to review with why each is stopped,
bulk actions from it, the exceptions on the board's cards and at the top of
the order form; the platform as one of the known marketplaces."""

from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from odoo.addons.neiqin_base.engine.guard import engine_writes
from odoo.addons.neiqin_base.tests.common import run_migration

from .common import API_GROUPS, OrdersCase

# Reading the exception tags, the alert and the time left of any number of
# orders: see test_the_tags_and_time_left_of_many_orders_are_read_in_a_few_queries.
QUERIES_TO_READ_TAGS = 12


@tagged("post_install", "-at_install")
class TestReviewDesk(OrdersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock_rule = cls.env.ref("neiqin_orders.rule_order_stock")
        cls.remark_rule = cls.env.ref("neiqin_orders.rule_order_remark")

    def _blocked(self, **vals):
        # No stock of the lamp: the stock rule stops the order.
        order = self._order(lines=[(self.lamp, 1, 200.0)], **vals)
        order._neiqin_review()
        return order

    def test_bulk_approve_approves_the_clean_orders_and_says_why_not_the_others(self):
        clean = self._order() | self._order(partner=self._customer(name="Other Buyer"))
        blocked = self._blocked()
        self.assertEqual(set(clean.mapped("neiqin_review_state")), {"to_review"})
        result = (clean | blocked).with_user(self.clerk).action_neiqin_approve_selected()
        self.assertEqual(set(clean.mapped("neiqin_review_state")), {"approved"})
        self.assertEqual(clean.neiqin_reviewed_by_id, self.clerk)
        self.assertEqual(blocked.neiqin_review_state, "exception")
        message = result["params"]["message"]
        self.assertIn(blocked.name, message)
        self.assertIn("Stock insufficient", message)
        self.assertEqual(result["params"]["type"], "warning")

    def test_bulk_approve_skips_the_orders_past_their_review(self):
        confirmed = self._order()
        confirmed.action_confirm()
        waiting = self._order()
        result = (confirmed | waiting).with_user(self.clerk).action_neiqin_approve_selected()
        self.assertEqual(waiting.neiqin_review_state, "approved")
        self.assertIn(
            "Skipped (not awaiting review: confirmed, cancelled", result["params"]["message"]
        )
        self.assertIn(confirmed.name, result["params"]["message"])

    def test_bulk_approve_is_for_back_office_staff(self):
        order = self._order()
        with self.assertRaisesRegex(AccessError, "back-office"):
            order.with_user(self.salesman).action_neiqin_approve_selected()
        self.assertEqual(order.neiqin_review_state, "to_review")

    def test_the_exception_tags_are_the_rules_of_the_open_exceptions(self):
        blocked = self._blocked(neiqin_buyer_remark="Gift wrap, please")
        clean = self._order(partner=self._customer(name="Clean Buyer"))
        clean._neiqin_review(auto_approve=False)
        as_clerk = (blocked | clean).with_user(self.clerk)
        self.assertEqual(as_clerk[0].neiqin_exception_rule_ids, self.stock_rule | self.remark_rule)
        self.assertFalse(as_clerk[1].neiqin_exception_rule_ids)
        self.assertFalse(as_clerk[1].neiqin_exception_html)
        box = str(as_clerk[0].neiqin_exception_html)
        self.assertIn("Stock insufficient", box)
        self.assertIn("Restock the product or change the lines", box)
        self.assertIn("click Remark Read", box)
        # Read back by the rule: the search the list's side panel filters with.
        Order = self.env["sale.order"].with_user(self.clerk)
        domain = [("id", "in", (blocked | clean).ids)]
        self.assertEqual(
            Order.search([*domain, ("neiqin_exception_rule_ids", "in", self.remark_rule.ids)]),
            blocked,
        )
        self.assertEqual(Order.search([*domain, ("neiqin_exception_rule_ids", "=", False)]), clean)
        self.assertEqual(
            Order.search([*domain, ("neiqin_exception_rule_ids", "ilike", "remark to read")]),
            blocked,
        )
        # Fixed: the tag goes.
        blocked.with_user(self.clerk).action_neiqin_mark_remark_read()
        blocked.invalidate_recordset()
        self.assertEqual(blocked.with_user(self.clerk).neiqin_exception_rule_ids, self.stock_rule)

    def test_the_side_panel_counts_the_orders_of_each_exception(self):
        blocked = self._blocked() | self._blocked(neiqin_buyer_remark="Call first")
        clean = self._order()
        panel = (
            self.env["sale.order"]
            .with_user(self.clerk)
            .search_panel_select_multi_range(
                "neiqin_exception_rule_ids",
                search_domain=[("id", "in", (blocked | clean).ids)],
                enable_counters=True,
            )
        )
        counts = {value["id"]: value["__count"] for value in panel["values"]}
        self.assertEqual(counts[self.stock_rule.id], 2)
        self.assertEqual(counts[self.remark_rule.id], 1)
        self.assertNotIn(self.env.ref("neiqin_orders.rule_order_refund").id, counts)

    def test_the_tags_and_time_left_of_many_orders_are_read_in_a_few_queries(self):
        orders = self.env["sale.order"]
        for index in range(40):
            orders |= self._blocked() if index % 2 else self._order()
        # Warm the caches that do not depend on the orders (access rules,
        # the rules' XML ids, the views).
        orders[:2].with_user(self.clerk).mapped("neiqin_exception_rule_ids.display_name")

        def read(some):
            self.env.invalidate_all()
            as_clerk = some.with_user(self.clerk)
            as_clerk.mapped("neiqin_step_time_left")
            as_clerk.mapped("neiqin_exception_rule_ids.display_name")
            as_clerk.mapped("neiqin_exception_html")

        # The orders' columns (and their access check), their open issues,
        # the rules' XML ids and names: as many queries for 40 orders as for 2.
        with self.assertQueryCount(QUERIES_TO_READ_TAGS):
            read(orders[2:4])
        with self.assertQueryCount(QUERIES_TO_READ_TAGS):
            read(orders)

    def test_the_time_left_says_overdue(self):
        late, soon = self._order(), self._order()
        now = fields.Datetime.now()
        with engine_writes():
            late.write({"neiqin_step_deadline_at": now - timedelta(hours=2, minutes=30)})
            soon.write({"neiqin_step_deadline_at": now + timedelta(days=2, hours=3, minutes=30)})
        self.assertEqual(late.neiqin_step_state, "open")
        self.assertRegex(
            late.with_user(self.clerk).neiqin_step_time_left, r"^overdue by 2 h 3\d min$"
        )
        self.assertTrue(late.neiqin_step_is_overdue)
        self.assertEqual(soon.with_user(self.clerk).neiqin_step_time_left, "2 d 3 h left")

    def test_a_warning_is_shown_on_the_form_of_an_order_it_does_not_stop(self):
        self.env.company.neiqin_auto_approve = False
        first = self._order()
        second = self._order()
        (first | second).action_neiqin_review()
        self.assertEqual(second.neiqin_review_state, "to_review")
        duplicate = self.env.ref("neiqin_orders.rule_order_duplicate")
        with Form(second.with_user(self.clerk)) as form:
            self.assertIn(duplicate, form.neiqin_exception_rule_ids)
            self.assertIn(duplicate.name, str(form.neiqin_exception_html))
        arch = self.env["sale.order"].with_user(self.clerk).get_view(view_type="form")["arch"]
        warning = etree.fromstring(arch).xpath("//div[hasclass('o_neiqin_warning_alert')]")
        self.assertEqual(len(warning), 1)
        self.assertIn("neiqin_review_state == 'exception'", warning[0].get("invisible"))

    def test_the_clerk_sees_why_the_order_is_stopped_at_the_top_of_the_form(self):
        blocked = self._blocked()
        with Form(blocked.with_user(self.clerk)) as form:
            self.assertEqual(form.neiqin_review_state, "exception")
            self.assertIn("Stock insufficient", str(form.neiqin_exception_html))
            self.assertIn("free stock of the warehouse", str(form.neiqin_exception_html))
        arch = etree.fromstring(
            self.env["sale.order"]
            .with_user(self.clerk)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        sheet = arch.find(".//sheet")
        alert = sheet.find(".//div[@role='alert']")
        self.assertIsNotNone(alert.find(".//field[@name='neiqin_exception_html']"))
        # Above the customer, and no ribbon covering it.
        children = list(sheet.iter())
        self.assertLess(
            children.index(alert), children.index(sheet.find(".//field[@name='partner_id']"))
        )
        self.assertFalse(arch.xpath("//widget[@name='web_ribbon']"))
        # The review's actions first in the header, one primary per state.
        buttons = arch.find("header").findall("button")
        self.assertEqual(buttons[0].get("name"), "action_neiqin_approve")
        self.assertEqual(buttons[1].get("name"), "action_neiqin_review")
        # And at the top of the sheet on a phone, where the header folds away.
        (mobile,) = sheet.xpath(".//div[contains(@class, 'o_neiqin_review_actions')]")
        self.assertEqual(
            [b.get("name") for b in mobile.findall("button")],
            ["action_neiqin_approve", "action_neiqin_review", "action_neiqin_reject"],
            "the lead's override is not shown to a clerk",
        )

    def test_the_review_list_opens_on_the_orders_to_review(self):
        action = self.env.ref("neiqin_orders.action_neiqin_order_review")
        self.assertEqual(
            action.view_ids[0].view_id, self.env.ref("neiqin_orders.view_order_review_list")
        )
        self.assertIn("search_default_filter_neiqin_exception", action.context)
        views = (
            self.env["sale.order"]
            .with_user(self.clerk)
            .get_views(
                [(action.view_ids[0].view_id.id, "list"), (action.search_view_id.id, "search")],
            )
        )
        arch = etree.fromstring(views["views"]["list"]["arch"])
        self.assertEqual(
            [b.get("name") for b in arch.find("header")],
            [
                "action_neiqin_approve_selected",
                "action_neiqin_reject",
                "action_neiqin_review",
                "action_neiqin_hold",
                "action_neiqin_release",
            ],
        )
        search = etree.fromstring(views["views"]["search"]["arch"])
        panel = search.find("searchpanel/field[@name='neiqin_exception_rule_ids']")
        self.assertEqual(panel.get("enable_counters"), "1")


@tagged("post_install", "-at_install")
class TestPlatforms(OrdersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api_user = cls._user("ord_api_platforms", API_GROUPS)

    def test_the_platform_is_shown_by_its_name(self):
        order = self._order(neiqin_platform="pdd")
        names = dict(order._fields["neiqin_platform"]._description_selection(self.env))
        self.assertEqual(names[order.neiqin_platform], "Pinduoduo")

    def test_an_unknown_platform_is_refused_naming_the_accepted_codes(self):
        Order = self.env["sale.order"].with_user(self.api_user)
        results = Order.api_upsert_orders(
            [
                self._order_payload("PF-1", platform="amazon"),
                self._order_payload("PF-2", platform="Tmall"),
                self._order_payload("PF-3", platform="douyin"),
            ]
        )
        self.assertEqual([r["status"] for r in results], ["error", "error", "created"])
        self.assertIn("platform amazon is not a known platform", results[0]["message"])
        self.assertIn("tmall, taobao, jd, pdd, douyin", results[0]["message"])
        self.assertIn("Tmall", results[1]["message"])
        self.assertEqual(self.env["sale.order"].browse(results[2]["id"]).neiqin_platform, "douyin")
        status = Order.api_get_order_status(["PF-3"], "tiktok")
        self.assertFalse(status[0]["found"])
        self.assertIn("not a known platform", status[0]["message"])

    def test_the_upgrade_maps_the_platforms_written_before(self):
        written = {
            "Tmall": "tmall",
            " 天猫 ": "tmall",
            "JD": "jd",
            "京东": "jd",
            "PinDuoDuo": "pdd",
            "拼多多": "pdd",
            "TikTok": "douyin",
            "抖音": "douyin",
            "taobao": "taobao",
            "bench": "other",
            "Amazon": "other",
            " ": None,
        }
        orders = {
            value: self._order(neiqin_platform_order_no=f"M-{i}") for i, value in enumerate(written)
        }
        # Two orders of one number on Tmall once mapped: the one already
        # written with the code keeps its number.
        kept = self._order(neiqin_platform="tmall", neiqin_platform_order_no="DUP-1")
        renumbered = self._order(neiqin_platform_order_no="DUP-1")
        self.env.flush_all()
        cr = self.env.cr
        # As before 18.0.1.3.0: the platform was free text.
        for value, order in orders.items():
            cr.execute(
                "UPDATE sale_order SET neiqin_platform = %s WHERE id = %s", [value, order.id]
            )
        cr.execute("UPDATE sale_order SET neiqin_platform = 'TMALL' WHERE id = %s", [renumbered.id])
        run_migration(cr, "neiqin_orders", "18.0.1.3.0", "18.0.1.2.0", "pre-migration")
        self.env.invalidate_all()
        self.assertEqual(
            {value: order.neiqin_platform for value, order in orders.items()},
            {value: code or False for value, code in written.items()},
        )
        self.assertEqual(kept.neiqin_platform_order_no, "DUP-1")
        self.assertEqual(renumbered.neiqin_platform, "tmall")
        self.assertEqual(renumbered.neiqin_platform_order_no, "DUP-1 (TMALL)")
