from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestMemberLevels(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.regular = cls.env.ref("neiqin_aftersales.member_level_regular")
        cls.silver = cls.env.ref("neiqin_aftersales.member_level_silver")
        cls.gold = cls.env.ref("neiqin_aftersales.member_level_gold")
        cls.buyer = cls.env["res.partner"].create({"name": "Zhao Lei", "customer_rank": 1})

    def _cron(self):
        self.env["res.partner"]._cron_neiqin_member_levels()

    def test_level_follows_spend_and_orders(self):
        self._cron()
        self.assertEqual(self.buyer.neiqin_member_level_id, self.regular)
        # 1,200 yuan in one order: the spend of silver, not its two orders.
        self._confirmed_orders(self.buyer, [1200])
        self._cron()
        self.assertEqual(self.buyer.neiqin_member_level_id, self.regular)
        self._confirmed_orders(self.buyer, [300])
        self._cron()
        self.assertEqual(self.buyer.neiqin_member_level_id, self.silver)
        self._confirmed_orders(self.buyer, [1000, 1000, 2000])
        self._cron()
        self.assertEqual(self.buyer.neiqin_member_level_id, self.gold)

    def test_quotations_do_not_count(self):
        self._order(partner=self.buyer, lines=[(self.tee, 1, 30000.0)])
        self._cron()
        self.assertEqual(self.buyer.neiqin_member_level_id, self.regular)

    def test_contacts_take_their_companys_level(self):
        company = self.env["res.partner"].create({"name": "Hangzhou Shop", "is_company": True})
        buyer = self.env["res.partner"].create({"name": "Qian Li", "parent_id": company.id})
        self._confirmed_orders(buyer, [600, 600])
        self._cron()
        self.assertEqual(company.neiqin_member_level_id, self.silver)
        self.assertEqual(buyer.neiqin_member_level_id, self.silver)

    def test_level_change_is_in_the_chatter(self):
        self._confirmed_orders(self.buyer, [800, 800])
        self._cron()
        note = self.buyer.message_ids[:1]
        self.assertIn("Silver", note.body)

    def test_level_is_not_typed(self):
        for user in (self.clerk, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.buyer.with_user(user).write({"neiqin_member_level_id": self.gold.id})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.manager).create(
                {"name": "Cheat", "neiqin_member_level_id": self.gold.id}
            )

    def test_on_demand_for_one_customer(self):
        other = self.env["res.partner"].create({"name": "Other Buyer", "customer_rank": 1})
        self._confirmed_orders(self.buyer, [800, 800])
        self._confirmed_orders(other, [800, 800])
        self.buyer.with_user(self.clerk).action_neiqin_update_member_level()
        self.assertEqual(self.buyer.neiqin_member_level_id, self.silver)
        self.assertFalse(other.neiqin_member_level_id)
        with self.assertRaises(AccessError):
            other.with_user(self.outsider).action_neiqin_update_member_level()

    def test_cron_is_set_based(self):
        """The same queries for 20 customers whose level changes as for 1."""
        self._cron()

        def new_silver_buyers(count):
            buyers = self.env["res.partner"].create(
                [{"name": f"Buyer {count}-{i}", "customer_rank": 1} for i in range(count)]
            )
            for buyer in buyers:
                self._confirmed_orders(buyer, [700, 700])
            self.env.flush_all()
            self.env.invalidate_all()
            return buyers

        one = new_silver_buyers(1)
        before = self.env.cr.sql_log_count
        self._cron()
        self.env.flush_all()
        queries = self.env.cr.sql_log_count - before
        self.assertEqual(one.neiqin_member_level_id, self.silver)
        twenty = new_silver_buyers(20)
        with self.assertQueryCount(queries):
            self._cron()
            self.env.flush_all()
        self.assertEqual(set(twenty.mapped("neiqin_member_level_id")), {self.silver})

    def test_profile_figures(self):
        self._confirmed_orders(self.customer, [100, 300])
        ticket = self._rated_ticket(5)
        self._rated_ticket(1)
        profile = self.customer.with_user(self.lead)
        self.assertEqual(profile.neiqin_order_count, 2)
        self.assertEqual(profile.neiqin_total_spend, 400)
        self.assertTrue(profile.neiqin_last_order_date)
        self.assertEqual(profile.neiqin_ticket_count, 2)
        self.assertEqual(profile.neiqin_rating_avg, 3.0)
        self.assertTrue(ticket)
