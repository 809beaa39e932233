from odoo import api, fields, models
from odoo.exceptions import ValidationError


class NeiqinDispatchRule(models.Model):
    """Which warehouse ships an order, with which carrier. The first active
    rule (by sequence) whose conditions all hold is applied on approval; an
    empty condition always holds."""

    _name = "neiqin.dispatch.rule"
    _description = "Dispatch rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    country_ids = fields.Many2many("res.country", string="Countries")
    state_ids = fields.Many2many("res.country.state", string="Provinces / States")
    zip_prefixes = fields.Char(
        string="ZIP Prefixes", help="Comma-separated prefixes of the delivery ZIP code, e.g. 20,21."
    )
    min_weight = fields.Float(string="Weight From (kg)")
    max_weight = fields.Float(string="Weight Up To (kg)", help="Zero: no upper limit.")
    min_amount = fields.Monetary(string="Amount From")
    max_amount = fields.Monetary(string="Amount Up To", help="Zero: no upper limit.")
    currency_id = fields.Many2one(related="company_id.currency_id")
    product_ids = fields.Many2many("product.product", string="Any of These Products")
    categ_ids = fields.Many2many("product.category", string="Any Product of These Categories")
    warehouse_id = fields.Many2one("stock.warehouse", check_company=True)
    carrier_id = fields.Many2one("delivery.carrier", check_company=True)

    @api.constrains(
        "warehouse_id", "carrier_id", "min_weight", "max_weight", "min_amount", "max_amount"
    )
    def _check_rule(self):
        for rule in self:
            if not rule.warehouse_id and not rule.carrier_id:
                raise ValidationError(
                    self.env._(
                        "Dispatch rule %s: choose a warehouse, a carrier or both.", rule.name
                    )
                )
            if rule.max_weight and rule.min_weight > rule.max_weight:
                raise ValidationError(
                    self.env._("Dispatch rule %s: the weight range is reversed.", rule.name)
                )
            if rule.max_amount and rule.min_amount > rule.max_amount:
                raise ValidationError(
                    self.env._("Dispatch rule %s: the amount range is reversed.", rule.name)
                )

    def _matches(self, order, weight):
        self.ensure_one()
        address = order.partner_shipping_id
        if self.country_ids and address.country_id not in self.country_ids:
            return False
        if self.state_ids and address.state_id not in self.state_ids:
            return False
        if self.zip_prefixes:
            prefixes = [p.strip() for p in self.zip_prefixes.split(",") if p.strip()]
            if not any((address.zip or "").startswith(p) for p in prefixes):
                return False
        if weight < self.min_weight or (self.max_weight and weight > self.max_weight):
            return False
        amount = order.amount_total
        if amount < self.min_amount or (self.max_amount and amount > self.max_amount):
            return False
        if not (self.product_ids or self.categ_ids):
            return True
        products = order.order_line.product_id
        if self.product_ids and not (products & self.product_ids):
            return False
        if self.categ_ids and not any(
            categ in self.categ_ids
            or categ.parent_path.startswith(tuple(c.parent_path for c in self.categ_ids))
            for categ in products.categ_id
        ):
            return False
        return True

    @api.model
    def _apply(self, orders, vals=None):
        """Set each order's warehouse and carrier from the first matching rule,
        writing ``vals`` on every order in the same writes (one per distinct
        set of values). Orders already confirmed keep their warehouse (their
        pickings exist); values an order already has are not written again."""
        rules_by_company = {}
        grouped = {}
        for order in orders:
            rules = rules_by_company.get(order.company_id)
            if rules is None:
                # Rules are configuration: applying them on approval must not
                # depend on the approving user's right to read them.
                rules = self.sudo().search([("company_id", "=", order.company_id.id)])
                rules_by_company[order.company_id] = rules
            weight = self._weight(order, rules)
            rule = next((r for r in rules if r._matches(order, weight)), None)
            order_vals = {}
            if rule:
                if (
                    rule.warehouse_id
                    and order.state in ("draft", "sent")
                    and order.warehouse_id != rule.warehouse_id
                ):
                    order_vals["warehouse_id"] = rule.warehouse_id.id
                if rule.carrier_id and order.carrier_id != rule.carrier_id:
                    order_vals["carrier_id"] = rule.carrier_id.id
            grouped.setdefault(tuple(sorted(order_vals.items())), []).append(order.id)
        for key, ids in grouped.items():
            values = {**(vals or {}), **dict(key)}
            if values:
                orders.browse(ids).write(values)

    @api.model
    def _weight(self, order, rules):
        """The order's weight in kg, when one of ``rules`` looks at weight."""
        if not any(r.min_weight or r.max_weight for r in rules):
            return 0.0
        return sum(
            line.product_id.weight * line.product_uom_qty
            for line in order.order_line
            if line.product_id
        )
