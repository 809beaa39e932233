"""Plain-text notice templates and quiet hours, outside the models.

A template is plain text with placeholders written ``{name}``; ``name`` is
one of a documented whitelist (``PLACEHOLDERS``, which modules may extend
through ``neiqin.notice.template._placeholders``). Nothing else is
interpreted: no expression, no attribute access, no format spec, no QWeb or
Jinja, so a template saved by a user can only insert the values the product
computed for the record. Any other text between braces is refused when the
template is saved.
"""

import math
import re
from datetime import datetime, time, timedelta

import pytz

# The placeholders every notice template may use, and what they stand for.
PLACEHOLDERS = {
    "customer": "the customer's name",
    "order": "the order's reference",
    "platform_order_no": "the order number on the marketplace",
    "carrier": "the carrier's name",
    "tracking_number": "the parcel's tracking number",
    "amount": "the order's total with its currency",
    "shop": "the company's name",
}
# Chinese characters one SMS segment holds (UCS-2 encoding).
SMS_SEGMENT_CHARS = 70
_BRACES = re.compile(r"\{([^{}]*)\}")
_NAME = re.compile(r"^[a-z_]+$")


def unknown_placeholders(text, allowed):
    """The placeholders of ``text`` that are not in ``allowed`` (names, or
    the raw text between braces when it is not a plain name), and whether a
    brace is left unpaired."""
    text = text or ""
    unknown = []
    for found in _BRACES.findall(text):
        if not _NAME.match(found) or found not in allowed:
            unknown.append(found)
    unpaired = bool(set(_BRACES.sub("", text)) & {"{", "}"})
    return unknown, unpaired


def render(text, values):
    """``text`` with each ``{name}`` replaced by ``values[name]`` (missing
    values are empty). Only whole placeholders are replaced, in one pass, so
    a value holding braces is inserted as it is."""

    def replace(match):
        value = values.get(match.group(1))
        return "" if value is None or value is False else str(value)

    return _BRACES.sub(replace, text or "")


def sms_segments(text):
    """How many SMS segments ``text`` takes (70 characters each)."""
    return math.ceil(len(text or "") / SMS_SEGMENT_CHARS) if text else 0


def quiet_until(now, tz_name, start_hour, end_hour):
    """When a message queued at ``now`` (naive UTC) may be sent, as naive
    UTC, or None when ``now`` is outside the quiet hours [start, end) of the
    time zone ``tz_name``. The hours may span midnight (21 → 8) or not
    (0 → 7); equal hours mean no quiet hours."""
    if start_hour == end_hour:
        return None
    try:
        tz = pytz.timezone(tz_name or "UTC")
    except pytz.UnknownTimeZoneError:
        tz = pytz.utc
    local = pytz.utc.localize(now).astimezone(tz)
    hour = local.hour + local.minute / 60 + local.second / 3600
    if start_hour < end_hour:
        quiet = start_hour <= hour < end_hour
        day = local.date()
    else:
        quiet = hour >= start_hour or hour < end_hour
        day = local.date() + timedelta(days=1) if hour >= start_hour else local.date()
    if not quiet:
        return None
    minutes = round(end_hour * 60)
    wake = datetime.combine(day, time(minutes // 60 % 24, minutes % 60))
    return tz.localize(wake).astimezone(pytz.utc).replace(tzinfo=None)
