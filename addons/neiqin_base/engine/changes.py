"""The reading of changes: from when a rescan reads them, and which rules
have any to recheck.

A record written by a transaction that started before a scan but
committed after it carries a write_date older than the scan (the start of
its transaction): a scan remembers, as the time its next rescan reads from,
the start of the oldest transaction open when it began (:func:`scan_clock`).
Which fields were written is remembered per model and transaction
(``neiqin.dq.change``): a rule reading none of them has nothing to recheck.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from odoo.tools import SQL

from . import rescan
from .reads import rereads

# Rules last scanned before the start of the oldest open transaction was
# recorded look back this much before their last scan, as they did.
WATERMARK_MARGIN = timedelta(minutes=10)
# Less this: a transaction ending in the instant between the scan's snapshot
# and its reading of the open transactions is invisible to the scan and no
# longer listed. The scheduled scan reads them first thing in the
# transaction of each model's scan, so that instant is short, and what ends
# in it is most likely a request or a batch that began shortly before.
# (Write dates and transaction starts come from the same clock, the
# database's now(), to the microsecond: no margin is needed for them.)
RESCAN_MARGIN = timedelta(minutes=1)
# Where a transaction keeps the start of the oldest other one (see
# oldest_transaction_start).
OLDEST_OPEN = "neiqin.dq.oldest_open"
# The scheduled scan checks everything again this often.
FULL_SCAN_EVERY = timedelta(days=1)


@dataclass(frozen=True)
class ScanClock:
    """When the scan of a model started, by the transaction's clock (as
    write_date uses it), and from when the next rescan of its rules reads
    changes (:func:`scan_clock`)."""

    started: datetime
    rescan_from: datetime


def scan_clock(env):
    """The clock of a scan starting now (a :class:`ScanClock`): the
    transaction's time, as write_date uses it, and from when the next
    rescan must read changes.

    That is the start of the oldest transaction still open on this
    database, if older: it may commit after this scan took its snapshot,
    and what it writes is dated from its start (write_date is the
    transaction's now()). Less RESCAN_MARGIN. Not more than a day back: a
    session left open for days would otherwise make every rescan read days
    of changes, and the daily full scan sees what it writes.

    Only sessions of Odoo's database role show their start (others' too if
    the role may read all statistics): other roles write in plain SQL,
    which rescans do not see anyway."""
    started = env.cr.now().replace(tzinfo=None)
    oldest = oldest_transaction_start(env) or started
    rescan_from = min(started, oldest) - RESCAN_MARGIN
    return ScanClock(started, max(rescan_from, started - FULL_SCAN_EVERY))


def oldest_transaction_start(env):
    """The start of the oldest transaction of the other sessions on this
    database, or None. Read once per transaction: PostgreSQL shows the same
    activity for the rest of it (and precommit data lives no longer).
    Through the function behind pg_stat_activity, which spares the view's
    joins: a rescan with little to do takes milliseconds."""
    data = env.cr.precommit.data
    if OLDEST_OPEN not in data:
        env.cr.execute(
            SQL(
                """SELECT min(xact_start) AT TIME ZONE 'UTC'
                     FROM pg_stat_get_activity(NULL)
                    WHERE datid = (SELECT oid FROM pg_database
                                    WHERE datname = current_database())
                      AND pid != pg_backend_pid() AND backend_type = 'client backend'"""
            )
        )
        data[OLDEST_OPEN] = env.cr.fetchone()[0]
    return data[OLDEST_OPEN]


def look_back(rules):
    """How far back the rescans of ``rules`` look: to the earliest time
    their last scans recorded (:func:`scan_clock`); for a rule last scanned
    before that time was recorded, to its last scan less the fixed margin
    it used."""
    return min(rule.rescan_from or rule.last_scan_at - WATERMARK_MARGIN for rule in rules)


def full_scan_due(rules, now):
    """Whether the next scheduled scan of ``rules`` checks every record: one
    of them was not fully scanned for a day at ``now``."""
    limit = now - FULL_SCAN_EVERY
    return any(not rule.last_full_scan_at or rule.last_full_scan_at < limit for rule in rules)


def scan_changes(rules, model, last_writes):
    """Check the records of ``model`` changed since the last scan of
    ``rules`` (its rules, scanned before), and the open issues to recheck,
    against the rules that read a field written since (or every rule, for
    records created, and rules whose reads are not known); return (checked,
    bad, known) as the issue filer takes them (engine/filing.py).

    ``last_writes`` is what ``neiqin.dq.change._last_writes`` gives. Writes
    in plain SQL are seen by the daily full scan."""
    written = rules.env["neiqin.dq.change"]._written_since(last_writes, look_back(rules))
    reads = rules._rescan_reads()
    needed = rules.filtered(lambda rule: rereads(rule, reads[rule.id], written))
    if needed:
        since = look_back(needed)
        checked, bad, known = rescan.recheck_changes(needed, model, needed._rescan_plan(), since)
    else:
        checked, bad, known = {}, {}, {}
    for rule in rules - needed:
        checked[rule], bad[rule], known[rule.id] = set(), {}, {}
    return checked, bad, known
