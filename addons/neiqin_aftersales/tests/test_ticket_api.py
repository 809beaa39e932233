from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AftersalesCase, TicketApiMixin


@tagged("post_install", "-at_install")
class TestTicketApi(TicketApiMixin, AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ticket_api()
        cls.Ticket = cls.env["helpdesk.ticket"].with_user(cls.connector)

    def _find(self, ref, source="tmall"):
        return self.env["helpdesk.ticket"].search(
            [("neiqin_external_source", "=", source), ("neiqin_external_ref", "=", ref)]
        )

    def test_upsert_creates_then_unchanged_then_updated(self):
        created = self.Ticket.api_upsert_tickets([self._ticket_payload("CS-1")])
        self.assertEqual(created[0]["status"], "created", created)
        ticket = self._find("CS-1")
        self.assertEqual(created[0]["id"], ticket.id)
        self.assertEqual(ticket.name, "尺码不对")
        self.assertEqual(ticket.neiqin_service_type, "exchange")
        self.assertEqual(ticket.priority, "1")
        self.assertEqual(
            ticket.channel_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web")
        )
        self.assertEqual(ticket.company_id, self.env.company)
        self.assertEqual(ticket.neiqin_step_id.code, "consult", "the ticket enters the process")

        again = self.Ticket.api_upsert_tickets([self._ticket_payload("CS-1")])
        self.assertEqual(again[0]["status"], "unchanged", again)

        changed = self.Ticket.api_upsert_tickets(
            [
                {
                    "source": "tmall",
                    "external_ref": "CS-1",
                    "service_type": "complaint",
                    "priority": "3",
                }
            ]
        )
        self.assertEqual(changed[0]["status"], "updated", changed)
        self.assertEqual(ticket.neiqin_service_type, "complaint")
        self.assertEqual(ticket.priority, "3")
        self.assertEqual(ticket.name, "尺码不对", "keys not sent do not change")
        self.assertEqual(len(self._find("CS-1")), 1)

    def test_same_reference_of_another_source_is_another_ticket(self):
        results = self.Ticket.api_upsert_tickets(
            [self._ticket_payload("CS-2"), self._ticket_payload("CS-2", source="jd")]
        )
        self.assertEqual([r["status"] for r in results], ["created", "created"], results)
        self.assertNotEqual(results[0]["id"], results[1]["id"])

    def test_description_is_plain_text_escaped(self):
        self.Ticket.api_upsert_tickets(
            [self._ticket_payload("CS-3", description="<script>alert(1)</script>\n第二行")]
        )
        ticket = self._find("CS-3")
        self.assertNotIn("<script>", ticket.description)
        self.assertIn("&lt;script&gt;", ticket.description)
        self.assertIn("第二行", ticket.description)
        again = self.Ticket.api_upsert_tickets(
            [self._ticket_payload("CS-3", description="<script>alert(1)</script>\n第二行")]
        )
        self.assertEqual(again[0]["status"], "unchanged", again)

    def test_order_links_the_ticket_and_gives_its_customer(self):
        order = self._order(neiqin_platform="tmall", neiqin_platform_order_no="TM-900")
        results = self.Ticket.api_upsert_tickets(
            [self._ticket_payload("CS-4", platform="tmall", platform_order_no="TM-900")]
        )
        self.assertEqual(results[0]["status"], "created", results)
        ticket = self._find("CS-4")
        self.assertEqual(ticket.sale_order_ids, order)
        self.assertEqual(ticket.partner_id, self.customer)

    def test_customer_found_by_buyer_id_email_or_phone(self):
        results = self.Ticket.api_upsert_tickets(
            [
                self._ticket_payload("CS-5", customer={"external_id": "buyer-77"}),
                self._ticket_payload("CS-6", customer={"email": " Zhou.Jie@Example.com "}),
                self._ticket_payload("CS-7", customer={"phone": "+86 21 5555 0100"}),
                self._ticket_payload(
                    "CS-8", customer={"name": "陈静", "email": "chen.jing@example.com"}
                ),
            ]
        )
        self.assertEqual({r["status"] for r in results}, {"created"}, results)
        for ref in ("CS-5", "CS-6", "CS-7"):
            self.assertEqual(self._find(ref).partner_id, self.buyer, ref)
        unknown = self._find("CS-8")
        self.assertFalse(unknown.partner_id, "no customer is created for an unknown buyer")
        self.assertEqual(unknown.partner_email, "chen.jing@example.com")

    def test_bad_items_fail_alone_with_their_reference(self):
        results = self.Ticket.api_upsert_tickets(
            [
                self._ticket_payload("E-1", service_type="teleport"),
                self._ticket_payload("E-2", platform="tmall", platform_order_no="NOPE-1"),
                self._ticket_payload("E-3", priority=9),
                {"source": "tmall", "external_ref": "E-4", "description": "没有标题"},
                {"source": "tmall", "subject": "no reference"},
                self._ticket_payload("E-5", channel="fax"),
                "not a dict",
                self._ticket_payload("OK-1"),
            ]
        )
        statuses = [r["status"] for r in results]
        self.assertEqual(statuses, ["error"] * 7 + ["created"], results)
        self.assertIn("E-1", results[0]["message"])
        self.assertIn("teleport", results[0]["message"])
        self.assertIn("NOPE-1", results[1]["message"])
        self.assertIn("E-3", results[2]["message"])
        self.assertIn("subject is required", results[3]["message"])
        self.assertIn("external_ref is required", results[4]["message"])
        self.assertIn("fax", results[5]["message"])
        self.assertFalse(
            self.env["helpdesk.ticket"].search([("neiqin_external_ref", "like", "E-")])
        )

    def test_idempotency_key_replays_and_refuses_another_payload(self):
        first = self.Ticket.api_upsert_tickets(
            [self._ticket_payload("CS-9", idempotency_key="k-9")]
        )
        self.assertEqual(first[0]["status"], "created")
        replay = self.Ticket.api_upsert_tickets(
            [self._ticket_payload("CS-9", idempotency_key="k-9")]
        )
        self.assertEqual(replay[0]["status"], "created")
        self.assertTrue(replay[0]["replayed"])
        other = self.Ticket.api_upsert_tickets(
            [self._ticket_payload("CS-9", priority=3, idempotency_key="k-9")]
        )
        self.assertEqual(other[0]["status"], "error")
        self.assertIn("k-9", other[0]["message"])
        self.assertEqual(self._find("CS-9").priority, "1")

    def test_closed_ticket_refuses_changes(self):
        self.Ticket.api_upsert_tickets([self._ticket_payload("CS-10")])
        ticket = self._find("CS-10")
        ticket.sudo().stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")
        results = self.Ticket.api_upsert_tickets([self._ticket_payload("CS-10", priority=3)])
        self.assertEqual(results[0]["status"], "error")
        self.assertIn("CS-10 is closed", results[0]["message"])

    def test_messages_are_posted_once_as_the_customer(self):
        self.Ticket.api_upsert_tickets(
            [self._ticket_payload("CS-11", customer={"external_id": "buyer-77"})]
        )
        ticket = self._find("CS-11")
        message = {
            "source": "tmall",
            "external_ref": "CS-11",
            "message_id": "m-1",
            "body": "请问<b>什么时候</b>发货？",
        }
        first = self.Ticket.api_add_ticket_messages([message, {**message, "external_ref": "NOPE"}])
        self.assertEqual([r["status"] for r in first], ["created", "error"], first)
        self.assertIn("NOPE", first[1]["message"])
        again = self.Ticket.api_add_ticket_messages([message])
        self.assertEqual(again[0]["status"], "unchanged")
        posted = ticket.message_ids.filtered(lambda m: m.neiqin_external_id == "m-1")
        self.assertEqual(len(posted), 1)
        self.assertEqual(posted.author_id, self.buyer)
        self.assertEqual(posted.message_type, "comment")
        self.assertIn("&lt;b&gt;", posted.body)

    def test_read_tickets_status_returns_and_not_found(self):
        self.Ticket.api_upsert_tickets(
            [self._ticket_payload("CS-12", customer={"external_id": "buyer-77"})]
        )
        ticket = self._find("CS-12")
        rma = self.env["rma"].create(
            {
                "partner_id": self.customer.id,
                "product_id": self.tee.id,
                "product_uom_qty": 1,
                "location_id": self.warehouse.rma_loc_id.id,
                "neiqin_ticket_id": ticket.id,
            }
        )
        results = self.Ticket.api_read_tickets(
            [
                {"source": "tmall", "external_ref": "CS-12"},
                {"source": "tmall", "external_ref": "NOPE"},
                {"source": "tmall"},
            ]
        )
        self.assertEqual([r["status"] for r in results], ["found", "not_found", "error"], results)
        status = results[0]
        self.assertEqual(status["id"], ticket.id)
        self.assertEqual(status["service_type"], "exchange")
        self.assertEqual(status["step"], "consult")
        self.assertTrue(status["step_deadline"])
        self.assertFalse(status["overdue"])
        self.assertFalse(status["closed"])
        self.assertEqual(
            status["returns"],
            [{"name": rma.name, "state": rma.state, "operation": rma.operation_id.name or False}],
        )

    def test_callers_without_rights_are_refused(self):
        for user in (self.plain_user, self.portal_user):
            Ticket = self.env["helpdesk.ticket"].with_user(user)
            with self.assertRaises(AccessError):
                Ticket.api_upsert_tickets([self._ticket_payload("X-1")])
            with self.assertRaises(AccessError):
                Ticket.api_add_ticket_messages(
                    [{"source": "tmall", "external_ref": "X-1", "message_id": "m", "body": "hi"}]
                )
        with self.assertRaises(AccessError):
            self.env["helpdesk.ticket"].with_user(self.portal_user).api_read_tickets(
                [{"source": "tmall", "external_ref": "X-1"}]
            )
        self.assertFalse(self._find("X-1"))

    def test_plain_user_may_not_read_through_the_api(self):
        self.Ticket.api_upsert_tickets([self._ticket_payload("CS-13")])
        with self.assertRaises(AccessError):
            self.env["helpdesk.ticket"].with_user(self.plain_user).api_read_tickets(
                [{"source": "tmall", "external_ref": "CS-13"}]
            )

    def test_overdue_scan_is_one_indexed_query(self):
        late = self._ticket(name="Late")
        self._ticket(name="On time")
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET neiqin_step_deadline_at = now() - interval '1 hour' "
            "WHERE id = %s",
            [late.id],
        )
        self.env.invalidate_all()
        self.env["helpdesk.ticket"]._neiqin_overdue_tickets(limit=500)  # warm the caches
        with self.assertQueryCount(1):
            found = self.env["helpdesk.ticket"].sudo()._neiqin_overdue_tickets(limit=500)
        self.assertIn(late, found)
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            ["helpdesk_ticket_neiqin_open_step_deadline_idx"],
        )
        self.assertIn("WHERE", self.env.cr.fetchone()[0])

    def test_message_needs_a_customer_to_write_it(self):
        self.Ticket.api_upsert_tickets([self._ticket_payload("CS-14")])
        results = self.Ticket.api_add_ticket_messages(
            [{"source": "tmall", "external_ref": "CS-14", "message_id": "m-14", "body": "你好"}]
        )
        self.assertEqual(results[0]["status"], "error")
        self.assertIn("CS-14 has no customer", results[0]["message"])

    def test_read_tickets_queries_do_not_grow_with_the_tickets(self):
        refs = [f"Q-{n}" for n in range(12)]
        self.Ticket.api_upsert_tickets([self._ticket_payload(ref) for ref in refs])

        def queries(wanted):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            results = self.Ticket.api_read_tickets(
                [{"source": "tmall", "external_ref": ref} for ref in wanted]
            )
            self.assertEqual({r["status"] for r in results}, {"found"})
            return self.env.cr.sql_log_count - before

        queries(refs[:2])  # warm the caches
        few, many = queries(refs[:2]), queries(refs)
        self.assertGreater(few, 0)
        self.assertEqual(few, many)
