"""A shift at the order desk, in the browser: the demo clerk and lead, in
Chinese, at desktop and phone width (tours in
neiqin_orders/static/tests/tours/neiqin_shift_tours.js). ``make screenshots``
keeps what the tours show in docs/screenshots for the README."""

from odoo import Command
from odoo.tests import HttpCase, new_test_user

from odoo.addons.neiqin_orders.tests.common import OrdersData

from .common import as_neiqin_test
from .tour_browser import screenshots


class ShiftTours(OrdersData):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.desk_clerk = cls._demo_user("neiqin_clerk", "neiqin_base.group_neiqin_clerk")
        cls.desk_lead = cls._demo_user("neiqin_lead", "neiqin_base.group_neiqin_lead")
        (cls.desk_clerk | cls.desk_lead).write({"lang": "zh_CN", "tz": "Asia/Shanghai"})
        # The shift's orders are in the company the desk works in: the demo
        # shop where the demo is installed, else the main company.
        company = cls.desk_clerk.company_id
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=company.ids))
        cls._setup_orders_data()
        # The shop's reviewers approve by hand: nothing approves by itself.
        cls.env.company.neiqin_auto_approve = False
        cls.env.company.neiqin_confirm_approved = True
        # The order desk's team owns every step of the order process.
        steps = cls.env.ref("neiqin_orders.process_order").step_ids
        steps.owner_team_id.write(
            {"member_ids": [Command.link(cls.desk_clerk.id), Command.link(cls.desk_lead.id)]}
        )
        no_street = cls._customer(name="赵敏", street=False)
        cls.stopped = cls._marketplace_order("SHIFT-ADDR-1", partner=no_street)
        cls.clean = cls._marketplace_order("SHIFT-OK-1") | cls._marketplace_order("SHIFT-OK-2")
        cls.no_stock = cls._marketplace_order("SHIFT-STOCK-1", lines=[(cls.lamp, 1, 200.0)])
        # The clerk's own order: its steps are hers (a lead confirms the
        # records of others, never their own).
        cls.shipped = cls._marketplace_order("SHIFT-SHIP-1", user_id=cls.desk_clerk.id)
        (cls.stopped | cls.clean | cls.no_stock | cls.shipped).action_neiqin_review()
        cls.shipped.action_neiqin_approve()

    @classmethod
    def _demo_user(cls, login, group):
        """The demo's user, or one made alike where the database has no demo."""
        user = cls.env["res.users"].search([("login", "=", login)])
        return user or new_test_user(cls.env, login, groups=group)

    @classmethod
    def _marketplace_order(cls, number, **vals):
        return cls._order(neiqin_platform="tmall", neiqin_platform_order_no=number, **vals)

    def _tour(self, url, name, login):
        with screenshots():
            self.start_tour(url, name, login=login, timeout=120)

    def test_a_clerk_reviews_an_order_stopped_by_its_address(self):
        self.assertEqual(self.stopped.neiqin_review_state, "exception")
        self._tour(
            "/odoo/action-neiqin_orders.action_neiqin_order_review",
            "neiqin_shift_review_tour",
            "neiqin_clerk",
        )
        self.assertEqual(self.stopped.neiqin_review_state, "approved")
        self.assertEqual(self.stopped.neiqin_reviewed_by_id, self.desk_clerk)

    def test_a_lead_overrides_an_exception_with_a_reason(self):
        self.assertEqual(self.no_stock.neiqin_review_state, "exception")
        self._tour(
            f"/odoo/action-neiqin_orders.action_neiqin_order_review/{self.no_stock.id}",
            "neiqin_shift_override_tour",
            "neiqin_lead",
        )
        self.assertEqual(self.no_stock.neiqin_override_by_id, self.desk_lead)
        self.assertIn("仓库确认明天到货", self.no_stock.neiqin_override_reason)

    def test_a_clerk_records_a_responsibility_and_the_lead_confirms_it(self):
        Responsibility = self.env["neiqin.responsibility"]
        before = Responsibility.search([])
        self._tour(
            f"/odoo/action-neiqin_orders.action_neiqin_order_board/{self.shipped.id}",
            "neiqin_shift_responsibility_tour",
            "neiqin_clerk",
        )
        record = Responsibility.search([]) - before
        self.assertEqual(len(record), 1)
        self.assertEqual((record.res_model, record.res_id), ("sale.order", self.shipped.id))
        self.assertTrue(record.step_log_id)
        self.assertEqual(record.reported_by_id, self.desk_clerk)
        self.assertEqual(record.owner_user_id, self.desk_clerk)
        self.assertTrue(record.owner_team_id)
        self._tour(
            f"/odoo/action-neiqin_base.action_neiqin_responsibility/{record.id}",
            "neiqin_shift_confirm_responsibility_tour",
            "neiqin_lead",
        )
        self.assertEqual(record.state, "confirmed")
        self.assertEqual(record.confirmed_by_id, self.desk_lead)

    def test_a_clerk_dispatches_with_a_tracking_number(self):
        picking = self.shipped.picking_ids
        self.assertEqual(len(picking), 1)
        self._tour(
            f"/odoo/action-neiqin_orders.action_neiqin_deliveries/{picking.id}",
            "neiqin_shift_dispatch_tour",
            "neiqin_clerk",
        )
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.carrier_tracking_ref, "TX20261203")


@as_neiqin_test
class TestShiftDesktop(ShiftTours, HttpCase):
    browser_size = "1366x768"

    def test_a_clerk_approves_clean_orders_in_bulk(self):
        """Desktop only: a phone's list selects rows by a long press, which a
        tour cannot give; on a phone a clerk approves order by order."""
        self._tour(
            "/odoo/action-neiqin_orders.action_neiqin_order_review",
            "neiqin_shift_bulk_approve_tour",
            "neiqin_clerk",
        )
        self.assertEqual(set(self.clean.mapped("neiqin_review_state")), {"approved"})


@as_neiqin_test
class TestShiftPhone(ShiftTours, HttpCase):
    browser_size = "375x812"
    touch_enabled = True
