from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


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
        :meth:`_orders_values` gives them), read from the rule once for all
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
    def _orders_values(self, orders, weight=False, lines=False):
        """What dispatch rules test on each of ``orders``, by order id: its
        company, state, warehouse and carrier, the delivery address's
        country, province and ZIP, the total; the weight in kg when
        ``weight``, the products and their categories when ``lines``.

        Read in SQL, one query each for orders, weights and lines however
        many orders are approved at once. These are the orders being
        approved: whoever approves them reads what approving needs."""
        self.env.flush_all()
        ids = list(orders.ids)
        self.env.cr.execute(
            SQL(
                """
                SELECT o.id, o.company_id, o.state, o.warehouse_id, o.carrier_id,
                       o.amount_total, a.country_id, a.state_id, COALESCE(a.zip, '')
                  FROM sale_order o
                  LEFT JOIN res_partner a ON a.id = o.partner_shipping_id
                 WHERE o.id = ANY(%s)
                """,
                ids,
            )
        )
        values = {
            row[0]: {
                "company": row[1],
                "order_state": row[2],
                "warehouse": row[3],
                "carrier": row[4],
                "amount": float(row[5] or 0.0),
                "country": row[6] or False,
                "state": row[7] or False,
                "zip": row[8],
                "weight": 0.0,
                "products": frozenset(),
                "categs": (),
            }
            for row in self.env.cr.fetchall()
        }
        if weight:
            self.env.cr.execute(
                SQL(
                    """
                    SELECT l.order_id, SUM(COALESCE(p.weight, 0) * l.product_uom_qty)
                      FROM sale_order_line l
                      JOIN product_product p ON p.id = l.product_id
                     WHERE l.order_id = ANY(%s)
                     GROUP BY l.order_id
                    """,
                    ids,
                )
            )
            for order_id, total in self.env.cr.fetchall():
                values[order_id]["weight"] = float(total or 0.0)
        if lines:
            self.env.cr.execute(
                SQL(
                    """
                    SELECT l.order_id, array_agg(DISTINCT l.product_id),
                           array_agg(DISTINCT c.id) FILTER (WHERE c.id IS NOT NULL),
                           array_agg(DISTINCT c.parent_path) FILTER (WHERE c.id IS NOT NULL)
                      FROM sale_order_line l
                      JOIN product_product p ON p.id = l.product_id
                      JOIN product_template t ON t.id = p.product_tmpl_id
                      LEFT JOIN product_category c ON c.id = t.categ_id
                     WHERE l.order_id = ANY(%s)
                     GROUP BY l.order_id
                    """,
                    ids,
                )
            )
            for order_id, products, categs, paths in self.env.cr.fetchall():
                values[order_id]["products"] = frozenset(products)
                values[order_id]["categs"] = list(zip(categs or (), paths or ()))
        return values

    @api.model
    def _apply(self, orders, vals=None):
        """Set each order's warehouse and carrier from the first matching rule,
        writing ``vals`` on every order in the same writes (one per distinct
        set of values). Orders already confirmed keep their warehouse (their
        pickings exist); values an order already has are not written again."""
        # Rules are configuration: applying them on approval must not depend
        # on the approving user's right to read them.
        all_rules = self.sudo().search([("company_id", "in", orders.company_id.ids)])
        by_company = {
            company.id: [(rule, rule._matcher()) for rule in rules]
            for company, rules in all_rules.grouped("company_id").items()
        }
        order_values = self._orders_values(
            orders,
            weight=any(rule.min_weight or rule.max_weight for rule in all_rules),
            lines=any(rule.product_ids or rule.categ_ids for rule in all_rules),
        )
        grouped = {}
        for order_id, values in order_values.items():
            matchers = by_company.get(values["company"], ())
            rule = next((rule for rule, matches in matchers if matches(values)), None)
            order_vals = {}
            if rule:
                warehouse, carrier = rule.warehouse_id.id, rule.carrier_id.id
                if (
                    warehouse
                    and values["order_state"] in ("draft", "sent")
                    and values["warehouse"] != warehouse
                ):
                    order_vals["warehouse_id"] = warehouse
                if carrier and values["carrier"] != carrier:
                    order_vals["carrier_id"] = carrier
            grouped.setdefault(tuple(sorted(order_vals.items())), []).append(order_id)
        for key, ids in grouped.items():
            values = {**(vals or {}), **dict(key)}
            if values:
                orders.browse(ids).write(values)
