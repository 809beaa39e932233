"""Fields owned by an engine are written by the engine only.

The engines (processes, the review gate, responsibility records) write the
fields they own inside ``with engine_writes():``. The flag lives in this
thread's execution context, not in Odoo's ``env.context``: a caller over
XML-RPC or JSON-RPC chooses the context it sends, it cannot set this.
Models declare the fields they own (``neiqin.engine.mixin``) and refuse
every other write of them.
"""

import contextvars
from contextlib import contextmanager

from odoo.exceptions import AccessError

_ENGINE_WRITES = contextvars.ContextVar("neiqin_engine_writes", default=False)


@contextmanager
def engine_writes():
    """Let the code in this block write the fields engines own."""
    token = _ENGINE_WRITES.set(True)
    try:
        yield
    finally:
        _ENGINE_WRITES.reset(token)


def engine_writing():
    """Whether the engine is writing (see :func:`engine_writes`)."""
    return _ENGINE_WRITES.get()


def require_group(env, group_xmlid, message):
    """Refuse the action with ``message`` (an AccessError) unless the user
    is in the group ``group_xmlid`` or the code runs as superuser. Every
    action a view shows to a group only calls this: the view hides a
    button, it does not stop a call over RPC."""
    if not env.su and not env.user.has_group(group_xmlid):
        raise AccessError(message)
