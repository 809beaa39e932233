"""The information standards (信息规范) of a product: the data-quality
checks its rules run, and the completeness score (0-100) with what is
missing, both computed in SQL over a whole set of products."""

import contextlib
import contextvars
import logging

from stdnum import ean

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, Query
from odoo.tools.image import base64_to_image

from odoo.addons.neiqin_base.engine.rule_sql import dq_reads

_logger = logging.getLogger(__name__)

# The criteria of the completeness score and their weights (sum: 100).
WEIGHTS = {
    "description": 15,
    "description_length": 10,
    "image": 15,
    "image_size": 10,
    "price": 15,
    "barcode": 10,
    "weight_volume": 10,
    "category": 5,
    "words": 10,
}
# The product fields the score reads: writing one scores the products again.
TEMPLATE_READS = {
    "name",
    "description_sale",
    "image_1920",
    "list_price",
    "standard_price",
    "barcode",
    "weight",
    "volume",
    "is_storable",
    "categ_id",
    "company_id",
    "product_variant_ids",
    "active",
}
VARIANT_READS = {"barcode", "standard_price", "weight", "volume", "active", "product_tmpl_id"}
SCORE_FIELDS = ["neiqin_completeness", "neiqin_completeness_missing"]
# The scores' own table: one narrow row per scored product (no foreign key:
# its check would lock every product row it points to; the products' unlink
# removes their rows, and a row of a product gone is never read).
SCORE_TABLE = "neiqin_product_completeness"
SCORE_COLUMNS = {"neiqin_completeness": "score", "neiqin_completeness_missing": "missing"}
IMAGE_FIELDS = {"neiqin_image_width", "neiqin_image_height"}

# Set while a product's own write or create runs: the variants it writes
# leave the scoring to it (once, after), whatever context the caller sent.
_SCORING_DEFERRED = contextvars.ContextVar("neiqin_completeness_deferred", default=False)


@contextlib.contextmanager
def scoring_deferred():
    token = _SCORING_DEFERRED.set(True)
    try:
        yield
    finally:
        _SCORING_DEFERRED.reset(token)


def scoring_is_deferred():
    return _SCORING_DEFERRED.get()


def flush_for_scores(env):
    """Flush what the scores read, all but the variants' pending fields the
    scores do not read. Odoo's own flows create a variant and archive
    another of the same combination before either is written: flushing
    every field of the variants in between would break the unique index of
    the active combinations (``product_product_combination_unique``)."""
    env["product.product"].flush_model(list(VARIANT_READS))
    env._recompute_all()
    dirty = {field.model_name for field in env.cache.get_dirty_fields()}
    for model_name in sorted(dirty - {"product.product"}):
        env[model_name].flush_model()


def valid_gtin(code):
    """Whether ``code`` is an EAN-8, UPC-A, EAN-13 or GTIN-14 with a right
    check digit, as written (python-stdnum; no spaces or dashes)."""
    try:
        return ean.validate(code) == code
    except ean.ValidationError:
        return False


def gtin_sql(code):
    """SQL: the same test as :func:`valid_gtin` on the SQL text ``code``,
    for the statements that score every product at once. Padded with zeros
    to 14 digits (which keeps a GTIN's check digit), the digits in odd
    positions weigh 3 and those in even positions 1; the check digit makes
    the sum a multiple of ten."""
    digits = SQL("lpad(%s, 14, '0')", code)
    weighted = SQL(" + ").join(
        SQL("%s * substr(%s, %s, 1)::int", 3 if position % 2 else 1, digits, position)
        for position in range(1, 14)
    )
    return SQL(
        """CASE WHEN %s ~ '^([0-9]{8}|[0-9]{12,14})$'
                THEN mod(%s + right(%s, 1)::int, 10) = 0
                ELSE FALSE END""",
        code,
        weighted,
        code,
    )


class ProductTemplate(models.Model):
    _inherit = "product.template"  # pylint: disable=consider-merging-classes-inherited

    neiqin_image_width = fields.Integer(
        string="Image Width (px)", compute="_compute_neiqin_image_size", store=True
    )
    neiqin_image_height = fields.Integer(
        string="Image Height (px)", compute="_compute_neiqin_image_size", store=True
    )

    @api.depends("image_1920")
    def _compute_neiqin_image_size(self):
        # The pixels are read when an image is written, one image at a time;
        # checks and scores read the stored sizes.
        for template in self:
            width = height = 0
            if template.image_1920:
                try:
                    width, height = base64_to_image(template.image_1920).size
                except (UserError, ValueError, OSError):
                    _logger.info("Product %s: its image cannot be read", template.id)
            template.neiqin_image_width = width
            template.neiqin_image_height = height

    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | IMAGE_FIELDS

    def init(self):
        result = super().init()
        self.env.cr.execute(
            SQL(
                """CREATE TABLE IF NOT EXISTS %s (
                       product_tmpl_id integer PRIMARY KEY,
                       score integer NOT NULL,
                       missing text)""",
                SQL.identifier(SCORE_TABLE),
            )
        )
        return result

    # ------------------------------------------------------------ stored scores
    def _field_to_sql(self, alias, fname, query=None, flush=True):
        # The score and the missing list read their row of the scores'
        # table: search, group by, sort and average them as stored fields
        # (the completeness board by category, the list filters).
        if fname not in SCORE_COLUMNS:
            return super()._field_to_sql(alias, fname, query, flush)
        self.check_field_access_rights("read", [fname])
        value = SQL(
            "(SELECT s.%s FROM %s s WHERE s.product_tmpl_id = %s)",
            SQL.identifier(SCORE_COLUMNS[fname]),
            SQL.identifier(SCORE_TABLE),
            SQL.identifier(alias, "id"),
        )
        return SQL("COALESCE(%s, 0)", value) if fname == "neiqin_completeness" else value

    def _compute_neiqin_completeness(self):
        ids = [id_ for id_ in self.ids if id_]
        rows = {}
        if ids:
            rows = {
                row[0]: row[1:]
                for row in self.env.execute_query(
                    SQL(
                        "SELECT product_tmpl_id, score, missing FROM %s "
                        "WHERE product_tmpl_id = ANY(%s)",
                        SQL.identifier(SCORE_TABLE),
                        ids,
                    )
                )
            }
        for template in self:
            score, missing = rows.get(template.id, (0, None))
            template.neiqin_completeness = score
            template.neiqin_completeness_missing = missing or False

    def _inverse_neiqin_completeness(self):
        # Only the engine writes scores (neiqin.engine.mixin refuses anyone
        # else): one statement for the whole set.
        rows = [
            SQL(
                "(%s, %s, %s)",
                t.id,
                t.neiqin_completeness or 0,
                t.neiqin_completeness_missing or None,
            )
            for t in self
            if t.id
        ]
        if rows:
            self.env.cr.execute(
                SQL(
                    """INSERT INTO %s (product_tmpl_id, score, missing) VALUES %s
                       ON CONFLICT (product_tmpl_id)
                       DO UPDATE SET score = EXCLUDED.score, missing = EXCLUDED.missing""",
                    SQL.identifier(SCORE_TABLE),
                    SQL(", ").join(rows),
                )
            )

    def _neiqin_search_score(self, fname, operator, value):
        # The condition on the score's SQL (see _field_to_sql), as Odoo
        # writes it for a stored field: one subquery, no ids read.
        query = Query(self.env, self._table, self._table_sql)
        query.add_where(self._condition_to_sql(self._table, fname, operator, value, query))
        return [("id", "in", query)]

    def _search_neiqin_completeness(self, operator, value):
        return self._neiqin_search_score("neiqin_completeness", operator, value)

    def _search_neiqin_completeness_missing(self, operator, value):
        return self._neiqin_search_score("neiqin_completeness_missing", operator, value)

    def unlink(self):
        ids = self.ids
        result = super().unlink()
        self.env.cr.execute(
            SQL("DELETE FROM %s WHERE product_tmpl_id = ANY(%s)", SQL.identifier(SCORE_TABLE), ids)
        )
        return result

    # ------------------------------------------------------------ criteria in SQL
    def _neiqin_lang(self):
        return self.env.lang or "en_US"

    def _neiqin_criteria_sql(self):
        """{criterion: SQL condition true when a product meets it}, on the
        product ``t`` and its company ``co`` (see :meth:`_neiqin_from_sql`)."""
        lang = self._neiqin_lang()
        description = SQL(
            "COALESCE(btrim(COALESCE(t.description_sale->>%s, t.description_sale->>'en_US')), '')",
            lang,
        )
        all_category = self.env.ref("product.product_category_all", raise_if_not_found=False)
        # The name and the description in every language: the values of
        # their jsonb, as JSON arrays of texts (no language key is searched).
        texts = SQL(
            "concat_ws(' ', jsonb_path_query_array(t.name, '$.*')::text, "
            "jsonb_path_query_array(t.description_sale, '$.*')::text)"
        )
        return {
            "description": SQL("%s <> ''", description),
            "description_length": SQL(
                "char_length(%s) >= COALESCE(co.neiqin_description_min_chars, 0)", description
            ),
            "image": SQL("COALESCE(t.neiqin_image_width, 0) > 0"),
            "image_size": SQL(
                "COALESCE(t.neiqin_image_width, 0) > 0 AND LEAST(t.neiqin_image_width, "
                "t.neiqin_image_height) >= COALESCE(co.neiqin_image_min_px, 0)"
            ),
            # The cost is company-dependent: a jsonb of {company id: cost} on
            # each variant. A product of one company is compared with its
            # cost there; a shared one with its cost in every company.
            "price": SQL(
                """COALESCE(t.list_price, 0) > 0 AND NOT EXISTS (
                       SELECT 1
                         FROM product_product pp
                         CROSS JOIN LATERAL jsonb_each_text(
                             COALESCE(pp.standard_price, '{}'::jsonb)) AS cost(company, value)
                        WHERE pp.product_tmpl_id = t.id AND pp.active
                          AND (t.company_id IS NULL OR cost.company = t.company_id::text)
                          AND cost.value::numeric >= t.list_price)"""
            ),
            "barcode": SQL(
                """EXISTS (SELECT 1 FROM product_product pp
                            WHERE pp.product_tmpl_id = t.id AND pp.active)
                   AND NOT EXISTS (SELECT 1 FROM product_product pp
                                    WHERE pp.product_tmpl_id = t.id AND pp.active
                                      AND NOT COALESCE(%s, FALSE))""",
                gtin_sql(SQL("pp.barcode")),
            ),
            "weight_volume": SQL(
                "NOT COALESCE(t.is_storable, FALSE) "
                "OR (COALESCE(t.weight, 0) > 0 AND COALESCE(t.volume, 0) > 0)"
            ),
            "category": SQL(
                "t.categ_id IS NOT NULL AND t.categ_id <> %s",
                all_category.id if all_category else 0,
            ),
            "words": SQL(
                "NOT %s",
                self.env["neiqin.forbidden.word"]._contains_sql(texts, SQL("t.company_id")),
            ),
        }

    def _neiqin_from_sql(self, ids=None):
        """SQL: the FROM and WHERE of the products ``ids`` (None: every
        product), each with its company's standards (a shared product: the
        current company's)."""
        where = SQL("TRUE") if ids is None else SQL("t.id = ANY(%s)", list(ids))
        return SQL(
            """product_template t
               JOIN res_company co ON co.id = COALESCE(t.company_id, %s)
              WHERE %s""",
            self.env.company.id,
            where,
        )

    def _neiqin_failing(self, *criteria):
        """The products of ``self`` that fail one of ``criteria`` (one query)."""
        if not self:
            return self.browse()
        conditions = self._neiqin_criteria_sql()
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                "SELECT t.id FROM %s AND NOT ((%s) IS TRUE)",
                self._neiqin_from_sql(self.ids),
                SQL(") IS TRUE AND (").join(conditions[name] for name in criteria),
            )
        )
        return self.browse([row[0] for row in rows])

    def _neiqin_completeness_labels(self):
        """{criterion: what is missing when a product fails it}, in the
        language of the current user."""
        _ = self.env._
        return {
            "description": _("sales description"),
            "description_length": _("longer sales description"),
            "image": _("image"),
            "image_size": _("larger image"),
            "price": _("sale price above cost"),
            "barcode": _("valid barcode"),
            "weight_volume": _("weight and volume"),
            "category": _("category"),
            "words": _("no forbidden word"),
        }

    def _neiqin_completeness_sql(self, ids=None):
        """SQL: SELECT id, score, missing of the products ``ids`` (None:
        all) with their criteria, without writing anything."""
        conditions = self._neiqin_criteria_sql()
        labels = self._neiqin_completeness_labels()
        columns = SQL(", ").join(
            SQL("COALESCE((%s), FALSE) AS %s", conditions[name], SQL.identifier(name))
            for name in WEIGHTS
        )
        score = SQL(" + ").join(
            SQL("CASE WHEN c.%s THEN %s ELSE 0 END", SQL.identifier(name), weight)
            for name, weight in WEIGHTS.items()
        )
        missing = SQL(", ").join(
            SQL("CASE WHEN NOT c.%s THEN %s END", SQL.identifier(name), labels[name])
            for name in WEIGHTS
        )
        # OFFSET 0: each criterion is computed once per product, not again
        # for the score, the missing list and the comparison with the stored
        # values (PostgreSQL would otherwise inline the subqueries).
        return SQL(
            """SELECT c.id, (%s) AS score, NULLIF(concat_ws(%s, %s), '') AS missing
                 FROM (SELECT t.id, %s FROM %s OFFSET 0) AS c
               OFFSET 0""",
            score,
            self.env._(", "),
            missing,
            columns,
            self._neiqin_from_sql(ids),
        )

    # ------------------------------------------------------------ completeness
    @api.model
    def _neiqin_update_completeness(self, ids=None):
        """Score the products ``ids`` (None: every product) and their channel
        listings: one UPDATE per model, whatever their number, writing only
        the rows whose score or missing list changed. Not an edit: no write
        date, no tracking."""
        if ids is not None:
            ids = list(ids)
            if not ids:
                return
        flush_for_scores(self.env)
        # One statement: the scores computed once, the rows that changed
        # updated, the products not scored yet inserted (a product's wide
        # row is not written: the scores have their own narrow table).
        self.env.cr.execute(
            SQL(
                """WITH s AS MATERIALIZED (%(scores)s),
                        changed AS (
                            UPDATE %(table)s c
                               SET score = s.score, missing = s.missing
                              FROM s
                             WHERE c.product_tmpl_id = s.id
                               AND (c.score IS DISTINCT FROM s.score
                                    OR c.missing IS DISTINCT FROM s.missing))
                   INSERT INTO %(table)s (product_tmpl_id, score, missing)
                   SELECT s.id, s.score, s.missing
                     FROM s
                    WHERE NOT EXISTS (SELECT 1 FROM %(table)s c
                                       WHERE c.product_tmpl_id = s.id)""",
                scores=self._neiqin_completeness_sql(ids),
                table=SQL.identifier(SCORE_TABLE),
            )
        )
        if ids is None:
            self.invalidate_model(SCORE_FIELDS)
        else:
            self.browse(ids).invalidate_recordset(SCORE_FIELDS)
        self.env["neiqin.product.listing"]._neiqin_update_completeness(product_ids=ids)

    @api.model
    def _cron_neiqin_completeness(self):
        """Scheduled, daily and when the forbidden words or the standards
        change: score every product and listing again (costs change without
        an edit of the product, the word list for all of them)."""
        self._neiqin_update_completeness()
        self.env["ir.cron"]._notify_progress(done=1, remaining=0)

    @api.model_create_multi
    def create(self, vals_list):
        with scoring_deferred():
            templates = super().create(vals_list)
        if not scoring_is_deferred():
            self._neiqin_update_completeness(templates.ids)
        return templates

    def write(self, vals):
        with scoring_deferred():
            result = super().write(vals)
        if TEMPLATE_READS & set(vals) and not scoring_is_deferred():
            self._neiqin_update_completeness(self.ids)
        return result

    # ------------------------------------------------------------ rule checks
    @dq_reads("description_sale", "company_id.neiqin_description_min_chars")
    def _neiqin_dq_check_description(self, rule):
        """Products without a sales description, or with one shorter than
        their company's minimum."""
        return self._neiqin_failing("description", "description_length")

    @dq_reads("neiqin_image_width", "neiqin_image_height", "company_id.neiqin_image_min_px")
    def _neiqin_dq_check_image(self, rule):
        """Products without an image, or with one smaller than their
        company's minimum on its shorter side."""
        return self._neiqin_failing("image", "image_size")

    def _neiqin_dq_check_price_below_cost(self, rule):
        """Products whose sale price is not above their cost."""
        return self._neiqin_failing("price")

    @dq_reads("name", "description_sale")
    def _neiqin_dq_check_forbidden_words(self, rule):
        """Products whose name or sales description, in any language,
        contains a forbidden word."""
        return self._neiqin_failing("words")

    def _neiqin_dq_check_barcode_invalid(self, rule):
        """Products with a variant whose barcode is not a valid EAN-8,
        UPC-A, EAN-13 or GTIN-14: the barcodes read in one query, each
        checked by python-stdnum."""
        if not self:
            return self.browse()
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """SELECT pp.product_tmpl_id, pp.barcode
                     FROM product_product pp
                    WHERE pp.product_tmpl_id = ANY(%s) AND pp.active
                      AND pp.barcode IS NOT NULL AND pp.barcode <> ''""",
                self.ids,
            )
        )
        return self.browse(sorted({tmpl_id for tmpl_id, code in rows if not valid_gtin(code)}))

    def _neiqin_dq_check_barcode_missing(self, rule):
        """Products with a variant that has no barcode."""
        if not self:
            return self.browse()
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """SELECT DISTINCT pp.product_tmpl_id
                     FROM product_product pp
                    WHERE pp.product_tmpl_id = ANY(%s) AND pp.active
                      AND COALESCE(pp.barcode, '') = ''""",
                self.ids,
            )
        )
        return self.browse([row[0] for row in rows])
