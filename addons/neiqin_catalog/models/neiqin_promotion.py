from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare

from odoo.addons.neiqin_base.engine.guard import engine_writes, require_group

PROMOTION_STATES = [
    ("draft", "Draft"),
    ("scheduled", "Scheduled"),
    ("running", "Running"),
    ("ended", "Ended"),
    ("cancelled", "Cancelled"),
]
PROMOTION_FIELDS = {"state", "launched_at", "override_by_id", "checked_at"}
MIN_COMPLETENESS_PARAM = "neiqin_catalog.promotion_min_completeness"
LEAD = "neiqin_base.group_neiqin_lead"


class NeiqinPromotion(models.Model):
    """A price campaign (促销活动) on some channels between two dates: its
    products at a promotional price on its own pricelist. A checklist
    stops a launch that would sell products not ready, below cost or
    without stock; the prices revert by themselves at the end (the
    pricelist items are dated) and a post-campaign check finds any price
    left discounted."""

    _name = "neiqin.promotion"
    _description = "Promotion"
    _inherit = ["mail.thread", "neiqin.engine.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(readonly=True, copy=False, default="/", index=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    platform_ids = fields.Many2many(
        "neiqin.platform",
        "neiqin_promotion_platform_rel",
        "promotion_id",
        "platform_id",
        string="Channels",
    )
    date_start = fields.Datetime(string="Start", required=True, tracking=True)
    date_end = fields.Datetime(string="End", required=True, tracking=True)
    pricelist_id = fields.Many2one(
        "product.pricelist",
        check_company=True,
        tracking=True,
        help="The pricelist carrying the promotional prices; a pricelist of its own is "
        "created at launch when empty.",
    )
    line_ids = fields.One2many("neiqin.promotion.line", "promotion_id", string="Products")
    check_ids = fields.One2many("neiqin.promotion.check", "promotion_id", string="Checklist")
    check_failed_count = fields.Integer(
        string="Failed Checks", compute="_compute_check_failed_count"
    )
    item_count = fields.Integer(string="Pricelist Items", compute="_compute_item_count")
    state = fields.Selection(
        PROMOTION_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    checked_at = fields.Datetime(string="Checked On", readonly=True, copy=False)
    launched_at = fields.Datetime(string="Launched On", readonly=True, copy=False)
    override_reason = fields.Text(
        string="Launch Despite Failures Because",
        copy=False,
        tracking=True,
        help="A lead launching the promotion although checks failed writes why here.",
    )
    override_by_id = fields.Many2one(
        "res.users", string="Failures Overridden By", readonly=True, copy=False
    )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for promotion in self:
            if promotion.date_end <= promotion.date_start:
                raise ValidationError(
                    self.env._("Promotion %s: the end must come after the start.", promotion.name)
                )

    @api.depends("check_ids.result")
    def _compute_check_failed_count(self):
        counts = dict(
            self.env["neiqin.promotion.check"]._read_group(
                [("promotion_id", "in", self.ids), ("result", "=", "failed")],
                ["promotion_id"],
                ["__count"],
            )
        )
        for promotion in self:
            promotion.check_failed_count = counts.get(promotion, 0)

    def _compute_item_count(self):
        # Items are read as the engine: a clerk may not read pricelists of
        # the sales team, the count only tells how many the promotion wrote.
        counts = dict(
            self.env["product.pricelist.item"]
            .sudo()
            ._read_group(
                [("neiqin_promotion_id", "in", self.ids)], ["neiqin_promotion_id"], ["__count"]
            )
        )
        for promotion in self:
            promotion.item_count = counts.get(promotion.sudo(), 0)

    @api.model
    def _neiqin_owned_fields(self):
        return super()._neiqin_owned_fields() | PROMOTION_FIELDS

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("override_reason") for vals in vals_list):
            require_group(
                self.env, LEAD, self.env._("Only a lead overrides the checklist of a promotion.")
            )
        for vals in vals_list:
            if vals.get("code", "/") == "/":
                vals["code"] = self.env["ir.sequence"].next_by_code("neiqin.promotion") or "/"
        return super().create(vals_list)

    def write(self, vals):
        if "override_reason" in vals and not self._neiqin_engine_may_write():
            # The reason overrides failed checks at launch: a lead's word only.
            require_group(
                self.env, LEAD, self.env._("Only a lead overrides the checklist of a promotion.")
            )
        if set(vals) - PROMOTION_FIELDS - {"override_reason", "message_main_attachment_id"}:
            self._check_preparable()
        return super().write(vals)

    def _check_preparable(self):
        """Clerks prepare draft promotions; once scheduled, only a lead
        changes them (the engine's own writes pass)."""
        if self.env.su or not any(p.state != "draft" for p in self):
            return
        if self._neiqin_engine_may_write():
            return
        require_group(
            self.env,
            LEAD,
            self.env._("Only a lead changes a promotion that is no longer a draft."),
        )
        if any(p.state in ("ended", "cancelled") for p in self):
            raise UserError(self.env._("An ended or cancelled promotion cannot be changed."))

    # ------------------------------------------------------------------ checklist
    def _min_completeness(self):
        value = self.env["ir.config_parameter"].sudo().get_param(MIN_COMPLETENESS_PARAM, "80")
        try:
            return int(value)
        except ValueError:
            return 80

    def _checklist_findings(self, with_pricelist=True):
        """The pre-launch checks of these promotions, for all their lines at
        once (a constant number of queries): a list of dicts (promotion,
        check, product, result, detail)."""
        _ = self.env._
        lines = self.line_ids
        # The checklist reads as the engine: issues, listings, stock and
        # pricelists of the promotions' own products, which the actions that
        # call it have checked the user may act on.
        lines_su = lines.sudo()
        products = lines_su.product_tmpl_id
        products.fetch(["name", "list_price", "neiqin_completeness", "company_id"])
        threshold = self._min_completeness()
        blocking = {
            res_id
            for (res_id,) in self.env["neiqin.dq.issue"]
            .sudo()
            ._read_group(
                [
                    ("res_model", "=", "product.template"),
                    ("res_id", "in", products.ids),
                    ("state", "=", "open"),
                    ("severity", "=", "blocking"),
                ],
                ["res_id"],
            )
        }
        published = {
            (listing.product_tmpl_id.id, listing.platform_id.id)
            for listing in self.env["neiqin.product.listing"]
            .sudo()
            .search_fetch(
                [
                    ("product_tmpl_id", "in", products.ids),
                    ("platform_id", "in", self.platform_ids.ids),
                    ("state", "=", "published"),
                ],
                ["product_tmpl_id", "platform_id"],
            )
        }
        costs = self._template_costs(products)
        free = self._free_quantities(products)
        items = self._applied_items() if with_pricelist else {}
        findings = []

        def add(line, check, ok, detail):
            findings.append(
                {
                    "promotion_id": line.promotion_id.id,
                    "section": "pre",
                    "check_type": check,
                    "product_tmpl_id": line.product_tmpl_id.id,
                    "result": "ok" if ok else "failed",
                    "detail": detail,
                }
            )

        for line in lines_su:
            product = line.product_tmpl_id
            promotion = line.promotion_id
            name = product.display_name
            missing = []
            if product.neiqin_completeness < threshold:
                missing.append(
                    _(
                        "completeness %(score)s%% below %(min)s%%",
                        score=product.neiqin_completeness,
                        min=threshold,
                    )
                )
            if product.id in blocking:
                missing.append(_("open blocking data issue"))
            add(
                line,
                "information",
                not missing,
                _("%(product)s: %(what)s", product=name, what="; ".join(missing))
                if missing
                else name,
            )
            unpublished = promotion.platform_ids.filtered(
                lambda c, p=product: (p.id, c.id) not in published
            )
            add(
                line,
                "published",
                not unpublished,
                _(
                    "%(product)s is not published on %(channels)s",
                    product=name,
                    channels=", ".join(unpublished.mapped("name")),
                )
                if unpublished
                else name,
            )
            digits = self.env["decimal.precision"].precision_get("Product Price")
            below = float_compare(line.promo_price, product.list_price, precision_digits=digits) < 0
            add(
                line,
                "price_regular",
                below,
                _(
                    "%(product)s: promotional price %(promo)s is not below the regular "
                    "price %(regular)s",
                    product=name,
                    promo=line.promo_price,
                    regular=product.list_price,
                )
                if not below
                else name,
            )
            cost = costs.get((product.id, promotion.company_id.id), 0.0)
            above = float_compare(line.promo_price, cost, precision_digits=digits) > 0
            add(
                line,
                "price_cost",
                above,
                _(
                    "%(product)s: promotional price %(promo)s is not above the cost %(cost)s",
                    product=name,
                    promo=line.promo_price,
                    cost=cost,
                )
                if not above
                else name,
            )
            available = free.get((product.id, promotion.company_id.id), 0.0)
            enough = available >= line.expected_qty
            add(
                line,
                "stock",
                enough,
                _(
                    "%(product)s: %(free)s free in stock for %(expected)s expected",
                    product=name,
                    free=available,
                    expected=line.expected_qty,
                )
                if not enough
                else name,
            )
            # The prices are written at launch: before, there is nothing to check.
            if with_pricelist and promotion.launched_at:
                price = items.get((promotion.id, product.id))
                applied = price is not None and not float_compare(
                    price, line.promo_price, precision_digits=digits
                )
                add(
                    line,
                    "pricelist",
                    applied,
                    name
                    if applied
                    else _(
                        "%(product)s has no pricelist item at %(promo)s for the promotion's "
                        "dates",
                        product=name,
                        promo=line.promo_price,
                    ),
                )
        return findings

    @api.model
    def _template_costs(self, products):
        """{(template id, company id): cost} of the products' first variant
        in the companies of these promotions (one query per company)."""
        costs = {}
        for company in self.company_id:
            variants = products.with_company(company).product_variant_id
            variants.fetch(["standard_price", "product_tmpl_id"])
            for variant in variants:
                costs[(variant.product_tmpl_id.id, company.id)] = variant.standard_price
        return costs

    @api.model
    def _free_quantities(self, products):
        """{(template id, company id): free quantity in the internal
        locations}, one query for every product and company."""
        self.env["stock.quant"].flush_model(
            ["product_id", "location_id", "quantity", "reserved_quantity", "company_id"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT pp.product_tmpl_id, q.company_id,
                       SUM(q.quantity - q.reserved_quantity)
                  FROM stock_quant q
                  JOIN product_product pp ON pp.id = q.product_id
                  JOIN stock_location l ON l.id = q.location_id
                 WHERE pp.product_tmpl_id = ANY(%s) AND l.usage = 'internal'
                 GROUP BY pp.product_tmpl_id, q.company_id
                """,
                products.ids,
            )
        )
        return {(tmpl, company): qty for tmpl, company, qty in self.env.cr.fetchall()}

    def _applied_items(self):
        """{(promotion id, template id): fixed price} of the items these
        promotions wrote on their pricelist for their own dates (one query)."""
        self.env["product.pricelist.item"].flush_model()
        self.flush_model(["pricelist_id", "date_start", "date_end"])
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, i.product_tmpl_id, i.fixed_price
                  FROM neiqin_promotion p
                  JOIN product_pricelist_item i
                    ON i.neiqin_promotion_id = p.id AND i.pricelist_id = p.pricelist_id
                 WHERE p.id = ANY(%s) AND i.applied_on = '1_product'
                   AND i.compute_price = 'fixed'
                   AND i.date_start = p.date_start AND i.date_end = p.date_end
                """,
                self.ids,
            )
        )
        return {(pid, tmpl): price for pid, tmpl, price in self.env.cr.fetchall()}

    def _store_findings(self, findings, section):
        """Replace the stored results of ``section`` by ``findings``."""
        # The results are the checklist's, not the user's: written as the
        # engine for promotions the caller was allowed to act on.
        Check = self.env["neiqin.promotion.check"].sudo()
        Check.search([("promotion_id", "in", self.ids), ("section", "=", section)]).unlink()
        Check.create(findings)
        with engine_writes():
            self.write({"checked_at": fields.Datetime.now()})

    def _failures_message(self, findings):
        failed = [f["detail"] for f in findings if f["result"] == "failed"]
        return "\n".join(f"- {detail}" for detail in failed)

    def action_run_checklist(self):
        """Run the pre-launch checklist now and keep its results."""
        self.check_access("write")
        for promotion in self:
            if promotion.state in ("ended", "cancelled"):
                raise UserError(
                    self.env._("Promotion %s is over: its checklist is closed.", promotion.name)
                )
        self._store_findings(self._checklist_findings(), "pre")
        return True

    # ------------------------------------------------------------------ actions
    def action_schedule(self):
        """Draft → scheduled, with the checklist run and kept."""
        require_group(self.env, LEAD, self.env._("Only a lead schedules a promotion."))
        self.check_access("write")
        for promotion in self:
            if promotion.state != "draft":
                raise UserError(self.env._("Promotion %s is not a draft.", promotion.name))
            if not promotion.line_ids:
                raise UserError(self.env._("Promotion %s has no product.", promotion.name))
        self._store_findings(self._checklist_findings(), "pre")
        with engine_writes():
            self.write({"state": "scheduled"})
        return True

    def action_launch(self):
        """Check every product first, then write the dated prices on the
        pricelist; the promotion runs at once if it has started, at its
        start otherwise. Failed checks refuse the launch unless a lead gave
        a reason to override them."""
        require_group(self.env, LEAD, self.env._("Only a lead launches a promotion."))
        self.check_access("write")
        for promotion in self:
            if promotion.state != "scheduled":
                raise UserError(
                    self.env._("Promotion %s must be scheduled to launch.", promotion.name)
                )
        self._launch(raise_on_failure=True)
        return True

    def _launch(self, raise_on_failure):
        """Launch these promotions; return those refused."""
        _ = self.env._
        findings = self._checklist_findings(with_pricelist=False)
        failed_ids = {f["promotion_id"] for f in findings if f["result"] == "failed"}
        refused = self.filtered(lambda p: p.id in failed_ids and not p.override_reason)
        if refused and raise_on_failure:
            raise UserError(
                _(
                    "The checklist failed; fix these or give a reason to override them:\n%s",
                    self._failures_message(
                        [f for f in findings if f["promotion_id"] in refused.ids]
                    ),
                )
            )
        launched = self - refused
        if not launched:
            return refused
        launched._write_pricelist_items()
        now = fields.Datetime.now()
        overridden = launched.filtered(lambda p: p.id in failed_ids)
        with engine_writes():
            launched.write({"launched_at": now})
        launched._store_findings(launched._checklist_findings(), "pre")
        with engine_writes():
            if overridden:
                overridden.write({"override_by_id": self.env.uid})
            launched.filtered(lambda p: p.date_start <= now).write({"state": "running"})
        for promotion in overridden:
            promotion.message_post(
                body=_(
                    "Launched despite failed checks by %(user)s: %(reason)s",
                    user=self.env.user.name,
                    reason=promotion.override_reason,
                )
            )
        return refused

    def _write_pricelist_items(self):
        """The promotions' prices as fixed-price items on their pricelist,
        dated from their start to their end (Odoo applies them only then):
        the items of earlier launches are replaced."""
        # The pricelists belong to the sales team's configuration: the
        # engine writes them for promotions a lead launched, from their own
        # lines only.
        Pricelist = self.env["product.pricelist"].sudo()
        Item = self.env["product.pricelist.item"].sudo()
        for promotion in self.filtered(lambda p: not p.pricelist_id):
            promotion.pricelist_id = Pricelist.create(
                {
                    "name": f"{promotion.code} {promotion.name}",
                    "currency_id": promotion.currency_id.id,
                    "company_id": promotion.company_id.id,
                }
            )
        Item.search([("neiqin_promotion_id", "in", self.ids)]).unlink()
        Item.create(
            [
                {
                    "pricelist_id": line.promotion_id.pricelist_id.id,
                    "neiqin_promotion_id": line.promotion_id.id,
                    "applied_on": "1_product",
                    "product_tmpl_id": line.product_tmpl_id.id,
                    "compute_price": "fixed",
                    "fixed_price": line.promo_price,
                    "date_start": line.promotion_id.date_start,
                    "date_end": line.promotion_id.date_end,
                }
                for line in self.sudo().line_ids
            ]
        )

    def action_cancel(self):
        """Stop a promotion: its prices are removed from the pricelist."""
        require_group(self.env, LEAD, self.env._("Only a lead cancels a promotion."))
        self.check_access("write")
        if any(p.state in ("ended", "cancelled") for p in self):
            raise UserError(self.env._("An ended or cancelled promotion cannot be cancelled."))
        # The engine removes the items the promotions wrote, and only those.
        self.env["product.pricelist.item"].sudo().search(
            [("neiqin_promotion_id", "in", self.ids)]
        ).unlink()
        with engine_writes():
            self.write({"state": "cancelled"})
        return True

    def action_reset_draft(self):
        """Back to draft, to change a cancelled or scheduled promotion."""
        require_group(self.env, LEAD, self.env._("Only a lead sets a promotion back to draft."))
        self.check_access("write")
        if any(p.state not in ("scheduled", "cancelled") for p in self):
            raise UserError(
                self.env._("Only a scheduled or cancelled promotion goes back to draft.")
            )
        self.env["product.pricelist.item"].sudo().search(
            [("neiqin_promotion_id", "in", self.ids)]
        ).unlink()
        with engine_writes():
            self.write({"state": "draft", "launched_at": False, "override_by_id": False})
        return True

    def action_open_pricelist_items(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Promotional Prices"),
            "res_model": "product.pricelist.item",
            "view_mode": "list,form",
            "domain": [("neiqin_promotion_id", "=", self.id)],
        }

    # ------------------------------------------------------------------ crons
    @api.model
    def _cron_promotion_checklist(self, now=None):
        """An hour before their start, run the checklist of the scheduled
        promotions and tell their followers what failed."""
        now = now or fields.Datetime.now()
        due = self.search(
            [
                ("state", "=", "scheduled"),
                ("date_start", "<=", now + timedelta(hours=1)),
                ("date_start", ">", now),
            ]
        )
        if not due:
            return
        findings = due._checklist_findings(with_pricelist=False)
        due._store_findings(findings, "pre")
        failed_ids = {f["promotion_id"] for f in findings if f["result"] == "failed"}
        for promotion in due.filtered(lambda p: p.id in failed_ids):
            promotion.message_post(
                body=self.env._(
                    "The pre-launch checklist failed:\n%s",
                    self._failures_message(
                        [f for f in findings if f["promotion_id"] == promotion.id]
                    ),
                )
            )

    @api.model
    def _cron_promotion_start(self, now=None):
        """Run the scheduled promotions whose start has come: the launched
        ones start, the others are launched now if their checklist passes."""
        now = now or fields.Datetime.now()
        due = self.search([("state", "=", "scheduled"), ("date_start", "<=", now)])
        launched = due.filtered("launched_at")
        with engine_writes():
            launched.write({"state": "running"})
        refused = (due - launched)._launch(raise_on_failure=False)
        for promotion in refused:
            promotion.message_post(body=self.env._("Not started: the pre-launch checklist failed."))

    @api.model
    def _cron_promotion_end(self, now=None):
        """End the promotions whose end has passed, all at once: their
        pricelist items are removed (their dates had already stopped them),
        then the post-campaign check looks for prices left discounted."""
        now = now or fields.Datetime.now()
        due = self.search([("state", "in", ("scheduled", "running")), ("date_end", "<=", now)])
        if not due:
            return
        # The engine removes the items these promotions wrote, and only those.
        self.env["product.pricelist.item"].sudo().search(
            [("neiqin_promotion_id", "in", due.ids)]
        ).unlink()
        with engine_writes():
            due.write({"state": "ended"})
        due._run_post_campaign_check()

    # ------------------------------------------------------------------ post-campaign
    def _post_campaign_findings(self):
        """What is still discounted after these promotions ended (two
        queries whatever their number): a pricelist item of a promotion
        product at its promotional price on its pricelist with no end date
        or one after the promotion's, and products whose list price is at
        or below the promotional price."""
        _ = self.env._
        self.env["product.pricelist.item"].flush_model()
        self.env["neiqin.promotion.line"].flush_model()
        self.env["product.template"].flush_model(["list_price"])
        self.flush_model(["pricelist_id", "date_end"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT p.id, l.product_tmpl_id, i.id
                  FROM neiqin_promotion p
                  JOIN neiqin_promotion_line l ON l.promotion_id = p.id
                  JOIN product_pricelist_item i
                    ON i.product_tmpl_id = l.product_tmpl_id
                   AND (i.neiqin_promotion_id = p.id
                        OR (i.pricelist_id = p.pricelist_id AND i.compute_price = 'fixed'
                            AND i.fixed_price = l.promo_price))
                 WHERE p.id = ANY(%s) AND (i.date_end IS NULL OR i.date_end > p.date_end)
                """,
                self.ids,
            )
        )
        left = self.env.cr.fetchall()
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, l.product_tmpl_id, t.list_price
                  FROM neiqin_promotion p
                  JOIN neiqin_promotion_line l ON l.promotion_id = p.id
                  JOIN product_template t ON t.id = l.product_tmpl_id
                 WHERE p.id = ANY(%s) AND t.list_price <= l.promo_price
                """,
                self.ids,
            )
        )
        lowered = self.env.cr.fetchall()
        names = dict(
            self.env["product.template"]
            .sudo()
            .browse({row[1] for row in left + lowered})
            .mapped(lambda p: (p.id, p.display_name))
        )
        findings = [
            {
                "promotion_id": pid,
                "section": "post",
                "check_type": "left_discounted",
                "product_tmpl_id": tmpl,
                "result": "failed",
                "detail": _(
                    "%(product)s: pricelist item %(item)s still applies after the end",
                    product=names[tmpl],
                    item=item,
                ),
            }
            for pid, tmpl, item in left
        ]
        findings += [
            {
                "promotion_id": pid,
                "section": "post",
                "check_type": "list_price_lowered",
                "product_tmpl_id": tmpl,
                "result": "failed",
                "detail": _(
                    "%(product)s: list price %(price)s is still at the promotional price",
                    product=names[tmpl],
                    price=price,
                ),
            }
            for pid, tmpl, price in lowered
        ]
        return findings

    def _run_post_campaign_check(self):
        """Keep the post-campaign findings on the promotions and tell their
        followers; a promotion with none gets one result saying so."""
        findings = self._post_campaign_findings()
        bad = {f["promotion_id"] for f in findings}
        findings += [
            {
                "promotion_id": promotion.id,
                "section": "post",
                "check_type": "left_discounted",
                "result": "ok",
                "detail": self.env._("No price left discounted."),
            }
            for promotion in self
            if promotion.id not in bad
        ]
        self._store_findings(findings, "post")
        for promotion in self.filtered(lambda p: p.id in bad):
            promotion.message_post(
                body=self.env._(
                    "Prices are still discounted after the end:\n%s",
                    self._failures_message(
                        [f for f in findings if f["promotion_id"] == promotion.id]
                    ),
                )
            )
        return findings

    def action_post_campaign_check(self):
        """Look for prices left discounted after the end, now."""
        require_group(self.env, LEAD, self.env._("Only a lead runs the post-campaign check."))
        self.check_access("write")
        if any(p.state != "ended" for p in self):
            raise UserError(self.env._("The post-campaign check is for ended promotions."))
        self._run_post_campaign_check()
        return True

    def _neiqin_dq_check_still_discounted(self, rule):
        """Ended promotions with a price still discounted (the data-quality
        scan's monitor; two queries)."""
        ended = self.filtered(lambda p: p.state == "ended")
        if not ended:
            return self.browse()
        return self.browse(sorted({f["promotion_id"] for f in ended._post_campaign_findings()}))
