"""The rescan of the rules of one model: what changed since their last scan,
checked in one statement.

:func:`build_rescan_plan` compiles the rules into one statement selecting
the records written since a time given at each scan, or whose linked
records were, with a column per scope, per rule read as a condition, two
per duplicate key, and the issues of each record (:class:`RescanPlan`,
plain data kept while the rules are not edited). :func:`recheck_changes`
runs it, and checks what it cannot tell by itself: the groups the changed
records left, module checks, open issues to look at again.
"""

from dataclasses import dataclass

from odoo.osv import expression
from odoo.tools import SQL

from . import filing
from .reads import linked_paths, method_reads
from .rule_sql import CONDITION_TYPES, bad_condition, duplicate_group, scope_condition


class _Since:
    """Stands, in a compiled rescan's parameters, for the time the rescan
    looks back to; given at each scan (PostgreSQL cannot adapt it: a
    statement run without it fails instead of reading everything)."""

    __slots__ = ()

    def __repr__(self):
        return "<since>"


SINCE = _Since()
# The columns of an issue in a rescan's rows, after the plan's ``issues``.
ISSUE_COLUMNS = ("rule_id", "id", "state", "duplicate_key")


@dataclass(frozen=True)
class RescanPlan:
    """A compiled rescan (:func:`build_rescan_plan`): the statement, where
    the look-back time goes in its parameters, and where each rule's
    answer is in its rows (columns counted from the id, at 0)."""

    code: str
    params: tuple
    since_at: tuple  # indexes of SINCE in params
    scopes: tuple  # the scope columns
    scope_of: dict  # {rule id: its scope column}
    conditions: tuple  # (rule id, column true when the record breaks it)
    duplicates: tuple  # (rule id, column of the group's ids; the key follows)
    issues: int  # first of the 4 columns of an issue of the record (rule, id, state, key)
    prefetch: tuple  # (field name, column) of what module checks read
    every_open: tuple  # rules rechecking every open issue
    methods: tuple  # module checks declaring what they read


# ---------------------------------------------------------------- the plan
def build_rescan_plan(rules):
    """Compile the rescan statement of ``rules`` (of one model): one row per
    record changed since a time given at each scan, with a column per
    scope, per rule read as a condition, two per duplicate key (the
    record's group, its key), the record's issues of these rules, and the
    fields of the record that module checks declare they read. Plain data:
    it outlives the transaction."""
    model = rules.env[rules[:1].model_name]
    specs = rules._specs()
    links, every_open = {}, []
    for rule in rules:
        rule_links = linked_paths(rule, specs[rule])
        if rule_links is None:
            every_open.append(rule.id)
        links.update(rule_links or {})
    query = model._search(changes_domain(model, links, SQL("%s", SINCE)))
    # A row is the record's id, then the columns (row[n] is columns[n - 1]).
    columns = []
    scopes, scope_of = _scope_columns(rules, model, specs, query, columns)
    conditions = []
    for rule in rules.filtered(lambda r: r.rule_type in CONDITION_TYPES):
        columns.append(bad_condition(model, specs[rule], query))
        conditions.append((rule.id, len(columns)))
    duplicates = []
    for rule in rules.filtered(lambda r: r.rule_type == "duplicate"):
        duplicates.append((rule.id, len(columns) + 1))
        columns += duplicate_group(model, specs[rule], query)
    issues = _join_issues(query, columns)
    methods = rules.filtered(lambda r: r.rule_type == "method" and r.id not in every_open)
    prefetch = _prefetch_columns(methods, model, query, columns)
    statement = query.select(SQL.identifier(query.table, "id"), *columns)
    return RescanPlan(
        code=statement.code,
        params=tuple(statement.params),
        since_at=tuple(i for i, param in enumerate(statement.params) if param is SINCE),
        scopes=tuple(scopes.values()),
        scope_of=scope_of,
        conditions=tuple(conditions),
        duplicates=tuple(duplicates),
        issues=issues,
        prefetch=tuple(prefetch),
        every_open=tuple(every_open),
        methods=tuple(methods.ids),
    )


def _scope_columns(rules, model, specs, query, columns):
    """Add a column per scope of ``rules`` to ``columns``; return ({scope:
    its column}, {rule id: its scope's column})."""
    scopes, scope_of = {}, {}
    for rule in rules:
        key = repr(specs[rule].scope)
        if key not in scopes:  # one column per scope
            columns.append(scope_condition(model, specs[rule], query))
            scopes[key] = len(columns)
        scope_of[rule.id] = scopes[key]
    return scopes, scope_of


def _join_issues(query, columns):
    """Join the issues of each record, in scope or not (a record leaving the
    scope closes its issue), looked up by record: a row per issue, those of
    other rules left out when read. (A join: a subquery per record costs
    twice as much. Joined on the record only: given the rules too,
    PostgreSQL may read all their issues for each record.) Return the
    first of their columns."""
    query.add_join(
        "LEFT JOIN",
        "neiqin_issue",
        "neiqin_dq_issue",
        SQL(
            "%s = %s",
            SQL.identifier("neiqin_issue", "res_id"),
            SQL.identifier(query.table, "id"),
        ),
    )
    first = len(columns) + 1
    columns += [SQL.identifier("neiqin_issue", name) for name in ISSUE_COLUMNS]
    return first


def _prefetch_columns(methods, model, query, columns):
    """Add the stored fields the module checks ``methods`` declare they read
    to ``columns``; return [(field name, its column)]."""
    prefetch = []
    for name in sorted({name for rule in methods for name in method_reads(rule)}):
        field = model._fields.get(name)
        if field is not None and field.store and field.column_type:
            columns.append(model._field_to_sql(query.table, name, query, flush=False))
            prefetch.append((name, len(columns)))
    return prefetch


def changes_domain(model, links, since):
    """The domain of the records of ``model`` written since ``since``, or
    whose records linked through ``links`` ({path: model}, as
    engine/reads.py's ``linked_paths`` gives them) were.

    The records written since are read through the write_date index, each
    of their pages once. Those reached through links are selected by a
    union of one select per link, from the innermost outwards, each
    answered by the write_date index of the linked table and the index of
    the link column (an OR of the conditions, or a join, would read the
    whole tables); their ids are given as an InitPlan array, so that the
    checks are planned for a few records, each looked up with its linked
    records (see rule_sql.few_ids)."""
    tree = {}
    for path in links:
        node = tree
        for name in path.split("."):
            node = node.setdefault(name, {})
    domain = [("write_date", ">=", since)]
    linked = [
        model._search([(name, "in", SQL("(%s)", changed_ids(model, name, subtree, since)))])
        for name, subtree in sorted(tree.items())
    ]
    if linked:
        ids = SQL(" UNION ALL ").join(
            query.select(SQL.identifier(query.table, "id")) for query in linked
        )
        domain = expression.OR([domain, [("id", "=", SQL("ANY(ARRAY(%s))", ids))]])
    return domain


def changed_ids(model, name, tree, since):
    """SQL selecting the ids of the records ``model.name`` links to that
    were written since ``since``, or whose own links in ``tree`` were."""
    model = model.env[model._fields[name].comodel_name].with_context(active_test=False)
    queries = [model._search([("write_date", ">=", since)])]
    for inner, subtree in sorted(tree.items()):
        ids = changed_ids(model, inner, subtree, since)
        queries.append(model._search([(inner, "in", SQL("(%s)", ids))]))
    return SQL(" UNION ALL ").join(
        query.select(SQL.identifier(query.table, "id")) for query in queries
    )


# ---------------------------------------------------------------- the rescan
def recheck_changes(rules, model, plan, since):
    """Check the records of ``model`` changed since ``since`` against
    ``rules`` (its rules, compiled into ``plan``), and the open issues to
    recheck; return (checked, bad, known) as the issue filer takes them
    (engine/filing.py).

    The cost follows the number of changes. One statement finds the
    records written since, or whose linked records were (answered by
    write_date and link indexes), and checks them against every rule that
    compiles to a condition, each record looked up once with its linked
    records. Their issues are read by record. Duplicate keys check the
    groups of the changed records, those they joined and those they left
    (found by the key the issues keep). Module checks that do not declare
    what they read also check every open issue again."""
    rows, known = run_plan(rules, plan, since)
    touched = {row[0] for row in rows}
    prefetch(model, plan, rows)
    in_scope = {column: {row[0] for row in rows if row[column]} for column in plan.scopes}
    in_scope = {rule: in_scope[plan.scope_of[rule.id]] for rule in rules}
    bad = bad_of_rows(rules, plan, rows)
    dups = rules.browse([rule_id for rule_id, __ in plan.duplicates])
    _add_open_issues(rules, plan, dups, bad, known)
    checked = {
        rule: in_scope[rule]
        | {res_id for res_id, (__, state, __) in known[rule.id].items() if state == "open"}
        for rule in rules
    }
    for rule in rules.browse(plan.methods):
        # A module check declaring what it reads: the changed records in
        # its scope are all it checks.
        records = model.browse(sorted(in_scope[rule]))
        bad[rule] = dict.fromkeys(rule._run_method(records) if records else ())
    # The records of the other open issues, by the rules' own checks.
    others = {rule: checked[rule] - touched for rule in dups}
    others.update((rule, checked[rule]) for rule in rules.browse(plan.every_open))
    others = {rule: ids for rule, ids in others.items() if ids}
    if others:
        rechecked = rules.browse([rule.id for rule in others])
        for rule, found in rechecked._find_bad(others, few=True).items():
            bad[rule] = {**found, **bad[rule]} if rule in dups else found
    for rule in rules:
        bad.setdefault(rule, {})
    _add_issues_of_other_members(rules, checked, bad, known)
    return checked, bad, known


def run_plan(rules, plan, since):
    """Run ``plan`` for the changes since ``since``; return (a row per
    changed record, {rule id: {res_id: (issue id, state, key)}} of the
    latest issue of each record)."""
    rules.env.flush_all()  # the linked records' write dates too
    params = list(plan.params)
    for index in plan.since_at:
        params[index] = since
    rules.env.cr.execute(plan.code, params)
    rows, known = {}, {rule_id: {} for rule_id in rules.ids}
    for row in rules.env.cr.fetchall():
        # A row per issue of the record (or one, without issues).
        rows.setdefault(row[0], row)
        rule_id, issue_id, state, key = row[plan.issues : plan.issues + len(ISSUE_COLUMNS)]
        if rule_id in known:
            latest = known[rule_id].get(row[0])
            if latest is None or latest[0] < issue_id:
                known[rule_id][row[0]] = (issue_id, state, key)
    return list(rows.values()), known


def prefetch(model, plan, rows):
    """Put the fields module checks declare they read in the cache, from
    ``rows``, as the ORM does: the checks do not read the records again."""
    if not plan.prefetch or not rows:
        return
    records = model.browse([row[0] for row in rows])
    for name, column in plan.prefetch:
        model.env.cache.insert_missing(records, model._fields[name], [row[column] for row in rows])


def bad_of_rows(rules, plan, rows):
    """{rule: {id breaking it: its duplicate key or None}} as the rows of
    ``plan`` tell it, for the rules read as conditions and duplicate keys."""
    by_id = {rule.id: rule for rule in rules}
    bad = {}
    for rule_id, column in plan.conditions:
        bad[by_id[rule_id]] = {row[0]: None for row in rows if row[column]}
    for rule_id, column in plan.duplicates:
        # Every member of a changed record's group, under its key.
        bad[by_id[rule_id]] = {
            member: row[column + 1] for row in rows if row[column] for member in row[column]
        }
    return bad


def _add_open_issues(rules, plan, dups, bad, known):
    """Add to ``known`` the open issues of records not changed to check
    again: those of module checks that do not declare what they read, and
    the other members of the duplicate groups the changed records left,
    found by the key their issues keep (issues filed before issues kept
    keys get theirs from the daily full scan). A record still in the group
    of its issue's key has brought every member of that group along.
    Deleting a record closes its issues (models/base.py)."""
    left = {
        key
        for rule in dups
        for res_id, (__, __, key) in known[rule.id].items()
        if key is not None and bad[rule].get(res_id) != key
    }
    wanted = []
    if plan.every_open:
        wanted.append(SQL("(i.state = 'open' AND i.rule_id = ANY(%s))", list(plan.every_open)))
    if left:
        wanted.append(
            SQL(
                "(i.state = 'open' AND i.rule_id = ANY(%s) AND i.duplicate_key = ANY(%s))",
                dups.ids,
                sorted(left),
            )
        )
    if wanted:
        for rule_id, issues in filing.known_issues(rules, *wanted).items():
            known[rule_id].update(issues)


def _add_issues_of_other_members(rules, checked, bad, known):
    """A duplicate key flags the other members of a group too: add their
    issues to ``known``."""
    extra = {rule: bad[rule].keys() - checked[rule] - known[rule.id].keys() for rule in rules}
    if any(extra.values()):
        more = filing.known_issues(
            rules.filtered(lambda rule: extra[rule]),
            SQL("i.res_id = ANY(%s)", list(set().union(*extra.values()))),
        )
        for rule_id, issues in more.items():
            known[rule_id].update(issues)
