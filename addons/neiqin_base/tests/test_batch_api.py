"""The batch API helper on its own: a small API made in each test from the
helper's functions and handlers written here, creating back-office tasks
as the users who call it."""

import xmlrpc.client
from datetime import date, datetime, timedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import AccessError, UserError
from odoo.sql_db import db_connect
from odoo.tests import tagged
from odoo.tests.common import BaseCase
from odoo.tools import mute_logger

from ..engine.batch import fingerprint, key_echo
from .common import NeiqinCase

HELPER_LOG = "odoo.addons.neiqin_base.models.neiqin_batch_api_mixin"
METHOD = "api_test_create_tasks"


class TestBatchEngine(BaseCase):
    """The plain parts, without a database."""

    def test_fingerprint_reads_values_not_their_order(self):
        item = {"a": 1, "b": [1, {"c": "中"}], "idempotency_key": "k1"}
        same = {"b": [1, {"c": "中"}], "a": 1, "idempotency_key": "k2"}
        self.assertEqual(fingerprint(item), fingerprint(same))
        self.assertNotEqual(fingerprint(item), fingerprint({**item, "b": [{"c": "中"}, 1]}))
        self.assertNotEqual(fingerprint(item), fingerprint({**item, "a": 1.5}))
        self.assertNotEqual(fingerprint({"a": None}), fingerprint({}))

    def test_fingerprint_of_xmlrpc_values_is_stable(self):
        at = datetime(2026, 11, 25, 8, 0)
        self.assertEqual(fingerprint({"at": at}), fingerprint({"at": datetime(2026, 11, 25, 8)}))
        self.assertEqual(
            fingerprint({"file": xmlrpc.client.Binary(b"x")}),
            fingerprint({"file": xmlrpc.client.Binary(b"x")}),
        )
        with self.assertRaises(TypeError):
            fingerprint({"what": object()})

    def test_key_echo_repeats_only_plain_keys(self):
        self.assertEqual(key_echo(" TM-1 "), "TM-1")
        self.assertEqual(key_echo(42), 42)
        for odd in ("x" * 257, 2**31, True, None, {"a": 1}, 1.5):
            with self.subTest(odd=odd):
                self.assertIs(key_echo(odd), False)


@tagged("post_install", "-at_install")
class TestBatchApi(NeiqinCase):
    def setUp(self):
        super().setUp()
        # The names each handler was called with, in order.
        self.calls = []

    def _api(self, user=None):
        return self.env["neiqin.batch.api.mixin"].with_user(user or self.clerk)

    def _parse(self, api_model):
        def parse(item):
            return {
                "name": api_model._api_text(item.get("name"), "name", required=True, limit=64),
                "date": api_model._api_date(item.get("date"), "date"),
                "fail": bool(item.get("fail")),
            }

        return parse

    def _create_tasks(self, items, user=None, method=METHOD):
        """An API method as a module would write it: access first, then one
        task per item."""
        api_model = self._api(user)
        api_model._api_check_access("neiqin.task", "create")

        def handler(clean, _index):
            self.calls.append(clean["name"])
            task = api_model.env["neiqin.task"].create(
                {"name": clean["name"], "user_id": api_model.env.uid}
            )
            if clean["fail"]:
                # A module's handler translates its messages; this one is the
                # test's own, and kept out of the translated terms.
                raise UserError(f"{clean['name']} was refused.")  # pylint: disable=translation-required
            return {"status": "created", "id": task.id}

        return api_model._api_run(
            items, "name", parse=self._parse(api_model), handler=handler, method=method
        )

    def _tasks(self, name):
        return self.env["neiqin.task"].search([("name", "=", name)])

    # ------------------------------------------------------------ items
    def test_failed_item_is_rolled_back_alone(self):
        results = self._create_tasks(
            [{"name": "Batch A"}, {"name": "Batch B", "fail": True}, {"name": "Batch C"}]
        )
        self.assertEqual([r["status"] for r in results], ["created", "error", "created"])
        self.assertEqual([r["index"] for r in results], [0, 1, 2])
        self.assertEqual(results[1]["name"], "Batch B")
        self.assertEqual(results[1]["message"], "Batch B was refused.")
        self.assertTrue(self._tasks("Batch A"))
        self.assertFalse(self._tasks("Batch B"), "the failed item's task is rolled back")
        self.assertTrue(self._tasks("Batch C"))
        self.assertEqual(self.calls, ["Batch A", "Batch B", "Batch C"])

    def test_access_is_refused_before_any_item(self):
        with self.assertRaises(AccessError):
            self._create_tasks([{"name": "Never"}], user=self.outsider)
        self.assertEqual(self.calls, [], "no item was looked at")
        self.assertFalse(self._tasks("Never"))

    def test_a_payload_that_is_not_a_list_is_refused_whole(self):
        with self.assertRaisesRegex(UserError, "Send a list of items"):
            self._create_tasks({"name": "Alone"})
        results = self._create_tasks(["not a dict", {"name": "Listed"}])
        self.assertEqual([r["status"] for r in results], ["error", "created"])
        self.assertEqual(results[0]["message"], "Item 0 is not a structure (dict).")

    def test_dates_are_checked_before_any_write(self):
        results = self._create_tasks(
            [
                {"name": "Bad month", "date": "2026-13-01"},
                {"name": "Too old", "date": "1999-12-31"},
                {"name": "Not text", "date": 20261125},
                {"name": "Good date", "date": "2026-11-25"},
            ]
        )
        self.assertEqual([r["status"] for r in results], ["error", "error", "error", "created"])
        self.assertEqual(
            results[0]["message"], "date: 2026-13-01 is not a date (use ISO 8601: YYYY-MM-DD)."
        )
        self.assertEqual(results[1]["message"], "date must be between 2000-01-01 and 2099-12-31.")
        self.assertEqual(results[2]["message"], "date must be a date in ISO 8601 text.")
        self.assertEqual(self.calls, ["Good date"], "refused items never reach the handler")

    def test_datetimes_are_read_as_utc(self):
        api_model = self._api()
        self.assertEqual(
            api_model._api_datetime("2026-11-25T08:00:00+08:00", "at"), datetime(2026, 11, 25)
        )
        self.assertEqual(api_model._api_datetime("2026-11-25T08:00:00Z", "at").hour, 8)
        self.assertIsNone(api_model._api_datetime("", "at"))
        self.assertEqual(api_model._api_date("2026-11-25", "on"), date(2026, 11, 25))
        for value, message in (
            ("2026-11-25 25:00", "at: 2026-11-25 25:00 is not a date and time (use ISO 8601)."),
            ("2100-01-01T00:00:00", "at must be between 2000-01-01 and 2099-12-31 (UTC)."),
            (1764057600, "at must be a date and time in ISO 8601 text."),
        ):
            with self.subTest(value=value), self.assertRaises(UserError) as caught:
                api_model._api_datetime(value, "at")
            self.assertEqual(caught.exception.args[0], message)

    def test_numbers_and_texts_say_what_is_wrong(self):
        api_model = self._api()
        for value, message in (
            ("3", "qty must be a number."),
            (True, "qty must be a number."),
            (float("nan"), "qty must be a finite number."),
            (11, "qty must be between 0 and 10."),
        ):
            with self.subTest(value=value), self.assertRaises(UserError) as caught:
                api_model._api_number(value, "qty", 0, 10)
            self.assertEqual(caught.exception.args[0], message)
        self.assertEqual(api_model._api_number(4, "qty", 0, 10), 4.0)
        with self.assertRaises(UserError) as caught:
            api_model._api_text("a\nb", "code", limit=8)
        self.assertEqual(
            caught.exception.args[0], "code contains characters that cannot be stored."
        )
        with self.assertRaises(UserError) as caught:
            api_model._api_text("x" * 9, "code", limit=8)
        self.assertEqual(caught.exception.args[0], "code is too long (9 characters, at most 8).")

    @mute_logger("odoo.sql_db", HELPER_LOG)
    def test_concurrent_update_is_an_item_error_outside_a_request(self):
        """Another transaction commits a change to a row after this one
        began: writing that row fails, only the item that wrote it fails, and
        it is told to send it again. (In a request, Odoo replays the whole
        call in a new transaction instead.)"""
        process = self.env.ref("neiqin_base.process_data")
        sequence = process.sequence
        self.env.flush_all()
        other = db_connect(self.env.cr.dbname).cursor()
        other.execute("SET lock_timeout = '10s'")
        other_env = api.Environment(other, SUPERUSER_ID, {})
        api_model = self._api()

        def handler(clean, _index):
            if clean["name"] == "Contended":
                # As superuser (the test's environment): what matters is
                # the row another transaction changed.
                process.write({"sequence": sequence + 2})
                self.env.flush_all()
            task = api_model.env["neiqin.task"].create(
                {"name": clean["name"], "user_id": api_model.env.uid}
            )
            return {"status": "created", "id": task.id}

        try:
            other_env["neiqin.process"].browse(process.id).write({"sequence": sequence + 1})
            other.commit()
            results = api_model._api_run(
                [{"name": "Contended"}, {"name": "Free"}],
                "name",
                parse=self._parse(api_model),
                handler=handler,
            )
        finally:
            other_env["neiqin.process"].browse(process.id).write({"sequence": sequence})
            other.commit()
            other.close()
        self.assertEqual([r["status"] for r in results], ["error", "created"], results)
        self.assertEqual(
            results[0]["message"],
            "Contended was being changed by another call at the same moment. "
            "Nothing was changed; send it again.",
        )
        self.assertFalse(self._tasks("Contended"))
        self.assertTrue(self._tasks("Free"))

    # ------------------------------------------------------------ idempotency
    def test_repeat_with_the_same_key_answers_the_stored_result(self):
        item = {"name": "Once", "idempotency_key": "req-1"}
        first = self._create_tasks([item])
        again = self._create_tasks([{"name": "Free"}, dict(item)])
        self.assertEqual(first[0]["status"], "created")
        self.assertEqual(again[1], {**first[0], "index": 1, "replayed": True})
        self.assertEqual(len(self._tasks("Once")), 1, "applied once")
        self.assertEqual(self.calls, ["Once", "Free"])
        # The order of a structure's keys is not part of the payload.
        third = self._create_tasks([{"idempotency_key": "req-1", "name": "Once"}])
        self.assertTrue(third[0]["replayed"])

    def test_same_key_with_another_payload_is_an_error_naming_the_key(self):
        self._create_tasks([{"name": "Original", "idempotency_key": "req-2"}])
        results = self._create_tasks([{"name": "Changed", "idempotency_key": "req-2"}])
        self.assertEqual(results[0]["status"], "error")
        self.assertEqual(results[0]["name"], "Changed")
        self.assertEqual(
            results[0]["message"],
            "Idempotency key req-2 was used with another payload; nothing was changed. "
            "Send a new key for a new request.",
        )
        self.assertFalse(self._tasks("Changed"))

    def test_a_key_is_used_once_per_call(self):
        results = self._create_tasks(
            [
                {"name": "Twice", "idempotency_key": "req-3"},
                {"name": "Twice", "idempotency_key": "req-3"},
            ]
        )
        self.assertEqual([r["status"] for r in results], ["created", "error"])
        self.assertIn("req-3 is used by another item of this call", results[1]["message"])
        self.assertEqual(len(self._tasks("Twice")), 1)

    def test_a_failed_item_keeps_no_key(self):
        failed = self._create_tasks([{"name": "Retry", "fail": True, "idempotency_key": "r-4"}])
        self.assertEqual(failed[0]["status"], "error")
        self.assertFalse(self.env["neiqin.idempotency.key"].search([("key", "=", "r-4")]))
        fixed = self._create_tasks([{"name": "Retry", "idempotency_key": "r-4"}])
        self.assertEqual(fixed[0]["status"], "created")
        self.assertNotIn("replayed", fixed[0])

    def test_keys_belong_to_their_user_and_method(self):
        item = {"name": "Shared key", "idempotency_key": "req-5"}
        self._create_tasks([item])
        theirs = self._create_tasks([dict(item)], user=self.clerk2)
        other_method = self._create_tasks([dict(item)], method="api_test_other")
        self.assertNotIn("replayed", theirs[0], "another user's key is another key")
        self.assertNotIn("replayed", other_method[0], "another method's key is another key")
        self.assertEqual(len(self._tasks("Shared key")), 3)
        Key = self.env["neiqin.idempotency.key"]
        self.assertEqual(
            Key.with_user(self.clerk).search([("key", "=", "req-5")]).user_id, self.clerk
        )
        self.assertEqual(
            Key.with_user(self.clerk2).search([("key", "=", "req-5")]).user_id, self.clerk2
        )
        self.assertEqual(len(Key.search([("key", "=", "req-5")])), 3)

    def test_without_a_method_keys_are_not_read(self):
        item = {"name": "No method", "idempotency_key": "req-6"}
        self._create_tasks([item], method=None)
        self._create_tasks([dict(item)], method=None)
        self.assertEqual(len(self._tasks("No method")), 2)
        self.assertFalse(self.env["neiqin.idempotency.key"].search([("key", "=", "req-6")]))

    def test_a_bad_key_is_an_item_error(self):
        results = self._create_tasks(
            [
                {"name": "Bad key", "idempotency_key": ["a"]},
                {"name": "Long", "idempotency_key": "k" * 129},
            ]
        )
        self.assertEqual([r["status"] for r in results], ["error", "error"])
        self.assertEqual(results[0]["message"], "idempotency_key must be text.")
        self.assertIn("idempotency_key is too long", results[1]["message"])

    def test_prepared_items_keep_their_keys_with_the_batch(self):
        api_model = self._api()

        def prepare(clean, _index):
            if self._tasks(clean["name"]):
                return {"status": "unchanged"}
            return clean["name"]

        def apply_many(names, _index):
            tasks = api_model.env["neiqin.task"].create(
                [{"name": name, "user_id": api_model.env.uid} for name in names]
            )
            return [{"status": "created", "id": task.id} for task in tasks]

        def run(items):
            return api_model._api_run_prepared(
                items,
                "name",
                parse=self._parse(api_model),
                prepare=prepare,
                apply=lambda name, index: apply_many([name], index)[0],
                apply_many=apply_many,
                method=METHOD,
            )

        self._task("Known")
        first = run(
            [
                {"name": "Prepared", "idempotency_key": "p-1"},
                {"name": "Known", "idempotency_key": "p-2"},
            ]
        )
        self.assertEqual([r["status"] for r in first], ["created", "unchanged"])
        again = run(
            [
                {"name": "Known", "idempotency_key": "p-2"},
                {"name": "Prepared", "idempotency_key": "p-1"},
            ]
        )
        self.assertEqual([r["status"] for r in again], ["unchanged", "created"])
        self.assertEqual([r.get("replayed") for r in again], [True, True])
        self.assertEqual(again[1]["id"], first[0]["id"])
        self.assertEqual(len(self._tasks("Prepared")), 1)

    def test_expired_keys_are_deleted_by_the_cron(self):
        self._create_tasks(
            [
                {"name": "Old", "idempotency_key": "old"},
                {"name": "Recent", "idempotency_key": "recent"},
            ]
        )
        Key = self.env["neiqin.idempotency.key"]
        old = Key.search([("key", "=", "old")])
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE neiqin_idempotency_key SET create_date = %s WHERE id = %s",
            [fields.Datetime.now() - timedelta(days=31), old.id],
        )
        self.env["ir.config_parameter"].set_param("neiqin_base.idempotency_key_days", "")
        self.assertEqual(Key._cron_delete_expired(), 1)
        self.assertEqual(Key.search([("key", "in", ["old", "recent"])]).mapped("key"), ["recent"])
        # Once deleted, the key is free again.
        results = self._create_tasks([{"name": "Old again", "idempotency_key": "old"}])
        self.assertEqual(results[0]["status"], "created")
        # The kept days are a setting.
        self.env["ir.config_parameter"].set_param("neiqin_base.idempotency_key_days", "0")
        self.env.cr.execute(
            "UPDATE neiqin_idempotency_key SET create_date = %s",
            [fields.Datetime.now() - timedelta(days=2)],
        )
        self.assertEqual(Key._cron_delete_expired(), 2, "at least one day")

    def test_keys_are_not_written_by_hand_by_others(self):
        """A user sees and creates only their own keys."""
        Key = self.env["neiqin.idempotency.key"]
        values = {"method": METHOD, "key": "forged", "fingerprint": "x"}
        with self.assertRaises(AccessError):
            Key.with_user(self.clerk).create({**values, "user_id": self.clerk2.id})
        mine = Key.with_user(self.clerk).create(values)
        self.assertEqual(mine.user_id, self.clerk)
        with self.assertRaises(AccessError):
            mine.with_user(self.clerk).write({"fingerprint": "y"})
        self.assertFalse(Key.with_user(self.clerk2).search([("id", "=", mine.id)]))
