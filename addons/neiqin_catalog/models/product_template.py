from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

# The information lifecycle of a product (商品信息管理流程).
INFO_STATES = [
    ("draft", "Draft"),
    ("to_review", "To Review"),
    ("approved", "Approved"),
    ("published", "Published"),
    ("needs_update", "Needs Update"),
]
# The fields a customer sees on a channel: editing one of a product under
# review, approved or published sends it back through the review.
CUSTOMER_FACING = (
    "name",
    "description_sale",
    "image_1920",
    "list_price",
    "categ_id",
    "barcode",
)
# The fields the lifecycle engine owns (see neiqin.engine.mixin).
INFO_FIELDS = {
    "neiqin_info_state",
    "neiqin_info_editor_id",
    "neiqin_info_editor_ids",
    "neiqin_info_edited_at",
    "neiqin_info_reviewer_id",
    "neiqin_info_reviewed_at",
    "neiqin_info_snapshot",
    "neiqin_completeness",
    "neiqin_completeness_missing",
}


class ProductTemplate(models.Model):
    """A product's information goes through the product-information process
    (entry → review → publish → update → monitor), each step with a
    deadline and an owner."""

    _name = "product.template"
    _inherit = ["product.template", "neiqin.process.mixin", "neiqin.dq.mixin"]
    _neiqin_process = "product_info"

    neiqin_info_state = fields.Selection(
        INFO_STATES,
        string="Information",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    neiqin_info_editor_id = fields.Many2one(
        "res.users",
        string="Information Edited By",
        readonly=True,
        copy=False,
        help="Who last edited the customer-facing information: they may not review it.",
    )
    neiqin_info_editor_ids = fields.Many2many(
        "res.users",
        "neiqin_product_info_editor_rel",
        "product_tmpl_id",
        "user_id",
        string="Edited Since the Review",
        readonly=True,
        copy=False,
        help="Everyone who edited the customer-facing information since its last approval: "
        "none of them may approve it.",
    )
    neiqin_info_edited_at = fields.Datetime(
        string="Information Edited On", readonly=True, copy=False
    )
    neiqin_info_reviewer_id = fields.Many2one(
        "res.users", string="Information Reviewed By", readonly=True, copy=False
    )
    neiqin_info_reviewed_at = fields.Datetime(
        string="Information Reviewed On", readonly=True, copy=False
    )
    neiqin_info_snapshot = fields.Json(
        string="Approved Information",
        readonly=True,
        copy=False,
        help="The customer-facing values the last review approved: the next review shows "
        "what changed since.",
    )
    # Kept in a narrow table of their own (neiqin_product_completeness, see
    # product_template_standards.py): scoring every product writes that
    # table, not the wide product rows and their indexes.
    neiqin_completeness = fields.Integer(
        string="Completeness",
        compute="_compute_neiqin_completeness",
        inverse="_inverse_neiqin_completeness",
        search="_search_neiqin_completeness",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="How much of the information standards the product meets, from 0 to 100.",
    )
    neiqin_completeness_missing = fields.Text(
        string="Missing Information",
        compute="_compute_neiqin_completeness",
        inverse="_inverse_neiqin_completeness",
        search="_search_neiqin_completeness_missing",
        readonly=True,
        copy=False,
    )
    neiqin_listing_ids = fields.One2many(
        "neiqin.product.listing", "product_tmpl_id", string="Channel Listings"
    )

    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | INFO_FIELDS

    @api.constrains("company_id")
    def _check_neiqin_channel_skus_in_company(self):
        """A product moved to another company takes its channel listings
        along: one whose channel SKU another product already uses on that
        channel in that company is refused here, by name, before the unique
        index of the listings refuses it at the flush. The other product is
        not named (it may be a company the user does not work in)."""
        self.env["neiqin.product.listing"].flush_model(
            ["product_tmpl_id", "platform_id", "channel_sku"]
        )
        # The listings' own company is still the old one here (recomputed at
        # the flush): the products' companies are read from the records.
        self.env.cr.execute(
            SQL(
                """SELECT mine.product_tmpl_id, mine.platform_id, mine.channel_sku,
                          other.product_tmpl_id
                     FROM neiqin_product_listing mine
                     JOIN neiqin_product_listing other
                       ON other.platform_id = mine.platform_id
                      AND other.channel_sku = mine.channel_sku
                      AND other.product_tmpl_id <> mine.product_tmpl_id
                    WHERE mine.product_tmpl_id = ANY(%s) AND mine.channel_sku <> ''""",
                self.ids,
            )
        )
        for mine, platform, sku, other in self.env.cr.fetchall():
            product, rival = self.browse(mine), self.browse(other)
            # sudo: only the company of the rival product is compared, never
            # shown; the user may not read a product of another company.
            if product.company_id != rival.sudo().company_id:
                continue
            # sudo: the name of a channel the product itself is listed on
            # (an id read from its listing above, not one a caller sent).
            channel = self.env["neiqin.platform"].sudo().browse(platform).name
            raise ValidationError(
                self.env._(
                    "The channel SKU %(sku)s on %(channel)s is already another product's in "
                    "%(company)s: change the channel SKU of %(product)s before moving it there.",
                    sku=sku,
                    channel=channel,
                    company=product.company_id.name or self.env._("every company"),
                    product=product.display_name,
                )
            )

    def _neiqin_in_process_scope(self):
        """Products for sale go through the product-information process."""
        return self.filtered("sale_ok")
