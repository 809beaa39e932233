"""Which orders the review covers is the shop's decision; the others follow
Odoo's standard sales flow untouched."""

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.neiqin_base.tests.common import run_migration

from .common import OrdersCase


@tagged("post_install", "-at_install")
class TestReviewScope(OrdersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.neiqin_review_scope = "marketplace"
        # No phone, no street: every review rule of the address would stop it.
        cls.walk_in = cls.env["res.partner"].create({"name": "Walk-in Customer"})

    def _quotation(self, **vals):
        return self._order(partner=self.walk_in, **vals)

    def test_a_back_end_quotation_follows_the_standard_flow(self):
        order = self._quotation()
        self.assertFalse(order.neiqin_process_id)
        self.assertEqual(order.neiqin_review_state, "none")
        self.env["sale.order"]._cron_neiqin_review()
        self.assertFalse(order.carrier_id)  # no dispatch rule applied
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.neiqin_review_state, "none")
        self.assertFalse(order.neiqin_step_id)
        self.assertFalse(order.neiqin_notice_ids)
        self.assertFalse(
            self.env["neiqin.dq.issue"].search(
                [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
            )
        )
        picking = order.picking_ids
        picking.move_ids.quantity = 1
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertFalse(picking.neiqin_logistics_state)
        self.assertFalse(picking.neiqin_logistics_event_ids)

    def test_a_marketplace_order_is_reviewed(self):
        order = self._quotation(neiqin_platform="tmall", neiqin_platform_order_no="TM-S1")
        self.assertEqual(order.neiqin_step_id.code, "confirm")
        self.assertEqual(order.neiqin_review_state, "to_review")
        with self.assertRaisesRegex(UserError, "Delivery address incomplete"):
            order.with_user(self.salesman).action_confirm()

    def test_every_order_is_reviewed_when_the_shop_says_so(self):
        self.env.company.neiqin_review_scope = "all"
        order = self._quotation()
        self.assertEqual(order.neiqin_review_state, "to_review")
        with self.assertRaisesRegex(UserError, "Phone missing"):
            order.with_user(self.salesman).action_confirm()

    def test_orders_matching_the_shops_condition_are_reviewed(self):
        team = self.env["crm.team"].create({"name": "Douyin Live"})
        self.env.company.write(
            {
                "neiqin_review_scope": "custom",
                "neiqin_review_domain": f"[('team_id', '=', {team.id})]",
            }
        )
        reviewed = self._quotation(team_id=team.id)
        other = self._quotation()
        self.assertEqual(reviewed.neiqin_review_state, "to_review")
        self.assertEqual(other.neiqin_review_state, "none")

    def test_a_condition_that_is_not_data_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "not valid"):
            self.env.company.write(
                {"neiqin_review_scope": "custom", "neiqin_review_domain": "[('x_nope', '=', 1)]"}
            )
        with self.assertRaisesRegex(ValidationError, "not valid"):
            self.env.company.write(
                {
                    "neiqin_review_scope": "custom",
                    "neiqin_review_domain": "[('id', '=', user.id)]",
                }
            )

    def test_a_quotation_entering_the_scope_is_reviewed_at_confirmation(self):
        order = self._quotation()
        self.env.company.neiqin_review_scope = "all"
        with self.assertRaisesRegex(UserError, "blocked by review exceptions"):
            order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.neiqin_step_id.code, "confirm")

    def test_a_clerk_pulls_a_quotation_into_the_review(self):
        order = self._quotation()
        with self.assertRaisesRegex(UserError, "not under review"):
            order.with_user(self.clerk).action_neiqin_approve()
        order.with_user(self.clerk).action_neiqin_review()
        self.assertEqual(order.neiqin_step_id.code, "confirm")
        self.assertEqual(order.neiqin_review_state, "exception")

    def test_upgrade_keeps_reviewing_every_order_and_marks_the_others(self):
        before = self._quotation()
        self.env.flush_all()
        # As an order made before the review scope existed.
        self.env.cr.execute(
            "UPDATE sale_order SET neiqin_review_state = 'to_review' WHERE id = %s", [before.id]
        )
        run_migration(self.env.cr, "neiqin_orders", "18.0.1.1.0", "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(self.env.company.neiqin_review_scope, "all")
        self.assertEqual(before.neiqin_review_state, "none")

    def test_a_connector_order_without_platform_is_reviewed(self):
        connector = self._user(
            "ord_scope_api",
            "sales_team.group_sale_salesman,stock.group_stock_user,base.group_partner_manager",
        )
        payload = {
            "platform_order_no": "WEB-1",
            "customer": {"name": "Web Buyer", "external_id": "w1"},
            "lines": [{"sku": "T-TEE", "qty": 1, "price_unit": 80}],
        }
        # A context default sent with the call does not set what the engine owns.
        [result] = (
            self.env["sale.order"]
            .with_user(connector)
            .with_context(default_neiqin_review_state="approved", default_neiqin_source="manual")
            .api_upsert_orders([payload])
        )
        order = self.env["sale.order"].browse(result["id"])
        self.assertEqual(order.neiqin_source, "api")
        self.assertEqual(order.neiqin_step_id.code, "confirm")
        self.assertEqual(order.neiqin_review_state, "to_review")
