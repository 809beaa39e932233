from stdnum import ean

from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from ..models.product_template_standards import gtin_sql, valid_gtin
from .common import CatalogCase, ean13, product_image

_serial = iter(range(10_000, 99_999))


def upca():
    """A valid UPC-A (12 digits), unique in the test run."""
    body = f"0{next(_serial):010d}"
    return body + ean.calc_check_digit(body)


def ean8():
    body = f"9{next(_serial):06d}"
    return body + ean.calc_check_digit(body)


def wrong_check_digit(code):
    return code[:-1] + str((int(code[-1]) + 1) % 10)


class TestStandards(CatalogCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.rule_description = ref("neiqin_catalog.rule_product_description")
        cls.rule_image = ref("neiqin_catalog.rule_product_image")
        cls.rule_price = ref("neiqin_catalog.rule_product_price_cost")
        cls.rule_barcode = ref("neiqin_catalog.rule_product_barcode_invalid")
        cls.rule_no_barcode = ref("neiqin_catalog.rule_product_barcode_missing")
        cls.rule_weight = ref("neiqin_catalog.rule_product_weight_volume")
        cls.rule_category = ref("neiqin_catalog.rule_product_category")
        cls.rule_words = ref("neiqin_catalog.rule_product_forbidden_words")
        cls.rule_title = ref("neiqin_catalog.rule_listing_title_length")
        cls.rule_title_words = ref("neiqin_catalog.rule_listing_title_forbidden_words")
        cls.good = cls._product()

    def test_rules_are_the_product_teams_with_their_severity(self):
        blocking = (
            self.rule_description
            | self.rule_image
            | self.rule_price
            | self.rule_barcode
            | self.rule_words
            | self.rule_title
            | self.rule_title_words
        )
        warnings = self.rule_no_barcode | self.rule_weight | self.rule_category
        self.assertEqual(set(blocking.mapped("severity")), {"blocking"})
        self.assertEqual(set(warnings.mapped("severity")), {"warning"})
        self.assertEqual((blocking | warnings).owner_team_id, self.info_team)
        gate = self.env.ref("neiqin_catalog.gate_product_publish")
        self.assertIn(gate, self.rule_title.gate_ids)
        self.assertIn(gate, self.rule_title_words.gate_ids)

    def test_description_missing_or_shorter_than_the_company_minimum(self):
        empty = self._product(description_sale=False)
        short = self._product(description_sale="Soft cotton.")
        self.assertFlagged(self.rule_description, empty | short, among=self.good | empty | short)
        self.company.neiqin_description_min_chars = 10
        self.assertFlagged(self.rule_description, empty, among=self.good | empty | short)

    def test_image_missing_or_too_small_on_its_shorter_side(self):
        none = self._product(image_1920=False)
        narrow = self._product(image_1920=product_image(900, 400))
        wide = self._product(image_1920=product_image(1000, 600))
        self.assertEqual((narrow.neiqin_image_width, narrow.neiqin_image_height), (900, 400))
        products = self.good | none | narrow | wide
        self.assertFlagged(self.rule_image, none | narrow, among=products)

    def test_image_size_is_not_written_by_hand(self):
        none = self._product(image_1920=False)
        with self.assertRaises(AccessError):
            none.with_user(self.clerk).write({"neiqin_image_width": 2000})

    def test_sale_price_above_cost(self):
        below = self._product(list_price=50.0, standard_price=86.0)
        equal = self._product(list_price=86.0, standard_price=86.0)
        free = self._product(list_price=0.0, standard_price=0.0)
        products = self.good | below | equal | free
        self.assertFlagged(self.rule_price, below | equal | free, among=products)
        below.product_variant_id.with_user(self.clerk).standard_price = 40.0
        self.assertFlagged(self.rule_price, equal | free, among=products)

    def test_barcode_checksums(self):
        codes = {
            "ean13": ean13(),
            "upca": upca(),
            "ean8": ean8(),
            "bad_check": wrong_check_digit(ean13()),
            "bad_length": "12345",
            "letters": "69A1234567892",
        }
        products = {name: self._product(barcode=code) for name, code in codes.items()}
        all_products = self.env["product.template"].union(*products.values())
        bad = products["bad_check"] | products["bad_length"] | products["letters"]
        self.assertFlagged(self.rule_barcode, bad, among=all_products)

    def test_missing_barcode_is_a_warning_of_its_own(self):
        none = self._product(barcode=False)
        self.assertFlagged(self.rule_no_barcode, none, among=self.good | none)
        self.assertFlagged(self.rule_barcode, self.env["product.template"], among=none)

    def test_sql_and_stdnum_agree_on_barcodes(self):
        codes = [
            ean13(),
            upca(),
            ean8(),
            "10012345678902",  # GTIN-14
            wrong_check_digit(ean13()),
            wrong_check_digit(upca()),
            "12345",
            "123456789012345",
            "69A1234567892",
            "6901234 567892",
            "",
        ]
        rows = self.env.execute_query(
            SQL(
                "SELECT c, COALESCE(%s, FALSE) FROM unnest(%s::text[]) AS c",
                gtin_sql(SQL("c")),
                codes,
            )
        )
        self.assertEqual(dict(rows), {code: valid_gtin(code) for code in codes})
        self.assertTrue(valid_gtin("10012345678902"))
        self.assertFalse(valid_gtin("6901234 567892"))

    def test_weight_and_volume_for_storable_goods(self):
        no_volume = self._product(volume=0.0)
        no_weight = self._product(weight=0.0)
        service = self._product(is_storable=False, type="service", weight=0.0, volume=0.0)
        products = self.good | no_volume | no_weight | service
        self.assertFlagged(self.rule_weight, no_volume | no_weight, among=products)

    def test_category_not_the_catch_all(self):
        catch_all = self._product(categ_id=self.env.ref("product.product_category_all").id)
        self.assertFlagged(self.rule_category, catch_all, among=self.good | catch_all)

    def test_forbidden_words_in_name_or_description(self):
        in_name = self._product(name="全网最低 纯棉卫衣")
        in_description = self._product(
            description_sale="最佳选择，加厚毛圈面料，宽松版型，男女同款。"
        )
        products = self.good | in_name | in_description
        self.assertFlagged(self.rule_words, in_name | in_description, among=products)

    def test_a_lead_adds_a_forbidden_word_and_it_counts(self):
        miracle = self._product(name="Miracle cotton hoodie")
        self.assertFlagged(self.rule_words, self.env["product.template"], among=miracle)
        Word = self.env["neiqin.forbidden.word"]
        with self.assertRaises(AccessError):
            Word.with_user(self.clerk).create({"word": "miracle"})
        Word.with_user(self.lead).create({"word": "MIRACLE"})
        self.assertFlagged(self.rule_words, miracle, among=self.good | miracle)
        with self.assertRaises(ValidationError):
            Word.with_user(self.lead).create({"word": "miracle"})

    def test_a_word_of_another_company_does_not_count(self):
        other = self.env["res.company"].create({"name": "Other Shop"})
        self.env["neiqin.forbidden.word"].create({"word": "Bestseller", "company_id": other.id})
        mine = self._product(name="Bestseller hoodie", company_id=self.company.id)
        shared = self._product(name="Bestseller cap")
        self.assertFlagged(self.rule_words, shared, among=mine | shared)

    def test_title_length_per_channel(self):
        self.assertEqual(
            [p.neiqin_title_max_length for p in (self.tmall, self.jd)],
            [60, 45],
        )
        douyin = self.env.ref("neiqin_base.platform_douyin")
        title = "纯棉连帽卫衣" * 8  # 48 characters
        on_tmall = self._listing(self.good, self.tmall, channel_title=title)
        on_jd = self._listing(self.good, self.jd, channel_title=title)
        short = self._product(name="卫衣")
        named = self._listing(short, douyin)  # no channel title: the product's name
        too_long_name = self._product(name="加厚" * 20)
        by_name = self._listing(too_long_name, douyin)
        listings = on_tmall | on_jd | named | by_name
        # Tmall counts a Chinese character as two: 96 of its 60.
        self.assertFlagged(self.rule_title, on_tmall | on_jd | by_name, among=listings)

    def test_title_length_counts_chinese_double_where_the_channel_does(self):
        self.assertTrue(self.tmall.neiqin_title_counts_cjk_double)
        self.assertTrue(self.env.ref("neiqin_base.platform_taobao").neiqin_title_counts_cjk_double)
        self.assertFalse(self.jd.neiqin_title_counts_cjk_double)
        products = [self._product() for __ in range(5)]
        at_limit = self._listing(products[0], self.tmall, channel_title="棉" * 30)  # 60
        over = self._listing(products[1], self.tmall, channel_title="棉" * 30 + "T")  # 61
        mixed = self._listing(products[2], self.tmall, channel_title="T恤 " + "棉" * 28)  # 1+2+1+56
        full_width = self._listing(products[3], self.tmall, channel_title="（棉）" * 10)  # 60
        on_jd = self._listing(products[4], self.jd, channel_title="棉" * 45)  # 45 characters
        listings = at_limit | over | mixed | full_width | on_jd
        self.assertFlagged(self.rule_title, over, among=listings)
        self.assertEqual(at_limit.completeness, 100)
        self.assertEqual(over.completeness, 90)
        # A channel that starts counting so rescores its listings.
        self.jd.with_user(self.manager).neiqin_title_counts_cjk_double = True
        self.assertEqual(on_jd.completeness, 90)
        self.assertFlagged(self.rule_title, over | on_jd, among=listings)

    def test_forbidden_word_in_the_channel_title(self):
        bad = self._listing(self.good, self.tmall, channel_title="顶级纯棉卫衣")
        fine = self._listing(self.good, self.jd, channel_title="纯棉卫衣")
        self.assertFlagged(self.rule_title_words, bad, among=bad | fine)

    def test_demo_kettle_is_flagged(self):
        kettle = self.env.ref("neiqin_catalog.demo_product_kettle", raise_if_not_found=False)
        if not kettle:
            self.skipTest("no demo data")
        self.assertFlagged(self.rule_no_barcode, kettle, among=kettle)
        self.assertFlagged(self.rule_words, kettle, among=kettle)

    def test_title_limits_set_on_update_where_none_kept_where_written(self):
        Platform = self.env["neiqin.platform"]
        pdd = self.env.ref("neiqin_base.platform_pdd")
        taobao = self.env.ref("neiqin_base.platform_taobao")
        listing = self._listing(self.good, self.tmall, channel_title="棉" * 40)
        # A database of the version before: no limits, no way of counting;
        # then a manager's own choices: no limit on JD, 50 on Pinduoduo.
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE neiqin_platform
                      SET neiqin_title_max_length = CASE WHEN id = %s THEN 0 END,
                          neiqin_title_counts_cjk_double = NULL
                    WHERE id = ANY(%s)""",
                self.jd.id,
                [self.tmall.id, taobao.id, self.jd.id, pdd.id],
            )
        )
        Platform.invalidate_model()
        self.env["neiqin.product.listing"]._neiqin_update_completeness()
        pdd.with_user(self.manager).write(
            {"neiqin_title_max_length": 50, "neiqin_title_counts_cjk_double": False}
        )
        self.assertEqual(listing.completeness, 100, "no limit known yet")
        Platform._neiqin_default_title_limits()
        self.assertEqual(
            [
                (p.neiqin_title_max_length, p.neiqin_title_counts_cjk_double)
                for p in (self.tmall, taobao, self.jd, pdd)
            ],
            [(60, True), (60, True), (0, False), (50, False)],
        )
        self.assertEqual(listing.completeness, 90, "80 counted on Tmall's 60")
        # Run again (every update): nothing a user wrote changes.
        self.tmall.with_user(self.manager).neiqin_title_max_length = 100
        Platform._neiqin_default_title_limits()
        self.assertEqual(self.tmall.neiqin_title_max_length, 100)
