from odoo import api, fields, models
from odoo.exceptions import UserError

LISTING_STATES = [
    ("draft", "Not Published"),
    ("published", "Published"),
    ("unpublished", "Withdrawn"),
]
LISTING_FIELDS = {
    "state",
    "published_at",
    "published_by_id",
    "completeness",
    "completeness_missing",
}


class NeiqinProductListing(models.Model):
    """A product on one sales channel (商品对应): the channel's SKU and
    title, and whether it is published there. Publishing goes through the
    ``product_publish`` gate: a blocking data-quality issue of the listing,
    or of its product for that channel, stops it."""

    _name = "neiqin.product.listing"
    _description = "Product channel listing"
    _inherit = ["mail.thread", "neiqin.gate.mixin"]
    _order = "product_tmpl_id, platform_id"
    _check_company_auto = True
    _neiqin_gate = "product_publish"

    product_tmpl_id = fields.Many2one(
        "product.template",
        string="Product",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    platform_id = fields.Many2one(
        "neiqin.platform", string="Channel", required=True, ondelete="restrict", index=True
    )
    # Precomputed: the row is inserted with its company, which the unique
    # index of the channel SKUs reads (see init).
    company_id = fields.Many2one(
        related="product_tmpl_id.company_id",
        store=True,
        precompute=True,
        index=True,
        string="Company",
    )
    channel_sku = fields.Char(string="Channel SKU", tracking=True)
    channel_title = fields.Char(
        tracking=True,
        help="The title shown on the channel; the product's name when empty.",
    )
    state = fields.Selection(
        LISTING_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    published_at = fields.Datetime(string="Published On", readonly=True, copy=False)
    published_by_id = fields.Many2one("res.users", readonly=True, copy=False)

    completeness = fields.Integer(
        readonly=True,
        copy=False,
        aggregator="avg",
        help="How much of the information standards of its channel the product meets, "
        "from 0 to 100.",
    )
    completeness_missing = fields.Text(string="Missing Information", readonly=True, copy=False)

    _sql_constraints = [
        (
            "product_platform_uniq",
            "unique (product_tmpl_id, platform_id)",
            "A product has one listing per channel.",
        ),
        # A unique index of its own (see init): one product per channel SKU
        # on a channel within a company; the products shared by every
        # company are a scope of their own.
        (
            "platform_sku_uniq",
            "",
            "A channel SKU names one product on its channel in a company.",
        ),
    ]

    def init(self):
        result = super().init()
        self.env.cr.execute(
            """CREATE UNIQUE INDEX IF NOT EXISTS neiqin_product_listing_platform_sku_uniq
                   ON neiqin_product_listing (COALESCE(company_id, 0), platform_id, channel_sku)
                WHERE channel_sku IS NOT NULL AND channel_sku <> ''"""
        )
        return result

    @api.depends("product_tmpl_id", "platform_id")
    def _compute_display_name(self):
        for listing in self:
            listing.display_name = (
                f"{listing.product_tmpl_id.display_name} @ {listing.platform_id.name}"
            )

    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | LISTING_FIELDS

    def write(self, vals):
        """A listing stays the listing of its product on its channel: moving
        it to another product or channel would carry a publication the gate
        gave for one to the other. What a published listing shows (its title,
        its SKU) changes once it is withdrawn, and the gate checks it again
        when it is published anew."""
        if not self._neiqin_engine_may_write():
            _ = self.env._
            moved = [
                name
                for name in ("product_tmpl_id", "platform_id")
                if name in vals and self._neiqin_changes(name, vals[name])
            ]
            if moved:
                raise UserError(
                    _(
                        "A channel listing belongs to one product on one channel: create a new "
                        "listing instead of changing %s.",
                        ", ".join(self._fields[n]._description_string(self.env) for n in moved),
                    )
                )
            shown = [
                name
                for name in ("channel_title", "channel_sku")
                if name in vals and self._neiqin_changes(name, vals[name])
            ]
            live = self.filtered(lambda r: r.state == "published")
            if shown and live:
                raise UserError(
                    _(
                        "Withdraw these listings before changing what their channel shows, then "
                        "publish them again (the gate checks the new title): %s",
                        ", ".join(live.mapped("display_name")),
                    )
                )
        return super().write(vals)
