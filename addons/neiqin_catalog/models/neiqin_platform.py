from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

# The channels' title limits and how they count: {platform xml id: (limit,
# Chinese characters count double)}. Taobao and Tmall count 60 "characters"
# as GBK bytes (30 Chinese characters); the others count characters.
TITLE_LIMITS = {
    "neiqin_base.platform_tmall": (60, True),
    "neiqin_base.platform_taobao": (60, True),
    "neiqin_base.platform_jd": (45, False),
    "neiqin_base.platform_pdd": (60, False),
    "neiqin_base.platform_douyin": (30, False),
}


class NeiqinPlatform(models.Model):
    """A sales channel's limit on the length of a product title: a listing
    whose title is longer cannot be published there."""

    _inherit = "neiqin.platform"

    neiqin_title_max_length = fields.Integer(
        string="Title Length Limit",
        help="The most characters a product title may have on this channel, counted as the "
        "channel counts them; 0: no limit.",
    )
    neiqin_title_counts_cjk_double = fields.Boolean(
        string="Chinese Characters Count Double",
        help="The channel counts a Chinese (or any full-width, non-ASCII) character of a "
        "title as two, as Taobao and Tmall do: a 60 limit holds 30 Chinese characters.",
    )

    @api.constrains("neiqin_title_max_length")
    def _check_neiqin_title_max_length(self):
        if any(platform.neiqin_title_max_length < 0 for platform in self):
            raise ValidationError(
                self.env._("A title length limit is a number of characters, 0 for none.")
            )

    def write(self, vals):
        result = super().write(vals)
        if {"neiqin_title_max_length", "neiqin_title_counts_cjk_double"} & set(vals):
            self.env["neiqin.product.listing"]._neiqin_update_completeness(platform_ids=self.ids)
        return result

    @api.model
    def _neiqin_default_title_limits(self):
        """Give the channels their title limit and way of counting where
        they have none yet (a database installed before the limits, or
        updated to this version): one UPDATE, which leaves every value a
        user wrote (never written is NULL; a user's 0, no limit, is kept),
        then the listings of the channels it changed scored again."""
        rows = []
        for xmlid, (limit, double) in TITLE_LIMITS.items():
            platform = self.env.ref(xmlid, raise_if_not_found=False)
            if platform:
                rows.append(SQL("(%s, %s, %s)", platform.id, limit, double))
        if not rows:
            return
        self.env.flush_all()
        changed = self.env.execute_query(
            SQL(
                """UPDATE neiqin_platform p
                      SET neiqin_title_max_length = COALESCE(p.neiqin_title_max_length, v.limit_),
                          neiqin_title_counts_cjk_double
                              = COALESCE(p.neiqin_title_counts_cjk_double, v.double_)
                     FROM (VALUES %s) AS v(id, limit_, double_)
                    WHERE p.id = v.id
                      AND (p.neiqin_title_max_length IS NULL
                           OR p.neiqin_title_counts_cjk_double IS NULL)
                RETURNING p.id""",
                SQL(", ").join(rows),
            )
        )
        self.invalidate_model(["neiqin_title_max_length", "neiqin_title_counts_cjk_double"])
        if changed:
            self.env["neiqin.product.listing"]._neiqin_update_completeness(
                platform_ids=[row[0] for row in changed]
            )
