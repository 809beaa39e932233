"""The order review is neiqin_base's review gate: which rules stop an order
is the gate's configuration, the override wizard is the gate's."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.neiqin_base.tests.common import run_migration

from .common import OrdersCase


@tagged("post_install", "-at_install")
class TestOrderGate(OrdersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gate = cls.env.ref("neiqin_orders.gate_order_review")
        cls.stock_rule = cls.env.ref("neiqin_orders.rule_order_stock")
        cls.manager = cls._user("gate_manager", "neiqin_base.group_neiqin_manager")

    def _blocked(self):
        # No stock of the lamp: the stock rule flags the order.
        return self._order(lines=[(self.lamp, 1, 200.0)])

    def test_the_order_review_runs_through_the_gate(self):
        self.assertIn(self.stock_rule, self.gate.rule_ids)
        order = self._blocked()
        with self.assertRaisesRegex(UserError, "Stock insufficient"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")

    def test_a_rule_that_serves_no_gate_files_issues_without_stopping(self):
        self.stock_rule.gate_ids = [Command.clear()]
        order = self._blocked()
        # The rule still finds the order short of stock; it stops nothing.
        self.assertFlagged(self.stock_rule, order, among=order)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_an_archived_gate_lets_every_order_through(self):
        self.gate.with_user(self.manager).active = False
        order = self._blocked()
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_a_new_rule_of_orders_serves_the_review_unless_told_otherwise(self):
        values = {
            "name": "No note",
            "model_id": self.env["ir.model"]._get("sale.order").id,
            "rule_type": "required",
            "field_ids": [Command.set([self.env["ir.model.fields"]._get("sale.order", "note").id])],
        }
        Rule = self.env["neiqin.dq.rule"]
        self.assertEqual(Rule.create(values).gate_ids, self.gate)
        self.assertFalse(Rule.create({**values, "gate_ids": []}).gate_ids)

    def test_a_rule_cannot_serve_the_gate_of_another_model(self):
        with self.assertRaisesRegex(ValidationError, "cannot serve the gate"):
            self.env["neiqin.dq.rule"].create(
                {
                    "name": "Contacts with a gate of orders",
                    "model_id": self.env["ir.model"]._get("res.partner").id,
                    "rule_type": "required",
                    "field_ids": [
                        Command.set([self.env["ir.model.fields"]._get("res.partner", "email").id])
                    ],
                    "gate_ids": [Command.set(self.gate.ids)],
                }
            )

    def test_only_a_manager_changes_a_gate(self):
        for user in (self.clerk, self.lead):
            with self.assertRaises(AccessError):
                self.gate.with_user(user).rules_by_default = False
        self.gate.with_user(self.manager).rules_by_default = False
        self.assertFalse(self.gate.rules_by_default)

    def test_the_override_wizard_serves_only_models_with_a_gate(self):
        wizard = Form(
            self.env["neiqin.gate.override.wizard"]
            .with_user(self.lead)
            .with_context(active_model="res.partner", active_ids=self.customer.ids)
        )
        wizard.reason = "Because"
        with self.assertRaisesRegex(UserError, "no review exceptions to override"):
            wizard.save().action_override()

    def test_the_override_is_written_in_the_chatter_once(self):
        order = self._blocked()
        order._neiqin_review()
        action = order.with_user(self.lead).action_neiqin_override()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.lead).with_context(**action["context"])
        )
        self.assertEqual(wizard.record_names, order.display_name)
        wizard.reason = "Restock arrives tomorrow"
        wizard.save().action_override()
        notes = order.message_ids.filtered(lambda m: "Restock arrives tomorrow" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertEqual(order.neiqin_override_rule_ids, self.stock_rule)


@tagged("post_install", "-at_install")
class TestUpgradeTo1_2(OrdersCase):
    """A database made before 18.0.1.2.0 keeps its rules stopping orders and
    its platform-paid amounts."""

    def test_every_rule_of_orders_serves_the_order_review_after_the_upgrade(self):
        gate = self.env.ref("neiqin_orders.gate_order_review")
        rules = self.env["neiqin.dq.rule"].search([("model_name", "=", "sale.order")])
        archived = rules[0]
        archived.active = False
        rules.gate_ids = [Command.clear()]
        run_migration(self.env.cr, "neiqin_orders", "18.0.1.2.0", "18.0.1.1.0")
        self.env.invalidate_all()
        self.assertEqual(rules.gate_ids, gate)
        self.assertEqual(archived.gate_ids, gate)

    def test_the_platform_paid_amount_keeps_its_values_and_history(self):
        order = self._order(neiqin_platform_paid=80.0)
        field = self.env["ir.model.fields"]._get("sale.order", "neiqin_platform_paid")
        self.env.flush_all()
        # As before 18.0.1.2.0: the field had another name.
        cr = self.env.cr
        cr.execute(
            "ALTER TABLE sale_order RENAME COLUMN neiqin_platform_paid TO neiqin_paid_amount"
        )
        cr.execute(
            "UPDATE ir_model_fields SET name = 'neiqin_paid_amount' WHERE id = %s", [field.id]
        )
        cr.execute(
            """UPDATE ir_model_data SET name = 'field_sale_order__neiqin_paid_amount'
                WHERE model = 'ir.model.fields' AND res_id = %s""",
            [field.id],
        )
        run_migration(cr, "neiqin_orders", "18.0.1.2.0", "18.0.1.1.0", "pre-migration")
        self.env.invalidate_all()
        self.assertEqual(order.neiqin_platform_paid, 80.0)
        self.assertEqual(field.name, "neiqin_platform_paid")
        self.assertEqual(
            self.env.ref("neiqin_orders.field_sale_order__neiqin_platform_paid"), field
        )
