"""Working-hours arithmetic for step deadlines.

Datetimes are naive UTC, as Odoo stores them. The maths itself is Odoo's
``resource.calendar`` (attendances, the calendar's time zone and global
leaves); this module only fixes the conventions the process engine relies on.
Without a calendar, hours are plain clock hours.
"""

from datetime import timedelta

from pytz import utc


def _aware(dt):
    return dt.replace(tzinfo=utc) if dt.tzinfo is None else dt.astimezone(utc)


def _naive(dt):
    return dt.astimezone(utc).replace(tzinfo=None)


def add_working_hours(calendar, start, hours):
    """Return the moment ``hours`` working hours after ``start``.

    Nights, weekends and the calendar's leaves do not count. A start outside
    working time counts from the next working moment.
    """
    if not calendar:
        return start + timedelta(hours=hours)
    if hours <= 0:
        return start
    end = calendar.plan_hours(hours, _aware(start), compute_leaves=True)
    if not end:
        # plan_hours gives up after ~4 years of calendar without work time.
        return start + timedelta(hours=hours)
    return _naive(end)


def working_hours_between(calendar, start, end):
    """Return the working hours between ``start`` and ``end`` (0 if end <= start)."""
    if not start or not end or end <= start:
        return 0.0
    if not calendar:
        return (end - start).total_seconds() / 3600
    return calendar.get_work_hours_count(_aware(start), _aware(end), compute_leaves=True)


class DeadlinePlanner:
    """Memoised ``add_working_hours`` for a batch.

    Entering a step for many records at once asks the same question (same
    calendar, same start, same hours) many times; each distinct question is
    answered once.
    """

    def __init__(self):
        self._memo = {}

    def add(self, calendar, start, hours):
        key = (calendar.id if calendar else 0, start, hours)
        if key not in self._memo:
            self._memo[key] = add_working_hours(calendar, start, hours)
        return self._memo[key]


# ------------------------------------------------------------ time left, in words
def format_span(env, delta):
    """A duration in the two largest units a reader needs, in the user's
    language: "2 d 3 h", "2 h 15 min", "5 min"."""
    _ = env._
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        if hours:
            return _("%(days)s d %(hours)s h", days=days, hours=hours)
        return _("%(days)s d", days=days)
    if hours:
        if minutes:
            return _("%(hours)s h %(minutes)s min", hours=hours, minutes=minutes)
        return _("%(hours)s h", hours=hours)
    return _("%(minutes)s min", minutes=minutes)


def time_left(env, state, deadline, now, paused_at=None, done_at=None):
    """What a reader acts on, in words: "2 h 15 min left", "overdue by
    3 h", "paused, 1 h left", "finished in time", "finished 3 h late";
    False without a deadline or for a cancelled passage. ``state`` is a
    step's: open, paused, done or cancel. A paused clock shows what was left
    when it stopped (``paused_at``; else now)."""
    _ = env._
    if not deadline or state not in ("open", "paused", "done"):
        return False
    if state == "done":
        late = (done_at or now) - deadline
        if late.total_seconds() >= 60:
            return _("finished %(span)s late", span=format_span(env, late))
        return _("finished in time")
    left = deadline - (paused_at or now if state == "paused" else now)
    span = format_span(env, abs(left))
    if left.total_seconds() < 0:
        return _("overdue by %(span)s", span=span)
    if state == "paused":
        return _("paused, %(span)s left", span=span)
    return _("%(span)s left", span=span)


def overdue_domain(state_field, deadline_field, overdue, now):
    """The domain of what is overdue at ``now`` (``overdue``) or not: an
    open step past its deadline. Spelled out for "not": a "!" before the
    pair would negate its first leaf only, and a record without a deadline
    (or a step) is never overdue."""
    if overdue:
        return [(state_field, "=", "open"), (deadline_field, "<", now)]
    return [
        "|",
        "|",
        (state_field, "!=", "open"),
        (state_field, "=", False),
        "|",
        (deadline_field, "=", False),
        (deadline_field, ">=", now),
    ]
