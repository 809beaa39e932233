from odoo import Command
from odoo.tests import HttpCase, new_test_user

from .common import as_neiqin_test


class BackOfficeTours:
    """The tours, run by each screen size below. The order desk's tours log
    in as a clerk who has the clerk's role and nothing else: the role
    carries the rights of the work."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # In the company the order desk works in: the demo shop, where its
        # orders are, when the demo is installed.
        desk = cls.env["res.users"].search([("login", "=", "neiqin_clerk")]).company_id
        company = desk or cls.env.company
        clerk = new_test_user(
            cls.env,
            "tour_clerk",
            groups="neiqin_base.group_neiqin_clerk",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        # A member of the teams that own the order steps, as a shop sets it up.
        teams = cls.env.ref("neiqin_orders.process_order").step_ids.owner_team_id
        teams.write({"member_ids": [(4, clerk.id)]})

    def test_back_office_menu(self):
        self.start_tour("/odoo", "neiqin_base_menu_tour", login="admin")

    def test_process_and_its_steps(self):
        self.start_tour(
            "/odoo/action-neiqin_base.action_neiqin_process",
            "neiqin_base_process_tour",
            login="admin",
        )

    def test_reloading_pages_brings_no_warning(self):
        self.start_tour("/odoo", "neiqin_base_reload_tour", login="tour_clerk")

    def test_order_board(self):
        self.start_tour(
            "/odoo/action-neiqin_orders.action_neiqin_order_board",
            "neiqin_orders_board_tour",
            login="tour_clerk",
        )


@as_neiqin_test
class TestToursDesktop(BackOfficeTours, HttpCase):
    browser_size = "1366x768"


@as_neiqin_test
class TestToursPhone(BackOfficeTours, HttpCase):
    browser_size = "375x812"
    touch_enabled = True
