"""Sobriety clock arithmetic: which milestones a clock has reached, and when the next one falls.

Pure: no Django. A clock starts at an aware instant; the member lives in one time zone.

Except for the first 24 hours, milestones are *calendar* milestones in the member's own zone:
"30 days" is the same wall-clock time 30 local days later, not 720 elapsed hours, so a
member who started at 21:00 reaches each day at 21:00 local time whether or not the clocks
changed in between. Month and year steps clip to the end of a shorter month (Jan 31 + 1
month is Feb 28 or 29; Feb 29 + 1 year is Feb 28), as people count anniversaries.

A wall time that a DST change skips (02:30 on a spring-forward night) is read with the
offset in force before the gap, which lands that much later (03:30); a wall time that
happens twice (01:30 on a fall-back night) is its first occurrence. Both are PEP 495's
``fold=0`` and RFC 5545's rule, so milestones agree with the calendar feeds we publish.

Public: ``Milestone``, ``milestone_at``, ``milestones_between``, ``next_milestone``,
``Elapsed``, ``elapsed``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

__all__ = [
    "Elapsed",
    "Milestone",
    "elapsed",
    "milestone_at",
    "milestones_between",
    "next_milestone",
]

# (amount, unit) before the open-ended yearly run; order matters, it is the order they fall in.
_FIXED: tuple[tuple[int, str], ...] = (
    (24, "hours"),
    (7, "days"),
    (30, "days"),
    (60, "days"),
    (90, "days"),
    (6, "months"),
    (9, "months"),
    (1, "years"),
    (18, "months"),
)
_FIRST_YEARLY = 2
_SUFFIX = {"hours": "h", "days": "d", "months": "m", "years": "y"}
_UNIT_OF_SUFFIX = {suffix: unit for unit, suffix in _SUFFIX.items()}
_KEY = re.compile(r"(?P<amount>[1-9][0-9]*)(?P<suffix>[hdmy])")


@dataclass(frozen=True)
class Milestone:
    key: str  # stable, stored by callers: "24h", "7d", "30d", "60d", "90d", "6m", "9m", "1y", "18m", "2y", ...
    unit: str  # "hours" | "days" | "months" | "years"
    amount: int
    due_at: dt.datetime  # aware, UTC


@dataclass(frozen=True)
class Elapsed:
    """Whole local calendar time since the start, counted at the start's local time of day.

    ``days`` is the total; ``years``/``months``/``rem_days`` break the same span down so that
    ``years`` ticks over exactly when the yearly milestone does (and likewise months, days).
    """

    days: int
    years: int
    months: int
    rem_days: int


_ZERO = Elapsed(days=0, years=0, months=0, rem_days=0)


def _require_aware(value: dt.datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime (with a time zone); got naive {value.isoformat()}")


def _schedule() -> Iterator[tuple[int, str]]:
    yield from _FIXED
    for years in itertools.count(_FIRST_YEARLY):
        yield years, "years"


def _key(amount: int, unit: str) -> str:
    return f"{amount}{_SUFFIX[unit]}"


def _add_months(wall: dt.datetime, months: int) -> dt.datetime:
    # Clip to the last day of the target month: how people count "six months from Jan 31".
    # (python-dateutil's relativedelta does the same, but it is not a dependency of this project.)
    index = wall.year * 12 + (wall.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    day = min(wall.day, calendar.monthrange(year, month)[1])
    return wall.replace(year=year, month=month, day=day)


def _to_utc(wall: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    # fold=0 (the default) is the whole DST policy described in the module docstring:
    # a skipped wall time takes the pre-gap offset and so lands later; a repeated one is the first.
    return wall.replace(tzinfo=tz, fold=0).astimezone(dt.UTC)


def _local_wall(instant: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    # Through UTC, because astimezone() to a datetime's own zone returns it untouched, and a
    # wall time that never happened (02:30 on a spring-forward night) must become the real one.
    return instant.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None, fold=0)


def _due(started_at: dt.datetime, tz: ZoneInfo, amount: int, unit: str) -> dt.datetime:
    if unit == "hours":
        # The one milestone that is elapsed time: the first day is lived hour by hour. Convert
        # first: adding to a zoned datetime moves its wall clock, not the instant.
        return started_at.astimezone(dt.UTC) + dt.timedelta(hours=amount)
    wall = _local_wall(started_at, tz)
    if unit == "days":
        return _to_utc(wall + dt.timedelta(days=amount), tz)
    months = amount * 12 if unit == "years" else amount
    return _to_utc(_add_months(wall, months), tz)


def _milestone(started_at: dt.datetime, tz: ZoneInfo, amount: int, unit: str) -> Milestone:
    return Milestone(key=_key(amount, unit), unit=unit, amount=amount, due_at=_due(started_at, tz, amount, unit))


def _iter_milestones(started_at: dt.datetime, tz: ZoneInfo) -> Iterator[Milestone]:
    for amount, unit in _schedule():
        yield _milestone(started_at, tz, amount, unit)


def milestone_at(key: str, started_at: dt.datetime, tz: ZoneInfo) -> Milestone:
    """The milestone named ``key`` for a clock started at ``started_at``.

    Only keys of the schedule are accepted ("12m" is spelled "1y"; there is no "5d"), so a
    stored key always names exactly one milestone.
    """
    _require_aware(started_at, "started_at")
    match = _KEY.fullmatch(key)
    if match is not None:
        amount, unit = int(match["amount"]), _UNIT_OF_SUFFIX[match["suffix"]]
        if (amount, unit) in _FIXED or (unit == "years" and amount >= _FIRST_YEARLY):
            return _milestone(started_at, tz, amount, unit)
    known = ", ".join(_key(a, u) for a, u in _FIXED)
    raise ValueError(f"unknown milestone key {key!r}; expected one of {known}, or 2y, 3y, ... for later years")


def milestones_between(started_at: dt.datetime, tz: ZoneInfo, *, until: dt.datetime) -> list[Milestone]:
    """Every milestone due at or before ``until``, in the order they fall (empty before 24 hours)."""
    _require_aware(started_at, "started_at")
    _require_aware(until, "until")
    return list(itertools.takewhile(lambda m: m.due_at <= until, _iter_milestones(started_at, tz)))


def next_milestone(started_at: dt.datetime, tz: ZoneInfo, *, now: dt.datetime) -> Milestone:
    """The first milestone due strictly after ``now``; the yearly run means there always is one.

    Before the clock starts (a start date set in the future) this is the 24-hour milestone.
    """
    _require_aware(started_at, "started_at")
    _require_aware(now, "now")
    return next(m for m in _iter_milestones(started_at, tz) if m.due_at > now)


def elapsed(started_at: dt.datetime, tz: ZoneInfo, *, now: dt.datetime) -> Elapsed:
    """Whole local calendar days (and years/months/days) from ``started_at`` to ``now``.

    A ``now`` before the start gives zero rather than an error: a clock whose start is set a
    little ahead (or a device clock that runs behind) should read 0 days, not crash a page.
    """
    _require_aware(started_at, "started_at")
    _require_aware(now, "now")
    if now <= started_at:
        return _ZERO
    start = _local_wall(started_at, tz)
    here = _local_wall(now, tz)

    def reached(step: Callable[[int], dt.datetime], guess: int) -> int:
        # The largest n whose wall time has come, searched from a guess taken from the local
        # dates. The guess is off by one when now is earlier in the day than the start time,
        # and can be off a little more around DST changes, so step both ways.
        n = max(guess, 0)
        while n > 0 and _to_utc(step(n), tz) > now:
            n -= 1
        while _to_utc(step(n + 1), tz) <= now:
            n += 1
        return n

    days = reached(lambda n: start + dt.timedelta(days=n), (here.date() - start.date()).days)
    months = reached(lambda n: _add_months(start, n), (here.year - start.year) * 12 + (here.month - start.month))
    anchor = _add_months(start, months)
    rem_days = reached(lambda n: anchor + dt.timedelta(days=n), (here.date() - anchor.date()).days)
    years, months = divmod(months, 12)
    return Elapsed(days=days, years=years, months=months, rem_days=rem_days)
