"""Compile a data-quality rule into one SQL query over a whole candidate set.

Each rule type becomes a single ``SELECT id`` returning the records that break
the rule: domain-shaped rules go through the model's ``_search`` (so access
rules, ``active`` and translated columns behave as everywhere in Odoo), the
others add a parameterised ``odoo.tools.SQL`` condition. The cost of a scan is
therefore one query per rule and batch, whatever the number of records.
"""

from dataclasses import dataclass, field

from odoo.osv import expression
from odoo.tools import SQL, Query
from odoo.tools.sql import make_index_name

DOMAIN_TYPES = ("required", "domain")
SQL_TYPES = ("range", "regex", "duplicate", "reference")
RULE_TYPES = DOMAIN_TYPES + SQL_TYPES + ("method",)
# The types bad_condition reads on a record by itself.
CONDITION_TYPES = DOMAIN_TYPES + ("range", "regex", "reference")
# The attribute dq_reads sets on a module check method.
DQ_READS = "_neiqin_dq_reads"


@dataclass(frozen=True)
class RuleSpec:
    """What a rule checks, independent of how it is stored."""

    rule_type: str
    field_names: tuple = ()
    pattern: str = ""
    min_value: float | None = None
    max_value: float | None = None
    domain: list = field(default_factory=list)
    scope: list = field(default_factory=list)
    case_insensitive: bool = False


def dq_reads(*paths):
    """Declare the fields a module check method reads: field names of the
    checked record, or paths through many-to-one links (``"partner_id.city"``).

    An incremental scan then checks again only the records written since
    the last scan or whose linked records were, as for a condition. A check
    that declares nothing, or reads other records in other ways (lines,
    stock, other orders), has every record with an open issue checked again.
    An override must repeat the declaration."""

    def decorate(method):
        setattr(method, DQ_READS, tuple(paths))
        return method

    return decorate


def _empty(fname):
    return [(fname, "=", False)]


def _required_domain(spec, model):
    return expression.OR([_empty(f) for f in spec.field_names])


def _domain_domain(spec, model):
    return list(spec.domain)


DOMAIN_BUILDERS = {
    "required": _required_domain,
    "domain": _domain_domain,
}


def candidate_domain(spec, candidate_ids):
    """The domain of ``spec``'s scope, limited to ``candidate_ids`` (None:
    the whole scope; an SQL array: see :func:`few_ids`)."""
    domain = list(spec.scope)
    if isinstance(candidate_ids, SQL):
        domain = expression.AND([domain, [("id", "=", SQL("ANY(%s)", candidate_ids))]])
    elif candidate_ids is not None:
        domain = expression.AND([domain, [("id", "in", list(candidate_ids))]])
    return domain


def few_ids(ids):
    """Candidate ids for :func:`bad_ids_query`, as an array PostgreSQL sees
    only when it runs the query: the check is planned for a few records and
    looks each one up, with its linked records, through their indexes.
    Given the ids themselves, PostgreSQL plans for their number and may
    hash whole linked tables, which pays off for large batches only."""
    return SQL("(SELECT %s::int[])::int[]", sorted(ids))


def bad_ids_query(model, spec, candidate_ids=None):
    """Return an SQL ``SELECT`` of the ids breaking ``spec``.

    ``candidate_ids`` limits the check to those records (None: the whole
    scope; see also :func:`few_ids`). For duplicate keys, every member of a
    duplicate group that contains a candidate is returned, so that both
    sides of a new duplicate are flagged even when only one of them changed,
    with the text of its key as a second column.
    """
    model = model.with_context(active_test=False)
    if spec.rule_type == "duplicate":
        return _duplicate_query(model, spec, candidate_ids)
    query = _bad_query(model, spec, candidate_ids)
    return query.select(SQL.identifier(query.table, "id"))


def _bad_query(model, spec, candidate_ids=None):
    """The query of the records breaking ``spec``, any type but duplicate keys."""
    if spec.rule_type in DOMAIN_BUILDERS:
        return model._search(
            expression.AND(
                [
                    candidate_domain(spec, candidate_ids),
                    DOMAIN_BUILDERS[spec.rule_type](spec, model),
                ]
            )
        )
    if spec.rule_type == "regex":
        query = model._search(candidate_domain(spec, candidate_ids))
        column = model._field_to_sql(query.table, spec.field_names[0], query)
        text = SQL("(%s)::text", column)
        query.add_where(
            SQL(
                "%s IS NOT NULL AND %s <> '' AND %s !~ %s",
                text,
                text,
                text,
                spec.pattern,
            )
        )
        return query
    if spec.rule_type == "range":
        query = model._search(candidate_domain(spec, candidate_ids))
        query.add_where(_out_of_range(model, spec, query))
        return query
    if spec.rule_type == "reference":
        return _reference_query(model, spec, candidate_ids)
    raise ValueError(f"rule type {spec.rule_type!r} does not compile to SQL")


def _out_of_range(model, spec, query):
    """The condition of a value outside ``spec``'s bounds, compared with the
    bounds as typed (a domain rounds them to the field's digits: a minimum
    of 0.001 on a weight of 2 digits would become 0.00, and let a weight of
    0 through). An empty number reads as 0, as Odoo shows it."""
    value = SQL("COALESCE(%s, 0)", model._field_to_sql(query.table, spec.field_names[0], query))
    parts = []
    if spec.min_value is not None:
        parts.append(SQL("%s < %s", value, spec.min_value))
    if spec.max_value is not None:
        parts.append(SQL("%s > %s", value, spec.max_value))
    return SQL("(%s)", SQL(" OR ").join(parts)) if parts else SQL("FALSE")


def _condition_on(query, other):
    """The WHERE condition of ``other``, a query of the same table as
    ``query``, to be read on ``query``'s rows: the joins it needs are added
    to ``query`` (a many-to-one join keeps one row per record, and a path
    gets the same alias in both)."""
    for alias, join in other._joins.items():
        if query._joins.setdefault(alias, join) != join:
            raise ValueError(f"conflicting joins for alias {alias!r}")
    return other.where_clause if other._where_clauses else SQL("TRUE")


def bad_condition(model, spec, query):
    """An SQL condition true on the rows of ``query`` (a query of ``model``'s
    table) that break ``spec``, scope included; not for duplicate keys.

    Several rules read this way share one pass over their records: each
    record is looked up once, with its linked records, for all of them."""
    model = model.with_context(active_test=False)
    if spec.rule_type == "reference":
        return _reference_condition(model, spec, query)
    return SQL("(%s) IS TRUE", _condition_on(query, _bad_query(model, spec)))


def _reference_condition(model, spec, query):
    """The reference check on a shared pass: the linked record is joined,
    as a many-to-one path of a condition joins it (one join for every rule
    reading the same link), and the target condition read on it. (A
    ``NOT EXISTS`` per record would look each target up again, with the
    joins of its condition.)"""
    fname = spec.field_names[0]
    comodel = model.env[model._fields[fname].comodel_name].with_context(active_test=False)
    column = model._field_to_sql(query.table, fname, query)
    alias = query.make_alias(query.table, fname)
    query.add_join(
        "LEFT JOIN", alias, comodel._table, SQL("%s = %s", column, SQL.identifier(alias, "id"))
    )
    target = list(spec.domain)
    if "active" in comodel._fields:
        target = expression.AND([[("active", "=", True)], target])
    matches = Query(model.env, alias, SQL.identifier(comodel._table))
    if target:
        expression.expression(target, comodel, alias=alias, query=matches)
    return SQL(
        "%s AND NOT COALESCE(%s IS NOT NULL AND (%s), FALSE)",
        scope_condition(model, spec, query),
        column,
        _condition_on(query, matches),
    )


def scope_condition(model, spec, query):
    """An SQL condition true on the rows of ``query`` in ``spec``'s scope."""
    model = model.with_context(active_test=False)
    return SQL("(%s) IS TRUE", _condition_on(query, model._search(list(spec.scope))))


def duplicate_group(model, spec, query):
    """Two SQL columns on the rows of ``query`` (a query of ``model``'s
    table): the ids of the row's duplicate group, itself included, when the
    row is in ``spec``'s scope and shares its key with another record in
    scope (else NULL); and the text of the row's key.

    Each row's group is looked up through the key's index, in the pass that
    reads the other rules."""
    model = model.with_context(active_test=False)
    keys = _duplicate_keys(model, spec, query)
    alias = "neiqin_group"
    group = Query(model.env, alias, model._table_sql)
    expression.expression(list(spec.scope) or [expression.TRUE_LEAF], model, alias, group)
    group.add_where(
        SQL(" AND ").join(
            SQL("%s = %s", other, key)
            for other, key in zip(_duplicate_keys(model, spec, group), keys)
        )
    )
    complete = [scope_condition(model, spec, query)]
    for fname, key in zip(spec.field_names, keys):
        complete.append(SQL("%s IS NOT NULL", key))
        if model._fields[fname].type in ("char", "text", "html"):
            complete.append(SQL("(%s)::text <> ''", key))
    members = SQL(
        "CASE WHEN %s THEN (%s HAVING count(*) > 1) END",
        SQL(" AND ").join(complete),
        group.select(SQL("array_agg(%s)", SQL.identifier(alias, "id"))),
    )
    return [members, _key_text(keys)]


def _duplicate_keys(model, spec, query):
    keys = []
    for fname in spec.field_names:
        column = model._field_to_sql(query.table, fname, query)
        if spec.case_insensitive and model._fields[fname].type in ("char", "text", "html"):
            column = SQL("lower(btrim((%s)::text))", column)
        keys.append(column)
    return keys


def _duplicate_query(model, spec, candidate_ids):
    query = model._search(list(spec.scope))
    keys = _duplicate_keys(model, spec, query)
    for fname, column in zip(spec.field_names, keys):
        query.add_where(SQL("%s IS NOT NULL", column))
        if model._fields[fname].type in ("char", "text", "html"):
            query.add_where(SQL("(%s)::text <> ''", column))
    if candidate_ids is not None:
        # Only the groups of the candidates' keys, each looked up on its own
        # through the key's index (an aggregate keeps PostgreSQL from
        # turning the look-ups into a join of the whole table): the cost
        # follows the number of keys checked, not the size of the table.
        wanted = model._search(candidate_domain(spec, candidate_ids))
        names = [SQL.identifier(f"k{index}") for index in range(len(keys))]
        query.add_where(
            SQL(" AND ").join(SQL("%s = k.%s", key, name) for key, name in zip(keys, names))
        )
        return SQL(
            """SELECT unnest(g.ids) AS id, %s AS key
                 FROM (SELECT DISTINCT * FROM (%s) AS c) AS k
                 CROSS JOIN LATERAL (%s) AS g
                WHERE g.members > 1""",
            _key_text([SQL("k.%s", name) for name in names]),
            wanted.select(
                SQL(", ").join(
                    SQL("%s AS %s", key, name)
                    for key, name in zip(_duplicate_keys(model, spec, wanted), names)
                )
            ),
            query.select(
                SQL(
                    "array_agg(%s) AS ids, count(*) AS members",
                    SQL.identifier(query.table, "id"),
                )
            ),
        )
    groups = SQL(
        "%s GROUP BY %s HAVING count(*) > 1",
        query.select(
            SQL(
                "array_agg(%s) AS ids, %s AS key",
                SQL.identifier(query.table, "id"),
                _key_text(keys),
            )
        ),
        SQL(", ").join(keys),
    )
    return SQL("SELECT unnest(g.ids) AS id, g.key FROM (%s) AS g", groups)


def _key_text(keys):
    """The text of a duplicate key, as issues keep it: a rescan finds the
    other members of a group a record left by it."""
    return SQL("concat_ws(' / ', %s)", SQL(", ").join(SQL("(%s)::text", key) for key in keys))


def _reference_query(model, spec, candidate_ids):
    """Records whose link is empty, archived, or points to a record that
    does not meet the rule's target condition.

    The target test is an anti-join (``NOT EXISTS``) rather than a
    ``NOT IN`` list of the good targets, so that checking a few candidates
    reads only their own targets."""
    fname = spec.field_names[0]
    comodel = model.env[model._fields[fname].comodel_name].with_context(active_test=False)
    query = model._search(candidate_domain(spec, candidate_ids))
    column = model._field_to_sql(query.table, fname, query)
    target = list(spec.domain)
    if "active" in comodel._fields:
        target = expression.AND([[("active", "=", True)], target])
    if not target:
        query.add_where(SQL("%s IS NULL", column))
        return query
    good = comodel._search(target)
    # An empty link matches no target either. Without an OR, PostgreSQL
    # plans an anti-join instead of hashing every good target.
    query.add_where(
        SQL(
            "NOT EXISTS (SELECT 1 FROM (%s) AS target WHERE target.id = %s)",
            good.select(SQL.identifier(good.table, "id")),
            column,
        )
    )
    return query


def duplicate_index(model, spec):
    """The index on ``spec``'s duplicate key, as (name, method, expressions),
    or None when the key cannot be indexed (a translated or non-column
    field).

    A key of one field gets a hash index: a rescan looks each changed
    record's group up by equality, and a hash look-up reads fewer pages
    than a B-tree descent. Hash indexes have one column: a key of several
    fields gets a B-tree."""
    expressions = []
    for fname in spec.field_names:
        field = model._fields[fname]
        if not field.store or field.translate or not field.column_type:
            return None
        column = f'"{fname}"'
        if spec.case_insensitive and field.type in ("char", "text", "html"):
            column = f"lower(btrim(({column})::text))"
        expressions.append(column)
    if not expressions:
        return None
    method = "hash" if len(expressions) == 1 else "btree"
    suffix = "_".join(spec.field_names)
    if spec.case_insensitive:
        suffix += "_ci"
    if method == "hash":
        suffix += "_hash"
    return make_index_name(model._table, f"neiqin_dq_{suffix}"), method, expressions
