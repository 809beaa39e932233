from odoo import models


class ProductProduct(models.Model):
    _inherit = "product.product"

    def write(self, vals):
        """An edit of a variant's barcode or image is an edit of its
        product's information (the four eyes and the review see it), as the
        same edit on the product is: the product's barcode is its single
        variant's, and a variant of several has its own barcode and image."""
        image = "image_variant_1920" in vals
        barcode = "barcode" in vals
        if not (image or barcode) or not self:
            return super().write(vals)
        edited = self if image else self.filtered(lambda v: v.barcode != (vals["barcode"] or False))
        result = super().write(vals)
        if edited:
            edited.product_tmpl_id._neiqin_info_track_edit()
        return result
