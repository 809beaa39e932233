from odoo.tests import HttpCase

from .common import as_neiqin_test


class BackOfficeTours:
    """The tours, run by each screen size below."""

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


@as_neiqin_test
class TestToursDesktop(BackOfficeTours, HttpCase):
    browser_size = "1366x768"


@as_neiqin_test
class TestToursPhone(BackOfficeTours, HttpCase):
    browser_size = "375x812"
    touch_enabled = True
