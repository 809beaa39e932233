"""The products' batch API (``api_upsert_products``, ``api_read_products``),
called as the real users: a clerk, a connector's API user with the clerk's
role, a plain employee."""

import unittest

import psycopg2

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from odoo.addons.neiqin_base.engine.guard import engine_writes

from .common import CatalogCase, ean13

API_GROUPS = "neiqin_base.group_neiqin_clerk,neiqin_base.group_neiqin_connector"


class CatalogApiMixin:
    """A connector's API user and the items it sends."""

    @classmethod
    def _setup_catalog_api(cls):
        cls.api_user = new_test_user(cls.env, "cat_api", groups=API_GROUPS, password="cat_api_pw")
        cls.api_user.lang = "en_US"
        cls.apparel = cls.env["product.category"].create({"name": "服装"})
        cls.hoodies = cls.env["product.category"].create(
            {"name": "卫衣", "parent_id": cls.apparel.id}
        )

    @classmethod
    def _item(cls, sku, **extra):
        """A product as a PIM sends it to ``api_upsert_products``."""
        return {
            "sku": sku,
            "name": "纯棉连帽卫衣",
            "description_sale": "长绒棉，加厚毛圈布，宽松版型，S 至 XL 码，可机洗。",
            "list_price": 199,
            "cost": 86.5,
            "barcode": ean13(),
            "category": "服装 / 卫衣",
            "weight": 0.55,
            "volume": 0.004,
            "is_storable": True,
            "channels": [
                {"platform": "tmall", "channel_sku": f"TM-{sku}", "title": "天猫 纯棉连帽卫衣"},
            ],
            **extra,
        }


class TestCatalogApi(CatalogApiMixin, CatalogCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_catalog_api()

    def _api(self, user=None):
        return self.env["product.template"].with_user(user or self.api_user)

    def _find(self, sku):
        return self.env["product.template"].search([("default_code", "=", sku)])

    # ------------------------------------------------------------ upsert
    def test_upsert_creates_updates_and_leaves_unchanged(self):
        item = self._item("API-1")
        created = self._api().api_upsert_products([item])
        self.assertEqual(created[0]["status"], "created", created)
        product = self._find("API-1")
        self.assertEqual(
            created[0],
            {
                "index": 0,
                "sku": "API-1",
                "status": "created",
                "id": product.id,
                "info_state": "draft",
            },
        )
        self.assertEqual(product.name, "纯棉连帽卫衣")
        self.assertEqual(product.categ_id, self.hoodies)
        self.assertEqual(product.list_price, 199)
        self.assertEqual(product.standard_price, 86.5)
        self.assertEqual(product.barcode, item["barcode"])
        self.assertEqual(product.weight, 0.55)
        self.assertTrue(product.is_storable)
        self.assertEqual(product.company_id, self.env.company)
        self.assertEqual(product.create_uid, self.api_user, "written as the caller")
        self.assertEqual(product.neiqin_process_id, self.info_process)

        again = self._api().api_upsert_products([dict(item)])
        self.assertEqual(again[0]["status"], "unchanged", again)
        self.assertEqual(again[0]["id"], product.id)

        changed = self._api().api_upsert_products([{"sku": "API-1", "list_price": 179.0}])
        self.assertEqual(changed[0]["status"], "updated", changed)
        self.assertEqual(product.list_price, 179)
        self.assertEqual(product.name, "纯棉连帽卫衣", "keys not sent are left alone")
        self.assertEqual(len(self._find("API-1")), 1)

    def test_unchanged_item_writes_nothing(self):
        item = self._item("API-2")
        self._api().api_upsert_products([item])
        product = self._find("API-2")
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE product_template SET write_date = '2001-01-01' WHERE id = %s", [product.id]
        )
        self.env.invalidate_all()
        self.assertEqual(self._api().api_upsert_products([dict(item)])[0]["status"], "unchanged")
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(str(product.write_date), "2001-01-01 00:00:00")

    def test_channel_listings_created_and_updated_never_published(self):
        item = self._item(
            "API-3",
            channels=[
                {"platform": "tmall", "channel_sku": "TM-3", "title": "天猫标题"},
                {"platform": "jd", "channel_sku": "JD-3"},
            ],
        )
        self._api().api_upsert_products([item])
        product = self._find("API-3")
        listings = product.neiqin_listing_ids
        self.assertEqual(listings.platform_id, self.tmall | self.jd)
        self.assertEqual(set(listings.mapped("state")), {"draft"})
        tmall = listings.filtered(lambda lst: lst.platform_id == self.tmall)
        self.assertEqual((tmall.channel_sku, tmall.channel_title), ("TM-3", "天猫标题"))

        results = self._api().api_upsert_products(
            [{"sku": "API-3", "channels": [{"platform": "jd", "title": "京东标题"}]}]
        )
        self.assertEqual(results[0]["status"], "updated", results)
        jd = product.neiqin_listing_ids.filtered(lambda lst: lst.platform_id == self.jd)
        self.assertEqual((jd.channel_sku, jd.channel_title), ("JD-3", "京东标题"))
        self.assertEqual(len(product.neiqin_listing_ids), 2, "listings not sent are kept")
        self.assertEqual(jd.state, "draft")

    def test_channel_sku_of_another_product_is_refused(self):
        self._api().api_upsert_products([self._item("API-4")])
        results = self._api().api_upsert_products(
            [self._item("API-5", channels=[{"platform": "tmall", "channel_sku": "TM-API-4"}])]
        )
        self.assertEqual(results[0]["status"], "error")
        self.assertIn(
            "API-5: channel SKU TM-API-4 is already another product's", results[0]["message"]
        )
        self.assertFalse(self._find("API-5"), "nothing half-written")

    def test_channel_sku_given_twice_in_one_call_is_refused(self):
        channel = [{"platform": "jd", "channel_sku": "JD-SAME"}]
        results = self._api().api_upsert_products(
            [self._item("CS-1", channels=channel), self._item("CS-2", channels=channel)]
        )
        self.assertEqual([r["status"] for r in results], ["created", "error"], results)
        self.assertIn(
            "CS-2: channel SKU JD-SAME on JD.com is given to CS-1 too in this call",
            results[1]["message"],
        )
        self.assertFalse(self._find("CS-2"))

    def test_unknown_category_and_platform_are_refused(self):
        results = self._api().api_upsert_products(
            [
                self._item("API-6", category="服装 / 外套"),
                self._item("API-7", channels=[{"platform": "amazon"}]),
                self._item("API-8", category="服装/卫衣"),
            ]
        )
        self.assertEqual([r["status"] for r in results], ["error", "error", "created"], results)
        self.assertIn("API-6: unknown category 服装 / 外套", results[0]["message"])
        self.assertIn("API-7: channel amazon is not a known channel", results[1]["message"])
        self.assertIn("tmall", results[1]["message"])
        self.assertFalse(self._find("API-6") | self._find("API-7"))
        self.assertEqual(self._find("API-8").categ_id, self.hoodies)
        self.assertFalse(
            self.env["product.category"].search([("name", "=", "外套")]), "no category created"
        )

    def test_wrong_types_are_refused_item_by_item(self):
        results = self._api().api_upsert_products(
            [
                self._item("T-1", list_price="199"),
                self._item("T-2", is_storable=1),
                self._item("T-3", weight=float("nan")),
                self._item("T-4", channels={"platform": "tmall"}),
                self._item("T-5", list_price=-1),
                {"sku": {"nested": 1}, "name": "x"},
                "not a product",
                self._item("T-6", cost=True),
                self._item("T-7"),
            ]
        )
        self.assertEqual([r["index"] for r in results], list(range(9)))
        self.assertEqual([r["status"] for r in results], ["error"] * 8 + ["created"], results)
        self.assertEqual(results[0]["message"], "T-1: list_price must be a number.")
        self.assertIn("T-2: is_storable must be true or false", results[1]["message"])
        self.assertIn("weight must be a finite number", results[2]["message"])
        self.assertIn("T-4: channels must be a list", results[3]["message"])
        self.assertIn("list_price must be between 0", results[4]["message"])
        self.assertIn("sku must be text", results[5]["message"])
        self.assertIn("cost must be a number", results[7]["message"])
        self.assertFalse(self._find("T-1") | self._find("T-2") | self._find("T-6"))

    def test_too_long_texts_are_refused(self):
        results = self._api().api_upsert_products(
            [
                self._item("L" * 129),
                self._item("L-1", name="卫" * 257),
                self._item(
                    "L-2",
                    channels=[{"platform": "tmall", "channel_sku": "L-2", "title": "x" * 257}],
                ),
                self._item("L-3", name="tab\there"),
            ]
        )
        self.assertEqual({r["status"] for r in results}, {"error"}, results)
        self.assertIn("sku is too long (129 characters, at most 128)", results[0]["message"])
        self.assertIn("name is too long (257 characters, at most 256)", results[1]["message"])
        self.assertIn("title is too long", results[2]["message"])
        self.assertIn("name contains characters that cannot be stored", results[3]["message"])

    def test_failing_item_of_a_batch_fails_alone(self):
        barcode = ean13()
        results = self._api().api_upsert_products(
            [
                self._item("B-1", barcode=barcode),
                self._item("B-2", barcode=barcode),
                self._item("B-3"),
            ]
        )
        self.assertEqual([r["status"] for r in results], ["created", "error", "created"], results)
        self.assertIn(barcode, results[1]["message"])
        self.assertTrue(results[1]["message"].startswith("B-2: "), results[1]["message"])
        self.assertFalse(self._find("B-2"))
        self.assertEqual(len(self._find("B-1").neiqin_listing_ids), 1)

    def test_name_is_required_to_create(self):
        item = self._item("N-1")
        del item["name"]
        results = self._api().api_upsert_products([item])
        self.assertEqual(results[0]["status"], "error")
        self.assertIn("N-1: name is required to create a product", results[0]["message"])

    def test_ambiguous_sku_is_refused(self):
        first = self._product(default_code="DUP-1")
        self._product(default_code="DUP-1", name="Other hoodie")
        results = self._api().api_upsert_products([{"sku": "DUP-1", "list_price": 1}])
        self.assertEqual(results[0]["status"], "error")
        self.assertIn("DUP-1 names several products", results[0]["message"])
        self.assertEqual(first.list_price, 199)
        read = self._api().api_read_products(["DUP-1"])
        self.assertEqual(read[0]["status"], "error")
        self.assertIn("DUP-1 names several products", read[0]["message"])

    def test_archived_products_sku_is_refused_not_duplicated(self):
        old = self._product(default_code="ARC-1")
        old.action_archive()
        results = self._api().api_upsert_products([self._item("ARC-1")])
        self.assertEqual(results[0]["status"], "error")
        self.assertIn("ARC-1 is an archived product's SKU", results[0]["message"])
        self.assertFalse(self._find("ARC-1"))
        read = self._api().api_read_products(["ARC-1"])
        self.assertEqual((read[0]["status"], read[0]["id"]), ("found", old.id))
        self.assertFalse(read[0]["active"])

    def test_same_sku_twice_in_one_call_is_applied_in_order(self):
        results = self._api().api_upsert_products(
            [self._item("TWICE-1"), {"sku": "TWICE-1", "list_price": 99}, self._item("OTHER-1")]
        )
        self.assertEqual([r["status"] for r in results], ["created", "updated", "created"], results)
        self.assertEqual(results[0]["id"], results[1]["id"])
        product = self._find("TWICE-1")
        self.assertEqual(len(product), 1)
        self.assertEqual(product.list_price, 99)

    def test_another_companys_product_is_not_found(self):
        other = self.env["res.company"].create({"name": "Other Shop"})
        theirs = self.env["product.template"].create(
            {
                "name": "Their kettle",
                "default_code": "CO-1",
                "company_id": other.id,
                "list_price": 50,
            }
        )
        read = self._api().api_read_products(["CO-1"])
        self.assertEqual(
            read,
            [
                {
                    "index": 0,
                    "sku": "CO-1",
                    "status": "error",
                    "message": "No product with SKU CO-1.",
                }
            ],
        )
        results = self._api().api_upsert_products([self._item("CO-1", list_price=60)])
        self.assertEqual(results[0]["status"], "created", results)
        self.assertNotEqual(results[0]["id"], theirs.id)
        self.assertEqual(theirs.list_price, 50)
        self.assertEqual(theirs.name, "Their kettle")

    def test_edit_of_a_published_product_goes_back_to_review(self):
        if "neiqin_info_changes" not in self.env["product.template"]._fields:
            raise unittest.SkipTest("the information lifecycle is not installed")
        self._api().api_upsert_products([self._item("PUB-1")])
        product = self._find("PUB-1")
        with engine_writes():
            product.sudo().write({"neiqin_info_state": "published"})
        results = self._api().api_upsert_products([{"sku": "PUB-1", "name": "新款连帽卫衣"}])
        self.assertEqual(results[0]["status"], "updated", results)
        self.assertEqual(product.neiqin_info_state, "needs_update")
        self.assertEqual(results[0]["info_state"], "needs_update")

    def test_lifecycle_fields_cannot_be_sent(self):
        results = self._api().api_upsert_products(
            [self._item("OWN-1", neiqin_info_state="published", state="published")]
        )
        self.assertEqual(results[0]["status"], "created", results)
        product = self._find("OWN-1")
        self.assertEqual(product.neiqin_info_state, "draft", "unknown keys are not fields")
        self.assertEqual(product.neiqin_listing_ids.state, "draft")

    # ------------------------------------------------------------ idempotency
    def test_idempotent_replay_answers_the_first_result(self):
        item = self._item("IK-1", idempotency_key="pim-1")
        first = self._api().api_upsert_products([item])
        again = self._api().api_upsert_products([dict(item)])
        self.assertEqual(first[0]["status"], "created")
        self.assertEqual(again, [{**first[0], "replayed": True}])
        self.assertEqual(len(self._find("IK-1")), 1)
        other = self._api().api_upsert_products(
            [{**item, "list_price": 1, "idempotency_key": "pim-1"}]
        )
        self.assertEqual(other[0]["status"], "error")
        self.assertIn("Idempotency key pim-1 was used with another payload", other[0]["message"])
        self.assertEqual(self._find("IK-1").list_price, 199)

    # ------------------------------------------------------------ read
    def test_read_products_with_completeness_issues_and_channels(self):
        self._api().api_upsert_products([self._item("R-1")])
        product = self._find("R-1")
        listing = product.neiqin_listing_ids
        with engine_writes():
            product.sudo().write(
                {"neiqin_completeness": 80, "neiqin_completeness_missing": "Image"}
            )
            listing.sudo().write(
                {"state": "published", "published_at": "2026-11-25 08:30:00", "completeness": 75}
            )
        rule = self.env["neiqin.dq.rule"].create(
            {
                "name": "Test SKU on hold",
                "model_id": self.env["ir.model"]._get_id("product.template"),
                "rule_type": "domain",
                "bad_record_domain": "[('default_code', '=', 'R-1')]",
                "severity": "blocking",
            }
        )
        product._neiqin_dq_check(rule)
        results = self._api(self.clerk).api_read_products(["R-1", "NOPE-1", 42.5])
        self.assertEqual([r["status"] for r in results], ["found", "error", "error"], results)
        found = results[0]
        self.assertEqual(found["id"], product.id)
        self.assertEqual(found["name"], "纯棉连帽卫衣")
        self.assertEqual(found["info_state"], "draft")
        self.assertEqual(found["completeness"], 80)
        self.assertEqual(found["completeness_missing"], "Image")
        self.assertEqual(found["issues"], ["Test SKU on hold"])
        self.assertEqual(
            found["channels"],
            [
                {
                    "platform": "tmall",
                    "channel_sku": "TM-R-1",
                    "title": "天猫 纯棉连帽卫衣",
                    "state": "published",
                    "published_at": "2026-11-25T08:30:00+00:00",
                    "completeness": 75,
                }
            ],
        )
        self.assertEqual(results[1]["message"], "No product with SKU NOPE-1.")
        self.assertIn("sku must be text", results[2]["message"])

    # ------------------------------------------------------------ access
    def test_outsider_is_refused_the_whole_call(self):
        self._api().api_upsert_products([self._item("ACC-1")])
        for method, args in (
            ("api_upsert_products", [self._item("ACC-2")]),
            ("api_read_products", ["ACC-1"]),
        ):
            with self.subTest(method=method), self.assertRaises(AccessError):
                getattr(self._api(self.outsider), method)(args)
        self.assertFalse(self._find("ACC-2"))

    def test_connector_without_clerk_role_is_refused(self):
        connector = new_test_user(
            self.env, "cat_conn_only", groups="neiqin_base.group_neiqin_connector"
        )
        with self.assertRaises(AccessError):
            self._api(connector).api_upsert_products([self._item("ACC-3")])

    def test_payload_not_a_list_is_refused_whole(self):
        with self.assertRaises(UserError):
            self._api().api_upsert_products({"sku": "X"})

    # ------------------------------------------------------------ queries
    def _queries(self, method, args):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        results = getattr(self._api(), method)(args)
        self.env.flush_all()
        return self.env.cr.sql_log_count - before, results

    def test_lookups_do_not_grow_with_the_items(self):
        """Unchanged items cost the look-ups only: one query each for
        products, categories, channels, listings and channel SKUs, whatever
        the number of items; reading back is the same for 2 and 20 SKUs."""
        items = [self._item(f"Q-{n}", barcode=ean13()) for n in range(20)]
        self._api().api_upsert_products(items)
        self._queries("api_upsert_products", items[:2])  # warm the caches
        few, few_results = self._queries("api_upsert_products", items[:2])
        many, many_results = self._queries("api_upsert_products", items)
        self.assertEqual({r["status"] for r in few_results + many_results}, {"unchanged"})
        self.assertEqual(few, many)
        skus = [item["sku"] for item in items]
        self._queries("api_read_products", skus[:2])
        few, few_results = self._queries("api_read_products", skus[:2])
        many, many_results = self._queries("api_read_products", skus)
        self.assertEqual({r["status"] for r in few_results + many_results}, {"found"})
        self.assertGreater(few, 0)
        self.assertEqual(few, many)

    def test_creates_and_updates_are_batched(self):
        """New products are created together, their listings too: the
        queries of 20 items stay close to those of 2 (Odoo's product
        create still writes each variant and each price of its own)."""
        self._queries("api_upsert_products", [self._item(f"W-{n}") for n in range(2)])
        few, results = self._queries(
            "api_upsert_products", [self._item(f"C-{n}") for n in range(2)]
        )
        self.assertEqual({r["status"] for r in results}, {"created"})
        many, results = self._queries(
            "api_upsert_products", [self._item(f"D-{n}") for n in range(20)]
        )
        self.assertEqual({r["status"] for r in results}, {"created"})
        self.assertLessEqual(many - few, 18 * PER_CREATED_PRODUCT, f"{few} for 2, {many} for 20")


# The queries Odoo's product create spends per template, about ten: it
# writes each new product's variant fields (SKU, barcode, cost, weight) on
# its own, checking the barcode and the stock valuation each time. Not the
# API's look-ups, which are counted exactly above.
PER_CREATED_PRODUCT = 12


class TestChannelSkuPerCompany(CatalogApiMixin, CatalogCase):
    """A channel SKU names one product on its channel within a company: the
    products shared by every company are a scope of their own, and another
    company's SKUs are neither refused nor named."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_catalog_api()
        cls.other = cls.env["res.company"].create({"name": "Other Shop"})
        cls.theirs = cls.env["product.template"].create(
            {"name": "Their hoodie", "default_code": "THEIRS-1", "company_id": cls.other.id}
        )
        cls.env["neiqin.product.listing"].create(
            {"product_tmpl_id": cls.theirs.id, "platform_id": cls.tmall.id, "channel_sku": "TM-9"}
        )

    def test_another_companys_channel_sku_is_free_and_not_named(self):
        results = (
            self.env["product.template"]
            .with_user(self.api_user)
            .api_upsert_products(
                [self._item("MINE-1", channels=[{"platform": "tmall", "channel_sku": "TM-9"}])]
            )
        )
        self.assertEqual(results[0]["status"], "created", results)
        mine = self.env["product.template"].browse(results[0]["id"])
        self.assertEqual(mine.company_id, self.env.company)
        self.assertEqual(mine.neiqin_listing_ids.channel_sku, "TM-9")
        # Within the company, the SKU is now taken: refused, without a word
        # of the other company's product.
        results = (
            self.env["product.template"]
            .with_user(self.api_user)
            .api_upsert_products(
                [self._item("MINE-2", channels=[{"platform": "tmall", "channel_sku": "TM-9"}])]
            )
        )
        self.assertEqual(results[0]["status"], "error", results)
        self.assertIn("channel SKU TM-9 is already another product's", results[0]["message"])
        self.assertNotIn("Their", results[0]["message"])
        self.assertNotIn(str(self.theirs.id), results[0]["message"])

    def test_moving_a_product_where_its_channel_sku_is_taken_is_refused_by_name(self):
        mine = self._product(company_id=self.env.company.id)
        Listing = self.env["neiqin.product.listing"]
        Listing.create(
            {"product_tmpl_id": mine.id, "platform_id": self.tmall.id, "channel_sku": "TM-9"}
        )
        # A manager of every company moves it.
        manager = new_test_user(
            self.env,
            login="catalog_mover",
            groups="base.group_user,sales_team.group_sale_manager,neiqin_base.group_neiqin_manager",
            company_ids=[(6, 0, (self.env.company | self.other).ids)],
        )
        moved = mine.with_user(manager)
        with self.assertRaisesRegex(ValidationError, "TM-9") as caught:
            with self.env.cr.savepoint():
                moved.write({"company_id": self.other.id})
                moved.env.flush_all()
        self.assertIn("Other Shop", str(caught.exception))
        self.assertNotIn("Their hoodie", str(caught.exception))
        mine.invalidate_recordset()
        self.assertEqual(mine.company_id, self.env.company)
        # Where the SKU is free, the product and its listing move.
        third = self.env["res.company"].create({"name": "Third Shop"})
        manager.company_ids |= third
        moved.write({"company_id": third.id})
        self.assertEqual(mine.neiqin_listing_ids.company_id, third)

    def test_shared_products_are_a_scope_of_their_own(self):
        shared = self.env["product.template"].create(
            {"name": "Shared cap", "default_code": "SHARED-1", "company_id": False}
        )
        Listing = self.env["neiqin.product.listing"]
        Listing.create(
            {"product_tmpl_id": shared.id, "platform_id": self.tmall.id, "channel_sku": "TM-S"}
        )
        mine = self._product(company_id=self.env.company.id)
        # The company's own product may use it: another scope.
        Listing.create(
            {"product_tmpl_id": mine.id, "platform_id": self.tmall.id, "channel_sku": "TM-S"}
        )
        other_shared = self.env["product.template"].create(
            {"name": "Shared scarf", "default_code": "SHARED-2", "company_id": False}
        )
        results = (
            self.env["product.template"]
            .with_user(self.api_user)
            .api_upsert_products(
                [
                    {
                        "sku": "SHARED-2",
                        "channels": [{"platform": "tmall", "channel_sku": "TM-S"}],
                    }
                ]
            )
        )
        self.assertEqual(results[0]["status"], "error", results)
        self.assertIn("channel SKU TM-S is already another product's", results[0]["message"])
        self.assertFalse(other_shared.neiqin_listing_ids)
        # The database refuses it too, whoever writes.
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                Listing.create(
                    {
                        "product_tmpl_id": other_shared.id,
                        "platform_id": self.tmall.id,
                        "channel_sku": "TM-S",
                    }
                )
                self.env.flush_all()
