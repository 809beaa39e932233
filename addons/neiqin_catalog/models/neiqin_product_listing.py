from odoo import api, fields, models

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
    company_id = fields.Many2one(
        related="product_tmpl_id.company_id", store=True, index=True, string="Company"
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
        (
            "platform_sku_uniq",
            "unique (platform_id, channel_sku)",
            "A channel SKU names one product on its channel.",
        ),
    ]

    @api.depends("product_tmpl_id", "platform_id")
    def _compute_display_name(self):
        for listing in self:
            listing.display_name = (
                f"{listing.product_tmpl_id.display_name} @ {listing.platform_id.name}"
            )

    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | LISTING_FIELDS
