"""Plain parts of the batch API helper (``neiqin.batch.api.mixin``): what
an item may raise and still leave the others to go on, which database
errors are worth replaying the call for, how a result travels over
XML-RPC, and the fingerprint of an item sent with an idempotency key."""

import hashlib
import json
import xmlrpc.client
from datetime import date, datetime, time

import psycopg2
from psycopg2 import errorcodes

from odoo.exceptions import AccessError, UserError, ValidationError

# What an item may raise and still leave the others to go on. Errors that are
# not Odoo's are bugs or database refusals: the item gets a plain message and
# the log gets the details (see ``neiqin.batch.api.mixin._api_error``).
ITEM_ERRORS = (
    UserError,
    ValidationError,
    AccessError,
    ValueError,
    TypeError,
    LookupError,
    ArithmeticError,
    AttributeError,
    psycopg2.Error,
)
# Another transaction changed or locked what an item writes. Retrying the
# item in the same transaction would meet the same rows in the same
# snapshot: only a new transaction (the whole call again) can succeed.
RETRYABLE_PGCODES = (
    errorcodes.SERIALIZATION_FAILURE,
    errorcodes.DEADLOCK_DETECTED,
    errorcodes.LOCK_NOT_AVAILABLE,
)
# Accepted dates (UTC): no e-commerce document predates 2000, and a date
# past 2100 is a typo. This also keeps clear of datetime's own limits (year
# 1 and 9999), which a time zone offset would overflow.
DATE_MIN = datetime(2000, 1, 1)
DATE_MAX = datetime(2100, 1, 1)
# The item field that carries an idempotency key, and its longest value.
IDEMPOTENCY_FIELD = "idempotency_key"
IDEMPOTENCY_KEY_LIMIT = 128


class ConcurrentInsert(psycopg2.errors.SerializationFailure):
    """Another transaction committed a row that this one inserts after this
    one began (two connectors pushing the same new order at once).
    PostgreSQL reports a unique violation, but the row is invisible to this
    transaction's snapshot: only a new transaction can find it, and answer
    the item ``unchanged`` or ``updated``. Raised in its place, it makes
    Odoo replay the call as after a serialization failure
    (``odoo.service.model.retrying`` replays on this class)."""

    pgcode = errorcodes.SERIALIZATION_FAILURE


def is_concurrency_error(exc):
    """Whether ``exc`` says another transaction got in the way (see
    RETRYABLE_PGCODES)."""
    return isinstance(exc, psycopg2.Error) and exc.pgcode in RETRYABLE_PGCODES


def key_echo(value):
    """An item's key as the result may repeat it: a short text or a small
    integer, else False (XML-RPC has no None, no integer past 32 bits, and a
    result should not carry back whatever odd value was sent)."""
    if isinstance(value, str):
        value = value.strip()
        return value if len(value) <= 256 else False
    if isinstance(value, int) and not isinstance(value, bool) and -(2**31) <= value < 2**31:
        return value
    return False


def xmlrpc_result(result):
    """``result`` with None read as False: XML-RPC has no None."""
    return {k: (False if v is None else v) for k, v in result.items()}


def _plain(value):
    """What JSON cannot write, as text that is the same for the same value
    (XML-RPC brings dates as datetimes and binaries as ``Binary``)."""
    if isinstance(value, xmlrpc.client.Binary):
        value = value.data
    if isinstance(value, bytes | bytearray):
        return {"bytes": bytes(value).hex()}
    if isinstance(value, date | datetime | time):
        return {type(value).__name__: value.isoformat()}
    if isinstance(value, xmlrpc.client.DateTime):
        return {"datetime": value.value}
    raise TypeError(f"{type(value).__name__} is not a value an API item may hold")


def fingerprint(item):
    """A digest of what ``item`` asks, its idempotency key left out: two
    items have the same fingerprint when they hold the same values (the
    order of a structure's keys does not matter, the order of a list does).
    """
    payload = {k: v for k, v in item.items() if k != IDEMPOTENCY_FIELD}
    text = json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_plain
    )
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
