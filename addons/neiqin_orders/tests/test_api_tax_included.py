from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import OWN_DOCS_API_GROUPS, OrdersCase


@tagged("post_install", "-at_install")
class TestApiTaxIncluded(OrdersCase):
    """A marketplace's line price is what the buyer paid, VAT included: the
    order's total is that amount, whatever sales tax the product carries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api_user = cls._user("ord_api_tax", OWN_DOCS_API_GROUPS)
        company = cls.env.company
        # The company's default sales tax (Odoo's test company has one, in
        # USD); a 13 % VAT when it has none.
        cls.vat = company.account_sale_tax_id.filtered(
            lambda t: not t.price_include and t.amount_type == "percent" and t.amount
        ) or cls.env["account.tax"].create(
            {
                "name": "VAT 13%",
                "amount": 13.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "price_include_override": "tax_excluded",
                "company_id": company.id,
            }
        )
        cls.taxed = cls.env["product.product"].create(
            {
                "name": "Taxed scarf",
                "default_code": "T-SCARF",
                "type": "consu",
                "list_price": 100.0,
                "invoice_policy": "order",
                "taxes_id": [Command.set(cls.vat.ids)],
            }
        )

    def _api(self):
        return self.env["sale.order"].with_user(self.api_user)

    def _payload(self, number, platform="tmall", **extra):
        return self._order_payload(
            number,
            platform=platform,
            lines=[{"sku": "T-SCARF", "qty": 2, "price_unit": 99.9}],
            paid_amount=199.8,
            **extra,
        )

    def _rate(self):
        return 1 + self.vat.amount / 100

    def test_marketplace_price_includes_the_default_sales_tax(self):
        result = self._api().api_upsert_orders([self._payload("TAX-1")])[0]
        self.assertEqual(result["status"], "created", result)
        order = self.env["sale.order"].browse(result["id"])
        self.assertAlmostEqual(order.amount_total, 199.8, places=2)
        self.assertAlmostEqual(order.amount_untaxed, round(199.8 / self._rate(), 2), places=2)
        self.assertEqual(order.neiqin_payment_state, "paid")
        self.assertTrue(order.order_line.tax_id.price_include)
        self.assertEqual(order.order_line.tax_id.amount, self.vat.amount)
        payment = self.env.ref("neiqin_orders.rule_order_payment")
        self.assertFlagged(payment, self.env["sale.order"], among=order)
        # The invoice charges what the buyer paid, VAT split out of it.
        order.action_confirm()
        invoice = order._create_invoices()
        self.assertAlmostEqual(invoice.amount_total, 199.8, places=2)
        self.assertAlmostEqual(invoice.amount_tax, order.amount_tax, places=2)

    def test_twin_taxes_are_made_once(self):
        self._api().api_upsert_orders([self._payload("TAX-2"), self._payload("TAX-3")])
        self._api().api_upsert_orders([self._payload("TAX-4", platform="jd")])
        position = self.env.company.neiqin_tax_included_fpos_id
        self.assertEqual(len(position.tax_ids.filtered(lambda m: m.tax_src_id == self.vat)), 1)
        orders = self.env["sale.order"].search(
            [("neiqin_platform_order_no", "in", ["TAX-2", "TAX-3", "TAX-4"])]
        )
        self.assertEqual(orders.fiscal_position_id, position)
        self.assertEqual(len(orders.order_line.tax_id), 1)

    def test_platform_priced_before_tax_gets_the_tax_on_top(self):
        self.env.company.neiqin_tax_excluded_platforms = "shop, JD"
        result = self._api().api_upsert_orders([self._payload("TAX-5", platform="shop")])[0]
        order = self.env["sale.order"].browse(result["id"])
        self.assertAlmostEqual(order.amount_untaxed, 199.8, places=2)
        self.assertAlmostEqual(order.amount_total, round(199.8 * self._rate(), 2), places=2)
        self.assertEqual(order.neiqin_payment_state, "partial")

    def test_platforms_priced_before_tax_are_known_codes(self):
        for value in ("shop, b2b", "jd pdd"):
            with self.subTest(value=value), self.assertRaises(ValidationError) as caught:
                self.env.company.neiqin_tax_excluded_platforms = value
            self.assertIn("Known codes: tmall", caught.exception.args[0])
        self.env.company.neiqin_tax_excluded_platforms = " jd , shop "
        self.assertFalse(self.env.company._neiqin_prices_include_tax("jd"))
        self.assertTrue(self.env.company._neiqin_prices_include_tax("tmall"))

    def test_draft_order_pushed_again_takes_the_tax_out(self):
        """An order pushed while prices were taken before tax, blocked as
        underpaid, is right once pushed again."""
        self.env.company.neiqin_platform_tax_included = False
        first = self._api().api_upsert_orders([self._payload("TAX-6")])[0]
        order = self.env["sale.order"].browse(first["id"])
        self.assertEqual(order.neiqin_payment_state, "partial")
        self.env.company.neiqin_platform_tax_included = True
        again = self._api().api_upsert_orders([self._payload("TAX-6")])[0]
        self.assertEqual(again["status"], "updated", again)
        self.assertAlmostEqual(order.amount_total, 199.8, places=2)
        self.assertEqual(order.neiqin_payment_state, "paid")
        self.assertEqual(
            self._api().api_upsert_orders([self._payload("TAX-6")])[0]["status"], "unchanged"
        )

    def test_price_check_compares_what_the_buyer_paid_with_tax(self):
        """The list price is before tax, the marketplace price after: the
        review's price check counts the tax in before comparing them."""
        rule = self.env.ref("neiqin_orders.rule_order_price")
        rule.max_price_deviation_percent = 5
        with_tax = round(100.0 * self._rate(), 2)
        results = self._api().api_upsert_orders(
            [
                self._order_payload(
                    "TAX-P1",
                    platform="tmall",
                    lines=[{"sku": "T-SCARF", "qty": 1, "price_unit": with_tax}],
                    paid_amount=with_tax,
                ),
                self._order_payload(
                    "TAX-P2",
                    platform="tmall",
                    lines=[{"sku": "T-SCARF", "qty": 1, "price_unit": 100.0}],
                    paid_amount=100.0,
                ),
            ]
        )
        orders = self.env["sale.order"].browse([r["id"] for r in results])
        self.assertEqual(orders.fiscal_position_id, self.env.company.neiqin_tax_included_fpos_id)
        flagged = orders._neiqin_dq_check_price_deviation(rule)
        self.assertEqual(flagged, orders[1], "the price paid with tax is the list price")
