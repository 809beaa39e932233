from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.neiqin_base.tests.common import NeiqinAssertions, NeiqinCase

# What an integration user of the XML-RPC API has (README, "XML-RPC API").
API_GROUPS = (
    "neiqin_base.group_neiqin_clerk,sales_team.group_sale_salesman,stock.group_stock_user,"
    "base.group_partner_manager"
)
# A connector's user without a back-office role: it sees only its own and
# unassigned orders (the clerk's role sees every order of the shop).
OWN_DOCS_API_GROUPS = (
    "sales_team.group_sale_salesman,stock.group_stock_user,base.group_partner_manager"
)


def tmall_payload(number, **extra):
    """A Tmall order as a connector sends it to ``api_upsert_orders``: a
    buyer with an e-mail and a province, two shirts paid in full."""
    return {
        "platform": "tmall",
        "platform_order_no": number,
        "customer": {
            "name": "Zhou Jie",
            "external_id": "buyer-77",
            "email": "zhou.jie@example.com",
            "phone": "+86 138 1111 2222",
            "street": "9 Nanjing Road",
            "city": "Shanghai",
            "zip": "200001",
            "country_code": "CN",
            "state_code": "上海市",
        },
        "lines": [{"sku": "T-TEE", "qty": 2, "price_unit": 80}],
        "paid_amount": 160,
        **extra,
    }


class OrdersData(NeiqinAssertions):
    """A warehouse with stock, a carrier with a tracking pattern, back-office
    users and a customer with a complete address and a valid phone."""

    @classmethod
    def _setup_orders_data(cls):
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, lang="en_US"))
        cls.clerk = new_test_user(
            cls.env,
            "ord_clerk",
            groups="neiqin_base.group_neiqin_clerk,sales_team.group_sale_salesman,stock.group_stock_user",
        )
        cls.lead = new_test_user(
            cls.env,
            "ord_lead",
            groups="neiqin_base.group_neiqin_lead,sales_team.group_sale_salesman,stock.group_stock_user",
        )
        cls.salesman = new_test_user(cls.env, "ord_sales", groups="sales_team.group_sale_salesman")
        cls.env.company.neiqin_auto_approve = True
        # Every order of these tests goes through the review (the default
        # reviews marketplace and connector orders only: test_review_scope).
        cls.env.company.neiqin_review_scope = "all"
        # Paid orders are approved at once here: the hold after payment is
        # tested on its own (test_review_holds).
        cls.env.ref("neiqin_orders.rule_order_paid_recently").hold_minutes_after_payment = 0
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.carrier = cls.env["delivery.carrier"].create(
            {
                "name": "Test Express",
                "neiqin_code": "TX",
                "neiqin_tracking_pattern": r"^TX[0-9]{8}$",
                "delivery_type": "fixed",
                "product_id": cls.env.ref("delivery.product_product_delivery").id,
            }
        )
        cls.env["neiqin.dispatch.rule"].search([]).active = False
        cls.env["neiqin.dispatch.rule"].create({"name": "All by TX", "carrier_id": cls.carrier.id})

        def product(code, price, qty=0.0, **vals):
            prod = cls.env["product.product"].create(
                {
                    "name": code,
                    "default_code": code,
                    "type": "consu",
                    "is_storable": True,
                    "list_price": price,
                    "taxes_id": [Command.clear()],
                    **vals,
                }
            )
            if qty:
                cls.env["stock.quant"]._update_available_quantity(
                    prod, cls.warehouse.lot_stock_id, qty
                )
            return prod

        cls.tee = product("T-TEE", 80.0, qty=100)
        cls.mug = product("T-MUG", 40.0, qty=5)
        cls.lamp = product("T-LAMP", 200.0)  # no stock
        cls.country = cls.env.ref("base.cn")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Wu Min",
                "email": "wu.min@example.com",
                "mobile": "+86 139 1234 5678",
                "street": "100 Century Avenue",
                "city": "Shanghai",
                "zip": "200120",
                "country_id": cls.country.id,
                "state_id": cls.env.ref("base.state_cn_SH").id,
            }
        )

    @classmethod
    def _user(cls, login, groups, **vals):
        user = new_test_user(cls.env, login, groups=groups, **vals)
        # Messages are asserted in English whatever languages are installed.
        user.lang = "en_US"
        return user

    @classmethod
    def _order_payload(cls, number, platform="jd", buyer="buyer-1", **extra):
        """An order as a connector sends it to ``api_upsert_orders``."""
        return {
            "platform": platform,
            "platform_order_no": number,
            "customer": {
                "name": "Li Lei",
                "external_id": buyer,
                "street": "1 Renmin Road",
                "city": "Beijing",
                "zip": "100000",
                "country_code": "CN",
                "phone": "+86 139 1234 5678",
            },
            "lines": [{"sku": "T-TEE", "qty": 1, "price_unit": 80}],
            "paid_amount": 80,
            **extra,
        }

    @classmethod
    def _customer(cls, **vals):
        return cls.customer.copy({"name": vals.pop("name", "Other Customer"), **vals})

    @classmethod
    def _order(cls, partner=None, lines=None, **vals):
        lines = lines or [(cls.tee, 1, 80.0)]
        return cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer).id,
                # unassigned: every salesperson may work on it
                "user_id": False,
                "order_line": [
                    Command.create({"product_id": p.id, "product_uom_qty": q, "price_unit": price})
                    for p, q, price in lines
                ],
                **vals,
            }
        )


class OrdersCase(OrdersData, NeiqinCase):
    """neiqin_base's fixture (every back-office role, two teams, a process),
    then the order desk's: its clerk and lead also sell and ship."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_orders_data()

    def _flagged(self, orders, rule_xmlid):
        rule = self.env.ref(rule_xmlid)
        issues = self.env["neiqin.dq.issue"].search(
            [("rule_id", "=", rule.id), ("res_id", "in", orders.ids), ("state", "=", "open")]
        )
        return orders.filtered(lambda o: o.id in issues.mapped("res_id"))
