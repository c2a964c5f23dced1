from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from alongside.lib.tz import local_date, start_of_day


@pytest.mark.parametrize(
    ("zone", "day", "expected"),
    [
        # Midnight does not exist on these days: the day starts at 01:00.
        ("America/Santiago", dt.date(2024, 9, 8), "2024-09-08T01:00:00-03:00"),
        ("America/Havana", dt.date(2024, 3, 10), "2024-03-10T01:00:00-04:00"),
        # A DST change at 02:00 leaves midnight alone.
        ("America/New_York", dt.date(2024, 3, 10), "2024-03-10T00:00:00-05:00"),
        ("Europe/Madrid", dt.date(2024, 10, 27), "2024-10-27T00:00:00+02:00"),
    ],
)
def test_a_day_starts_at_its_first_real_instant(zone, day, expected):
    assert start_of_day(day, zoneinfo.ZoneInfo(zone)).isoformat() == expected


def test_local_date_refuses_naive_times():
    with pytest.raises(ValueError, match="naive"):
        local_date(dt.datetime(2026, 1, 1, 12, 0), zoneinfo.ZoneInfo("UTC"))  # noqa: DTZ001 - on purpose


def test_the_same_instant_is_a_different_day_in_different_places():
    moment = dt.datetime(2026, 6, 1, 23, 30, tzinfo=dt.UTC)
    assert local_date(moment, zoneinfo.ZoneInfo("Pacific/Kiritimati")) == dt.date(2026, 6, 2)
    assert local_date(moment, zoneinfo.ZoneInfo("Pacific/Pago_Pago")) == dt.date(2026, 6, 1)
