"""Time zones of people: a person's day starts and ends in their own zone, not the server's."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Protocol


class HasTimeZone(Protocol):
    time_zone: str


def zone_named(name: str) -> zoneinfo.ZoneInfo:
    # Zone names are validated on save; UTC is the fallback for rows written before that
    # (or a feed that named a zone this machine's tz database does not know).
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def zone_of(person: HasTimeZone) -> zoneinfo.ZoneInfo:
    return zone_named(person.time_zone)


def local_date(moment: dt.datetime, zone: dt.tzinfo) -> dt.date:
    if moment.tzinfo is None:
        raise ValueError("a naive datetime has no place in a person's day")
    return moment.astimezone(zone).date()


def start_of_day(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """The first instant of a local day (midnight, or the first valid time after a DST gap)."""
    naive = dt.datetime.combine(day, dt.time(0, 0))
    aware = naive.replace(tzinfo=zone)
    # Midnight inside a spring-forward gap (Santiago, Havana) does not exist; read with the
    # offset before the gap (fold=0) it lands on the first real instant of the day.
    return aware.astimezone(dt.UTC).astimezone(zone)
