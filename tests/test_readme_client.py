"""The README's runnable XML-RPC client, run as it is written against the
demo data: a clean marketplace order is approved and confirmed with no
exception, and every call answers what the README's comments say."""

import contextlib
import io
import os
import re
import xmlrpc.client
from pathlib import Path
from unittest.mock import patch

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tests.common import Transport

ROOT = Path(os.environ.get("NEIQIN_ROOT") or Path(__file__).resolve().parents[1])
SETTINGS_LINE = 'URL, DB, LOGIN, PASSWORD = "http://localhost:8069", "neiqin", "admin", "admin"'


def readme_client():
    """The Python block of the README's "A runnable client" paragraph."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("A runnable client")
    return re.search(r"```python\n(.*?)```", text[start:], re.S).group(1)


@tagged("post_install", "-at_install")
class TestReadmeClient(HttpCase):
    def test_the_readme_client_gets_a_clean_order_approved_and_confirmed(self):
        code = readme_client()
        self.assertIn(SETTINGS_LINE, code, "the README's client no longer starts as expected")
        url = f"http://{self.xmlrpc_url.split('://', 1)[1].split('/', 1)[0]}"
        code = code.replace(
            SETTINGS_LINE,
            f"URL, DB, LOGIN, PASSWORD = {url!r}, {self.env.cr.dbname!r}, 'admin', 'admin'",
        )
        # As in the database of `make run`, the administrator works in the
        # demo shop (tools/db.sh); test databases keep them in Odoo's main
        # company, where Odoo's own tests expect them.
        shop = self.env.ref("neiqin_orders.demo_company_cn")
        self.env.ref("base.user_admin").write(
            {"company_ids": [Command.link(shop.id)], "company_id": shop.id}
        )
        server_proxy = xmlrpc.client.ServerProxy

        def test_proxy(uri, **kwargs):
            # The test server answers in this test's transaction: its
            # transport flushes the test's cursor before each request.
            return server_proxy(uri, transport=Transport(self.cr), **kwargs)

        namespace = {}
        with (
            patch.object(xmlrpc.client, "ServerProxy", test_proxy),
            contextlib.redirect_stdout(io.StringIO()),
        ):
            exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - the README's own code
        self.env.invalidate_all()

        pushed = namespace["pushed"]
        self.assertEqual(pushed[0]["status"], "created", pushed)
        status = namespace["status"]
        self.assertEqual(
            (status["review_state"], status["state"], status["exceptions"]),
            ("approved", "sale", []),
            status,
        )
        self.assertEqual(status["amount_total"], 158.0)
        self.assertEqual(status["payment_state"], "paid")
        tracked = namespace["tracked"]
        self.assertEqual(tracked[0]["status"], "updated", tracked)
        events = namespace["events"]
        self.assertEqual(events[0]["status"], "error", events)
        order = self.env["sale.order"].browse(pushed[0]["id"])
        self.assertEqual(order.partner_id.name, "周杰")
        self.assertEqual(order.picking_ids.carrier_tracking_ref, "SF1234567890123")
