import xmlrpc.client

from odoo.tests import HttpCase, tagged

from .common import AftersalesCase, TicketApiMixin


@tagged("post_install", "-at_install")
class TestTicketXmlRpc(TicketApiMixin, AftersalesCase, HttpCase):
    """The tickets' API over real XML-RPC, with each user's password."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_ticket_api()
        cls.portal_user.password = "as_portal_pw"

    def call(self, login, method, *args):
        password = f"{login}_pw"
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, login, password, {})
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, password, "helpdesk.ticket", method, list(args)
        )

    def test_connector_pushes_posts_and_reads(self):
        order = self._order(neiqin_platform="jd", neiqin_platform_order_no="JD-77")
        pushed = self.call(
            "as_connector",
            "api_upsert_tickets",
            [
                self._ticket_payload("R-1", source="jd", platform="jd", platform_order_no="JD-77"),
                self._ticket_payload("R-2", source="jd", service_type="nope"),
            ],
        )
        self.assertEqual([r["status"] for r in pushed], ["created", "error"], pushed)
        self.assertIn("nope", pushed[1]["message"])
        ticket = self.env["helpdesk.ticket"].browse(pushed[0]["id"])
        self.assertEqual(ticket.sale_order_ids, order)
        self.assertEqual(ticket.partner_id, self.customer)
        again = self.call(
            "as_connector",
            "api_upsert_tickets",
            [self._ticket_payload("R-1", source="jd", platform="jd", platform_order_no="JD-77")],
        )
        self.assertEqual(again[0]["status"], "unchanged", again)

        message = {"source": "jd", "external_ref": "R-1", "message_id": "jd-m-1", "body": "在吗？"}
        self.assertEqual(
            self.call("as_connector", "api_add_ticket_messages", [message])[0]["status"], "created"
        )
        self.assertEqual(
            self.call("as_connector", "api_add_ticket_messages", [message])[0]["status"],
            "unchanged",
        )
        self.assertEqual(
            len(ticket.message_ids.filtered(lambda m: m.neiqin_external_id == "jd-m-1")), 1
        )

        status = self.call(
            "as_connector",
            "api_read_tickets",
            [{"source": "jd", "external_ref": "R-1"}, {"source": "jd", "external_ref": "R-404"}],
        )
        self.assertEqual([s["status"] for s in status], ["found", "not_found"], status)
        self.assertEqual(status[0]["step"], "consult")
        self.assertEqual(status[0]["returns"], [])

    def test_portal_and_plain_users_are_refused(self):
        for login in ("as_portal", "as_plain"):
            for method, items in (
                ("api_upsert_tickets", [self._ticket_payload("R-9")]),
                (
                    "api_add_ticket_messages",
                    [{"source": "tmall", "external_ref": "R-9", "message_id": "x", "body": "x"}],
                ),
                ("api_read_tickets", [{"source": "tmall", "external_ref": "R-9"}]),
            ):
                with (
                    self.subTest(login=login, method=method),
                    self.assertRaises(xmlrpc.client.Fault) as caught,
                ):
                    self.call(login, method, items)
                self.assertIn("Only a connector's user", caught.exception.faultString)
        self.assertFalse(self.env["helpdesk.ticket"].search([("neiqin_external_ref", "=", "R-9")]))
