from odoo import api, models

from .product_template_standards import VARIANT_READS, scoring_is_deferred


class ProductProduct(models.Model):
    """A variant's barcode, cost, weight and volume count in its product's
    completeness: writing them scores the product again (unless the
    product's own write is writing them: it scores once, after)."""

    _inherit = "product.product"  # pylint: disable=consider-merging-classes-inherited

    @api.model_create_multi
    def create(self, vals_list):
        variants = super().create(vals_list)
        if not scoring_is_deferred():
            self.env["product.template"]._neiqin_update_completeness(
                set(variants.product_tmpl_id.ids)
            )
        return variants

    def write(self, vals):
        templates = self.product_tmpl_id if "product_tmpl_id" in vals else None
        result = super().write(vals)
        if VARIANT_READS & set(vals) and not scoring_is_deferred():
            templates = (templates or self.env["product.template"]) | self.product_tmpl_id
            self.env["product.template"]._neiqin_update_completeness(set(templates.ids))
        return result
