"""Trends of a member's check-ins over a window of days. Pure: no Django.

Days without a check-in stay in the series as gaps (``None``), so a chart never draws a
line across days nobody recorded.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

WINDOWS = (7, 30, 90)


@dataclass(frozen=True)
class DayPoint:
    local_date: dt.date
    mood: int | None
    craving: int | None


@dataclass(frozen=True)
class Trends:
    days: int
    points: tuple[DayPoint, ...]
    checkin_count: int
    mood_average: float | None
    craving_average: float | None
    trigger_counts: tuple[tuple[str, int], ...]  # most frequent first
    streak: int  # consecutive days with a check-in, ending today (or yesterday)


@dataclass(frozen=True)
class Entry:
    local_date: dt.date
    mood: int
    craving: int
    triggers: Sequence[str]


def _average(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def streak(dates: Iterable[dt.date], today: dt.date) -> int:
    """Days in a row with a check-in. Today not done yet does not break yesterday's run."""
    have = set(dates)
    day = today if today in have else today - dt.timedelta(days=1)
    run = 0
    while day in have:
        run += 1
        day -= dt.timedelta(days=1)
    return run


def compute(entries: Iterable[Entry], *, today: dt.date, days: int, streak_days: int | None = None) -> Trends:
    """Trends for the ``days`` ending today. ``streak_days`` lets a caller pass a streak
    computed over a longer history than the window."""
    if days < 1:
        raise ValueError("a window is at least one day")
    start = today - dt.timedelta(days=days - 1)
    by_date = {entry.local_date: entry for entry in entries if start <= entry.local_date <= today}
    points = []
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        entry = by_date.get(day)
        points.append(DayPoint(day, entry.mood if entry else None, entry.craving if entry else None))
    counts: Counter[str] = Counter(trigger for entry in by_date.values() for trigger in entry.triggers)
    return Trends(
        days=days,
        points=tuple(points),
        checkin_count=len(by_date),
        mood_average=_average([entry.mood for entry in by_date.values()]),
        craving_average=_average([entry.craving for entry in by_date.values()]),
        trigger_counts=tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0]))),
        streak=streak_days if streak_days is not None else streak(by_date, today),
    )


def polyline(points: Sequence[DayPoint], attribute: str, *, low: int, high: int, width: int, height: int) -> list[str]:
    """SVG polyline point lists for one measure, split at gaps, scaled to the box."""
    segments: list[list[str]] = [[]]
    step = width / max(1, len(points) - 1)
    for index, point in enumerate(points):
        value = getattr(point, attribute)
        if value is None:
            if segments[-1]:
                segments.append([])
            continue
        x = round(index * step, 1)
        y = round(height - (value - low) / (high - low) * height, 1)
        segments[-1].append(f"{x},{y}")
    return [" ".join(segment) for segment in segments if segment]
