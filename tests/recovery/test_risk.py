"""Risk rules that turn a check-in into a reason for a human to reach out. Pure: no database."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from alongside.recovery.risk import Day, Thresholds, checkin_risks, missed_run, usually_checks_in

TODAY = dt.date(2025, 3, 10)
DEFAULT = Thresholds()


def day(back: int = 0, *, mood: int = 3, craving: int = 2, used: bool = False, outreach: bool = False, what: str = ""):
    return Day(TODAY - dt.timedelta(days=back), mood, craving, used, outreach, what)


def rules(today: Day, earlier: list[Day] | None = None, thresholds: Thresholds = DEFAULT) -> list[str]:
    return [reason.rule for reason in checkin_risks(today, earlier or [], thresholds)]


# --- checkin_risks ---------------------------------------------------------------------------


def test_ordinary_checkin_has_no_reasons():
    assert rules(day(), [day(1), day(2)]) == []


def test_reported_use_is_a_reason_and_says_what_was_used():
    reasons = checkin_risks(day(used=True, what="beer"), [], DEFAULT)
    assert [r.rule for r in reasons] == ["use_reported"]
    assert reasons[0].phrase == "used today (beer)"
    assert reasons[0].as_dict() == {"rule": "use_reported", "phrase": "used today (beer)"}


def test_reported_use_without_detail_says_only_used_today():
    assert checkin_risks(day(used=True), [], DEFAULT)[0].phrase == "used today"


def test_craving_at_the_threshold_is_a_reason_and_just_below_is_not():
    assert rules(day(craving=8)) == ["craving_high"]
    assert rules(day(craving=7)) == []


def test_craving_threshold_follows_the_program():
    assert rules(day(craving=5), thresholds=Thresholds(craving_alert_at=5)) == ["craving_high"]
    assert rules(day(craving=9), thresholds=Thresholds(craving_alert_at=10)) == []


def test_asking_for_outreach_is_always_a_reason():
    assert rules(day(outreach=True)) == ["asked_for_outreach"]


def test_mood_1_two_days_running_is_a_reason():
    assert rules(day(mood=1), [day(1, mood=1)]) == ["low_mood_run"]


def test_mood_1_once_is_not_a_reason_with_the_default_of_two_days():
    assert rules(day(mood=1), [day(1, mood=3)]) == []
    assert rules(day(mood=1), []) == []


def test_mood_1_with_a_gap_day_between_does_not_count_as_running():
    assert rules(day(mood=1), [day(2, mood=1)]) == []


def test_low_mood_days_threshold_follows_the_program():
    three = Thresholds(low_mood_days=3)
    assert rules(day(mood=1), [day(1, mood=1)], three) == []
    assert rules(day(mood=1), [day(1, mood=1), day(2, mood=1)], three) == ["low_mood_run"]
    assert rules(day(mood=1), [], Thresholds(low_mood_days=1)) == ["low_mood_run"]


def test_mood_2_today_never_fires_the_low_mood_rule():
    assert rules(day(mood=2), [day(1, mood=1), day(2, mood=1)]) == []


def test_several_reasons_are_all_given():
    assert rules(day(mood=1, craving=10, used=True, outreach=True), [day(1, mood=1)]) == [
        "use_reported",
        "craving_high",
        "asked_for_outreach",
        "low_mood_run",
    ]


def test_no_reason_is_marked_as_a_crisis():
    # Check-in rules raise concerns; crisis comes from screening what the person wrote.
    assert not any(r.crisis for r in checkin_risks(day(mood=1, craving=10, used=True, outreach=True), [], DEFAULT))


@given(mood=st.integers(2, 5), craving=st.integers(0, 7))
def test_nothing_fires_without_use_outreach_high_craving_or_mood_1(mood, craving):
    assert rules(day(mood=mood, craving=craving), [day(1, mood=1), day(2, mood=1)]) == []


# --- missed check-ins -------------------------------------------------------------------------


def test_missed_run_counts_whole_days_not_today():
    assert missed_run(TODAY, TODAY) == 0
    assert missed_run(TODAY - dt.timedelta(days=1), TODAY) == 0
    assert missed_run(TODAY - dt.timedelta(days=2), TODAY) == 1
    assert missed_run(TODAY - dt.timedelta(days=4), TODAY) == 3


def test_missed_run_is_zero_without_any_checkin_or_for_a_future_date():
    assert missed_run(None, TODAY) == 0
    assert missed_run(TODAY + dt.timedelta(days=3), TODAY) == 0


def test_a_habit_is_seven_of_the_fourteen_days_before_the_gap():
    before = TODAY
    seven = [TODAY - dt.timedelta(days=n) for n in range(1, 8)]
    assert usually_checks_in(seven, before=before)
    assert not usually_checks_in(seven[:6], before=before)


def test_checkins_outside_the_window_do_not_make_a_habit():
    old = [TODAY - dt.timedelta(days=n) for n in range(15, 40)]
    assert not usually_checks_in(old, before=TODAY)
    # the day of ``before`` itself is not in the window
    assert not usually_checks_in([TODAY] * 10, before=TODAY)


def test_duplicate_dates_count_once():
    assert not usually_checks_in([TODAY - dt.timedelta(days=1)] * 10, before=TODAY)


@given(st.sets(st.integers(1, 14)))
def test_habit_is_exactly_at_least_half_of_two_weeks(backs):
    dates = [TODAY - dt.timedelta(days=n) for n in backs]
    assert usually_checks_in(dates, before=TODAY) == (len(backs) >= 7)
