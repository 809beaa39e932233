from odoo.tests import HttpCase

from .common import as_neiqin_test


@as_neiqin_test
class TestToursDesktop(HttpCase):
    browser_size = "1366x768"

    def test_back_office_menu(self):
        self.start_tour("/odoo", "neiqin_base_menu_tour", login="admin")

    def test_process_and_its_steps(self):
        self.start_tour(
            "/odoo/action-neiqin_base.action_neiqin_process",
            "neiqin_base_process_tour",
            login="admin",
        )


@as_neiqin_test
class TestToursPhone(HttpCase):
    browser_size = "375x812"
    touch_enabled = True

    def test_back_office_menu(self):
        self.start_tour("/odoo", "neiqin_base_menu_tour", login="admin")

    def test_process_and_its_steps(self):
        self.start_tour(
            "/odoo/action-neiqin_base.action_neiqin_process",
            "neiqin_base_process_tour",
            login="admin",
        )

    def test_order_board(self):
        self.start_tour(
            "/odoo/action-neiqin_orders.action_neiqin_order_board",
            "neiqin_orders_board_tour",
            login="admin",
        )
