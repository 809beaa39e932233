"""The integration API over real XML-RPC, as a connector calls it: batch calls
(ours) against one call per item (naive). The server is Odoo's own HTTP
server on a loopback port in this process; its queries are counted too.

Every run sends new tracking numbers and new platform order numbers, so each
item is a real update or creation (a repeated payload would only find
"unchanged"). The orders a run creates are deleted afterwards."""

import itertools
import time
import xmlrpc.client

from bench.data.a30_users import CONNECTOR_LOGIN, CONNECTOR_PASSWORD
from bench.data.a50_orders import DELIVERIES
from bench.data.a50_orders import PLATFORM as ORDER_PLATFORM
from bench.data.a60_api_buyers import BUYERS, PLATFORM
from bench.runner import Scenario, server_url

ITEMS = 1_000
UPSERT_BATCH = 100
_RUNS = itertools.count()
_CLIENTS = {}


def _client(env):
    """A logged-in caller of ``sale.order`` methods (made once per server)."""
    url = server_url(env)
    key = (url, env.cr.dbname)
    if key not in _CLIENTS:
        _CLIENTS[key] = _login(env, url)
    return _CLIENTS[key]


def _warm(env):
    # Untimed: the first login hashes the password, and the first calls
    # fill the server's caches.
    _client(env)("api_get_order_status", ["-"])


def _login(env, url):
    common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", allow_none=True)
    uid = common.authenticate(env.cr.dbname, CONNECTOR_LOGIN, CONNECTOR_PASSWORD, {})
    if not uid:
        raise RuntimeError(f"{CONNECTOR_LOGIN} cannot log in to {env.cr.dbname}")
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def call(method, *args):
        return models.execute_kw(
            env.cr.dbname, uid, CONNECTOR_PASSWORD, "sale.order", method, list(args)
        )

    return call


def _items(env):
    # The smoke tests send a few items; the benchmark sends ITEMS.
    return env.context.get("bench_items", ITEMS)


def _run_stamp():
    # Unique per run and process: a tracking or order number never repeats.
    return f"{int(time.time()) % 10**7:07d}{next(_RUNS) % 100:02d}"


def _deliveries(env):
    env.cr.execute(
        """SELECT o.neiqin_platform_order_no FROM stock_picking p
             JOIN sale_order o ON o.id = p.sale_id
            WHERE o.neiqin_platform = %s AND p.state = 'assigned'
            ORDER BY p.id LIMIT %s""",
        [ORDER_PLATFORM, min(_items(env), DELIVERIES)],
    )
    return [row[0] for row in env.cr.fetchall()]


def _tracking_items(env):
    stamp = _run_stamp()
    return [
        {
            "platform": ORDER_PLATFORM,
            "platform_order_no": number,
            "carrier": "ZTO",
            # A ZTO number: 7 and 11 to 13 digits (the demo carrier's pattern).
            "tracking_number": f"7{stamp}{index:04d}",
        }
        for index, number in enumerate(_deliveries(env))
    ]


def _check(results, expected):
    bad = [r for r in results if r["status"] not in expected]
    if bad:
        raise RuntimeError(f"{len(bad)} items failed, first: {bad[0]}")


def _send(env, method, items, batch, expected):
    """Call ``method`` with ``batch`` items per call; every item must succeed."""
    call = _client(env)
    for start in range(0, len(items), batch):
        _check(call(method, items[start : start + batch]), expected)


def _tracking_batch(env):
    items = _tracking_items(env)
    _send(env, "api_set_tracking_numbers", items, max(len(items), 1), ("updated",))


def _tracking_single(env):
    _send(env, "api_set_tracking_numbers", _tracking_items(env), 1, ("updated",))


def _order_items(env, new_buyers=False):
    stamp = _run_stamp()
    env.cr.execute(
        """SELECT p.default_code, t.list_price FROM product_product p
             JOIN product_template t ON t.id = p.product_tmpl_id
            WHERE p.default_code LIKE 'BP-%%' AND p.active AND t.active AND t.sale_ok
              AND t.list_price > 0
            ORDER BY p.id LIMIT 300"""
    )
    products = env.cr.fetchall()
    items = []
    for index in range(_items(env)):
        buyer = index % BUYERS
        # New buyers: each order brings a customer never seen before.
        known = f"buyer-{buyer:04d}" if not new_buyers else f"new-{stamp}-{index:04d}"
        lines = [
            {"sku": code, "qty": 1 + (index + offset) % 3, "price_unit": price}
            for offset, (code, price) in enumerate(products[index % 100 :: 100][:3])
        ]
        items.append(
            {
                "platform": PLATFORM,
                "platform_order_no": f"R{stamp}-{index:04d}",
                "customer": {
                    "name": f"Bench Buyer {known}",
                    "external_id": known,
                    "email": f"{known}@example.com",
                    "phone": f"+86 139 {buyer:04d} 0000",
                    "street": f"{buyer} Bench Avenue",
                    "city": "Shanghai",
                    "zip": "200001",
                    "country_code": "CN",
                },
                "lines": lines,
                "paid_amount": sum(line["qty"] * line["price_unit"] for line in lines),
                "payment_ref": f"PAY-R{stamp}-{index:04d}",
            }
        )
    return items


def _upsert_batches(env):
    _send(env, "api_upsert_orders", _order_items(env), UPSERT_BATCH, ("created",))


def _upsert_single(env):
    _send(env, "api_upsert_orders", _order_items(env), 1, ("created",))


def _upsert_new_buyers_batches(env):
    _send(env, "api_upsert_orders", _order_items(env, True), UPSERT_BATCH, ("created",))


def _upsert_new_buyers_single(env):
    _send(env, "api_upsert_orders", _order_items(env, True), 1, ("created",))


def _delete_api_orders(env):
    """Remove what the upsert runs created (committed by the server)."""
    env.cr.execute("SELECT id FROM sale_order WHERE neiqin_platform = %s", [PLATFORM])
    ids = [row[0] for row in env.cr.fetchall()]
    if not ids:
        return
    env.cr.execute(
        "DELETE FROM mail_message WHERE model = 'sale.order' AND res_id = ANY(%s)", [ids]
    )
    for table in ("mail_followers", "mail_activity", "neiqin_step_log", "neiqin_dq_issue"):
        env.cr.execute(
            f"DELETE FROM {table} WHERE res_model = 'sale.order' AND res_id = ANY(%s)",  # noqa: S608
            [ids],
        )
    env.cr.execute("DELETE FROM sale_order WHERE id = ANY(%s)", [ids])
    env.invalidate_all()
    # The customers of the new-buyer runs, and their delivery addresses.
    env["res.partner"].with_context(active_test=False).search(
        [("ref", "=like", f"{PLATFORM}:new-%")]
    ).unlink()


def _tracking_count(env):
    return len(_deliveries(env))


SCENARIOS = [
    Scenario(
        name="XML-RPC 1,000 tracking numbers",
        records=_tracking_count,
        setup=_warm,
        ours=_tracking_batch,
        naive=_tracking_single,
        notes="ours: one batch call; naive: one call per tracking number",
        max_queries_per_1000=12_000,
    ),
    Scenario(
        name="XML-RPC 1,000 order upserts",
        records=_items,
        setup=_warm,
        ours=_upsert_batches,
        naive=_upsert_single,
        teardown=_delete_api_orders,
        notes="ours: 10 calls of 100 orders; naive: one call per order",
        max_queries_per_1000=150_000,
    ),
    Scenario(
        name="XML-RPC 1,000 order upserts, new buyers",
        records=_items,
        setup=_warm,
        ours=_upsert_new_buyers_batches,
        naive=_upsert_new_buyers_single,
        teardown=_delete_api_orders,
        notes="each order of a new customer; ours: 10 calls of 100 orders; naive: one call "
        "per order",
        max_queries_per_1000=150_000,
    ),
]
