"""The batch API helper: what every XML-RPC method for integrations shares.

A method takes a list and answers one result per item, in the same order:
``{"index", <key>, "status", ...}``, with a ``message`` when the status is
``error``. Each item is checked (types, lengths, bounds, dates) before
anything is looked up or written, and written in a savepoint of its own: an
item that fails changes nothing and does not stop the others. The caller's
rights are checked for the whole call before any item; record rules apply
per item. Errors name the item by its own key and never repeat what the
database said; the details go to the server log.

An item may carry an ``idempotency_key`` when the method passes its name as
``method``: the same key and the same item again are answered the stored
result (with ``replayed: True``) and nothing is applied again; the same key
with another item is an error naming the key. See
``neiqin.idempotency.key``.
"""

import logging
import math
import threading
from contextlib import contextmanager
from datetime import date, datetime, timedelta

import psycopg2
from psycopg2 import errorcodes
from pytz import utc

from odoo import api, models
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from ..engine.batch import (
    DATE_MAX,
    DATE_MIN,
    IDEMPOTENCY_FIELD,
    IDEMPOTENCY_KEY_LIMIT,
    ITEM_ERRORS,
    RETRYABLE_PGCODES,
    ConcurrentInsert,
    fingerprint,
    is_concurrency_error,
    key_echo,
    xmlrpc_result,
)

_logger = logging.getLogger(__name__)


class NeiqinBatchApiMixin(models.AbstractModel):
    """Inherit it on the model that carries the API methods, then:

    - ``_api_check_access(model, *operations)`` first, to refuse the whole
      call to a caller who may not do it at all;
    - ``_api_run(items, key_name, parse, handler, build_index, method)``
      for items written one by one, or ``_api_run_prepared(...)`` for items
      whose checks and look-ups can all happen before any write;
    - ``_api_text``, ``_api_number`` and ``_api_datetime`` in ``parse``.
    """

    _name = "neiqin.batch.api.mixin"
    _description = "Batch API helper"

    # ------------------------------------------------------------ hooks
    @api.model
    def _api_text_limits(self):
        """{field: longest text accepted, in characters} for ``_api_text``."""
        return {}

    @api.model
    def _api_logger(self):
        """The logger that receives the details of failed items."""
        return _logger

    # ------------------------------------------------------------ running
    @api.model
    def _api_items(self, items):
        if not isinstance(items, list | tuple):
            raise UserError(self.env._("Send a list of items."))
        return list(items)

    def _api_parse(self, items, key_name, parse, method=None):
        """Check each item with ``parse(item)`` (which returns the item as
        clean values, or raises) and read its idempotency key:
        ``(results, [(index, key, clean, idempotency)])`` with the results of
        the items refused already filled in."""
        results = [None] * len(items)
        parsed = []
        for index, item in enumerate(items):
            key = key_echo(item.get(key_name)) if isinstance(item, dict) else False
            try:
                if not isinstance(item, dict):
                    raise UserError(self.env._("Item %s is not a structure (dict).", index))
                idempotency = self._api_idempotency(item, method)
                parsed.append((index, key, parse(item), idempotency))
            except ITEM_ERRORS as exc:
                results[index] = self._api_error(index, key_name, key, exc)
        return results, parsed

    @contextmanager
    def _api_savepoint(self, scratch):
        """A savepoint; when it rolls back, ``scratch`` (what the writes of a
        call remember, such as the customers they created) is put back as it
        was, so that nothing refers to records the rollback deleted."""
        saved = dict(scratch)
        try:
            with self.env.cr.savepoint():
                yield
        except BaseException:
            scratch.clear()
            scratch.update(saved)
            self.env.invalidate_all()
            raise

    def _api_run(self, items, key_name, parse, handler, build_index=None, method=None):
        """Run ``handler(clean, index)`` for each item in its own savepoint,
        ``index`` being what ``build_index`` found for all the checked items
        at once. ``method``: the name idempotency keys are kept under (none:
        the items' keys are not read)."""
        items = self._api_items(items)
        results, parsed = self._api_parse(items, key_name, parse, method)
        parsed = self._api_replay(results, parsed, key_name, method)
        index = build_index([p[2] for p in parsed]) if build_index else {}
        scratch = index.setdefault("scratch", {})
        for position, key, clean, idempotency in parsed:
            try:
                with self._api_savepoint(scratch):
                    result = handler(clean, index)
                    self._api_remember(method, [(idempotency, result)])
            except ITEM_ERRORS as exc:
                if self._api_replays_call(exc):
                    self._api_raise_replay(exc)
                results[position] = self._api_error(position, key_name, key, exc)
                continue
            results[position] = {"index": position, key_name: key, **result}
        return self._api_results(results)

    def _api_run_prepared(
        self,
        items,
        key_name,
        parse,
        prepare,
        apply=None,
        build_index=None,
        apply_many=None,
        method=None,
        item_key=None,
    ):
        """Batch variant of ``_api_run`` for items whose checks and look-ups
        can all happen before any write.

        ``parse(item)`` checks an item's types and bounds; ``build_index``
        looks up what the checked items refer to, all at once;
        ``prepare(clean, index)`` checks an item without writing and returns
        either a result (a dict with a ``status``: nothing to write) or a
        plan; ``apply(plan, index)`` writes a plan and returns its result.
        The plans are applied together in one savepoint and flushed once; if
        that fails, each is applied again in a savepoint of its own, from
        the state the call had before (``index["scratch"]`` is put back), so
        that only the failing items fail, each with its own error.
        ``apply_many(plans, index)``, when given, applies the plans together
        (one ``create`` for many records, say) and returns their results in
        the same order; without ``apply``, a plan applied alone goes through
        it too.

        ``item_key(clean)``, when given, names the record an item writes:
        items naming the same record (two updates of one order in a feed)
        are applied in the order sent, each in a round of its own after the
        one before was written, so that the later one wins and each is
        answered for itself."""
        if apply is None:

            def apply(plan, index):
                return apply_many([plan], index)[0]

        items = self._api_items(items)
        results, parsed = self._api_parse(items, key_name, parse, method)
        parsed = self._api_replay(results, parsed, key_name, method)
        for round_items in self._api_rounds(parsed, item_key):
            self._api_run_round(
                results, round_items, key_name, prepare, apply, build_index, apply_many, method
            )
        return self._api_results(results)

    @staticmethod
    def _api_rounds(parsed, item_key):
        """``parsed`` split in rounds: the n-th item naming a record (by
        ``item_key``) goes in round n, so that no round names a record twice
        and a later item is applied after the earlier ones."""
        if not item_key:
            return [parsed] if parsed else []
        rounds = []
        seen = {}
        for entry in parsed:
            key = item_key(entry[2])
            number = seen.get(key, 0)
            seen[key] = number + 1
            if number == len(rounds):
                rounds.append([])
            rounds[number].append(entry)
        return rounds

    def _api_run_round(
        self, results, parsed, key_name, prepare, apply, build_index, apply_many, method
    ):
        """One round of ``_api_run_prepared``: look up, prepare and apply
        ``parsed``, filling ``results``."""
        index = build_index([p[2] for p in parsed]) if build_index else {}
        scratch = index.setdefault("scratch", {})
        # (position, key, idempotency, plan, answer): a plan to apply, or an
        # answer found without writing whose idempotency key is to be kept.
        pending = []
        for position, key, clean, idempotency in parsed:
            try:
                plan = prepare(clean, index)
            except ITEM_ERRORS as exc:
                results[position] = self._api_error(position, key_name, key, exc)
                continue
            if isinstance(plan, dict) and "status" in plan:
                if idempotency:
                    pending.append((position, key, idempotency, None, plan))
                else:
                    results[position] = {"index": position, key_name: key, **plan}
            else:
                pending.append((position, key, idempotency, plan, None))
        done = []
        if pending:
            try:
                with self._api_savepoint(scratch):
                    done = self._api_apply(pending, index, apply, apply_many, method)
                    self.env.flush_all()
            except ITEM_ERRORS as exc:
                if self._api_replays_call(exc):
                    self._api_raise_replay(exc)
                self._api_logger().info("API batch written item by item after: %s", exc)
                done = []
                for entry in pending:
                    try:
                        with self._api_savepoint(scratch):
                            applied = self._api_apply([entry], index, apply, None, method)
                            self.env.flush_all()
                    except ITEM_ERRORS as item_exc:
                        if self._api_replays_call(item_exc):
                            self._api_raise_replay(item_exc)
                        position, key = entry[:2]
                        results[position] = self._api_error(position, key_name, key, item_exc)
                        continue
                    done += applied
        for position, key, result in done:
            results[position] = {"index": position, key_name: key, **result}

    def _api_apply(self, pending, index, apply, apply_many, method):
        """Apply the plans of ``pending`` (see ``_api_run_prepared``) and keep
        the idempotency keys of every entry: ``[(position, key, result)]``."""
        plans = [entry[3] for entry in pending if entry[4] is None]
        if apply_many and plans:
            applied = apply_many(plans, index)
        else:
            applied = [apply(plan, index) for plan in plans]
        applied = iter(applied)
        done = [
            (position, key, next(applied) if answer is None else answer)
            for position, key, _idempotency, _plan, answer in pending
        ]
        if next(applied, None) is not None:
            raise ValueError("apply_many returned more results than plans")
        self._api_remember(
            method, [(entry[2], result) for entry, (*_, result) in zip(pending, done, strict=True)]
        )
        return done

    @api.model
    def _api_replays_call(self, exc):
        """Whether the whole call should run again, in a new transaction,
        after ``exc``: another transaction changed or locked what an item
        writes, and the call runs in a request, which Odoo replays from the
        start after such errors (``odoo.service.model.retrying``, up to five
        times). Retrying the item alone would meet the same rows in the same
        snapshot. Outside a request (a cron, a shell) the item answers an
        error telling to send it again."""
        if not self._api_call_is_replayed() or not (
            is_concurrency_error(exc) or self._api_concurrent_insert(exc)
        ):
            return False
        self._api_logger().info("API call replayed after a concurrent update (%s)", exc.pgcode)
        return True

    @staticmethod
    def _api_call_is_replayed():
        """Whether Odoo replays this call from the start after a
        serialization failure (``odoo.service.model.retrying``): in an HTTP
        request (the web client's calls), or in an XML-RPC or JSON-RPC
        call, which Odoo runs without a request (``odoo.http.dispatch_rpc``
        sets it aside) but with the caller's uid on the thread
        (``odoo.service.model.dispatch``). Not in a scheduled action or a
        shell."""
        return bool(request) or getattr(threading.current_thread(), "uid", None) is not None

    @api.model
    def _api_concurrent_insert(self, exc):
        """Whether ``exc`` is a unique violation that only another call can
        have caused, having committed the same row after this call began
        (the items were checked against every row this call can see): an
        idempotency key another call kept at the same moment, and what the
        model adds."""
        return (
            isinstance(exc, psycopg2.Error)
            and exc.pgcode == errorcodes.UNIQUE_VIOLATION
            and exc.diag.constraint_name == "neiqin_idempotency_key_key_uniq"
        )

    @staticmethod
    def _api_raise_replay(exc):
        """Raise what makes Odoo replay the call after ``exc`` (see
        ``_api_replays_call``): the error itself, or, for a concurrent
        insert, a serialization failure standing for it."""
        if is_concurrency_error(exc):
            raise exc
        raise ConcurrentInsert(str(exc)) from exc

    # ------------------------------------------------------------ idempotency
    @api.model
    def _api_idempotency(self, item, method):
        """``(key, fingerprint)`` of an item sent with an idempotency key,
        or None."""
        if not method:
            return None
        value = item.get(IDEMPOTENCY_FIELD)
        if value is None or value is False or value == "":
            return None
        key = self._api_text(value, IDEMPOTENCY_FIELD, required=True, limit=IDEMPOTENCY_KEY_LIMIT)
        return key, fingerprint(item)

    def _api_replay(self, results, parsed, key_name, method):
        """Answer the items whose idempotency key was already used: the
        stored result for the same item, an error for another item or for a
        key used twice in the call. Returns the items still to run."""
        keys = {entry[3][0] for entry in parsed if entry[3]}
        if not keys:
            return parsed
        _ = self.env._
        stored = self.env["neiqin.idempotency.key"]._find(method, keys)
        seen = set()
        todo = []
        for position, key, clean, idempotency in parsed:
            if not idempotency:
                todo.append((position, key, clean, idempotency))
                continue
            ikey, digest = idempotency
            row = stored.get(ikey)
            if ikey in seen:
                error = _("Idempotency key %s is used by another item of this call.", ikey)
            elif row and row.fingerprint != digest:
                error = _(
                    "Idempotency key %s was used with another payload; nothing was changed. "
                    "Send a new key for a new request.",
                    ikey,
                )
            else:
                error = None
            seen.add(ikey)
            if error:
                results[position] = self._api_error(position, key_name, key, UserError(error))
            elif row:
                results[position] = {
                    "index": position,
                    key_name: key,
                    **row._answer(),
                    "replayed": True,
                }
            else:
                todo.append((position, key, clean, idempotency))
        return todo

    def _api_remember(self, method, answered):
        """Keep the results of ``answered``, ``[(idempotency, result)]``,
        under their idempotency keys (items sent without one are skipped)."""
        answers = [
            (idempotency[0], idempotency[1], xmlrpc_result(result))
            for idempotency, result in answered
            if idempotency
        ]
        if answers:
            self.env["neiqin.idempotency.key"]._remember(method, answers)

    # ------------------------------------------------------------ results
    def _api_error(self, index, key_name, key, exc):
        """The result of a failed item. Odoo's user errors say what is wrong
        with the item; anything else may describe records the caller cannot
        see (PostgreSQL's text, a record's id): the item gets a plain
        message naming its own key, the log gets the details."""
        _ = self.env._
        logger = self._api_logger()
        label = key if key not in (False, None, "") else _("Item %s", index)
        if isinstance(exc, psycopg2.Error):
            if exc.pgcode == errorcodes.UNIQUE_VIOLATION:
                message = _(
                    "%s already exists: another call may have saved it at the same moment. "
                    "Nothing was changed; send it again to update it.",
                    label,
                )
            elif exc.pgcode in RETRYABLE_PGCODES:
                message = _(
                    "%s was being changed by another call at the same moment. "
                    "Nothing was changed; send it again.",
                    label,
                )
            else:
                message = _(
                    "%s could not be saved; nothing was changed. Retry, or contact your "
                    "administrator if it fails again.",
                    label,
                )
            logger.warning(
                "API item %s (%s %r) refused by the database: %s",
                index,
                key_name,
                label,
                (exc.pgerror or str(exc)).strip(),
            )
        elif isinstance(exc, AccessError):
            message = _("%s: your access rights do not allow this; nothing was changed.", label)
            logger.info("API item %s (%s %r) refused: %s", index, key_name, label, exc)
        elif isinstance(exc, UserError | ValidationError) and not isinstance(exc, MissingError):
            message = exc.args[0]
        else:
            # Python errors (a bug) and MissingError, whose text names the
            # model and ids of the records that are gone.
            message = _(
                "%s could not be processed; nothing was changed. Check the item, or contact "
                "your administrator if it looks right.",
                label,
            )
            logger.error("API item %s (%s %r) failed", index, key_name, label, exc_info=exc)
        return {"index": index, key_name: key, "status": "error", "message": message}

    @staticmethod
    def _api_results(results):
        return [xmlrpc_result(result) for result in results]

    @api.model
    def _api_check_access(self, model, *operations):
        """Refuse the whole call, before any item, to a caller who may not do
        the operations at all (record rules still apply per item)."""
        for operation in operations:
            self.env[model].check_access(operation)

    # ------------------------------------------------------------ item checks
    @api.model
    def _api_text(self, value, field, required=False, multiline=False, limit=None):
        """``value`` as stripped text ('' when absent), or a UserError saying
        what is wrong with it. Numeric keys (an order or buyer number) may
        come as integers. ``limit``: the longest text accepted, by default
        the field's in ``_api_text_limits``."""
        _ = self.env._
        if limit is None:
            limit = self._api_text_limits()[field.rsplit(".", 1)[-1]]
        if value is None or value is False:
            text = ""
        elif isinstance(value, str):
            text = value.strip()
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**limit:
            text = str(value)
        else:
            raise UserError(_("%s must be text.", field))
        if len(text) > limit:
            raise UserError(
                _(
                    "%(field)s is too long (%(length)s characters, at most %(limit)s).",
                    field=field,
                    length=len(text),
                    limit=limit,
                )
            )
        # PostgreSQL stores no NUL character and no lone surrogate; one-line
        # values (keys, names, codes) take no control character either.
        bad = "\x00" in text or (
            not multiline and any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in text)
        )
        if not bad:
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                bad = True
        if bad:
            raise UserError(_("%s contains characters that cannot be stored.", field))
        if required and not text:
            raise UserError(_("%s is required.", field))
        return text

    @api.model
    def _api_number(self, value, field, minimum, maximum):
        """``value`` as a float within [minimum, maximum], or a UserError."""
        _ = self.env._
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise UserError(_("%s must be a number.", field))
        if isinstance(value, float) and not math.isfinite(value):
            raise UserError(_("%s must be a finite number.", field))
        # Compared before converting: an integer too large for a float
        # would overflow.
        if not minimum <= value <= maximum:
            raise UserError(
                _(
                    "%(field)s must be between %(min)s and %(max)s.",
                    field=field,
                    min=minimum,
                    max=maximum,
                )
            )
        return float(value)

    @api.model
    def _api_date(self, value, field):
        """An ISO 8601 date (``2026-11-25``) as a date, None when absent, or
        a UserError. Accepted: from DATE_MIN to DATE_MAX."""
        _ = self.env._
        if value is None or value is False or value == "":
            return None
        if isinstance(value, str) and len(value) <= 32:
            try:
                parsed = date.fromisoformat(value.strip())
            except ValueError as exc:
                raise UserError(
                    _(
                        "%(field)s: %(value)s is not a date (use ISO 8601: YYYY-MM-DD).",
                        field=field,
                        value=value,
                    )
                ) from exc
        elif isinstance(value, date) and not isinstance(value, datetime):
            parsed = value
        else:
            raise UserError(_("%s must be a date in ISO 8601 text.", field))
        if not DATE_MIN.date() <= parsed < DATE_MAX.date():
            raise UserError(
                _(
                    "%(field)s must be between %(min)s and %(max)s.",
                    field=field,
                    min=DATE_MIN.date().isoformat(),
                    max=(DATE_MAX - timedelta(days=1)).date().isoformat(),
                )
            )
        return parsed

    @api.model
    def _api_datetime(self, value, field):
        """An ISO 8601 date and time (UTC when it has no offset) as a naive
        UTC datetime, None when absent, or a UserError. Accepted: from
        DATE_MIN to DATE_MAX."""
        _ = self.env._
        if value is None or value is False or value == "":
            return None
        if isinstance(value, datetime):
            parsed = value
        elif isinstance(value, str) and len(value) <= 64:
            try:
                parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            except ValueError as exc:
                raise UserError(
                    _(
                        "%(field)s: %(value)s is not a date and time (use ISO 8601).",
                        field=field,
                        value=value,
                    )
                ) from exc
        else:
            raise UserError(_("%s must be a date and time in ISO 8601 text.", field))
        try:
            if parsed.tzinfo:
                parsed = parsed.astimezone(utc).replace(tzinfo=None)
            in_range = DATE_MIN <= parsed < DATE_MAX
        except (OverflowError, ValueError):
            in_range = False
        if not in_range:
            raise UserError(
                _(
                    "%(field)s must be between %(min)s and %(max)s (UTC).",
                    field=field,
                    min=DATE_MIN.date().isoformat(),
                    max=(DATE_MAX - timedelta(days=1)).date().isoformat(),
                )
            )
        return parsed.replace(microsecond=0)
