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

    def _matcher(self):
        """The rule's conditions as a test on an order's values (as
        :meth:`_order_values` gives them), read from the rule once for all
        the orders it is tried on."""
        self.ensure_one()
        countries = frozenset(self.country_ids.ids)
        states = frozenset(self.state_ids.ids)
        prefixes = tuple(p.strip() for p in (self.zip_prefixes or "").split(",") if p.strip())
        products = frozenset(self.product_ids.ids)
        categs = frozenset(self.categ_ids.ids)
        # A category's path starts with its ancestors' paths.
        paths = tuple(self.categ_ids.mapped("parent_path"))
        min_weight, max_weight = self.min_weight, self.max_weight
        min_amount, max_amount = self.min_amount, self.max_amount

        def matches(values):
            weight, amount = values["weight"], values["amount"]
            return not (
                (countries and values["country"] not in countries)
                or (states and values["state"] not in states)
                or (prefixes and not values["zip"].startswith(prefixes))
                or weight < min_weight
                or (max_weight and weight > max_weight)
                or amount < min_amount
                or (max_amount and amount > max_amount)
                or (products and not products & values["products"])
                or (
                    categs
                    and not any(
                        categ in categs or path.startswith(paths)
                        for categ, path in values["categs"]
                    )
                )
            )

        return matches

    @api.model
    def _order_values(self, order, weight, lines):
        """What dispatch rules test on an order; its products only when
        ``lines`` (some rule tests them)."""
        address = order.partner_shipping_id
        values = {
            "country": address.country_id.id,
            "state": address.state_id.id,
            "zip": address.zip or "",
            "weight": weight,
            "amount": order.amount_total,
            "products": frozenset(),
            "categs": (),
        }
        if lines:
            products = order.order_line.product_id
            values["products"] = frozenset(products.ids)
            values["categs"] = [(categ.id, categ.parent_path) for categ in products.categ_id]
        return values

    @api.model
    def _apply(self, orders, vals=None):
        """Set each order's warehouse and carrier from the first matching rule,
        writing ``vals`` on every order in the same writes (one per distinct
        set of values). Orders already confirmed keep their warehouse (their
        pickings exist); values an order already has are not written again."""
        rules_by_company = {}
        grouped = {}
        for order in orders:
            if order.company_id not in rules_by_company:
                # Rules are configuration: applying them on approval must not
                # depend on the approving user's right to read them.
                rules = self.sudo().search([("company_id", "=", order.company_id.id)])
                rules_by_company[order.company_id] = (
                    rules,
                    [(rule, rule._matcher()) for rule in rules],
                    any(rule.product_ids or rule.categ_ids for rule in rules),
                )
            rules, matchers, lines = rules_by_company[order.company_id]
            values = self._order_values(order, self._weight(order, rules), lines)
            rule = next((rule for rule, matches in matchers if matches(values)), None)
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
