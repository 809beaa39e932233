"""Products: 50,000 per scale unit (a template with one variant each), 80 %
storable with stock in the main warehouse. About 2 % carry each flaw the
data-quality rules look for (no internal reference, a malformed one, no
price, storable without weight, a barcode shared with another product, an
unsorted category); a few are archived or not for sale, for order review.
Written with COPY from one model product made through the ORM."""

import random
from datetime import timedelta

from odoo import fields

from bench.rows import copy_rows, next_ids, sample_rows

PER_SCALE = 50_000
FLAWS = ("no_code", "bad_code", "no_price", "no_weight", "shared_barcode", "unsorted")


def _flaw(rng):
    draw = rng.random()
    for index, name in enumerate(FLAWS):
        if draw < 0.02 * (index + 1):
            return name
    return None


def generate(env, scale, progress):
    rng = random.Random(11)
    total = int(PER_SCALE * scale)
    category = env["product.category"].create({"name": "Bench Goods"})
    unsorted = env["product.category"].create({"name": "Bench Unsorted"})
    warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)

    def build():
        sample = env["product.template"].create(
            {
                "name": "Bench model product",
                "type": "consu",
                "is_storable": True,
                "categ_id": category.id,
                "list_price": 10.0,
                "weight": 1.0,
                "taxes_id": [(6, 0, [])],
                "supplier_taxes_id": [(6, 0, [])],
            }
        )
        variant = sample.product_variant_id
        env["stock.quant"]._update_available_quantity(variant, warehouse.lot_stock_id, 10.0)
        quant = env["stock.quant"].search([("product_id", "=", variant.id)], limit=1)
        return sample, variant, quant

    tmpl_row, variant_row, quant_row = sample_rows(env, build)
    # Entered some time ago, unchanged for two days at least.
    written = fields.Datetime.now() - timedelta(days=2)
    tmpl_row.update(create_date=written, write_date=written)
    variant_row.update(create_date=written, write_date=written)
    tmpl_ids = next_ids(env, "product_template", total)
    variant_ids = next_ids(env, "product_product", total)
    templates, variants, quants = [], [], []
    for index, (tmpl_id, variant_id) in enumerate(zip(tmpl_ids, variant_ids)):
        flaw = _flaw(rng)
        storable = rng.random() < 0.8
        price = round(rng.uniform(5, 2000), 2)
        code = f"BP-{index:06d}"
        if flaw == "no_code":
            code = None
        elif flaw == "bad_code":
            code = f"bp_{index}"
        active = rng.random() >= 0.005
        weight = 0.0 if flaw == "no_weight" else round(rng.uniform(0.1, 20), 2)
        templates.append(
            {
                "id": tmpl_id,
                "name": {"en_US": f"Bench Product {index:06d}"},
                "default_code": code,
                "list_price": 0.0 if flaw == "no_price" else price,
                "weight": weight,
                "is_storable": storable,
                "categ_id": unsorted.id if flaw == "unsorted" else category.id,
                "sale_ok": rng.random() >= 0.005,
                "active": active,
            }
        )
        variants.append(
            {
                "id": variant_id,
                "product_tmpl_id": tmpl_id,
                "default_code": code,
                "weight": weight,
                "barcode": f"69{index % 1000:011d}"
                if flaw == "shared_barcode"
                else f"69{1000 + index:011d}",
                "active": active,
            }
        )
        if storable:
            quants.append({"product_id": variant_id, "quantity": float(rng.randint(0, 500))})
    copy_rows(env, "product_template", tmpl_row, templates, progress, "product templates")
    copy_rows(env, "product_product", variant_row, variants, progress, "product variants")
    copy_rows(env, "stock_quant", quant_row, quants, progress, "stock quants")
    for table in ("product_template", "product_product", "stock_quant"):
        env.cr.execute(f"ANALYZE {table}")  # noqa: S608
    env.registry.clear_cache()
    env.invalidate_all()
