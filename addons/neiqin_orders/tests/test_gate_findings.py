from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.neiqin_base.tests.common import CommittingCase


@tagged("post_install", "-at_install")
class TestRefusalKeepsItsFindings(CommittingCase):
    """Alone in its class (see ``CommittingCase``)."""

    def test_the_exceptions_that_refused_a_confirmation_stay_on_the_order(self):
        registry = self.registry
        with registry.cursor() as cr:
            env = self._env(cr)
            start = self._db_now(cr)
            # A marketplace order of a lamp no warehouse has: the review
            # stops its confirmation.
            product = env["product.product"].create(
                {"name": "Gate lamp", "type": "consu", "is_storable": True, "list_price": 99}
            )
            partner = env["res.partner"].create(
                {
                    "name": "Gate buyer",
                    "street": "1 Gate Road",
                    "city": "Hangzhou",
                    "zip": "310000",
                    "country_id": env.ref("base.cn").id,
                    "phone": "+86 139 0000 1234",
                }
            )
            order = env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "neiqin_platform": "tmall",
                    "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
                }
            )
            self.assertTrue(order.neiqin_process_id)
            ids = {"order": order.id, "product": product.id, "partner": partner.id}
        try:
            with registry.cursor() as cr:
                order = self._env(cr)["sale.order"].browse(ids["order"])
                with self.assertRaisesRegex(UserError, "Stock insufficient"):
                    order.action_confirm()
                # The refused request's transaction ends with its error.
                cr.rollback()
            with registry.cursor() as cr:
                order = self._env(cr)["sale.order"].browse(ids["order"])
                self.assertEqual(order.state, "draft")
                self.assertEqual(order.neiqin_review_state, "exception")
                self.assertIn("Stock insufficient", order.neiqin_exception_summary)
                self.assertIn(
                    "Stock insufficient", order.neiqin_dq_issue_ids.rule_id.mapped("name")
                )
        finally:
            with registry.cursor() as cr:
                for table in ("neiqin_dq_issue", "neiqin_step_log", "mail_message"):
                    column = "model" if table == "mail_message" else "res_model"
                    cr.execute(
                        SQL(
                            "DELETE FROM %s WHERE %s = 'sale.order' AND res_id = %s",
                            SQL.identifier(table),
                            SQL.identifier(column),
                            ids["order"],
                        )
                    )
                env = self._env(cr)
                env["sale.order"].browse(ids["order"]).unlink()
                env["product.product"].browse(ids["product"]).product_tmpl_id.unlink()
                env["res.partner"].browse(ids["partner"]).unlink()
                cr.execute(SQL("DELETE FROM neiqin_dq_change WHERE changed_at >= %s", start))
                cr.execute(SQL("DELETE FROM ir_cron_trigger WHERE create_date >= %s", start))
