"""Sobriety clock arithmetic: calendar milestones in the member's own time zone."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alongside.recovery.milestones import Elapsed, elapsed, milestone_at, milestones_between, next_milestone

UTC = dt.UTC
NEW_YORK = ZoneInfo("America/New_York")
MADRID = ZoneInfo("Europe/Madrid")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")  # DST moves the clock by 30 minutes
SCHEDULE = ["24h", "7d", "30d", "60d", "90d", "6m", "9m", "1y", "18m", "2y", "3y", "4y", "5y"]


def local(key: str, started_at: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    return milestone_at(key, started_at, tz).due_at.astimezone(tz)


def hours_between(a: dt.datetime, b: dt.datetime) -> float:
    # Subtracting two datetimes that share a tzinfo compares wall clocks; compare instants.
    return (b.astimezone(UTC) - a.astimezone(UTC)).total_seconds() / 3600


# --- The schedule ---------------------------------------------------------------------------


def test_schedule_order_keys_units_and_amounts():
    start = dt.datetime(2024, 1, 15, 9, 0, tzinfo=NEW_YORK)
    reached = milestones_between(start, NEW_YORK, until=start + dt.timedelta(days=5 * 366))
    assert [m.key for m in reached] == SCHEDULE
    assert [(m.unit, m.amount) for m in reached[:10]] == [
        ("hours", 24),
        ("days", 7),
        ("days", 30),
        ("days", 60),
        ("days", 90),
        ("months", 6),
        ("months", 9),
        ("years", 1),
        ("months", 18),
        ("years", 2),
    ]
    assert all(m.due_at.tzinfo is UTC for m in reached)


def test_milestone_at_agrees_with_the_list():
    start = dt.datetime(2023, 5, 31, 23, 45, tzinfo=MADRID)
    for m in milestones_between(start, MADRID, until=start + dt.timedelta(days=4 * 366)):
        assert milestone_at(m.key, start, MADRID) == m


def test_years_go_on_forever():
    start = dt.datetime(2000, 6, 1, 12, 0, tzinfo=UTC)
    assert local("40y", start, NEW_YORK) == dt.datetime(2040, 6, 1, 8, 0, tzinfo=NEW_YORK)
    assert next_milestone(start, NEW_YORK, now=dt.datetime(2055, 1, 1, tzinfo=UTC)).key == "55y"


@pytest.mark.parametrize("key", ["12m", "5d", "1d", "0y", "48h", "1y ", "", "2Y", "-1y", "1w"])
def test_unknown_keys_are_refused(key):
    with pytest.raises(ValueError, match="unknown milestone key"):
        milestone_at(key, dt.datetime(2024, 1, 1, tzinfo=UTC), UTC)  # type: ignore[arg-type]


def test_naive_datetimes_are_refused():
    aware = dt.datetime(2024, 1, 1, tzinfo=UTC)
    naive = dt.datetime(2024, 1, 1)  # noqa: DTZ001 (the point of the test)
    with pytest.raises(ValueError, match="started_at must be an aware datetime"):
        milestone_at("7d", naive, NEW_YORK)
    with pytest.raises(ValueError, match="until must be an aware"):
        milestones_between(aware, NEW_YORK, until=naive)
    with pytest.raises(ValueError, match="now must be an aware"):
        next_milestone(aware, NEW_YORK, now=naive)
    with pytest.raises(ValueError, match="now must be an aware"):
        elapsed(aware, NEW_YORK, now=naive)


# --- Hours are elapsed time; days, months and years are local calendar time ------------------


def test_first_24_hours_are_exact_elapsed_hours_across_spring_forward():
    # 2024-03-10 02:00 EST → 03:00 EDT in New York.
    start = dt.datetime(2024, 3, 9, 12, 0, tzinfo=NEW_YORK)
    due = milestone_at("24h", start, NEW_YORK).due_at
    assert due - start == dt.timedelta(hours=24)
    assert due.astimezone(NEW_YORK) == dt.datetime(2024, 3, 10, 13, 0, tzinfo=NEW_YORK)


def test_new_york_spring_forward_keeps_the_local_time_of_day():
    start = dt.datetime(2024, 3, 3, 21, 0, tzinfo=NEW_YORK)  # EST
    week = local("7d", start, NEW_YORK)
    assert week == dt.datetime(2024, 3, 10, 21, 0, tzinfo=NEW_YORK)  # EDT
    assert week.utcoffset() == dt.timedelta(hours=-4)
    assert hours_between(start, week) == 7 * 24 - 1  # the lost hour is not a lost day


def test_new_york_fall_back_keeps_the_local_time_of_day():
    # 2024-11-03 02:00 EDT → 01:00 EST.
    start = dt.datetime(2024, 10, 27, 21, 0, tzinfo=NEW_YORK)  # EDT
    week = local("7d", start, NEW_YORK)
    assert week == dt.datetime(2024, 11, 3, 21, 0, tzinfo=NEW_YORK)  # EST
    assert hours_between(start, week) == 7 * 24 + 1


def test_a_day_changes_at_the_start_time_of_day_not_at_midnight():
    start = dt.datetime(2024, 6, 1, 21, 0, tzinfo=NEW_YORK)
    assert elapsed(start, NEW_YORK, now=dt.datetime(2024, 6, 2, 20, 59, tzinfo=NEW_YORK)).days == 0
    assert elapsed(start, NEW_YORK, now=dt.datetime(2024, 6, 2, 21, 0, tzinfo=NEW_YORK)).days == 1
    assert elapsed(start, NEW_YORK, now=dt.datetime(2024, 6, 3, 0, 30, tzinfo=NEW_YORK)).days == 1


def test_dst_neither_loses_nor_adds_a_day():
    spring = dt.datetime(2024, 3, 9, 21, 0, tzinfo=NEW_YORK)
    # 23 real hours later it is already 21:00 the next day (clocks went forward).
    assert elapsed(spring, NEW_YORK, now=spring.astimezone(UTC) + dt.timedelta(hours=23)).days == 1
    assert elapsed(spring, NEW_YORK, now=spring.astimezone(UTC) + dt.timedelta(hours=22, minutes=59)).days == 0

    fall = dt.datetime(2024, 11, 2, 21, 0, tzinfo=NEW_YORK)
    # 24 real hours later it is only 20:00 (clocks went back): not yet a day.
    assert elapsed(fall, NEW_YORK, now=fall.astimezone(UTC) + dt.timedelta(hours=24)).days == 0
    assert elapsed(fall, NEW_YORK, now=fall.astimezone(UTC) + dt.timedelta(hours=25)).days == 1


def test_madrid_spring_forward_and_fall_back():
    # Madrid: 2024-03-31 02:00 CET → 03:00 CEST; 2024-10-27 03:00 CEST → 02:00 CET.
    start = dt.datetime(2024, 3, 30, 2, 30, tzinfo=MADRID)
    assert milestone_at("24h", start, MADRID).due_at - start == dt.timedelta(hours=24)
    assert local("24h", start, MADRID) == dt.datetime(2024, 3, 31, 3, 30, tzinfo=MADRID)
    assert local("7d", start, MADRID) == dt.datetime(2024, 4, 6, 2, 30, tzinfo=MADRID)

    # 02:30 happens twice on 27 October: the first (CEST) one counts.
    autumn = dt.datetime(2024, 10, 20, 2, 30, tzinfo=MADRID)
    week = milestone_at("7d", autumn, MADRID).due_at
    assert week == dt.datetime(2024, 10, 27, 0, 30, tzinfo=UTC)
    assert week.astimezone(MADRID).utcoffset() == dt.timedelta(hours=2)


def test_lord_howe_half_hour_gap():
    # Lord Howe Island: 2024-10-06 02:00 → 02:30 (+10:30 → +11:00).
    start = dt.datetime(2024, 9, 29, 2, 15, tzinfo=LORD_HOWE)
    assert start.utcoffset() == dt.timedelta(hours=10, minutes=30)
    week = local("7d", start, LORD_HOWE)
    # 02:15 does not exist that night; read with the pre-gap offset it is 02:45 (+11:00).
    assert week == dt.datetime(2024, 10, 6, 2, 45, tzinfo=LORD_HOWE)
    assert week.utcoffset() == dt.timedelta(hours=11)
    assert hours_between(start, week) == 7 * 24


def test_a_milestone_that_falls_in_a_spring_forward_gap_moves_forward():
    # 02:30 on 2025-03-09 does not exist in New York; the one-year milestone is at 03:30 EDT.
    start = dt.datetime(2024, 3, 9, 2, 30, tzinfo=NEW_YORK)
    year = milestone_at("1y", start, NEW_YORK).due_at
    assert year == dt.datetime(2025, 3, 9, 7, 30, tzinfo=UTC)
    assert year.astimezone(NEW_YORK) == dt.datetime(2025, 3, 9, 3, 30, tzinfo=NEW_YORK)
    assert local("2y", start, NEW_YORK) == dt.datetime(2026, 3, 9, 2, 30, tzinfo=NEW_YORK)
    assert elapsed(start, NEW_YORK, now=year - dt.timedelta(seconds=1)).years == 0
    assert elapsed(start, NEW_YORK, now=year).years == 1


def test_a_start_at_0230_on_a_spring_forward_day():
    # A wall time of 02:30 on 2024-03-10 never happened in New York. Given as an aware datetime
    # it reads (PEP 495, fold=0) as 02:30 EST = 07:30 UTC = 03:30 EDT, and the clock counts
    # from that instant: its days turn at 03:30 local.
    start = dt.datetime(2024, 3, 10, 2, 30, tzinfo=NEW_YORK)
    assert start.astimezone(UTC) == dt.datetime(2024, 3, 10, 7, 30, tzinfo=UTC)
    assert milestone_at("24h", start, NEW_YORK).due_at == dt.datetime(2024, 3, 11, 7, 30, tzinfo=UTC)
    assert local("7d", start, NEW_YORK) == dt.datetime(2024, 3, 17, 3, 30, tzinfo=NEW_YORK)
    assert local("6m", start, NEW_YORK) == dt.datetime(2024, 9, 10, 3, 30, tzinfo=NEW_YORK)
    assert local("1y", start, NEW_YORK) == dt.datetime(2025, 3, 10, 3, 30, tzinfo=NEW_YORK)
    assert elapsed(start, NEW_YORK, now=dt.datetime(2024, 3, 11, 3, 29, tzinfo=NEW_YORK)).days == 0
    assert elapsed(start, NEW_YORK, now=dt.datetime(2024, 3, 11, 3, 30, tzinfo=NEW_YORK)).days == 1


# --- Leap years and month ends --------------------------------------------------------------


def test_leap_day_start():
    start = dt.datetime(2024, 2, 29, 8, 0, tzinfo=NEW_YORK)
    assert local("1y", start, NEW_YORK) == dt.datetime(2025, 2, 28, 8, 0, tzinfo=NEW_YORK)
    assert local("2y", start, NEW_YORK) == dt.datetime(2026, 2, 28, 8, 0, tzinfo=NEW_YORK)
    assert local("4y", start, NEW_YORK) == dt.datetime(2028, 2, 29, 8, 0, tzinfo=NEW_YORK)
    assert local("6m", start, NEW_YORK) == dt.datetime(2024, 8, 29, 8, 0, tzinfo=NEW_YORK)
    assert local("18m", start, NEW_YORK) == dt.datetime(2025, 8, 29, 8, 0, tzinfo=NEW_YORK)

    assert elapsed(start, NEW_YORK, now=dt.datetime(2025, 2, 28, 7, 59, tzinfo=NEW_YORK)) == Elapsed(
        days=364,
        years=0,
        months=11,
        rem_days=29,  # 11 months is Jan 29, 08:00
    )
    assert elapsed(start, NEW_YORK, now=dt.datetime(2025, 2, 28, 8, 0, tzinfo=NEW_YORK)) == Elapsed(
        days=365, years=1, months=0, rem_days=0
    )
    assert elapsed(start, NEW_YORK, now=dt.datetime(2028, 2, 29, 8, 0, tzinfo=NEW_YORK)) == Elapsed(
        days=4 * 365 + 1, years=4, months=0, rem_days=0
    )


def test_month_ends():
    jan31 = dt.datetime(2024, 1, 31, 18, 0, tzinfo=MADRID)
    assert local("6m", jan31, MADRID) == dt.datetime(2024, 7, 31, 18, 0, tzinfo=MADRID)
    assert local("9m", jan31, MADRID) == dt.datetime(2024, 10, 31, 18, 0, tzinfo=MADRID)
    assert local("18m", jan31, MADRID) == dt.datetime(2025, 7, 31, 18, 0, tzinfo=MADRID)

    aug31 = dt.datetime(2023, 8, 31, 18, 0, tzinfo=MADRID)
    assert local("6m", aug31, MADRID) == dt.datetime(2024, 2, 29, 18, 0, tzinfo=MADRID)  # leap year
    assert local("18m", aug31, MADRID) == dt.datetime(2025, 2, 28, 18, 0, tzinfo=MADRID)

    mar31 = dt.datetime(2024, 3, 31, 18, 0, tzinfo=MADRID)
    assert local("6m", mar31, MADRID) == dt.datetime(2024, 9, 30, 18, 0, tzinfo=MADRID)
    assert local("9m", mar31, MADRID) == dt.datetime(2024, 12, 31, 18, 0, tzinfo=MADRID)

    # After Jan 31 → Feb 29, one month reads "1 month 1 day" on Mar 1 and "1 month 30 days" on Mar 30.
    assert elapsed(jan31, MADRID, now=dt.datetime(2024, 3, 1, 18, 0, tzinfo=MADRID)) == Elapsed(
        days=30, years=0, months=1, rem_days=1
    )
    assert elapsed(jan31, MADRID, now=dt.datetime(2024, 3, 30, 18, 0, tzinfo=MADRID)) == Elapsed(
        days=59, years=0, months=1, rem_days=30
    )


# --- Boundaries -----------------------------------------------------------------------------


def test_before_the_first_milestone_and_before_the_start():
    start = dt.datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
    assert milestones_between(start, NEW_YORK, until=start + dt.timedelta(hours=23, minutes=59)) == []
    assert milestones_between(start, NEW_YORK, until=start - dt.timedelta(days=3)) == []
    assert next_milestone(start, NEW_YORK, now=start - dt.timedelta(days=3)).key == "24h"
    # Elapsed before the start is zero by design (a start set a little ahead must not crash a page).
    assert elapsed(start, NEW_YORK, now=start - dt.timedelta(days=3)) == Elapsed(0, 0, 0, 0)
    assert elapsed(start, NEW_YORK, now=start) == Elapsed(0, 0, 0, 0)


def test_a_milestone_is_reached_at_its_instant_and_the_next_is_strictly_after():
    start = dt.datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
    week = milestone_at("7d", start, NEW_YORK)
    assert milestones_between(start, NEW_YORK, until=week.due_at)[-1] == week
    assert milestones_between(start, NEW_YORK, until=week.due_at - dt.timedelta(microseconds=1))[-1].key == "24h"
    assert next_milestone(start, NEW_YORK, now=week.due_at).key == "30d"
    assert next_milestone(start, NEW_YORK, now=week.due_at - dt.timedelta(microseconds=1)) == week


def test_the_time_zone_of_the_inputs_does_not_matter_only_the_members():
    in_utc = dt.datetime(2024, 3, 4, 2, 0, tzinfo=UTC)  # 21:00 on 3 March in New York
    in_ny = in_utc.astimezone(NEW_YORK)
    until = in_utc + dt.timedelta(days=800)
    assert milestones_between(in_utc, NEW_YORK, until=until) == milestones_between(in_ny, NEW_YORK, until=until)
    assert local("7d", in_utc, NEW_YORK) == dt.datetime(2024, 3, 10, 21, 0, tzinfo=NEW_YORK)


# --- Properties -----------------------------------------------------------------------------

ZONES = [
    ZoneInfo(name)
    for name in (
        "UTC",
        "America/New_York",
        "America/Sao_Paulo",
        "America/Santiago",
        "Europe/Madrid",
        "Australia/Lord_Howe",
        "Pacific/Chatham",
        "Asia/Kolkata",
    )
]
zones = st.sampled_from(ZONES)
# Hypothesis takes naive bounds and attaches the zones itself.
starts = st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2060, 1, 1), timezones=zones)  # noqa: DTZ001
spans = st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=40 * 366))


@settings(max_examples=150, deadline=None)
@given(started_at=starts, tz=zones)
def test_milestones_are_strictly_increasing(started_at, tz):
    reached = milestones_between(started_at, tz, until=started_at + dt.timedelta(days=30 * 366))
    assert len(reached) >= 9 + 28
    assert all(a.due_at < b.due_at for a, b in itertools.pairwise(reached))
    assert reached[0].due_at - started_at == dt.timedelta(hours=24)
    assert len({m.key for m in reached}) == len(reached)


@settings(max_examples=150, deadline=None)
@given(started_at=starts, tz=zones, span=spans)
def test_next_milestone_is_after_now_and_follows_the_reached_ones(started_at, tz, span):
    now = started_at.astimezone(UTC) + span
    reached = milestones_between(started_at, tz, until=now)
    upcoming = next_milestone(started_at, tz, now=now)
    assert upcoming.due_at > now
    assert all(m.due_at <= now for m in reached)
    assert milestones_between(started_at, tz, until=upcoming.due_at) == [*reached, upcoming]


@settings(max_examples=150, deadline=None)
@given(started_at=starts, tz=zones, span=spans)
def test_elapsed_agrees_with_the_milestones(started_at, tz, span):
    now = started_at.astimezone(UTC) + span
    e = elapsed(started_at, tz, now=now)
    reached = {m.key for m in milestones_between(started_at, tz, until=now)}
    total_months = e.years * 12 + e.months
    assert 0 <= e.months < 12 and e.rem_days >= 0 and e.days >= 0
    assert (e.days >= 7) == ("7d" in reached)
    assert (e.days >= 90) == ("90d" in reached)
    assert (total_months >= 6) == ("6m" in reached)
    assert (total_months >= 18) == ("18m" in reached)
    assert (e.years >= 1) == ("1y" in reached)
    if e.years >= 2:
        assert f"{e.years}y" in reached
        assert f"{e.years + 1}y" not in reached
    # A calendar month is 28–31 days and a year 365–366: the breakdown and the total agree.
    assert 28 * total_months + e.rem_days <= e.days + 1
    assert e.days <= 31 * total_months + e.rem_days + 1


@settings(max_examples=100, deadline=None)
@given(
    started_at=starts,
    tz=zones,
    span=spans,
    more=st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=3)),
)
def test_elapsed_never_goes_backwards(started_at, tz, span, more):
    now = started_at.astimezone(UTC) + span
    earlier, later = elapsed(started_at, tz, now=now), elapsed(started_at, tz, now=now + more)
    assert later.days >= earlier.days
    assert (later.years, later.months) >= (earlier.years, earlier.months)
