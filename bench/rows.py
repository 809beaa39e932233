"""Bulk rows for the benchmark data, written with PostgreSQL COPY.

A generator creates one *model record* through the ORM (so every required
column gets the value Odoo itself would give it), reads that row back, and
``copy_rows`` writes as many variants of it as needed, each overriding only
the columns that differ. Nothing here is used outside the benchmark.
"""

import io
import json
from datetime import date, datetime
from decimal import Decimal

CHUNK = 50_000


def model_row(env, record):
    """The stored row of ``record`` as {column: value}, without its id."""
    env.flush_all()
    env.cr.execute(f'SELECT * FROM "{record._table}" WHERE id = %s', [record.id])  # noqa: S608
    names = [d.name for d in env.cr.description]
    row = dict(zip(names, env.cr.fetchone()))
    row.pop("id")
    return row


class _Discard(Exception):
    pass


def sample_rows(env, build):
    """Run ``build()`` (it creates model records through the ORM and returns
    them), read their rows, then roll the records back: only their column
    values are kept, as the base of ``copy_rows``."""
    rows = []
    try:
        with env.cr.savepoint():
            rows = [model_row(env, record) for record in build()]
            raise _Discard
    except _Discard:
        pass
    env.invalidate_all()
    return rows


def _text(value):
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, datetime | date | Decimal | int | float):
        value = str(value)
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


def next_ids(env, table, count):
    """Reserve ``count`` consecutive ids of ``table`` (its sequence moves on)."""
    env.cr.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [table, count],
    )
    return [row[0] for row in env.cr.fetchall()]


def copy_rows(env, table, base, rows, progress=None, label=None):
    """COPY one row per dict of ``rows`` into ``table``: ``base`` with the
    dict's columns replacing its own (an ``id`` column may be given).
    Return the number of rows written."""
    rows = iter(rows)
    written = 0
    columns = None
    while True:
        buffer = io.StringIO()
        count = 0
        for overrides in rows:
            values = {**base, **overrides}
            if columns is None:
                columns = list(values)
            buffer.write("\t".join(_text(values[c]) for c in columns) + "\n")
            count += 1
            if count == CHUNK:
                break
        if not count:
            break
        buffer.seek(0)
        names = ", ".join(f'"{c}"' for c in columns)
        env.cr._obj.copy_expert(f'COPY "{table}" ({names}) FROM STDIN', buffer)
        written += count
        if progress:
            progress(f"{label or table}: {written:,}")
    return written


def recompute(env, model_name, ids, fnames):
    """Compute stored computed fields that COPY left empty, in batches."""
    model = env[model_name].with_context(active_test=False)
    for start in range(0, len(ids), 5_000):
        records = model.browse(ids[start : start + 5_000])
        for fname in fnames:
            env.add_to_compute(model._fields[fname], records)
        env.flush_all()
        env.invalidate_all()
