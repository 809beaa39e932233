"""Rule conditions are data, not code.

A condition typed in a form (a data-quality rule's condition or scope) is a
domain written with literals only: lists and tuples, texts, numbers,
``True``, ``False`` and ``None``. A few placeholders stand for values known
only when the condition is used; they are replaced by those values, never
run:

==================  =====================================================
``uid``             the id of the user the check runs for (in a scheduled
                    scan, the scheduled action's user)
``company_id``      the id of the current company
``company_ids``     the ids of the companies the check runs for
``today``           today's date, ``YYYY-MM-DD``, in the user's time zone
``now``             the current date and time (UTC), ``YYYY-MM-DD HH:MM:SS``
``days_ago(N)``     the date N days before today (N a number)
``hours_ago(N)``    the date and time N hours before now (N a number)
==================  =====================================================

Anything else (an attribute, another name or call, an operator other than
a number's sign) is refused with a message naming it. Nothing of a condition
ever reaches a record, an environment or a cursor: it is parsed, then its
placeholders are replaced by plain values.
"""

import ast
import functools
from datetime import timedelta

from odoo import fields
from odoo.osv import expression
from odoo.tools import DEFAULT_SERVER_DATE_FORMAT, DEFAULT_SERVER_DATETIME_FORMAT

NAMES = ("uid", "company_id", "company_ids", "today", "now")
FUNCTIONS = ("days_ago", "hours_ago")
# A condition longer than this is not one a person types.
MAX_LENGTH = 20000
LITERAL_TYPES = (str, int, float, bool, type(None))


def _lt(source):
    """Mark a message for the translation export (Odoo's exporter reads
    ``_lt`` calls); the model translates it when it reports the error."""
    return source


class ConditionError(ValueError):
    """A condition that is not a literal domain with known placeholders.
    ``args[0]`` is an English message with ``%(...)s`` slots, ``params``
    their values (the model translates it)."""

    def __init__(self, message, **params):
        super().__init__(message)
        self.params = params


@functools.total_ordering
class Placeholder:
    """A placeholder in a parsed condition: a name, and the number of a
    ``days_ago(N)`` or ``hours_ago(N)``."""

    __slots__ = ("name", "number")

    def __init__(self, name, number=None):
        self.name = name
        self.number = number

    def __eq__(self, other):
        return isinstance(other, Placeholder) and (self.name, self.number) == (
            other.name,
            other.number,
        )

    def __lt__(self, other):
        return repr(self) < repr(other)

    def __hash__(self):
        return hash((self.name, self.number))

    def __repr__(self):
        return self.name if self.number is None else f"{self.name}({self.number!r})"


def _value(node):
    """The literal or placeholder ``node`` stands for."""
    if isinstance(node, ast.Constant) and isinstance(node.value, LITERAL_TYPES):
        return node.value
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub | ast.UAdd)
        and isinstance(node.operand, ast.Constant)
        and type(node.operand.value) in (int, float)
    ):
        value = node.operand.value
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.List | ast.Tuple):
        values = [_value(element) for element in node.elts]
        return values if isinstance(node, ast.List) else tuple(values)
    if isinstance(node, ast.Name) and node.id in NAMES:
        return Placeholder(node.id)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        name = node.func.id
        if name in FUNCTIONS:
            if node.keywords or len(node.args) != 1:
                raise ConditionError(_lt("%(name)s takes one number."), name=name)
            number = _value(node.args[0])
            if type(number) not in (int, float):
                raise ConditionError(_lt("%(name)s takes one number."), name=name)
            return Placeholder(name, number)
    raise ConditionError(
        _lt(
            "%(code)s is not a value: write texts, numbers, True, False, None, lists, "
            "or the placeholders %(names)s."
        ),
        code=_source(node),
        names=", ".join([*NAMES, *(f"{name}(N)" for name in FUNCTIONS)]),
    )


def _source(node):
    try:
        text = ast.unparse(node)
    except Exception:  # noqa: BLE001 - only for the message
        text = type(node).__name__
    return text if len(text) <= 80 else text[:77] + "..."


def _check_domain(domain):
    """Refuse what is not a domain: a list of operators and (path,
    operator, value) terms, placeholders only as values."""
    if not isinstance(domain, list | tuple):
        raise ConditionError(_lt("A condition is a list of terms, such as [('name', '=', 'x')]."))
    for element in domain:
        if element in expression.DOMAIN_OPERATORS:
            continue
        if not isinstance(element, list | tuple) or len(element) != 3:
            raise ConditionError(
                _lt("%(term)s is not a term: write (field, operator, value)."), term=repr(element)
            )
        path, operator, value = element
        if not isinstance(path, str) or not path:
            raise ConditionError(_lt("%(term)s does not name a field."), term=repr(element))
        if operator not in expression.TERM_OPERATORS:
            raise ConditionError(
                _lt("%(operator)s is not an operator of a condition."), operator=repr(operator)
            )
        if operator in ("any", "not any"):
            _check_domain(value)


@functools.lru_cache(maxsize=1024)
def parse(text):
    """The domain ``text`` holds, with :class:`Placeholder` values, as
    tuples (it is shared: callers copy before changing it). Raises
    :class:`ConditionError` for anything but a literal domain."""
    text = (text or "").strip()
    if not text:
        return ()
    if len(text) > MAX_LENGTH:
        raise ConditionError(
            _lt("The condition is too long (%(max)s characters at most)."), max=MAX_LENGTH
        )
    try:
        tree = ast.parse(text, mode="eval")
        domain = _value(tree.body)
    except SyntaxError as exc:
        raise ConditionError(
            _lt("The condition cannot be read: %(error)s."), error=exc.msg
        ) from exc
    except (RecursionError, MemoryError) as exc:
        raise ConditionError(_lt("The condition is nested too deeply.")) from exc
    _check_domain(domain)
    return _freeze(expression.normalize_domain(list(domain)) if domain else [])


def _freeze(value):
    if isinstance(value, list | tuple):
        return tuple(_freeze(element) for element in value)
    return value


def has_placeholders(text):
    """Whether ``text`` uses a placeholder: it means something else for
    another user or another day. False for a condition that cannot be read."""
    try:
        return _any_placeholder(parse(text))
    except ConditionError:
        return False


def _any_placeholder(value):
    if isinstance(value, Placeholder):
        return True
    if isinstance(value, tuple):
        return any(_any_placeholder(element) for element in value)
    return False


def placeholder_values(uid, company_id, company_ids, today, now):
    """The values placeholders stand for: ``today`` a date, ``now`` a naive
    UTC datetime."""
    return {
        "uid": uid,
        "company_id": company_id,
        "company_ids": list(company_ids),
        "today": today,
        "now": now,
    }


def env_values(env):
    """The placeholders' values for an Odoo environment: its user, its
    companies, today in the user's time zone, now. (Read from the
    environment only: nothing of the condition reaches it.)"""
    return placeholder_values(
        uid=env.uid,
        company_id=env.company.id,
        company_ids=env.companies.ids,
        today=fields.Date.context_today(env.user),
        now=fields.Datetime.now(),
    )


def resolve(domain, values):
    """``domain`` (as :func:`parse` gives it) with its placeholders replaced
    by ``values`` (:func:`placeholder_values`), as a list Odoo accepts."""

    def value_of(value):
        if isinstance(value, Placeholder):
            if value.name == "today":
                return values["today"].strftime(DEFAULT_SERVER_DATE_FORMAT)
            if value.name == "now":
                return values["now"].strftime(DEFAULT_SERVER_DATETIME_FORMAT)
            if value.name == "days_ago":
                day = values["today"] - timedelta(days=_bounded(value.number, 36500))
                return day.strftime(DEFAULT_SERVER_DATE_FORMAT)
            if value.name == "hours_ago":
                moment = values["now"] - timedelta(hours=_bounded(value.number, 876000))
                return moment.strftime(DEFAULT_SERVER_DATETIME_FORMAT)
            return values[value.name]
        if isinstance(value, tuple):
            return [value_of(element) for element in value]
        return value

    result = []
    for element in domain:
        if isinstance(element, str):
            result.append(element)
            continue
        path, operator, value = element
        if operator in ("any", "not any"):
            result.append((path, operator, resolve(value, values)))
        else:
            result.append((path, operator, value_of(value)))
    return result


def _bounded(number, limit):
    """``number`` within ±``limit``: a date a hundred years away means the
    same to a rule, and cannot overflow."""
    return max(-limit, min(limit, number))


def leaves(domain):
    """Every (path, operator, value) term of ``domain``, those inside
    ``any`` included, with the path they are reached by."""
    for element in domain:
        if isinstance(element, str):
            continue
        path, operator, value = element
        yield path, operator, value
        if operator in ("any", "not any"):
            for inner_path, inner_operator, inner_value in leaves(value):
                yield f"{path}.{inner_path}", inner_operator, inner_value
