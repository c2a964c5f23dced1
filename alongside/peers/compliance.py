"""Credential and supervision arithmetic: pure functions, no Django, tested on their own.

A credential counts for matching when an admin has verified it and it has not expired;
one without an expiry date never expires. Reminders go out 60, 30 and 7 days before the
expiry date; when a sweep has missed a lead time (the server was down, the credential was
entered late), only the most urgent reminder still due is sent, so a peer never gets
three emails on one morning.

Supervision is a rolling window: a peer is on track when the minutes of supervision they
received in the last ``every_days`` days (today included) reach ``required_minutes``. A
peer who joined less than one period ago is still in their first period and not overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

REMINDER_LEAD_DAYS = (60, 30, 7)
#: A credential shows as "expiring" on the compliance page this many days ahead.
EXPIRING_WITHIN_DAYS = 60

CURRENT = "current"
EXPIRING = "expiring"
EXPIRED = "expired"
UNVERIFIED = "unverified"


def credential_state(*, expires_on: dt.date | None, verified: bool, today: dt.date) -> str:
    """One word for the compliance page; an expired credential is expired whether or not
    anyone verified it."""
    if expires_on is not None and expires_on < today:
        return EXPIRED
    if not verified:
        return UNVERIFIED
    if expires_on is not None and (expires_on - today).days <= EXPIRING_WITHIN_DAYS:
        return EXPIRING
    return CURRENT


def credential_counts(*, expires_on: dt.date | None, verified: bool, today: dt.date) -> bool:
    return credential_state(expires_on=expires_on, verified=verified, today=today) in (CURRENT, EXPIRING)


def peer_eligible(
    credentials: Iterable[tuple[dt.date | None, bool]], *, today: dt.date, credentials_required: bool
) -> bool:
    """May this peer take on new members? ``credentials`` are (expires_on, verified) pairs."""
    if not credentials_required:
        return True
    return any(credential_counts(expires_on=exp, verified=ver, today=today) for exp, ver in credentials)


def reminder_due(*, expires_on: dt.date | None, today: dt.date, already_sent: Iterable[int]) -> int | None:
    """The lead time (in days) of the reminder to send today, or None."""
    if expires_on is None:
        return None
    days_left = (expires_on - today).days
    if days_left < 0:
        return None
    sent = set(already_sent)
    due = [lead for lead in REMINDER_LEAD_DAYS if days_left <= lead and lead not in sent]
    if not due:
        return None
    most_urgent = min(due)
    # Once a nearer reminder went out, the earlier ones are stale: never send them late.
    if any(lead < most_urgent for lead in sent):
        return None
    return most_urgent


@dataclass(frozen=True)
class CEProgress:
    hours: Decimal
    ethics_hours: Decimal
    hours_required: Decimal
    ethics_required: Decimal

    @property
    def hours_left(self) -> Decimal:
        return max(Decimal(0), self.hours_required - self.hours)

    @property
    def ethics_left(self) -> Decimal:
        return max(Decimal(0), self.ethics_required - self.ethics_hours)

    @property
    def met(self) -> bool:
        return self.hours_left == 0 and self.ethics_left == 0

    @property
    def percent(self) -> int:
        if self.hours_required <= 0:
            return 100
        return min(100, int(self.hours * 100 / self.hours_required))


def ce_progress(
    entries: Iterable[tuple[Decimal, Decimal]], *, hours_required: Decimal, ethics_required: Decimal
) -> CEProgress:
    """``entries`` are (hours, ethics_hours) pairs logged against one credential."""
    hours = Decimal(0)
    ethics = Decimal(0)
    for h, e in entries:
        hours += h
        ethics += e
    return CEProgress(hours=hours, ethics_hours=ethics, hours_required=hours_required, ethics_required=ethics_required)


@dataclass(frozen=True)
class SupervisionStatus:
    minutes_in_window: int
    window_start: dt.date
    required_minutes: int
    last_session_on: dt.date | None
    overdue_since: dt.date | None  # None when on track (or still in the first period)
    due_by: dt.date | None  # when on track: the day it lapses if nothing new is logged

    @property
    def overdue(self) -> bool:
        return self.overdue_since is not None


def _minutes_between(sessions: list[tuple[dt.date, int]], start: dt.date, end: dt.date) -> int:
    return sum(minutes for held_on, minutes in sessions if start <= held_on <= end)


def supervision_status(
    sessions: Iterable[tuple[dt.date, int]],
    *,
    required_minutes: int,
    every_days: int,
    today: dt.date,
    peer_since: dt.date,
) -> SupervisionStatus:
    """``sessions`` are (held_on, minutes) pairs the peer attended; future dates are ignored."""
    past = sorted((d, m) for d, m in sessions if d <= today)
    period = dt.timedelta(days=every_days - 1)
    window_start = today - period
    minutes = _minutes_between(past, window_start, today)
    last = past[-1][0] if past else None
    first_period_ends = peer_since + dt.timedelta(days=every_days)

    if minutes >= required_minutes:
        # Walk forward: the first day on which the window, with nothing new, falls short.
        due_by = None
        for ahead in range(1, every_days + 1):
            day = today + dt.timedelta(days=ahead)
            if _minutes_between(past, day - period, day) < required_minutes:
                due_by = day
                break
        return SupervisionStatus(minutes, window_start, required_minutes, last, None, due_by)

    if today < first_period_ends:
        return SupervisionStatus(minutes, window_start, required_minutes, last, None, first_period_ends)

    # Walk back to the last day the window was met; overdue since the day after.
    overdue_since = first_period_ends
    if last is None:
        return SupervisionStatus(minutes, window_start, required_minutes, last, overdue_since, None)
    # No window can be met after the last session has left it, so start there.
    day = min(today - dt.timedelta(days=1), last + period)
    while day >= first_period_ends:
        if _minutes_between(past, day - period, day) >= required_minutes:
            overdue_since = day + dt.timedelta(days=1)
            break
        day -= dt.timedelta(days=1)
    return SupervisionStatus(minutes, window_start, required_minutes, last, overdue_since, None)
