"""Generated payloads against every public ``api_*`` method of sale.order:
whatever a connector sends, each call answers each item, in order, an item
refused changes nothing, and no message tells what the database said."""

import copy

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models.sale_order_api import CUSTOMER_KEYS
from .common import API_GROUPS, OrdersCase, tmall_payload

LEAKS = (
    "psycopg2",
    "ERROR:",
    "DETAIL",
    "Traceback",
    "res.partner(",
    "sale.order(",
    "stock.picking(",
    "neiqin.logistics.event(",
    "duplicate key",
    "violates",
    "constraint",
    "SELECT ",
    "INSERT ",
    "UPDATE ",
    "DELETE ",
    " WHERE ",
)
# Reproducible in CI: the same examples every run, none remembered between
# runs; a call may take a while (it writes orders), so no deadline.
PROPERTY_SETTINGS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

odd_texts = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            " ",
            "%",
            "_",
            "\x00",
            "a\x00b",
            "\ud800",
            "\u202eevil",
            "\u200b",
            "\x0b\x1b",
            "NaN",
            "1e400",
            "T-TEE",
            "TX",
            "tmall",
            "jd",
            "P-EXIST",
            "TX30000001",
            "2026-11-25T08:00:00+08:00",
            "0001-01-01T00:00:00+05:00",
            "9999-12-31T23:59:59-05:00",
            "1970-01-01",
            "2100-01-01T00:00:00Z",
            "2026-02-30",
            "'; DROP TABLE sale_order; --",
        ]
    ),
    st.integers(min_value=1, max_value=6000).map(lambda n: "长" * n),
)
numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from([0, -1, 1, 2**31, 2**63, 10**400, -(10**400)]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([float("nan"), float("inf"), float("-inf"), 1e308, -0.0, 5e-324]),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, odd_texts, st.datetimes())
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.sampled_from(["sku", "qty", "name", "x", ""]), children, max_size=3),
    ),
    max_leaves=6,
)

# Values an item may well hold, so that examples also update records and
# not only refuse them.
PLAUSIBLE = {
    "buyer_remark": st.text(max_size=20),
    "payment_ref": st.text(max_size=20),
    "paid_amount": st.floats(min_value=0, max_value=1000),
    "refund_state": st.sampled_from(["none", "requested", "refunded"]),
    "date_order": st.sampled_from(["2026-11-20T10:00:00+08:00", "2026-11-21T00:00:00Z"]),
    "street": st.sampled_from(["8 Chang'an Avenue", "9 Nanjing Road"]),
    "name": st.sampled_from(["Zhou Jie", "Han Meimei"]),
    "external_id": st.sampled_from(["buyer-p", "buyer-q"]),
    "email": st.sampled_from(["zhou.jie@example.com", "ZHOU.JIE@example.com", "%"]),
    "qty": st.integers(min_value=1, max_value=5),
    "price_unit": st.floats(min_value=0, max_value=100),
    "discount": st.floats(min_value=0, max_value=100),
    "tracking_number": st.sampled_from(["TX30000001", "TX30000002", "TX30000009"]),
    "status": st.sampled_from(["shipped", "in_transit", "delivered", "exception"]),
    "event_at": st.sampled_from(["2026-11-26T08:00:00+08:00", "2099-12-31T00:00:00Z"]),
}


def _value(key):
    return st.one_of(values, PLAUSIBLE[key]) if key in PLAUSIBLE else values


ORDER_KEYS = [
    "platform",
    "platform_order_no",
    "customer",
    "lines",
    "paid_amount",
    "payment_ref",
    "buyer_remark",
    "refund_state",
    "date_order",
]
LINE_KEYS = ["sku", "qty", "price_unit", "discount"]
TRACKING_KEYS = ["tracking_number", "carrier", "picking", "order", "platform_order_no", "platform"]
EVENT_KEYS = [
    "tracking_number",
    "picking",
    "status",
    "event_at",
    "location",
    "description",
    "event_id",
]


def _base_order(number):
    payload = tmall_payload(number)
    payload["customer"] = {**payload["customer"], "external_id": "buyer-p"}
    return payload


@st.composite
def order_items(draw):
    if draw(st.integers(0, 9)) == 0:
        return draw(values)
    item = _base_order(draw(st.sampled_from(["P-EXIST", "P-NEW-1", "P-NEW-2"])))
    for _mutation in range(draw(st.integers(0, 3))):
        where = draw(st.sampled_from(["order", "customer", "line"]))
        if where == "order":
            key = draw(st.sampled_from(ORDER_KEYS))
            item[key] = draw(_value(key))
        elif isinstance(item.get("customer"), dict):
            key = draw(st.sampled_from(CUSTOMER_KEYS))
            item["customer"][key] = draw(_value(key))
        elif isinstance(item.get("lines"), list) and isinstance(item["lines"][0], dict):
            key = draw(st.sampled_from(LINE_KEYS))
            item["lines"][0][key] = draw(_value(key))
    return item


def _mutated(base, keys):
    @st.composite
    def items(draw):
        if draw(st.integers(0, 9)) == 0:
            return draw(values)
        item = copy.deepcopy(draw(st.sampled_from(base)))
        for _mutation in range(draw(st.integers(0, 3))):
            key = draw(st.sampled_from(keys))
            item[key] = draw(_value(key))
        return item

    return items()


def payloads(items):
    """A call's payload: a list of items mostly, now and then anything."""
    return st.one_of(st.lists(items, max_size=4), st.lists(items, max_size=4), values)


@tagged("post_install", "-at_install")
class TestApiProperties(OrdersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.api_user = cls._user("ord_api_props", API_GROUPS)
        Order = cls.env["sale.order"].with_user(cls.api_user)
        (created,) = Order.api_upsert_orders([_base_order("P-EXIST")])
        cls.existing = cls.env["sale.order"].browse(created["id"])
        shipped = cls._order(neiqin_platform="tmall", neiqin_platform_order_no="P-SHIPPED")
        shipped.action_confirm()
        cls.shipped = shipped.picking_ids
        cls.shipped.write({"carrier_id": cls.carrier.id, "carrier_tracking_ref": "TX30000001"})
        cls.shipped.move_ids.quantity = cls.shipped.move_ids.product_uom_qty
        cls.shipped.button_validate()
        waiting = cls._order(neiqin_platform="tmall", neiqin_platform_order_no="P-WAITING")
        waiting.action_confirm()
        cls.waiting = waiting.picking_ids
        cls.tracking_bases = [
            {"picking": cls.waiting.name, "tracking_number": "TX30000002", "carrier": "TX"},
            {
                "platform_order_no": "P-WAITING",
                "platform": "tmall",
                "tracking_number": "TX30000003",
            },
            {"order": shipped.name, "tracking_number": "TX30000001", "carrier": "TX"},
        ]
        cls.event_bases = [
            {
                "tracking_number": "TX30000001",
                "status": "in_transit",
                "event_at": "2026-11-25T08:00:00Z",
                "event_id": "ev-p",
                "location": "Shanghai",
            },
            {"picking": cls.waiting.name, "status": "delivered"},
        ]

    def _api(self):
        return self.env["sale.order"].with_user(self.api_user)

    def _checked(self, results, statuses):
        self.assertEqual([r["index"] for r in results], list(range(len(results))))
        # Shown by --hypothesis-show-statistics: what the examples reached.
        for status in sorted({r["status"] for r in results}):
            event(f"some item {status}")
        for result in results:
            self.assertIn(result["status"], statuses, result)
            if result["status"] == "error":
                self.assertTrue(result["message"], result)

    def _snapshot(self):
        order = self.existing
        return (
            self.env["sale.order"].search_count([]),
            self.env["res.partner"].with_context(active_test=False).search_count([]),
            self.env["neiqin.logistics.event"].search_count([]),
            order.partner_id.id,
            order.partner_shipping_id.id,
            order.date_order,
            order.neiqin_buyer_remark,
            order.neiqin_platform_paid,
            order.neiqin_payment_ref,
            sorted(order.order_line.mapped(lambda li: (li.product_id.id, li.product_uom_qty))),
            [(p.carrier_tracking_ref, p.carrier_id.id) for p in self.shipped | self.waiting],
        )

    @settings(PROPERTY_SETTINGS, max_examples=150)
    @given(payloads(order_items()))
    def test_upsert_answers_every_item_and_refused_items_change_nothing(self, payload):
        before = self._snapshot()
        savepoint = self.env.cr.savepoint()
        try:
            results = self._answers("api_upsert_orders", payload)
            if results is None:
                return
            self._checked(results, ("created", "updated", "unchanged", "error"))
            after = self._snapshot()
            created = sum(r["status"] == "created" for r in results)
            self.assertEqual(after[0], before[0] + created)
            if not any(r["status"] in ("created", "updated") for r in results):
                self.assertEqual(after, before, results)
            if not any(r["status"] == "updated" for r in results):
                self.assertEqual(after[3:], before[3:], "the existing order is untouched")
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all()

    @settings(PROPERTY_SETTINGS, max_examples=100)
    @given(st.data())
    def test_tracking_answers_every_item_and_refused_items_change_nothing(self, data):
        payload = data.draw(payloads(_mutated(self.tracking_bases, TRACKING_KEYS)))
        before = self._snapshot()
        savepoint = self.env.cr.savepoint()
        try:
            results = self._answers("api_set_tracking_numbers", payload)
            if results is None:
                return
            self._checked(results, ("updated", "unchanged", "error"))
            if not any(r["status"] == "updated" for r in results):
                self.assertEqual(self._snapshot(), before, results)
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all()

    @settings(PROPERTY_SETTINGS, max_examples=80)
    @given(st.data())
    def test_events_answer_every_item_and_refused_items_change_nothing(self, data):
        payload = data.draw(payloads(_mutated(self.event_bases, EVENT_KEYS)))
        before = self._snapshot()
        savepoint = self.env.cr.savepoint()
        try:
            results = self._answers("api_push_logistics_events", payload)
            if results is None:
                return
            self._checked(results, ("created", "unchanged", "error"))
            after = self._snapshot()
            created = sum(r["status"] == "created" for r in results)
            self.assertEqual(after[2], before[2] + created, results)
            self.assertEqual(after[:2] + after[3:], before[:2] + before[3:])
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all()

    @settings(PROPERTY_SETTINGS, max_examples=60)
    @given(payloads(st.one_of(values, st.sampled_from(["P-EXIST", "P-SHIPPED"]))), values)
    def test_status_answers_every_number(self, payload, platform):
        before = self._snapshot()
        savepoint = self.env.cr.savepoint()
        try:
            results = self._answers("api_get_order_status", payload, platform)
            if results is None:
                return
            for result in results:
                self.assertIn("found", result)
            self.assertEqual(self._snapshot(), before)
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all()

    def _answers(self, method, payload, *args):
        """The results of one call, checked for what holds whatever the
        payload: a list of items is answered item by item, anything else is
        refused whole; no message leaks what the database said."""
        try:
            results = getattr(self._api(), method)(payload, *args)
        except UserError as exc:
            self.assertNotIsInstance(payload, list, "a list of items is always answered")
            self.assertIn("list of items", exc.args[0])
            return None
        self.assertIsInstance(payload, list)
        self.assertEqual(len(results), len(payload), results)
        for result in results:
            message = result.get("message") or ""
            self.assertIsInstance(message, str)
            for leak in LEAKS:
                self.assertNotIn(leak, message, result)
        return results
