"""The back-office roles carry the rights of the order desk's work: a user
given only the clerk's or the lead's role opens, reviews and dispatches the
shop's orders."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import OrdersCase


@tagged("post_install", "-at_install")
class TestRolesCarryTheirRights(OrdersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bare_clerk = new_test_user(
            cls.env, "role_clerk", groups="neiqin_base.group_neiqin_clerk", lang="en_US"
        )
        cls.bare_lead = new_test_user(
            cls.env, "role_lead", groups="neiqin_base.group_neiqin_lead", lang="en_US"
        )
        cls.seller = cls._user("role_seller", "sales_team.group_sale_salesman")

    def test_the_clerk_opens_every_order_and_its_delivery(self):
        order = self._order(user_id=self.seller.id)
        order.action_confirm()
        as_clerk = order.with_user(self.bare_clerk)
        self.assertIn(order, as_clerk.search([("id", "=", order.id)]))
        self.assertTrue(as_clerk.name)
        self.assertTrue(as_clerk.picking_ids.with_user(self.bare_clerk).state)
        for xmlid in (
            "neiqin_orders.action_neiqin_order_board",
            "sale.action_orders",
            "stock.action_picking_tree_all",
        ):
            with self.subTest(action=xmlid):
                action = self.env.ref(xmlid)
                self.assertTrue(
                    self.env[action.res_model].with_user(self.bare_clerk).has_access("read")
                )

    def test_the_clerk_reviews_and_approves_the_lead_overrides(self):
        clean = self._order(user_id=self.seller.id)
        clean.with_user(self.bare_clerk).action_neiqin_review()
        self.assertEqual(clean.neiqin_review_state, "approved")
        blocked = self._order(lines=[(self.lamp, 1, 200.0)], user_id=self.seller.id)
        blocked.with_user(self.bare_clerk).action_neiqin_review()
        self.assertEqual(blocked.neiqin_review_state, "exception")
        with self.assertRaises(AccessError):
            blocked.with_user(self.bare_clerk)._neiqin_override("I say so")
        blocked.with_user(self.bare_lead)._neiqin_override("Restock arrives today")
        self.assertEqual(blocked.neiqin_review_state, "approved")

    def test_the_clerk_corrects_the_address_that_stopped_an_order(self):
        no_street = self._customer(name="Zhao Min", street=False)
        order = self._order(partner=no_street, user_id=self.seller.id)
        order.with_user(self.bare_clerk).action_neiqin_review()
        self.assertEqual(order.neiqin_review_state, "exception")
        order.partner_shipping_id.with_user(self.bare_clerk).street = "88 Wensan Road"
        order.with_user(self.bare_clerk).action_neiqin_review()
        self.assertEqual(order.neiqin_review_state, "approved")

    def test_the_clerk_dispatches_with_a_tracking_number(self):
        order = self._order(user_id=self.seller.id)
        order.action_confirm()
        picking = order.picking_ids.with_user(self.bare_clerk)
        picking.carrier_id = self.carrier
        picking.carrier_tracking_ref = "TX12345678"
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
