from odoo import api, models
from odoo.tools import SQL

from odoo.addons.neiqin_base.engine.rule_sql import dq_reads

from .product_template_standards import flush_for_scores

LISTING_READS = {"channel_title", "platform_id", "product_tmpl_id"}
LISTING_SCORE_FIELDS = ["completeness", "completeness_missing"]
# A listing's score: its product's for 80 points, its title for 20.
PRODUCT_SHARE = 0.8
TITLE_WEIGHTS = {"title_length": 10, "title_words": 10}


class NeiqinProductListing(models.Model):
    """A listing meets its channel's standards: a title within the channel's
    length limit and without forbidden words, on a product that meets the
    information standards."""

    _inherit = "neiqin.product.listing"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------ criteria in SQL
    def _neiqin_title_sql(self):
        """SQL: the title the channel shows, on the listing ``l`` and its
        product ``t``: the channel title, else the product's name."""
        lang = self.env.lang or "en_US"
        return SQL(
            "COALESCE(NULLIF(btrim(l.channel_title), ''), t.name->>%s, t.name->>'en_US', '')",
            lang,
        )

    def _neiqin_criteria_sql(self):
        """{criterion: SQL condition true when a listing meets it}, on the
        listing ``l``, its product ``t`` and its channel ``pf``."""
        title = self._neiqin_title_sql()
        return {
            # A channel that counts a Chinese character as two (Taobao,
            # Tmall: as GBK bytes) counts every non-ASCII character twice.
            "title_length": SQL(
                """COALESCE(pf.neiqin_title_max_length, 0) <= 0
                   OR char_length(%s)
                      + CASE WHEN pf.neiqin_title_counts_cjk_double
                             THEN char_length(regexp_replace(%s, '[[:ascii:]]+', '', 'g'))
                             ELSE 0 END
                      <= pf.neiqin_title_max_length""",
                title,
                title,
            ),
            "title_words": SQL(
                "NOT %s",
                self.env["neiqin.forbidden.word"]._contains_sql(title, SQL("l.company_id")),
            ),
        }

    def _neiqin_from_sql(self, where):
        return SQL(
            """neiqin_product_listing l
               JOIN product_template t ON t.id = l.product_tmpl_id
               JOIN neiqin_platform pf ON pf.id = l.platform_id
               LEFT JOIN neiqin_product_completeness pc ON pc.product_tmpl_id = t.id
              WHERE %s""",
            where,
        )

    def _neiqin_failing(self, criterion):
        """The listings of ``self`` that fail ``criterion`` (one query)."""
        if not self:
            return self.browse()
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                "SELECT l.id FROM %s AND NOT ((%s) IS TRUE)",
                self._neiqin_from_sql(SQL("l.id = ANY(%s)", self.ids)),
                self._neiqin_criteria_sql()[criterion],
            )
        )
        return self.browse([row[0] for row in rows])

    def _neiqin_completeness_sql(self, where):
        """SQL: SELECT id, score, missing of the listings ``where`` selects,
        from their product's stored score."""
        _ = self.env._
        conditions = self._neiqin_criteria_sql()
        labels = {
            "title_length": _("channel title within the channel's length limit"),
            "title_words": _("no forbidden word in the channel title"),
        }
        columns = SQL(", ").join(
            SQL("COALESCE((%s), FALSE) AS %s", conditions[name], SQL.identifier(name))
            for name in TITLE_WEIGHTS
        )
        score = SQL(" + ").join(
            SQL("CASE WHEN c.%s THEN %s ELSE 0 END", SQL.identifier(name), weight)
            for name, weight in TITLE_WEIGHTS.items()
        )
        missing = SQL(", ").join(
            SQL("CASE WHEN NOT c.%s THEN %s END", SQL.identifier(name), labels[name])
            for name in TITLE_WEIGHTS
        )
        return SQL(
            """SELECT c.id,
                      (round(c.product_score * %s)::int + %s) AS score,
                      NULLIF(concat_ws(%s, c.product_missing, %s), '') AS missing
                 FROM (SELECT l.id, COALESCE(pc.score, 0) AS product_score,
                              pc.missing AS product_missing, %s
                         FROM %s OFFSET 0) AS c
               OFFSET 0""",
            PRODUCT_SHARE,
            score,
            _(", "),
            missing,
            columns,
            self._neiqin_from_sql(where),
        )

    @api.model
    def _neiqin_update_completeness(self, ids=None, product_ids=None, platform_ids=None):
        """Score the listings ``ids``, or those of the products
        ``product_ids``, or of the channels ``platform_ids`` (all None:
        every listing) in one UPDATE, from their products' stored scores."""
        wheres = []
        for column, values in (
            ("id", ids),
            ("product_tmpl_id", product_ids),
            ("platform_id", platform_ids),
        ):
            if values is not None:
                values = list(values)
                if not values:
                    return
                wheres.append(SQL("%s = ANY(%s)", SQL.identifier("l", column), values))
        where = SQL(" AND ").join(wheres) if wheres else SQL("TRUE")
        flush_for_scores(self.env)
        self.env.cr.execute(
            SQL(
                """UPDATE neiqin_product_listing p
                      SET completeness = s.score, completeness_missing = s.missing
                     FROM (%s) AS s
                    WHERE p.id = s.id
                      AND (p.completeness IS DISTINCT FROM s.score
                           OR p.completeness_missing IS DISTINCT FROM s.missing)""",
                self._neiqin_completeness_sql(where),
            )
        )
        self.invalidate_model(LISTING_SCORE_FIELDS)

    @api.model_create_multi
    def create(self, vals_list):
        listings = super().create(vals_list)
        self._neiqin_update_completeness(ids=listings.ids)
        return listings

    def write(self, vals):
        result = super().write(vals)
        if LISTING_READS & set(vals):
            self._neiqin_update_completeness(ids=self.ids)
        return result

    # ------------------------------------------------------------ rule checks
    @dq_reads(
        "channel_title",
        "product_tmpl_id.name",
        "platform_id.neiqin_title_max_length",
        "platform_id.neiqin_title_counts_cjk_double",
    )
    def _neiqin_dq_check_title_too_long(self, rule):
        """Listings whose title (the channel title, else the product's name)
        is longer than the channel allows."""
        return self._neiqin_failing("title_length")

    @dq_reads("channel_title", "product_tmpl_id.name")
    def _neiqin_dq_check_title_forbidden_words(self, rule):
        """Listings whose title contains a forbidden word."""
        return self._neiqin_failing("title_words")
