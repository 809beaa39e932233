"""Compile a data-quality rule into one SQL query over a whole candidate set.

Each rule type becomes a single ``SELECT id`` returning the records that break
the rule: domain-shaped rules go through the model's ``_search`` (so access
rules, ``active`` and translated columns behave as everywhere in Odoo), the
others add a parameterised ``odoo.tools.SQL`` condition. The cost of a scan is
therefore one query per rule and batch, whatever the number of records.
"""

from dataclasses import dataclass, field

from odoo.osv import expression
from odoo.tools import SQL

DOMAIN_TYPES = ("required", "range", "domain", "reference")
SQL_TYPES = ("regex", "duplicate")
RULE_TYPES = DOMAIN_TYPES + SQL_TYPES + ("method",)


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


def _empty(fname):
    return [(fname, "=", False)]


def _required_domain(spec, model):
    return expression.OR([_empty(f) for f in spec.field_names])


def _range_domain(spec, model):
    fname = spec.field_names[0]
    parts = []
    if spec.min_value is not None:
        parts.append([(fname, "<", spec.min_value)])
    if spec.max_value is not None:
        parts.append([(fname, ">", spec.max_value)])
    return expression.OR(parts) if parts else expression.FALSE_DOMAIN


def _domain_domain(spec, model):
    return list(spec.domain)


def _reference_domain(spec, model):
    fname = spec.field_names[0]
    comodel = model.env[model._fields[fname].comodel_name]
    broken = _empty(fname)
    if "active" in comodel._fields:
        broken = expression.OR([broken, [(f"{fname}.active", "=", False)]])
    if spec.domain:
        # The target exists but does not meet the rule's target condition.
        target_ok = comodel.with_context(active_test=False)._search(spec.domain)
        broken = expression.OR([broken, [(fname, "not in", target_ok)]])
    return broken


DOMAIN_BUILDERS = {
    "required": _required_domain,
    "range": _range_domain,
    "domain": _domain_domain,
    "reference": _reference_domain,
}


def _scope(model, spec, candidate_ids):
    domain = list(spec.scope)
    if candidate_ids is not None:
        domain = expression.AND([domain, [("id", "in", list(candidate_ids))]])
    return domain


def bad_ids_query(model, spec, candidate_ids=None):
    """Return an SQL ``SELECT`` of the ids breaking ``spec``.

    ``candidate_ids`` limits the check to those records (None: the whole
    scope). For duplicate keys, every member of a duplicate group that
    contains a candidate is returned, so that both sides of a new duplicate
    are flagged even when only one of them changed.
    """
    model = model.with_context(active_test=False)
    if spec.rule_type in DOMAIN_BUILDERS:
        domain = expression.AND(
            [_scope(model, spec, candidate_ids), DOMAIN_BUILDERS[spec.rule_type](spec, model)]
        )
        query = model._search(domain)
        return query.select(SQL.identifier(query.table, "id"))
    if spec.rule_type == "regex":
        query = model._search(_scope(model, spec, candidate_ids))
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
        return query.select(SQL.identifier(query.table, "id"))
    if spec.rule_type == "duplicate":
        return _duplicate_query(model, spec, candidate_ids)
    raise ValueError(f"rule type {spec.rule_type!r} does not compile to SQL")


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
        # Only the groups of the candidates' keys, found through their ids:
        # the whole table is not grouped.
        wanted = model._search(_scope(model, spec, candidate_ids))
        query.add_where(
            SQL(
                "(%s) IN (%s)",
                SQL(", ").join(keys),
                wanted.select(SQL(", ").join(_duplicate_keys(model, spec, wanted))),
            )
        )
    groups = SQL(
        "%s GROUP BY %s HAVING count(*) > 1",
        query.select(SQL("array_agg(%s) AS ids", SQL.identifier(query.table, "id"))),
        SQL(", ").join(keys),
    )
    return SQL("SELECT unnest(g.ids) AS id FROM (%s) AS g", groups)
