from datetime import date, datetime, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CatalogCase

DAY = date(2020, 3, 2)
NOON = datetime(2020, 3, 2, 12, 0)


@tagged("post_install", "-at_install")
class TestReconciliation(CatalogCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.lead | cls.clerk).tz = "UTC"
        cls.customer = cls.env["res.partner"].create(
            {"name": "Recon customer", "street": "Zhangjiang Road 88", "city": "Shanghai"}
        )
        cls.goods = cls._product(list_price=100.0)

    def _order(self, qty=2, when=NOON, confirm=True):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.goods.product_variant_id.id,
                            "product_uom_qty": qty,
                            "price_unit": 100.0,
                            "tax_id": False,
                        }
                    )
                ],
            }
        )
        if confirm:
            order.action_confirm()
        order.date_order = when
        return order

    def _deliver(self, order, when=NOON):
        picking = order.picking_ids
        for move in picking.move_ids:
            move.write({"quantity": move.product_uom_qty, "picked": True})
        picking._action_done()
        picking.date_done = when
        picking.move_ids.date = when
        return picking

    def _invoice(self, amount, day=DAY):
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": day,
                "invoice_line_ids": [
                    Command.create({"name": "Goods", "quantity": 1, "price_unit": amount})
                ],
            }
        )
        move.invoice_line_ids.tax_ids = False
        move.action_post()
        return move

    def _reconciliation(self, user=None):
        return (
            self.env["neiqin.reconciliation"]
            .with_user(user or self.clerk)
            .create({"date": DAY, "owner_user_id": self.lead.id})
        )

    def _figures(self, rec):
        return {line.measure: line.system_value for line in rec.line_ids}

    def test_system_figures_against_hand_computed_ones(self):
        first = self._order(qty=2)
        self._order(qty=3)
        self._order(qty=1, when=NOON + timedelta(days=1))  # the next day
        self._order(qty=5, confirm=False)  # a quotation
        self._deliver(first)
        self._invoice(150.0)
        self._invoice(70.0, day=DAY + timedelta(days=1))
        rec = self._reconciliation()
        rec.action_check()
        self.assertEqual(rec.state, "checked")
        figures = self._figures(rec)
        self.assertEqual(figures["orders_count"], 2)
        self.assertEqual(figures["orders_amount"], 500.0)
        self.assertEqual(figures["deliveries_count"], 1)
        self.assertEqual(figures["deliveries_qty"], 2)
        self.assertEqual(figures["invoices_count"], 1)
        self.assertEqual(figures["invoices_amount"], 150.0)
        self.assertEqual(figures["moves_qty"], 2)

    def test_difference_over_tolerance_is_flagged(self):
        self._order(qty=2)
        rec = self._reconciliation()
        rec.action_check()
        lines = {line.measure: line for line in rec.line_ids}
        self.assertEqual(lines["orders_count"].system_value, 1)
        lines["orders_count"].entered_value = 3
        lines["orders_amount"].entered_value = 200.5  # within the tolerance of 1 yuan
        self.assertEqual(lines["orders_count"].difference, 2)
        self.assertTrue(lines["orders_count"].is_over_tolerance)
        self.assertFalse(lines["orders_amount"].is_over_tolerance)
        self.assertEqual(rec.difference_count, 1)

    def test_system_figures_are_the_engines(self):
        rec = self._reconciliation()
        with self.assertRaises(AccessError):
            rec.line_ids[0].with_user(self.clerk).system_value = 42
        with self.assertRaises(AccessError):
            rec.with_user(self.clerk).state = "confirmed"

    def test_only_a_lead_confirms_and_confirming_freezes(self):
        rec = self._reconciliation()
        rec.action_check()
        with self.assertRaises(AccessError):
            rec.with_user(self.clerk).action_confirm()
        with self.assertRaises(AccessError):
            rec.with_user(self.outsider).action_check()
        rec.with_user(self.lead).action_confirm()
        self.assertEqual(rec.state, "confirmed")
        self.assertEqual(rec.confirmed_by_id, self.lead)
        with self.assertRaises(UserError):
            rec.line_ids[0].with_user(self.clerk).entered_value = 9
        with self.assertRaises(UserError):
            rec.with_user(self.clerk).action_check()

    def test_system_figures_take_the_same_queries_for_2_and_20_orders(self):
        rec = self._reconciliation()
        counts = []
        for number in (2, 18):
            for _i in range(number):
                self._deliver(self._order())
            self.env.flush_all()
            self.env.invalidate_all()
            rec._system_figures()
            before = self.env.cr.sql_log_count
            figures = rec._system_figures()
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])
        self.assertEqual(figures["orders_count"], 20)
        self.assertEqual(figures["deliveries_count"], 20)

    def test_cron_creates_the_days_reconciliation_and_task(self):
        yesterday = fields.Date.context_today(self.env.user) - timedelta(days=1)
        # A database with demo data has one already.
        self.env["neiqin.reconciliation"].search([("date", "=", yesterday)]).unlink()
        created = self.env["neiqin.reconciliation"]._cron_create_daily()
        mine = created.filtered(lambda r: r.company_id == self.env.company)
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine.date, yesterday)
        self.assertTrue(mine.checked_at, "the system's figures are filled in")
        self.assertEqual(len(mine.line_ids), 7)
        task = mine.task_id
        self.assertEqual(task.process_id, self.env.ref("neiqin_base.process_data"))
        self.assertEqual(task.neiqin_step_id, self.env.ref("neiqin_base.step_data_entry"))
        self.assertTrue(task.neiqin_step_deadline_at)
        self.assertFalse(
            self.env["neiqin.reconciliation"]
            ._cron_create_daily()
            .filtered(lambda r: r.company_id == self.env.company),
            "a day is reconciled once",
        )
