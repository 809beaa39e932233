from odoo import api, fields, models
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
        string="Email Customers About Their Order",
        default=True,
        help="Send the customer an email when the order is confirmed, shipped, delayed and "
        "delivered.",
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
