"""Trends over a window of check-ins. Pure: no database."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alongside.recovery.trends import WINDOWS, DayPoint, Entry, compute, polyline, streak

TODAY = dt.date(2025, 3, 10)


def entry(back: int, mood: int = 3, craving: int = 2, triggers: tuple[str, ...] = ()) -> Entry:
    return Entry(TODAY - dt.timedelta(days=back), mood, craving, triggers)


def test_points_cover_every_day_of_the_window_oldest_first_ending_today():
    view = compute([entry(0)], today=TODAY, days=7)
    assert [p.local_date for p in view.points] == [TODAY - dt.timedelta(days=n) for n in range(6, -1, -1)]


def test_days_without_a_checkin_are_gaps_not_zeros():
    view = compute([entry(0, mood=4, craving=1), entry(2, mood=2, craving=5)], today=TODAY, days=7)
    assert [(p.mood, p.craving) for p in view.points[-3:]] == [(2, 5), (None, None), (4, 1)]
    assert view.checkin_count == 2


def test_averages_and_counts_use_only_the_window():
    entries = [entry(0, mood=5, craving=0), entry(1, mood=3, craving=4), entry(10, mood=1, craving=10)]
    view = compute(entries, today=TODAY, days=7)
    assert view.checkin_count == 2
    assert view.mood_average == 4.0
    assert view.craving_average == 2.0


def test_averages_are_rounded_to_one_decimal():
    view = compute([entry(0, mood=1), entry(1, mood=2), entry(2, mood=2)], today=TODAY, days=7)
    assert view.mood_average == 1.7


def test_an_empty_window_has_no_averages_and_no_streak():
    view = compute([], today=TODAY, days=30)
    assert view.checkin_count == 0
    assert view.mood_average is None
    assert view.craving_average is None
    assert view.streak == 0
    assert view.trigger_counts == ()


def test_future_checkins_are_left_out():
    view = compute([entry(-1, mood=5)], today=TODAY, days=7)
    assert view.checkin_count == 0


def test_triggers_are_counted_most_frequent_first_then_by_name():
    entries = [entry(0, triggers=("stress", "people")), entry(1, triggers=("stress",)), entry(2, triggers=("money",))]
    view = compute(entries, today=TODAY, days=7)
    assert view.trigger_counts == (("stress", 2), ("money", 1), ("people", 1))


def test_a_window_of_zero_days_is_refused():
    with pytest.raises(ValueError, match="at least one day"):
        compute([], today=TODAY, days=0)


def test_the_windows_offered_are_a_week_a_month_and_three_months():
    assert WINDOWS == (7, 30, 90)


# --- streak -------------------------------------------------------------------------------------


def test_streak_counts_days_in_a_row_ending_today():
    assert streak([TODAY, TODAY - dt.timedelta(days=1), TODAY - dt.timedelta(days=2)], TODAY) == 3


def test_today_not_done_yet_does_not_break_yesterdays_streak():
    assert streak([TODAY - dt.timedelta(days=1), TODAY - dt.timedelta(days=2)], TODAY) == 2


def test_a_missed_day_ends_the_streak():
    assert streak([TODAY, TODAY - dt.timedelta(days=2)], TODAY) == 1
    assert streak([TODAY - dt.timedelta(days=2)], TODAY) == 0


def test_a_streak_passed_in_wins_over_the_window():
    view = compute([entry(0)], today=TODAY, days=7, streak_days=120)
    assert view.streak == 120


# --- polyline ------------------------------------------------------------------------------------


def test_polyline_splits_at_gaps_and_scales_to_the_box():
    points = [
        DayPoint(TODAY - dt.timedelta(days=2), 5, 0),
        DayPoint(TODAY - dt.timedelta(days=1), None, None),
        DayPoint(TODAY, 1, 10),
    ]
    assert polyline(points, "mood", low=1, high=5, width=100, height=50) == ["0.0,0.0", "100.0,50.0"]
    assert polyline(points, "craving", low=0, high=10, width=100, height=50) == ["0.0,50.0", "100.0,0.0"]


def test_polyline_of_one_point_or_none_does_not_fail():
    assert polyline([DayPoint(TODAY, 3, 5)], "mood", low=1, high=5, width=100, height=50) == ["0.0,25.0"]
    assert polyline([DayPoint(TODAY, None, None)], "mood", low=1, high=5, width=100, height=50) == []


# --- properties ------------------------------------------------------------------------------------

entries_strategy = st.lists(
    st.builds(
        entry,
        back=st.integers(-5, 120),
        mood=st.integers(1, 5),
        craving=st.integers(0, 10),
        triggers=st.lists(st.sampled_from(["stress", "people", "sleep"]), max_size=3).map(tuple),
    ),
    max_size=60,
)


@given(entries=entries_strategy, days=st.integers(1, 120))
def test_points_length_is_the_window_and_averages_stay_in_range(entries, days):
    view = compute(entries, today=TODAY, days=days)
    assert len(view.points) == days == view.days
    assert view.points[-1].local_date == TODAY
    assert 0 <= view.checkin_count <= days
    assert view.checkin_count == sum(1 for p in view.points if p.mood is not None)
    if view.checkin_count:
        assert view.mood_average is not None and 1 <= view.mood_average <= 5
        assert view.craving_average is not None and 0 <= view.craving_average <= 10
    else:
        assert view.mood_average is None and view.craving_average is None
    assert 0 <= view.streak <= view.checkin_count


@given(entries=entries_strategy, days=st.sampled_from(WINDOWS))
def test_polylines_stay_inside_the_chart(entries, days):
    view = compute(entries, today=TODAY, days=days)
    for attribute, low, high in (("mood", 1, 5), ("craving", 0, 10)):
        for line in polyline(view.points, attribute, low=low, high=high, width=300, height=100):
            for pair in line.split():
                x, y = (float(n) for n in pair.split(","))
                assert 0 <= x <= 300
                assert 0 <= y <= 100
