from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.neiqin_base.engine import condition

# The orders connectors push: those of a marketplace, and those of the API.
MARKETPLACE_SCOPE = ["|", ("neiqin_platform", "!=", False), ("neiqin_source", "=", "api")]


class ResCompany(models.Model):
    _inherit = "res.company"

    neiqin_review_scope = fields.Selection(
        [
            ("marketplace", "Marketplace and connector orders"),
            ("all", "Every order"),
            ("custom", "Orders matching a condition"),
        ],
        string="Orders to Review",
        default="marketplace",
        required=True,
        help="Which new orders are checked and approved by the team before they go on, "
        "step by step. The other orders follow Odoo's standard sales flow: no check, no "
        "steps, no customer emails.",
    )
    neiqin_review_domain = fields.Char(
        string="Review the Orders Matching",
        default="[('neiqin_platform', '!=', False)]",
        help="With 'Orders matching a condition': the orders reviewed, as a literal domain "
        "(see the README for its placeholders), e.g. [('team_id.name', '=', 'Tmall')].",
    )
    neiqin_auto_approve = fields.Boolean(
        string="Approve Orders With No Blocking Problem",
        default=True,
        help="The scheduled review approves by itself the orders that break no blocking "
        "rule; the others wait for a clerk.",
    )
    neiqin_confirm_approved = fields.Boolean(
        string="Confirm Platform Orders Once Approved",
        default=True,
        help="An order from an online shop platform becomes a confirmed sales order as soon "
        "as it is approved: the customer has already placed it.",
    )
    neiqin_send_notices = fields.Boolean(
        string="Tell Customers About Their Order",
        default=True,
        help="Send the customer a notice when the order is confirmed, shipped, delayed and "
        "delivered: by e-mail, the platform's buyer messaging or SMS (Back Office settings: "
        "Customer Notices).",
    )
    # How the prices a marketplace sends are taxed.
    # A marketplace's line price is what the buyer paid, VAT included. The
    # connector's orders of such a platform get the company's tax-included
    # fiscal position: it maps each sales tax that is added on top of the price
    # to its tax-included twin, so that the order's total is what the buyer
    # paid and its invoice splits that amount into net and tax.
    neiqin_platform_tax_included = fields.Boolean(
        string="Platform Prices Include Tax",
        default=True,
        help="The line prices connectors send are what the buyer paid, taxes included "
        "(as on Tmall, JD or Pinduoduo): the products' sales taxes are taken out of the "
        "price instead of being added on top.",
    )
    neiqin_tax_excluded_platforms = fields.Char(
        string="Platforms Priced Before Tax",
        help="Platform codes, separated by commas, whose prices are before tax (a B2B "
        "shop, say): their orders get the products' sales taxes on top of the price.",
    )
    neiqin_tax_included_fpos_id = fields.Many2one(
        "account.fiscal.position",
        string="Tax-Included Fiscal Position",
        check_company=True,
        help="Given to the connector's orders whose prices include tax. It maps each sales "
        "tax added on top of the price to its tax-included twin; both are created when the "
        "first order needs them. Add mappings of your own (to a 0 % tax for a platform "
        "that pays the VAT itself, say).",
    )

    def _neiqin_review_scope_domain(self):
        """The domain of the orders this company reviews; None: every order."""
        self.ensure_one()
        if self.neiqin_review_scope == "all":
            return None
        if self.neiqin_review_scope == "marketplace":
            return list(MARKETPLACE_SCOPE)
        return (
            condition.resolve(
                condition.parse(self.neiqin_review_domain or "[]"),
                condition.env_values(self.env),
            )
            or None
        )

    @api.constrains("neiqin_review_scope", "neiqin_review_domain")
    def _check_neiqin_review_domain(self):
        _ = self.env._
        for company in self.filtered(lambda c: c.neiqin_review_scope == "custom"):
            try:
                domain = company._neiqin_review_scope_domain()
                self.env["sale.order"]._search(domain or [])
            except (condition.ConditionError, ValueError, TypeError, KeyError) as exc:
                error = exc
                if isinstance(exc, condition.ConditionError):
                    error = _(exc.args[0], **exc.params)  # pylint: disable=translation-required
                raise ValidationError(
                    _(
                        "%(company)s: the review condition %(domain)s is not valid: %(error)s",
                        company=company.name,
                        domain=company.neiqin_review_domain,
                        error=error,
                    )
                ) from exc

    @api.constrains("neiqin_tax_excluded_platforms")
    def _check_neiqin_tax_excluded_platforms(self):
        known = dict(self.env["sale.order"]._fields["neiqin_platform"].selection)
        for company in self:
            codes = (company.neiqin_tax_excluded_platforms or "").split(",")
            unknown = [c.strip() for c in codes if c.strip() and c.strip().lower() not in known]
            if unknown:
                raise ValidationError(
                    self.env._(
                        "%(company)s: platforms priced before tax are platform codes separated "
                        "by commas (e.g. jd, shop); %(unknown)s is not one. Known codes: "
                        "%(codes)s.",
                        company=company.name,
                        unknown=", ".join(repr(code) for code in unknown),
                        codes=", ".join(known),
                    )
                )

    def _neiqin_prices_include_tax(self, platform):
        """Whether the prices of ``platform`` (a code, or False) include tax."""
        self.ensure_one()
        if not self.neiqin_platform_tax_included:
            return False
        excluded = {
            code.strip().lower()
            for code in (self.neiqin_tax_excluded_platforms or "").split(",")
            if code.strip()
        }
        return (platform or "").lower() not in excluded

    def _neiqin_tax_included_position(self, taxes):
        """The company's tax-included fiscal position, made to map each of
        ``taxes`` (sales taxes of the products of an order) that is added on
        top of the price to its tax-included twin; both are created when
        missing. Returns the position."""
        self.ensure_one()
        taxes = taxes.filtered(
            lambda t: t.company_id == self and not t.price_include and t.amount_type != "group"
        )
        position = self.neiqin_tax_included_fpos_id
        missing = taxes - position.tax_ids.tax_src_id
        if not missing:
            return position
        # sudo: a connector's user sells but may not configure accounting.
        # The records written are the company's own tax-included copies of
        # its own sales taxes (those of products the caller could read),
        # never a record the caller names; the prices charged do not change.
        company = self.sudo()
        if not company.neiqin_tax_included_fpos_id:
            company.neiqin_tax_included_fpos_id = company.env["account.fiscal.position"].create(
                {
                    "name": self.env._("Marketplace prices (tax included)"),
                    "company_id": self.id,
                    "sequence": 1000,
                }
            )
        position = company.neiqin_tax_included_fpos_id
        missing = missing.sudo() - position.tax_ids.tax_src_id
        if missing:
            # Writing the position locks its row: two calls adding the same
            # mapping at once are serialised, and the later one replayed
            # (PostgreSQL's serialization failure) sees the first's twins.
            position.write(
                {
                    "tax_ids": [
                        Command.create({"tax_src_id": tax.id, "tax_dest_id": twin.id})
                        for tax, twin in zip(missing, self._neiqin_tax_twins(missing), strict=True)
                    ]
                }
            )
        return position.sudo(False)

    def _neiqin_tax_twins(self, taxes):
        """The tax-included twin of each of ``taxes`` (sudo records), in a
        list: an existing tax of the company with the same computation,
        group and accounts, or a copy made now."""
        Tax = taxes.env["account.tax"]
        twins = []
        candidates = Tax.with_context(active_test=False).search(
            [
                ("company_id", "=", self.id),
                ("type_tax_use", "=", "sale"),
                ("price_include_override", "=", "tax_included"),
                ("amount", "in", taxes.mapped("amount")),
            ]
        )
        for tax in taxes:
            twin = candidates.filtered(
                lambda t, tax=tax: t.active
                and t.amount == tax.amount
                and t.amount_type == tax.amount_type
                and t.tax_group_id == tax.tax_group_id
                and t.tax_scope == tax.tax_scope
                and t.country_id == tax.country_id
                and t.invoice_repartition_line_ids.account_id
                == tax.invoice_repartition_line_ids.account_id
            )[:1]
            if not twin:
                twin = tax.copy(
                    {
                        "name": self.env._("%s (tax included)", tax.name),
                        "price_include_override": "tax_included",
                    }
                )
            twins.append(twin)
        return twins
