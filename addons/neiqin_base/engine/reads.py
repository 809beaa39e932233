"""What a data-quality rule reads: the fields of its model and of the
records it reaches through many-to-one links.

A rescan rechecks a rule only when a field it reads was written since its
last scan (:func:`rereads`), and follows its links backwards to find the
records whose linked records changed (engine/rescan.py). A rule that reads
other records in ways no write date tells (to-many or hierarchical
conditions, module checks declaring nothing) reads "unknown": None.
"""

from odoo.osv import expression

from . import condition
from .rule_sql import DQ_READS

# What neiqin.dq.change remembers as the field written when records are
# created: every rule reading the model rechecks them.
CREATED = "*"
# Operators whose leaves read records no write date of the linked one tells.
UNKNOWN_OPERATORS = ("child_of", "parent_of", "any", "not any")


def literal(text):
    """Whether a condition uses no placeholder (``uid``, ``today``...): it
    means the same at every scan."""
    return not condition.has_placeholders(text)


def is_leaf(leaf):
    return expression.is_leaf(leaf) and leaf not in (expression.TRUE_LEAF, expression.FALSE_LEAF)


def names_linked_record(operator, value):
    """Whether a condition on a many-to-one field reads the linked record
    (its name: ``('country_id', 'ilike', 'chin')``), not only the link."""
    values = value if isinstance(value, list | tuple) else [value]
    return operator in expression.WILDCARD_OPERATORS or any(isinstance(v, str) for v in values)


def rereads(rule, reads, written):
    """Whether ``rule``, reading the (model, field) pairs ``reads`` (None:
    unknown), has changed records to recheck, given the fields ``written``
    since its last scan ({model: fields}, ``*`` for records created; None:
    unknown)."""
    if written is None or reads is None or CREATED in written.get(rule.model_name, ()):
        return True
    # A new linked record changes no verdict until a record links to it,
    # which writes the link.
    return any(name in written.get(model_name, ()) for model_name, name in reads)


def method_reads(rule):
    """The paths a module check declares it reads (``dq_reads``), or None."""
    rule.ensure_one()
    method = getattr(rule.env[rule.model_name], rule.method_name or "", None)
    return getattr(method, DQ_READS, None)


def linked_paths(rule, spec=None):
    """{path: model} of the records a rule reads through many-to-one links
    (of its condition, its scope, its reference, or the paths its module
    check declares with ``dq_reads``), or None when it reads other records
    in ways no write date tells: module checks declaring nothing, to-many,
    non-stored or hierarchical conditions. (A duplicate key reads the other
    members of its group: a rescan finds them by the key their issues
    keep.)"""
    reads = rule_reads(rule, spec)
    return reads and reads[0]


def rule_reads(rule, spec=None):
    """({path: model} as :func:`linked_paths` gives it, the (model, field)
    pairs the rule reads), or None when it cannot tell."""
    rule.ensure_one()
    model = rule.env[rule.model_name]
    spec = spec or rule._spec()
    leaves = _leaves(rule, model, spec)
    if leaves is None or any(op in UNKNOWN_OPERATORS for __, op, __ in leaves):
        return None
    links = {}
    read = {(model._name, name) for name in spec.field_names}
    for path, operator, value in leaves:
        if not _follow(model, str(path).split("."), operator, value, links, read):
            return None
    return links, frozenset(read)


def build_reads(rules):
    """{rule id: the (model, field) pairs it reads, or None}."""
    specs = rules._specs()
    reads = {rule.id: rule_reads(rule, specs[rule]) for rule in rules}
    return {rule_id: found and found[1] for rule_id, found in reads.items()}


def _leaves(rule, model, spec):
    """(path, operator, value) of every leaf the rule reads, or None."""
    leaves = []
    if rule.rule_type == "method":
        reads = method_reads(rule)
        if reads is None:
            return None
        leaves += [(path, "=", False) for path in reads]
    for domain in [spec.scope] + ([spec.domain] if rule.rule_type == "domain" else []):
        leaves += [leaf for leaf in domain if is_leaf(leaf)]
    if rule.rule_type == "reference":
        fname = spec.field_names[0]
        leaves.append((f"{fname}.id", "=", False))
        if "active" in rule.env[model._fields[fname].comodel_name]._fields:
            leaves.append((f"{fname}.active", "=", False))
        leaves += [
            (f"{fname}.{leaf[0]}", leaf[1], leaf[2]) for leaf in spec.domain if is_leaf(leaf)
        ]
    return leaves


def _follow(model, names, operator, value, links, read):
    """Add to ``links`` and ``read`` what the leaf on the path ``names``
    reads; return False when no write date tells it."""
    current = model
    for index, name in enumerate(names):
        field = current._fields.get(name)
        if field is None or not (field.store or name == "id"):
            return False
        if field.type in ("one2many", "many2many"):
            return False
        read.add((current._name, name))
        if field.type == "many2one" and (
            index < len(names) - 1 or names_linked_record(operator, value)
        ):
            # A hop, or a link compared with the linked record's name.
            current = model.env[field.comodel_name]
            if not current._log_access:
                return False
            links[".".join(names[: index + 1])] = current._name
            if index == len(names) - 1:
                read.add((current._name, current._rec_name or "name"))
        elif index < len(names) - 1:
            return False
    return True
