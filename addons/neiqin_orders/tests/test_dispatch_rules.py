from odoo.tests import tagged

from .common import OrdersCase


@tagged("post_install", "-at_install")
class TestDispatchRules(OrdersCase):
    """The first active rule, by sequence, whose conditions all hold gives an
    approved order its carrier."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Rule = cls.env["neiqin.dispatch.rule"]
        Rule.search([]).active = False
        cls.categ_parent = cls.env["product.category"].create({"name": "Home"})
        cls.categ_child = cls.env["product.category"].create(
            {"name": "Lighting", "parent_id": cls.categ_parent.id}
        )
        cls.lamp.categ_id = cls.categ_child
        cls.lamp.weight = 4.0
        cls.tee.weight = 0.2

        def rule(sequence, code, **vals):
            carrier = cls.carrier.copy({"name": code, "neiqin_code": code})
            Rule.create({"name": code, "sequence": sequence, "carrier_id": carrier.id, **vals})
            return carrier

        cls.by_category = rule(1, "CATEG", categ_ids=[cls.categ_parent.id])
        cls.by_product = rule(2, "MUG", product_ids=[cls.mug.id])
        cls.heavy = rule(3, "HEAVY", min_weight=3.0)
        cls.by_state = rule(4, "BJ", state_ids=[cls.env.ref("base.state_cn_BJ").id])
        cls.by_zip = rule(5, "ZIP21", zip_prefixes=" 21, 22 ")
        cls.by_amount = rule(6, "BIG", min_amount=500.0, max_amount=1000.0)
        cls.abroad = rule(7, "ABROAD", country_ids=[cls.env.ref("base.us").id])
        cls.default = rule(8, "DEFAULT")

    def _carrier(self, partner=None, lines=None):
        order = self._order(partner=partner, lines=lines)
        self.env["neiqin.dispatch.rule"]._apply(order)
        return order.carrier_id

    def test_first_matching_rule_gives_the_carrier(self):
        # A product of a sub-category of the rule's category.
        self.assertEqual(self._carrier(lines=[(self.lamp, 1, 200.0)]), self.by_category)
        self.assertEqual(
            self._carrier(lines=[(self.tee, 1, 80.0), (self.mug, 1, 40.0)]), self.by_product
        )
        self.assertEqual(self._carrier(lines=[(self.tee, 16, 10.0)]), self.heavy)
        beijing = self._customer(state_id=self.env.ref("base.state_cn_BJ").id, zip="100000")
        self.assertEqual(self._carrier(partner=beijing), self.by_state)
        suzhou = self._customer(state_id=self.env.ref("base.state_cn_JS").id, zip="215000")
        self.assertEqual(self._carrier(partner=suzhou), self.by_zip)
        self.assertEqual(self._carrier(lines=[(self.tee, 8, 80.0)]), self.by_amount)
        self.assertEqual(self._carrier(lines=[(self.tee, 13, 80.0)]), self.default)
        texas = self._customer(country_id=self.env.ref("base.us").id, state_id=False, zip="73301")
        self.assertEqual(self._carrier(partner=texas), self.abroad)
        self.assertEqual(self._carrier(), self.default)

    def test_no_matching_rule_leaves_the_carrier_alone(self):
        self.env["neiqin.dispatch.rule"].search([("name", "=", "DEFAULT")]).active = False
        self.assertFalse(self._carrier())
