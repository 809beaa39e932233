import xmlrpc.client

from odoo.tests import HttpCase, new_test_user, tagged

from .common import CatalogCase
from .test_catalog_api import CatalogApiMixin


@tagged("post_install", "-at_install")
class TestCatalogXmlRpc(CatalogApiMixin, CatalogCase, HttpCase):
    """The products' API over real XML-RPC, as a PIM would call it, with
    each user's password."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_catalog_api()
        cls.plain = new_test_user(
            cls.env, "cat_plain", groups="base.group_user", password="cat_plain_pw"
        )
        cls.plain.lang = "en_US"

    def call(self, login, method, *args):
        password = f"{login}_pw"
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, login, password, {})
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, password, "product.template", method, list(args)
        )

    def test_upsert_with_channels_then_read_back(self):
        pushed = self.call(
            "cat_api",
            "api_upsert_products",
            [
                self._item(
                    "X-1",
                    channels=[
                        {"platform": "tmall", "channel_sku": "TM-X-1", "title": "天猫 卫衣"},
                        {"platform": "jd", "channel_sku": "JD-X-1", "title": "京东 卫衣"},
                    ],
                ),
                self._item("X-2", category="服装 / 外套"),
                {"sku": "X-3", "name": "水壶", "list_price": "cheap"},
            ],
        )
        self.assertEqual([r["status"] for r in pushed], ["created", "error", "error"], pushed)
        self.assertIn("unknown category 服装 / 外套", pushed[1]["message"])
        self.assertIn("list_price must be a number", pushed[2]["message"])
        product = self.env["product.template"].browse(pushed[0]["id"])
        self.assertEqual(product.default_code, "X-1")
        self.assertEqual(len(product.neiqin_listing_ids), 2)

        again = self.call(
            "cat_api",
            "api_upsert_products",
            [self._item("X-1", barcode=product.barcode, channels=[])],
        )
        self.assertEqual(again[0]["status"], "unchanged", again)
        changed = self.call(
            "cat_api",
            "api_upsert_products",
            [{"sku": "X-1", "weight": 0.6, "idempotency_key": "k-1"}],
        )
        self.assertEqual(changed[0]["status"], "updated", changed)
        replay = self.call(
            "cat_api",
            "api_upsert_products",
            [{"sku": "X-1", "weight": 0.6, "idempotency_key": "k-1"}],
        )
        self.assertEqual(replay, [{**changed[0], "replayed": True}])

        read = self.call("cat_api", "api_read_products", ["X-1", "X-404"])
        self.assertEqual([r["status"] for r in read], ["found", "error"], read)
        self.assertEqual(read[0]["info_state"], "draft")
        self.assertEqual(
            {(c["platform"], c["channel_sku"], c["state"]) for c in read[0]["channels"]},
            {("tmall", "TM-X-1", "draft"), ("jd", "JD-X-1", "draft")},
        )
        self.assertFalse(read[0]["channels"][0]["published_at"])
        self.assertEqual(read[1]["message"], "No product with SKU X-404.")

    def test_plain_employee_is_refused(self):
        for method, items in (
            ("api_upsert_products", [self._item("X-9")]),
            ("api_read_products", ["X-9"]),
        ):
            with (
                self.subTest(method=method),
                self.assertRaises(xmlrpc.client.Fault) as caught,
            ):
                self.call("cat_plain", method, items)
            self.assertIn("Only the back office's staff", caught.exception.faultString)
        self.assertFalse(self.env["product.template"].search([("default_code", "=", "X-9")]))
