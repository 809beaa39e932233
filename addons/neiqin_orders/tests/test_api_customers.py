from odoo.tests import tagged

from .common import API_GROUPS, OrdersCase


@tagged("post_install", "-at_install")
class TestApiCustomers(OrdersCase):
    """Which customer an order pushed by a connector gets: changes of a
    draft order are applied, customers are matched in the caller's company
    only, by exact keys, never a user's own contact."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Neiqin Other Shop"})
        cls.api_user = cls._user(
            "ord_api_customers",
            API_GROUPS,
            company_id=cls.company_a.id,
            company_ids=[(6, 0, (cls.company_a | cls.company_b).ids)],
        )

    def _api(self):
        # Current company: A; allowed: A and B.
        return (
            self.env["sale.order"]
            .with_user(self.api_user)
            .with_context(allowed_company_ids=[self.company_a.id, self.company_b.id])
        )

    def _push(self, payload):
        (result,) = self._api().api_upsert_orders([payload])
        return result

    def _customer_payload(self, **customer):
        return {
            "name": "Li Lei",
            "street": "1 Renmin Road",
            "city": "Beijing",
            "zip": "100000",
            "country_code": "CN",
            **customer,
        }

    # ------------------------------------------------------------ draft changes
    def test_customer_change_of_a_draft_order_is_applied(self):
        created = self._push(self._order_payload("C-1"))
        order = self.env["sale.order"].browse(created["id"])
        first = order.partner_id
        payload = self._order_payload("C-1", buyer="buyer-2")
        payload["customer"]["name"] = "Han Meimei"
        result = self._push(payload)
        self.assertEqual(result["status"], "updated", result)
        self.assertNotEqual(order.partner_id, first)
        self.assertEqual(order.partner_id.ref, "jd:buyer-2")
        self.assertEqual(order.partner_shipping_id, order.partner_id)
        self.assertEqual(self._push(payload)["status"], "unchanged")

    def test_delivery_address_change_of_a_draft_order_is_applied(self):
        created = self._push(self._order_payload("C-2"))
        order = self.env["sale.order"].browse(created["id"])
        customer = order.partner_id
        payload = self._order_payload("C-2")
        payload["customer"]["street"] = "8 Chang'an Avenue"
        result = self._push(payload)
        self.assertEqual(result["status"], "updated", result)
        self.assertEqual(order.partner_id, customer, "same buyer")
        self.assertEqual(order.partner_shipping_id.parent_id, customer)
        self.assertEqual(order.partner_shipping_id.street, "8 Chang'an Avenue")
        self.assertEqual(self._push(payload)["status"], "unchanged")
        # back to the first address: the customer's own
        self.assertEqual(self._push(self._order_payload("C-2"))["status"], "updated")
        self.assertEqual(order.partner_shipping_id, customer)

    def test_order_date_change_of_a_draft_order_is_applied(self):
        created = self._push(self._order_payload("C-3", date_order="2026-11-20T10:00:00+08:00"))
        order = self.env["sale.order"].browse(created["id"])
        result = self._push(self._order_payload("C-3", date_order="2026-11-21T10:00:00+08:00"))
        self.assertEqual(result["status"], "updated", result)
        self.assertEqual(str(order.date_order), "2026-11-21 02:00:00")
        again = self._push(self._order_payload("C-3", date_order="2026-11-21T02:00:00Z"))
        self.assertEqual(again["status"], "unchanged")
        without_date = self._push(self._order_payload("C-3"))
        self.assertEqual(without_date["status"], "unchanged", "no date sent: the date stays")

    def test_buyer_known_by_name_only_stays_the_same_customer(self):
        payload = self._order_payload("C-4")
        payload["customer"].pop("external_id")
        order = self.env["sale.order"].browse(self._push(payload)["id"])
        partners = self.env["res.partner"].search_count([])
        self.assertEqual(self._push(payload)["status"], "unchanged")
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        self.assertEqual(order.partner_id.name, "Li Lei")

    def test_confirmed_order_refuses_customer_changes(self):
        created = self._push(self._order_payload("C-5"))
        order = self.env["sale.order"].browse(created["id"])
        order.action_confirm()
        customer = order.partner_shipping_id
        payload = self._order_payload("C-5")
        payload["customer"]["street"] = "8 Chang'an Avenue"
        result = self._push(payload)
        self.assertEqual(result["status"], "error")
        self.assertIn("is confirmed: its customer and delivery address", result["message"])
        self.assertEqual(order.partner_shipping_id, customer)
        same = self._push(self._order_payload("C-5", buyer_remark="Call first"))
        self.assertEqual(same["status"], "updated", "payment, remark and refund still go in")
        lines = self._push(self._order_payload("C-5", lines=[{"sku": "T-MUG", "qty": 1}]))
        self.assertIn("its lines can no longer change", lines["message"])

    # ------------------------------------------------------------ matching
    def test_customer_of_another_company_is_not_matched(self):
        theirs = self.env["res.partner"].create(
            {"name": "Li Lei (B)", "ref": "jd:buyer-mc", "company_id": self.company_b.id}
        )
        result = self._push(self._order_payload("M-1", buyer="buyer-mc"))
        self.assertEqual(result["status"], "created", result)
        order = self.env["sale.order"].browse(result["id"])
        self.assertNotEqual(order.partner_id, theirs)
        self.assertEqual(order.partner_id.company_id, self.company_a)
        self.assertEqual(order.partner_id.ref, "jd:buyer-mc")
        # and the customer of this company is found again
        self.assertEqual(
            self._push(self._order_payload("M-2", buyer="buyer-mc"))["status"], "created"
        )
        second = self.env["sale.order"].search([("neiqin_platform_order_no", "=", "M-2")])
        self.assertEqual(second.partner_id, order.partner_id)

    def test_email_is_matched_exactly_within_the_company(self):
        mine = self.env["res.partner"].create(
            {"name": "Wu Min", "email": "wu.min@shop.example.com", "company_id": self.company_a.id}
        )
        self.env["res.partner"].create(
            {"name": "Wu Min (B)", "email": "wu.min@b.example.com", "company_id": self.company_b.id}
        )
        found = self._push(
            {
                **self._order_payload("E-1"),
                "customer": self._customer_payload(
                    name="Wu Min", email=" Wu.Min@Shop.Example.COM "
                ),
            }
        )
        self.assertEqual(self.env["sale.order"].browse(found["id"]).partner_id, mine)
        other_company = self._push(
            {
                **self._order_payload("E-2"),
                "customer": self._customer_payload(name="Wu Min", email="wu.min@b.example.com"),
            }
        )
        partner = self.env["sale.order"].browse(other_company["id"]).partner_id
        self.assertEqual(partner.name, "Wu Min", "a new customer, not company B's")
        self.assertEqual(partner.company_id, self.company_a)

    def test_wildcard_email_matches_no_one(self):
        for number, email in (("W-1", "%"), ("W-2", "%@example.com"), ("W-3", "_")):
            result = self._push(
                {
                    **self._order_payload(number),
                    "customer": self._customer_payload(name=f"Buyer {number}", email=email),
                }
            )
            self.assertEqual(result["status"], "created", result)
            partner = self.env["sale.order"].browse(result["id"]).partner_id
            self.assertEqual(partner.name, f"Buyer {number}")
            self.assertFalse(partner.user_ids)

    def test_a_users_contact_is_never_matched(self):
        clerk = self.clerk.partner_id
        clerk.write({"email": "clerk@shop.example.com", "ref": "jd:staff-1"})
        by_email = self._push(
            {
                **self._order_payload("U-1"),
                "customer": self._customer_payload(name="Someone", email="clerk@shop.example.com"),
            }
        )
        by_ref = self._push(self._order_payload("U-2", buyer="staff-1"))
        for result in (by_email, by_ref):
            partner = self.env["sale.order"].browse(result["id"]).partner_id
            self.assertNotEqual(partner, clerk)
            self.assertFalse(partner.user_ids)
        self.assertEqual(clerk.email, "clerk@shop.example.com", "the user's contact is untouched")

    def test_shared_customers_are_still_matched(self):
        """Customers made before customers had a company are shared by every
        company: matching them keeps a known buyer one customer."""
        shared = self.env["res.partner"].create(
            {"name": "Li Lei", "ref": "jd:buyer-old", "company_id": False}
        )
        result = self._push(self._order_payload("S-1", buyer="buyer-old"))
        self.assertEqual(self.env["sale.order"].browse(result["id"]).partner_id, shared)
