"""When a weekly meeting next happens, in its own time zone. Pure: no Django.

Meeting Guide numbers days 0 (Sunday) to 6 (Saturday); Python's ``weekday()`` is 0 for
Monday, so the two are converted in one place, here.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def python_weekday(day: int) -> int:
    """Meeting Guide day (0 Sunday) to Python's weekday (0 Monday)."""
    return (day - 1) % 7


def feed_day(date: dt.date) -> int:
    """Python date to Meeting Guide day (0 Sunday)."""
    return (date.weekday() + 1) % 7


def minute_of(time: dt.time | None) -> int | None:
    return None if time is None else time.hour * 60 + time.minute


def _at(date: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime:
    # fold=0: an ambiguous wall time is its first occurrence, as in RFC 5545.
    return dt.datetime.combine(date, time, tzinfo=zone)


def next_start(day: int | None, start: dt.time | None, zone: ZoneInfo, *, now: dt.datetime) -> dt.datetime | None:
    """The next moment (aware, in the meeting's zone) a weekly meeting starts at or after
    ``now``; None for a meeting by appointment."""
    if day is None or start is None:
        return None
    if now.tzinfo is None:
        raise ValueError("now must be aware")
    local_now = now.astimezone(zone)
    ahead = (python_weekday(day) - local_now.weekday()) % 7
    candidate = _at(local_now.date() + dt.timedelta(days=ahead), start, zone)
    if candidate < local_now:
        candidate = _at(candidate.date() + dt.timedelta(days=7), start, zone)
    return candidate


def occurrences(
    day: int | None, start: dt.time | None, zone: ZoneInfo, *, since: dt.datetime, until: dt.datetime
) -> list[dt.datetime]:
    """Every start between two moments (inclusive of ``since``)."""
    first = next_start(day, start, zone, now=since)
    found = []
    while first is not None and start is not None and first <= until:
        found.append(first)
        first = _at(first.date() + dt.timedelta(days=7), start, zone)
    return found
