"""Credential and supervision arithmetic (alongside/peers/compliance.py), without a database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from alongside.peers import compliance
from alongside.peers.compliance import (
    CURRENT,
    EXPIRED,
    EXPIRING,
    UNVERIFIED,
    ce_progress,
    credential_counts,
    credential_state,
    peer_eligible,
    reminder_due,
    supervision_status,
)

TODAY = dt.date(2025, 3, 10)


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


# --- credential state and eligibility ---------------------------------------------------------


@pytest.mark.parametrize(
    ("expires_in", "verified", "state"),
    [
        (-1, True, EXPIRED),  # yesterday
        (0, True, EXPIRING),  # the expiry day itself still counts
        (1, True, EXPIRING),
        (compliance.EXPIRING_WITHIN_DAYS, True, EXPIRING),
        (compliance.EXPIRING_WITHIN_DAYS + 1, True, CURRENT),
        (-1, False, EXPIRED),  # expired wins over unverified
        (0, False, UNVERIFIED),
        (400, False, UNVERIFIED),
    ],
)
def test_credential_state_at_the_boundaries(expires_in, verified, state):
    assert credential_state(expires_on=days(expires_in), verified=verified, today=TODAY) == state


def test_a_credential_without_expiry_never_expires():
    assert credential_state(expires_on=None, verified=True, today=TODAY) == CURRENT
    assert credential_state(expires_on=None, verified=False, today=TODAY) == UNVERIFIED
    assert credential_counts(expires_on=None, verified=True, today=dt.date(2999, 1, 1))


def test_only_verified_unexpired_credentials_count():
    assert credential_counts(expires_on=days(0), verified=True, today=TODAY)
    assert not credential_counts(expires_on=days(-1), verified=True, today=TODAY)
    assert not credential_counts(expires_on=days(300), verified=False, today=TODAY)


def test_a_peer_is_eligible_with_one_counting_credential_among_several():
    held = [(days(-5), True), (days(100), False), (days(30), True)]
    assert peer_eligible(held, today=TODAY, credentials_required=True)
    assert not peer_eligible(held[:2], today=TODAY, credentials_required=True)


def test_a_peer_with_no_credentials_is_eligible_only_when_the_program_does_not_require_them():
    assert not peer_eligible([], today=TODAY, credentials_required=True)
    assert peer_eligible([], today=TODAY, credentials_required=False)
    assert peer_eligible([(days(-5), False)], today=TODAY, credentials_required=False)


# --- reminders ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expires_in", "sent", "due"),
    [
        (61, [], None),  # not yet
        (60, [], 60),
        (45, [], 60),  # the 60-day reminder was missed: still worth sending at 45
        (45, [60], None),
        (30, [60], 30),
        (20, [], 30),  # missed two leads: only the most urgent one still due
        (7, [60, 30], 7),
        (3, [60], 7),  # 30 was missed; 7 is the one to send
        (0, [60, 30], 7),  # the expiry day itself
        (-1, [], None),  # already expired: no reminder
        (6, [60, 30, 7], None),
    ],
)
def test_reminder_due_sends_the_most_urgent_lead_once(expires_in, sent, due):
    assert reminder_due(expires_on=days(expires_in), today=TODAY, already_sent=sent) == due


def test_a_stale_earlier_lead_is_never_sent_after_a_nearer_one():
    # The 7-day reminder already went out (say the date was corrected later): the 30- and
    # 60-day ones are stale and must not follow it.
    assert reminder_due(expires_on=days(5), today=TODAY, already_sent=[7]) is None
    assert reminder_due(expires_on=days(25), today=TODAY, already_sent=[7]) is None


def test_no_reminder_for_a_credential_without_expiry():
    assert reminder_due(expires_on=None, today=TODAY, already_sent=[]) is None


# --- CE progress ----------------------------------------------------------------------------


def test_ce_progress_adds_hours_and_ethics_and_reports_what_is_left():
    progress = ce_progress(
        [(Decimal(12), Decimal(0)), (Decimal(6), Decimal(6))], hours_required=Decimal(40), ethics_required=Decimal(6)
    )
    assert progress.hours == 18
    assert progress.ethics_hours == 6
    assert progress.hours_left == 22
    assert progress.ethics_left == 0
    assert progress.percent == 45
    assert not progress.met


def test_ce_progress_is_met_and_capped_at_100_percent():
    progress = ce_progress([(Decimal("50.5"), Decimal(8))], hours_required=Decimal(40), ethics_required=Decimal(6))
    assert progress.met
    assert progress.percent == 100
    assert progress.hours_left == 0


def test_ce_progress_with_nothing_required_is_complete():
    progress = ce_progress([], hours_required=Decimal(0), ethics_required=Decimal(0))
    assert progress.met
    assert progress.percent == 100


def test_ce_progress_is_not_met_while_ethics_hours_are_short():
    progress = ce_progress([(Decimal(40), Decimal(2))], hours_required=Decimal(40), ethics_required=Decimal(6))
    assert progress.hours_left == 0
    assert progress.ethics_left == 4
    assert not progress.met


# --- supervision ------------------------------------------------------------------------------


LONG_AGO = TODAY - dt.timedelta(days=200)


def status(sessions, *, peer_since=LONG_AGO, required=60, every=14, today=TODAY):
    return supervision_status(sessions, required_minutes=required, every_days=every, today=today, peer_since=peer_since)


def test_a_session_inside_the_window_keeps_the_peer_on_track_until_it_leaves_it():
    # 14-day window, today included: a session 13 days ago is the window's first day.
    s = status([(days(-13), 60)])
    assert not s.overdue
    assert s.minutes_in_window == 60
    assert s.window_start == days(-13)
    assert s.due_by == days(1)  # tomorrow the session leaves the window


def test_a_session_just_outside_the_window_makes_the_peer_overdue_since_the_day_after_it_left():
    s = status([(days(-14), 60)])
    assert s.overdue
    assert s.minutes_in_window == 0
    assert s.overdue_since == TODAY  # the window last held the session yesterday
    assert s.last_session_on == days(-14)


def test_minutes_add_up_across_sessions_in_the_window():
    s = status([(days(-10), 30), (days(-2), 30)])
    assert not s.overdue
    assert s.minutes_in_window == 60
    assert s.due_by == days(4)  # the 30 minutes of day -10 leave on day +4


def test_too_few_minutes_is_overdue_even_with_a_recent_session():
    s = status([(days(-2), 30)])
    assert s.overdue
    assert s.minutes_in_window == 30


def test_overdue_since_is_the_day_after_the_last_met_window():
    s = status([(days(-40), 60)])
    # The session's window held it until day -40 + 13 = -27; overdue from day -26.
    assert s.overdue_since == days(-26)


def test_a_new_peer_is_not_overdue_during_their_first_period():
    s = status([], peer_since=days(-5))
    assert not s.overdue
    assert s.due_by == days(9)  # peer_since + 14 days


def test_a_new_peer_becomes_overdue_when_the_first_period_ends_without_supervision():
    s = status([], peer_since=days(-14))
    assert s.overdue
    assert s.overdue_since == TODAY
    assert status([], peer_since=days(-30)).overdue_since == days(-16)


def test_a_new_peer_supervised_early_is_on_track():
    s = status([(days(-1), 60)], peer_since=days(-3))
    assert not s.overdue
    assert s.due_by == days(13)


def test_group_sessions_count_their_full_length_for_each_peer():
    # A group session is one (date, minutes) row in each attending peer's list.
    sam = status([(days(-9), 60)])
    luz = status([(days(-9), 60)])
    assert not sam.overdue and not luz.overdue
    assert sam.minutes_in_window == luz.minutes_in_window == 60


def test_future_sessions_are_ignored():
    s = status([(days(3), 60)])
    assert s.overdue
    assert s.minutes_in_window == 0
    assert s.last_session_on is None


def test_a_long_window_requirement_with_every_day_cadence():
    s = status([(TODAY, 15)], required=15, every=1)
    assert not s.overdue
    assert s.due_by == days(1)
    assert status([(days(-1), 15)], required=15, every=1).overdue_since == TODAY
