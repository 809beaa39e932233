"""Completeness of the generated products against the information
standards (neiqin_catalog): the score and the missing list of every
product, written by one statement per model (the products' scores into
their own narrow table ``neiqin_product_completeness``).

- ours: ``product.template._neiqin_update_completeness`` over every
  product, from scratch (every score written) and as the daily run finds
  them (only the changed scores written);
- naive: the per-record Python loop (read each product through the ORM,
  check each criterion in Python, write its score) on one product in ten,
  side by side with ours on the same tenth: extrapolate by ten;
- sql: one hand-written statement computing the same scores and lists
  and writing them (the lower bound): for the first computation an INSERT
  of every score into the scores' table, for the daily run the SELECT
  alone (nothing changed, nothing to write);
- the rescan after 1 % of the products changed scores those only.
"""

from odoo.tools import SQL

from odoo.addons.neiqin_base.engine.guard import engine_writes
from odoo.addons.neiqin_catalog.models.product_template_standards import WEIGHTS, valid_gtin

from bench.runner import Scenario

SAMPLE = 10  # the naive loop's sample: one product in SAMPLE


def _all(env):
    env.cr.execute("SELECT count(*) FROM product_template")
    return env.cr.fetchone()[0]


def _sample_ids(env):
    env.cr.execute(SQL("SELECT id FROM product_template WHERE mod(id, %s) = 0 ORDER BY id", SAMPLE))
    return [row[0] for row in env.cr.fetchall()]


def _sample(env):
    return len(_sample_ids(env))


def _scored(env):
    """Every product scored as the daily run left it: once, committed (the
    scores persist with the data, as in a database in use)."""
    env["product.template"]._neiqin_update_completeness()
    if not env.registry.in_test_mode():
        env.cr.commit()


def _unscored(env):
    """No product scored yet: the first computation writes every row of the
    scores' table (empty, as when the standards are installed)."""
    _scored(env)
    env.cr.execute("TRUNCATE neiqin_product_completeness")
    env.invalidate_all()


def _one_in_a_hundred(env):
    """1 % of the products edited (their sales description, in plain SQL,
    as a connector's import would): their scores change."""
    _scored(env)
    env.cr.execute(
        """UPDATE product_template
              SET description_sale = jsonb_build_object('en_US', 'Edited for the bench: '
                                                        || id::text || ' long enough')
            WHERE mod(id, 100) = 0"""
    )
    _changed_ids(env)
    env.invalidate_all()


# The ids the setup changed: a write of them knows them, it does not look them up.
_CHANGED = []


def _changed_ids(env):
    env.cr.execute("SELECT id FROM product_template WHERE mod(id, 100) = 0 ORDER BY id")
    _CHANGED[:] = [row[0] for row in env.cr.fetchall()]
    return _CHANGED


def _ours(env):
    env["product.template"]._neiqin_update_completeness()


def _ours_sample(env):
    env["product.template"]._neiqin_update_completeness(_sample_ids(env))


def _ours_changed(env):
    env["product.template"]._neiqin_update_completeness(_CHANGED)


def _naive_sample(env):
    """Product by product through the ORM, the same criteria in Python."""
    Template = env["product.template"].with_context(active_test=False)
    labels = Template._neiqin_completeness_labels()
    words = [
        w.lower()
        for w in env["neiqin.forbidden.word"].search([("company_id", "=", False)]).mapped("word")
    ]
    all_category = env.ref("product.product_category_all")
    company = env.company
    for product in Template.browse(_sample_ids(env)):
        description = (product.description_sale or "").strip()
        variants = product.product_variant_ids
        texts = f"{product.name}\n{product.description_sale or ''}".lower()
        met = {
            "description": bool(description),
            "description_length": len(description) >= company.neiqin_description_min_chars,
            "image": product.neiqin_image_width > 0,
            "image_size": product.neiqin_image_width > 0
            and min(product.neiqin_image_width, product.neiqin_image_height)
            >= company.neiqin_image_min_px,
            "price": product.list_price > 0
            and all(v.standard_price < product.list_price for v in variants),
            "barcode": bool(variants) and all(valid_gtin(v.barcode or "") for v in variants),
            "weight_volume": not product.is_storable or (product.weight > 0 and product.volume > 0),
            "category": product.categ_id != all_category,
            "words": not any(word in texts for word in words),
        }
        score = sum(weight for name, weight in WEIGHTS.items() if met[name])
        missing = ", ".join(labels[name] for name in WEIGHTS if not met[name]) or False
        if (score, missing) != (product.neiqin_completeness, product.neiqin_completeness_missing):
            with engine_writes():
                product.write(
                    {"neiqin_completeness": score, "neiqin_completeness_missing": missing}
                )


LOWER_BOUND = """
    SELECT c.id,
           (CASE WHEN c.d THEN 15 ELSE 0 END) + (CASE WHEN c.dl THEN 10 ELSE 0 END)
           + (CASE WHEN c.i THEN 15 ELSE 0 END) + (CASE WHEN c.isz THEN 10 ELSE 0 END)
           + (CASE WHEN c.p THEN 15 ELSE 0 END) + (CASE WHEN c.b THEN 10 ELSE 0 END)
           + (CASE WHEN c.wv THEN 10 ELSE 0 END) + (CASE WHEN c.cat THEN 5 ELSE 0 END)
           + (CASE WHEN c.w THEN 10 ELSE 0 END) AS score,
           NULLIF(concat_ws(', ', CASE WHEN NOT c.d THEN 'sales description' END,
                  CASE WHEN NOT c.dl THEN 'longer sales description' END,
                  CASE WHEN NOT c.i THEN 'image' END, CASE WHEN NOT c.isz THEN 'larger image' END,
                  CASE WHEN NOT c.p THEN 'sale price above cost' END,
                  CASE WHEN NOT c.b THEN 'valid barcode' END,
                  CASE WHEN NOT c.wv THEN 'weight and volume' END,
                  CASE WHEN NOT c.cat THEN 'category' END,
                  CASE WHEN NOT c.w THEN 'no forbidden word' END), '') AS missing
      FROM (
        SELECT t.id,
               COALESCE(btrim(t.description_sale->>'en_US'), '') <> '' AS d,
               char_length(COALESCE(btrim(t.description_sale->>'en_US'), ''))
                   >= co.neiqin_description_min_chars AS dl,
               COALESCE(t.neiqin_image_width, 0) > 0 AS i,
               COALESCE(LEAST(t.neiqin_image_width, t.neiqin_image_height), 0)
                   >= GREATEST(co.neiqin_image_min_px, 1) AS isz,
               t.list_price > 0 AND NOT EXISTS (
                   SELECT 1 FROM product_product pp,
                          jsonb_each_text(COALESCE(pp.standard_price, '{}')) AS s(k, v)
                    WHERE pp.product_tmpl_id = t.id AND pp.active
                      AND (t.company_id IS NULL OR s.k = t.company_id::text)
                      AND s.v::numeric >= t.list_price) AS p,
               EXISTS (SELECT 1 FROM product_product pp
                        WHERE pp.product_tmpl_id = t.id AND pp.active)
               AND NOT EXISTS (
                   SELECT 1 FROM product_product pp
                    WHERE pp.product_tmpl_id = t.id AND pp.active
                      AND NOT COALESCE(CASE WHEN pp.barcode ~ '^([0-9]{8}|[0-9]{12,14})$'
                          THEN mod(%(checksum)s + right(pp.barcode, 1)::int, 10) = 0
                          ELSE FALSE END, FALSE)) AS b,
               NOT COALESCE(t.is_storable, FALSE)
                   OR (COALESCE(t.weight, 0) > 0 AND COALESCE(t.volume, 0) > 0) AS wv,
               t.categ_id <> %(all_category)s AS cat,
               NOT EXISTS (
                   SELECT 1 FROM neiqin_forbidden_word fw
                    WHERE fw.active AND (fw.company_id IS NULL OR t.company_id IS NULL
                                         OR fw.company_id = t.company_id)
                      AND strpos(tx.txt, lower(fw.word)) > 0) AS w
          FROM product_template t
          JOIN res_company co ON co.id = COALESCE(t.company_id, %(company)s)
          CROSS JOIN LATERAL (
              SELECT lower(concat_ws(' ', jsonb_path_query_array(t.name, '$.*')::text,
                                     jsonb_path_query_array(t.description_sale, '$.*')::text))
                     AS txt OFFSET 0) AS tx
         OFFSET 0
      ) AS c
"""


def _bound(env, statement):
    env.cr.execute(
        SQL(
            statement,
            all_category=env.ref("product.product_category_all").id,
            company=env.company.id,
            checksum=SQL(
                " + ".join(
                    f"{3 if k % 2 else 1} * substr(lpad(pp.barcode, 14, '0'), {k}, 1)::int"
                    for k in range(1, 14)
                )
            ),
        )
    )


def _sql(env):
    """The daily run's bound: the scores computed, nothing to write."""
    _bound(env, LOWER_BOUND)
    env.cr.fetchall()


def _sql_write(env):
    """The first computation's bound: the same SELECT writing every score
    into the (empty) scores' table, one INSERT."""
    _bound(
        env,
        "INSERT INTO neiqin_product_completeness (product_tmpl_id, score, missing) "
        f"SELECT id, score, missing FROM ({LOWER_BOUND}) AS s",
    )


SCENARIOS = [
    Scenario(
        name="product completeness, first computation",
        records=_all,
        setup=_unscored,
        ours=_ours,
        sql=_sql_write,
        notes="one statement per model writes every product's score and missing list",
        max_queries=6,
    ),
    Scenario(
        name="product completeness, daily run",
        records=_all,
        setup=_scored,
        ours=_ours,
        sql=_sql,
        notes="the same statement; only the scores that changed are written",
        max_queries=6,
    ),
    Scenario(
        name="product completeness, one product in ten",
        records=_sample,
        setup=_unscored,
        ours=_ours_sample,
        naive=_naive_sample,
        notes="the per-record Python loop on a tenth, against ours on the same tenth",
        max_queries=6,
    ),
    Scenario(
        name="product completeness, rescan after 1 % changed",
        records=_all,
        setup=_one_in_a_hundred,
        ours=_ours_changed,
        notes="the changed products' ids, as a write of them scores them",
        max_queries=8,
    ),
]
