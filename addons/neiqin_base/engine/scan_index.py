"""The indexes data-quality scans read through: which exist, and the
statements that build and drop them.

Every index the engine builds is tagged with a comment (TAG), and the
engine drops only indexes carrying it: an index made by hand, or by
another module, is never dropped, whatever its name.

``CREATE INDEX`` blocks the writes on its table while it builds (minutes on
a large table); ``CONCURRENTLY`` does not, but cannot run in a transaction
block and waits for every transaction of the database holding a snapshot
older than the build (see NeiqinDqRule._maintain_scan_indexes).

:func:`index_specs` says which indexes rules need, :func:`apply_plan` builds
and drops them, :func:`maintain_in_background` does it without blocking
writes, in a thread of its own.
"""

import logging
import threading
from dataclasses import dataclass
from datetime import timedelta

from psycopg2 import Error

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, sql

from .reads import linked_paths
from .rule_sql import duplicate_index

_logger = logging.getLogger(__name__)

TAG = "neiqin_base data-quality scan"
# The scheduled action building and dropping them.
INDEX_CRON = "neiqin_base.ir_cron_neiqin_dq_scan_indexes"
# The index a concurrent build of the engine is making: if the build stops
# before it is tagged (its worker gone), the next run knows it is the
# engine's.
INDEX_BUILDING = "neiqin_base.dq_scan_index_building"
# The session lock of a concurrent maintenance: one at a time.
INDEX_LOCK = 7013557212001


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


# ---------------------------------------------------------------- rules' indexes
def index_specs(rules):
    """{name: ScanIndex} of the indexes the scans of ``rules`` read through:
    on ``write_date`` of each scanned model's table and of the tables of
    the records its rules read through links, and on each link column, so
    that an incremental scan reads the records changed since the last one,
    and those linked to them, instead of the whole tables; on each
    duplicate key, so that rechecking a few records reads only their
    groups."""
    env = rules.env
    specs = {}
    model_names = set(rules.mapped("model_name"))
    link_columns = set()  # (model, many2one field) a rescan follows backwards
    for rule in rules.filtered(lambda r: r.model_name in env):
        try:
            # Linked records too: a rescan looks for those written since,
            # then for the records linking to them.
            links = linked_paths(rule) or {}
            specs.update(_duplicate_spec(rule))
        except (UserError, ValidationError, ValueError):
            # A rule its scan would refuse: the others get their indexes.
            _logger.warning("Data-quality rule %s (%s) cannot be read", rule.name, rule.id)
            continue
        model_names.update(links.values())
        for path in links:
            owner, __, name = path.rpartition(".")
            link_columns.add((links[owner] if owner else rule.model_name, name))
    for model_name in model_names:
        model = env.get(model_name)
        if model is None or not model._auto or not model._log_access:
            continue
        name = sql.make_index_name(model._table, "neiqin_write_date")
        specs[name] = ScanIndex(model._table, ('"write_date"',))
    for model_name, name in sorted(link_columns):
        model = env[model_name]
        field = model._fields[name]
        if not model._auto or field.index or not field.column_type:
            continue
        index_name = sql.make_index_name(model._table, f"neiqin_{name}")
        specs[index_name] = ScanIndex(model._table, (f'"{name}"',))
    return specs


def _duplicate_spec(rule):
    """{name: ScanIndex} of the index of a duplicate key rule, if any."""
    if rule.rule_type != "duplicate" or not rule.field_ids:
        return {}
    model = rule.env[rule.model_name]
    index = duplicate_index(model, rule._spec())
    if not index or not model._auto:
        return {}
    name, method, expressions = index
    return {name: ScanIndex(model._table, tuple(expressions), method)}


def ensure(rules):
    """Build now, in the current transaction, the indexes ``rules`` need and
    lack, tagged as the engine's: while modules are installed or upgraded
    (and in tests). ``CREATE INDEX`` blocks the writes on its table while
    it builds; elsewhere the scheduled action builds them."""
    specs = index_specs(rules)
    found = found_indexes(rules.env.cr, specs)
    # Only these rules' indexes: the others' are the scheduled action's.
    found = {name: there for name, there in found.items() if name in specs}
    apply_plan(rules.env, specs, found, concurrently=False)


def apply_plan(env, specs, found, concurrently):
    """Build the indexes of ``specs`` ({name: ScanIndex}) missing from
    ``found`` (:func:`found_indexes`) and drop the tagged ones not in
    ``specs``, on ``env``'s cursor (in autocommit mode when
    ``concurrently``)."""
    drop, build = plan(specs, found)
    for name in drop:
        if run_ddl(env, drop_sql(name, concurrently), concurrently):
            _logger.info("Data-quality scan index %s dropped", name)
    for name in build:
        if concurrently:
            note_building(env, name)
        if run_ddl(env, create_sql(name, specs[name], concurrently), concurrently):
            env.cr.execute(tag_sql(name))
            _logger.info("Data-quality scan index %s built", name)
        elif concurrently:
            # A failed concurrent build leaves an invalid index behind.
            run_ddl(env, drop_sql(name, concurrently), concurrently)
    if concurrently and build:
        note_building(env, False)


def run_ddl(env, statement, concurrently):
    """Run ``statement``; return whether it succeeded. In a transaction, an
    error is raised; in autocommit mode, logged, and the maintenance goes
    on with the other indexes (it is tried again at the next run)."""
    try:
        env.cr.execute(statement, log_exceptions=not concurrently)
    except Error:
        if not concurrently:
            raise
        _logger.exception("Data-quality scan indexes: %s failed", statement.code)
        return False
    return True


def note_building(env, name):
    """Remember (committed at once, in autocommit mode) the index a
    concurrent build is making, or that none is (``False``)."""
    # The engine's own bookkeeping, whoever triggered the maintenance.
    env["ir.config_parameter"].sudo().set_param(INDEX_BUILDING, name)
    env.flush_all()


def found_with_stopped_build(env, specs):
    """The indexes found under the names of ``specs`` or tagged
    (:func:`found_indexes`), once the index a concurrent build of the
    engine made but did not tag, its worker gone in between, is tagged
    (PostgreSQL finishes a build whose client has left)."""
    # The engine's own bookkeeping, whoever triggered the maintenance.
    param = env["ir.config_parameter"].sudo().search([("key", "=", INDEX_BUILDING)])
    stopped = param.value
    found = found_indexes(env.cr, [*specs, *([stopped] if stopped else [])])
    there = found.get(stopped)
    if there and there.is_index and not there.tagged:
        env.cr.execute(tag_sql(stopped))
        found[stopped] = FoundIndex(there.table, True, there.valid, True)
    if param:
        note_building(env, False)
    return found


def maintain_in_background(registry):
    """The concurrent maintenance of the scan indexes (see
    NeiqinDqRule._maintain_scan_indexes), on connections of its own: one
    reads the rules, then ends its transaction, so that the builds do not
    wait for it; the other, in autocommit mode, holds the session lock
    that keeps two maintenances from running together, and builds."""
    threading.current_thread().dbname = registry.db_name
    try:
        with registry.cursor() as cr:
            cr.connection.autocommit = True
            try:
                _maintain_locked(registry, cr)
            finally:
                cr.connection.autocommit = False
    except Exception:
        _logger.exception("Data-quality scan indexes: the maintenance failed")


def _maintain_locked(registry, cr):
    """Build and drop under the session lock, or, when another maintenance
    holds it, run again in a few minutes."""
    cr.execute(SQL("SELECT pg_try_advisory_lock(%s)", INDEX_LOCK))
    if not cr.fetchone()[0]:
        _logger.info("Data-quality scan indexes: another maintenance runs")
        env = api.Environment(cr, SUPERUSER_ID, {})
        env.ref(INDEX_CRON)._trigger(fields.Datetime.now() + timedelta(minutes=5))
        env.flush_all()
        return
    try:
        with registry.cursor() as read_cr:
            rules = api.Environment(read_cr, SUPERUSER_ID, {})["neiqin.dq.rule"]
            specs = index_specs(rules._rules_needing_indexes())
        env = api.Environment(cr, SUPERUSER_ID, {})
        apply_plan(env, specs, found_with_stopped_build(env, specs), concurrently=True)
    finally:
        cr.execute(SQL("SELECT pg_advisory_unlock(%s)", INDEX_LOCK))
