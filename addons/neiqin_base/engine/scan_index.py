"""The indexes data-quality scans read through: which exist, and the
statements that build and drop them.

Every index the engine builds is tagged with a comment (TAG), and the
engine drops only indexes carrying it: an index made by hand, or by
another module, is never dropped, whatever its name.

``CREATE INDEX`` blocks the writes on its table while it builds (minutes on
a large table); ``CONCURRENTLY`` does not, but cannot run in a transaction
block and waits for every transaction of the database holding a snapshot
older than the build (see NeiqinDqRule._maintain_scan_indexes).
"""

import logging
from dataclasses import dataclass

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

TAG = "neiqin_base data-quality scan"


@dataclass(frozen=True)
class ScanIndex:
    """An index a scan needs: its table, its expressions (SQL text made by
    the engine from field names) and its method."""

    table: str
    expressions: tuple
    method: str = "btree"


@dataclass(frozen=True)
class FoundIndex:
    """What the database has under an index's name."""

    table: str
    is_index: bool  # the name may be taken by a table or a sequence
    valid: bool  # False: a concurrent build failed or was stopped half-way
    tagged: bool  # built by this engine


def found_indexes(cr, names):
    """{name: FoundIndex} of the relations of the current schema named in
    ``names``, and of every index the engine tagged."""
    cr.execute(
        SQL(
            """SELECT c.relname, t.relname, c.relkind IN ('i', 'I'),
                      coalesce(i.indisvalid, FALSE), d.description IS NOT NULL
                 FROM pg_class c
                 LEFT JOIN pg_index i ON i.indexrelid = c.oid
                 LEFT JOIN pg_class t ON t.oid = i.indrelid
                 LEFT JOIN pg_description d
                        ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass
                       AND d.objsubid = 0 AND d.description = %(tag)s
                WHERE c.relnamespace = current_schema()::regnamespace
                  AND (c.relname = ANY(%(names)s) OR d.description IS NOT NULL)""",
            tag=TAG,
            names=sorted(names),
        )
    )
    return {row[0]: FoundIndex(*row[1:]) for row in cr.fetchall()}


def create_sql(name, index, concurrently):
    return SQL(
        "CREATE INDEX %s %s ON %s USING %s (%s)",
        SQL("CONCURRENTLY") if concurrently else SQL(),
        SQL.identifier(name),
        SQL.identifier(index.table),
        SQL(index.method),
        SQL(", ").join(SQL(expression) for expression in index.expressions),
    )


def tag_sql(name):
    return SQL("COMMENT ON INDEX %s IS %s", SQL.identifier(name), TAG)


def drop_sql(name, concurrently):
    return SQL(
        "DROP INDEX %s IF EXISTS %s",
        SQL("CONCURRENTLY") if concurrently else SQL(),
        SQL.identifier(name),
    )


def plan(wanted, found):
    """What to do to have the indexes ``wanted`` ({name: ScanIndex}) and no
    other tagged one, given those ``found`` (:func:`found_indexes`):
    (names to drop, names to build).

    An index a concurrent build left invalid under a wanted name is dropped
    and built again: it is used by no query, and a build of the engine
    (the names are the engine's) that failed or was stopped left it. A
    valid index under a wanted name serves the scans whoever made it; a
    name taken by another table's index, a table or a sequence is left
    alone (and logged)."""
    drop, build = [], []
    for name, index in sorted(wanted.items()):
        there = found.get(name)
        if there is None:
            build.append(name)
        elif not there.is_index or there.table != index.table:
            _logger.warning("Data-quality scan index %s: the name is taken, not built", name)
        elif not there.valid:
            drop.append(name)
            build.append(name)
    drop += sorted(name for name, there in found.items() if there.tagged and name not in wanted)
    return drop, build
