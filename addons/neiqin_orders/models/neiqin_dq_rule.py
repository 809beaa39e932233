import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Separators between suspicious address keywords: new lines and commas,
# the Chinese full-width comma and enumeration comma included.
KEYWORD_SEPARATORS = re.compile(r"[\n,，、]")
# More keywords, or longer ones, are a pasted text rather than a list.
MAX_ADDRESS_KEYWORDS = 100
MAX_KEYWORD_LENGTH = 64


def split_keywords(text):
    """The keywords of ``text`` (one a line or separated by commas), stripped,
    in order, empty entries kept (as '') for the check to refuse."""
    text = (text or "").strip()
    if not text:
        return []
    return [word.strip() for word in KEYWORD_SEPARATORS.split(text)]


class NeiqinDqRule(models.Model):
    """The numbers the order review's module checks read, one field each."""

    _inherit = "neiqin.dq.rule"

    duplicate_window_hours = fields.Float(
        string="Within (Hours)",
        help="Probable duplicate order: another open order of the same customer to the same "
        "address placed within this many hours of the order. 0: 24 hours.",
    )
    max_price_deviation_percent = fields.Float(
        string="Maximum Deviation From Pricelist Price (%)",
        help="Price below floor or off the pricelist price: the net unit price of a line may "
        "differ from the price the order's pricelist gives it by this percent at most. "
        "0: 30%.",
    )
    hold_minutes_after_payment = fields.Integer(
        string="Hold After Payment (Minutes)",
        help="Paid moments ago: a paid order is not approved before this many minutes have "
        "passed since its payment, as buyers often change their address right after paying. "
        "The review approves it by itself afterwards. 0: no hold.",
    )
    address_keywords = fields.Text(
        string="Suspicious Address Keywords",
        help="Suspicious address: an order whose delivery contact's name, street or city "
        "contains one of these words, whatever their case, is stopped. One keyword a line, "
        "or separated by commas. Empty: no order is stopped.",
    )
    manual_review_product_ids = fields.Many2many(
        "product.template",
        relation="neiqin_dq_rule_manual_review_product_rel",
        column1="rule_id",
        column2="product_tmpl_id",
        string="Products Reviewed by Hand",
        help="Products that always need a manual review: an order with one of them is "
        "stopped until a clerk or a lead handles it.",
    )
    manual_review_categ_ids = fields.Many2many(
        "product.category",
        relation="neiqin_dq_rule_manual_review_categ_rel",
        column1="rule_id",
        column2="categ_id",
        string="Product Categories Reviewed by Hand",
        help="Product categories (with their subcategories) that always need a manual "
        "review: an order with a product of one of them is stopped until a clerk or a lead "
        "handles it.",
    )

    @api.constrains("address_keywords")
    def _check_address_keywords(self):
        _ = self.env._
        for rule in self:
            words = split_keywords(rule.address_keywords)
            if "" in words:
                raise ValidationError(
                    _(
                        "Rule %s: the suspicious address keywords have an empty entry; write "
                        "one keyword a line, or separate them with single commas.",
                        rule.name,
                    )
                )
            if len(words) > MAX_ADDRESS_KEYWORDS:
                raise ValidationError(
                    _(
                        "Rule %(rule)s: %(count)s suspicious address keywords, at most "
                        "%(max)s are checked.",
                        rule=rule.name,
                        count=len(words),
                        max=MAX_ADDRESS_KEYWORDS,
                    )
                )
            too_long = [word for word in words if len(word) > MAX_KEYWORD_LENGTH]
            if too_long:
                raise ValidationError(
                    _(
                        "Rule %(rule)s: the address keyword %(word)s is longer than %(max)s "
                        "characters.",
                        rule=rule.name,
                        word=too_long[0],
                        max=MAX_KEYWORD_LENGTH,
                    )
                )

    def _address_keywords(self):
        """The rule's suspicious address keywords, without repeats."""
        self.ensure_one()
        return list(dict.fromkeys(split_keywords(self.address_keywords)))
