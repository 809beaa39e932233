from odoo import models
from odoo.tools import SQL


class ProductTemplate(models.Model):
    _inherit = "product.template"  # pylint: disable=consider-merging-classes-inherited

    def _neiqin_dq_check_published_out_of_stock(self, rule):
        """Monitor: published products none of whose variants has free
        quantity (on hand minus reserved) in an internal location. One query
        for every candidate; stock is read from the quants, so the check
        declares no reads and is run again on every open issue."""
        if not self:
            return self
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """SELECT t.id FROM product_template t
                    WHERE t.id = ANY(%s)
                      AND NOT EXISTS (
                          SELECT 1 FROM product_product p
                            JOIN stock_quant q ON q.product_id = p.id
                            JOIN stock_location l ON l.id = q.location_id
                           WHERE p.product_tmpl_id = t.id AND l.usage = 'internal'
                             AND q.quantity - q.reserved_quantity > 0)""",
                self.ids,
            )
        )
        return self.browse(row[0] for row in rows)
