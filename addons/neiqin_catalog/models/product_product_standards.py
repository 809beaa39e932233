from odoo import api, models

from .product_template_standards import VARIANT_READS, scoring_is_deferred


class ProductProduct(models.Model):
    """A variant's barcode, cost, weight and volume count in its product's
    completeness: writing them scores the product again (unless the
    product's own write is writing them: it scores once, after), before
    the transaction commits. Not at once: scoring reads the database, and
    flushing a variant's pending fields in the middle of Odoo's own flows
    (a variant made, then another of the same combination archived)
    would break the unique index of the active combinations."""

    _inherit = "product.product"  # pylint: disable=consider-merging-classes-inherited

    @api.model_create_multi
    def create(self, vals_list):
        variants = super().create(vals_list)
        if not scoring_is_deferred():
            self._neiqin_score_before_commit(variants.product_tmpl_id.ids)
        return variants

    def write(self, vals):
        templates = self.product_tmpl_id if "product_tmpl_id" in vals else None
        result = super().write(vals)
        if VARIANT_READS & set(vals) and not scoring_is_deferred():
            templates = (templates or self.env["product.template"]) | self.product_tmpl_id
            self._neiqin_score_before_commit(templates.ids)
        return result

    def _neiqin_score_before_commit(self, template_ids):
        """Score the products ``template_ids`` once, before the commit,
        with every product the transaction changed this way."""
        pending = self.env.cr.precommit.data.setdefault("neiqin_catalog.score", set())
        if not pending:
            env = self.env

            def score():
                ids = env.cr.precommit.data.pop("neiqin_catalog.score", set())
                env["product.template"].sudo()._neiqin_update_completeness(ids)

            # sudo: the engine's scores of products the user just changed
            # (their ids, not a caller's); the scoring is plain SQL anyway.
            self.env.cr.precommit.add(score)
        pending.update(template_ids)
