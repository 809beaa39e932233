from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.neiqin_base.engine.guard import engine_writes, require_group

# Product information a channel may show: approved by a review.
PUBLISHABLE = ("approved", "published")


class NeiqinProductListing(models.Model):
    """Publishing a listing goes through the ``product_publish`` gate, which
    sees the listing's own blocking issues and its product's, from the
    product rules that apply to the listing's channel."""

    _inherit = "neiqin.product.listing"

    # ------------------------------------------------------------ gate hooks
    def _neiqin_in_review(self):
        """Every listing goes through the gate when it is published."""
        return self

    def _neiqin_auto_approves(self):
        """A listing without a blocking exception may be published."""
        return True

    def _neiqin_fingerprint_values(self):
        """A lead's override holds while the listing (channel, SKU, title)
        and its product's approved information stay as they were."""
        self.ensure_one()
        snapshot = self.product_tmpl_id.neiqin_info_snapshot or {}
        return (
            self.platform_id.id,
            self.channel_sku or "",
            self.channel_title or "",
            self.product_tmpl_id.id,
            sorted((key, repr(value)) for key, value in snapshot.items()),
        )

    def _neiqin_product_rules(self):
        """The active blocking rules on products that apply to one of these
        listings' channels (no channel: every channel), of the listings'
        companies or of every company. Configuration, read as the engine:
        which rules stop publishing is not the caller's choice."""
        if not self or not self._neiqin_gate_record().active:
            return self.env["neiqin.dq.rule"].sudo()
        return (
            self.env["neiqin.dq.rule"]
            .sudo()
            .search(
                [
                    ("model_name", "=", "product.template"),
                    ("severity", "=", "blocking"),
                    ("company_id", "in", [False, *self.company_id.ids]),
                    "|",
                    ("neiqin_platform_ids", "=", False),
                    ("neiqin_platform_ids", "in", self.platform_id.ids),
                ]
            )
        )

    def _neiqin_dq_check(self, rules=None):
        """Check the listings, and their products against the product rules
        of the listings' channels (one query per rule): the gate sees both
        (see _neiqin_blocking_issues), in its review and in the findings it
        keeps after a refusal."""
        issues = super()._neiqin_dq_check(rules)
        product_rules = self._neiqin_product_rules()
        if product_rules:
            # Issues are the rule engine's bookkeeping, filed whatever the
            # caller's rights on issues; the products are those of the
            # listings checked.
            self.product_tmpl_id.sudo()._neiqin_dq_check(product_rules)
        return issues

    def _neiqin_blocking_issues(self):
        """The listings' own blocking issues, and their products' from the
        product rules of each listing's channel, by listing id (one query
        more)."""
        blocking = super()._neiqin_blocking_issues()
        rules = self._neiqin_product_rules()
        if not rules:
            return blocking
        # Read as the engine, as the gate's own issues are: whoever is
        # stopped is told which exceptions stop them.
        Issue = self.env["neiqin.dq.issue"].sudo()
        issues = Issue.search(
            [
                ("res_model", "=", "product.template"),
                ("res_id", "in", self.product_tmpl_id.ids),
                ("state", "=", "open"),
                ("severity", "=", "blocking"),
                ("rule_id", "in", rules.ids),
            ]
        )
        by_product = issues.grouped("res_id")
        for listing in self:
            for issue in by_product.get(listing.product_tmpl_id.id, Issue):
                channels = issue.rule_id.neiqin_platform_ids
                if not channels or listing.platform_id in channels:
                    blocking[listing.id] = blocking.get(listing.id, Issue) | issue
        return blocking

    def _neiqin_exception_message(self, blocking):
        """Each stopped listing with its exceptions: the product's apart
        from the listing's own."""
        _ = self.env._
        lines = []
        for listing in self.filtered(lambda r: r.id in blocking):
            issues = blocking[listing.id]
            own = issues.filtered(lambda i: i.res_model == self._name).rule_id
            product = (issues - issues.filtered(lambda i: i.res_model == self._name)).rule_id
            parts = []
            if product:
                parts.append(_("product: %s", ", ".join(product.mapped("name"))))
            if own:
                parts.append(_("listing: %s", ", ".join(own.mapped("name"))))
            lines.append(
                _(
                    "%(listing)s: %(exceptions)s",
                    listing=listing.display_name,
                    exceptions="; ".join(parts),
                )
            )
        return "\n".join(lines)

    # ------------------------------------------------------------ actions
    def _neiqin_check_publisher(self):
        require_group(
            self.env,
            "neiqin_base.group_neiqin_clerk",
            self.env._("Only back-office staff can publish products on the sales channels."),
        )

    def action_neiqin_publish(self):
        """Button: publish the listings on their channels (the gate first)."""
        self._neiqin_check_publisher()
        self._neiqin_publish()
        return True

    def _neiqin_publish(self):
        """Publish these listings: their products must have been approved, and
        the gate must let them through. The products are then published and
        the ones just approved move on to monitoring."""
        if not self:
            return
        products = self.product_tmpl_id
        unapproved = products.filtered(lambda p: p.neiqin_info_state not in PUBLISHABLE)
        if unapproved:
            raise UserError(
                self.env._(
                    "Only approved product information can be published; submit these "
                    "products for review and have a colleague approve them first: %s",
                    ", ".join(unapproved.mapped("display_name")),
                )
            )
        self._neiqin_check_can_proceed(self.env._("Publishing"))
        approved = products.filtered(lambda p: p.neiqin_info_state == "approved")
        with engine_writes():
            self.write(
                {
                    "state": "published",
                    "published_at": fields.Datetime.now(),
                    "published_by_id": self.env.uid,
                }
            )
            if approved:
                approved.write({"neiqin_info_state": "published"})
        approved.filtered("neiqin_process_id")._neiqin_enter_step("monitor")

    def action_neiqin_withdraw(self):
        """Button: take the listings off their channels."""
        self._neiqin_check_publisher()
        published = self.filtered(lambda r: r.state == "published")
        if published != self:
            raise UserError(
                self.env._(
                    "Only published listings can be withdrawn: %s",
                    ", ".join((self - published).mapped("display_name")),
                )
            )
        with engine_writes():
            self.write({"state": "unpublished"})
        return True
