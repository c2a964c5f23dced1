"""A peer's caseload ordered by need: pure, no Django, tested on its own.

The selector gathers a few facts per member (``MemberFacts``) in a fixed number of
queries; ``order`` turns them into rows, most in need first, each with the reasons in a
form the page can put into plain words (``Reason.code`` + ``Reason.values``).

The order, as the issue sets it: open alerts first (crisis before concern), then missed
check-ins, rising cravings, an upcoming milestone, and finally the longest time since
anyone last logged a contact (never contacted counts as longest).

- **Missed check-ins**: the last check-in was more than ``MISSED_AFTER_DAYS`` days ago and
  the member *usually* checks in, by the same habit rule the check-in alerts use
  (``recovery.risk.usually_checks_in``: at least 7 of the 14 days before the gap). A
  person who checks in now and then is not "missing" anything.
- **Rising cravings**: the average craving of the last 7 days (today included) is at
  least ``CRAVING_RISE`` above the 7 days before, or any craving in the last 7 days
  reached ``CRAVING_HIGH``.
- **Milestone soon**: a running clock whose member shares milestones reaches its next
  milestone within ``MILESTONE_WITHIN_DAYS`` days.

Check-in facts exist only for members who share check-ins with their peer; the selector
leaves them empty otherwise and the row says "check-ins not shared". Reasons built from
check-ins carry ``from_checkins=True`` so a view that may show the reason but not the
numbers (a supervisor's) can drop the values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from alongside.recovery.risk import usually_checks_in

MISSED_AFTER_DAYS = 2
CRAVING_RISE = 2.0
CRAVING_HIGH = 8
MILESTONE_WITHIN_DAYS = 7
RECENT_DAYS = 7
#: How far back the selector needs check-ins: two craving windows, or the habit window
#: before a gap that is still worth showing.
CHECKIN_LOOKBACK_DAYS = 30

# Reason codes, in the order the page shows them.
OPEN_ALERTS = "open_alerts"
MISSED_CHECKINS = "missed_checkins"
CRAVINGS_RISING = "cravings_rising"
CRAVING_HIGH_CODE = "craving_high"
MILESTONE_SOON = "milestone_soon"
LAST_CONTACT = "last_contact"
NO_CONTACT = "no_contact"
CHECKINS_NOT_SHARED = "checkins_not_shared"


@dataclass(frozen=True)
class CheckinDay:
    local_date: dt.date
    mood: int
    craving: int


@dataclass(frozen=True)
class UpcomingMilestone:
    clock_label: str
    key: str  # a milestones.py key: "30d", "1y", ...
    due_on: dt.date  # in the member's zone


@dataclass(frozen=True)
class MemberFacts:
    member_id: int
    handle: str
    today: dt.date  # the member's own today
    open_alerts: int = 0
    crisis_alerts: int = 0
    checkins_shared: bool = False
    checkins: Sequence[CheckinDay] = ()  # empty unless shared
    milestones: Sequence[UpcomingMilestone] = ()  # next milestone of each shared running clock
    last_contact_on: dt.date | None = None


@dataclass(frozen=True)
class Reason:
    code: str
    values: Mapping[str, object] = field(default_factory=dict)
    from_checkins: bool = False
    urgent: bool = True  # False for the informational ones (last contact, not shared)


@dataclass(frozen=True)
class CaseloadRow:
    member_id: int
    handle: str
    reasons: tuple[Reason, ...]
    days_since_contact: int | None
    latest_checkin: CheckinDay | None  # only when shared

    @property
    def needs_attention(self) -> bool:
        return any(reason.urgent for reason in self.reasons)


@dataclass(frozen=True)
class _Signals:
    missed_days: int | None
    recent_avg: float | None
    before_avg: float | None
    recent_max: int | None
    rising: bool
    high: bool
    milestone: UpcomingMilestone | None


def _average(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def _signals(facts: MemberFacts) -> _Signals:
    today = facts.today
    days = sorted(facts.checkins, key=lambda day: day.local_date) if facts.checkins_shared else []
    missed_days = None
    if days:
        last = days[-1].local_date
        since = (today - last).days
        dates = [day.local_date for day in days]
        if since > MISSED_AFTER_DAYS and usually_checks_in(dates, before=last + dt.timedelta(days=1)):
            missed_days = since
    recent_start = today - dt.timedelta(days=RECENT_DAYS - 1)
    before_start = recent_start - dt.timedelta(days=RECENT_DAYS)
    recent = [day.craving for day in days if recent_start <= day.local_date <= today]
    before = [day.craving for day in days if before_start <= day.local_date < recent_start]
    recent_avg, before_avg = _average(recent), _average(before)
    rising = recent_avg is not None and before_avg is not None and recent_avg - before_avg >= CRAVING_RISE
    recent_max = max(recent) if recent else None
    high = recent_max is not None and recent_max >= CRAVING_HIGH
    upcoming = [m for m in facts.milestones if 0 <= (m.due_on - today).days <= MILESTONE_WITHIN_DAYS]
    milestone = min(upcoming, key=lambda m: (m.due_on, m.clock_label)) if upcoming else None
    return _Signals(missed_days, recent_avg, before_avg, recent_max, rising, high, milestone)


def _reasons(facts: MemberFacts, signals: _Signals, days_since_contact: int | None) -> tuple[Reason, ...]:
    reasons: list[Reason] = []
    if facts.open_alerts:
        reasons.append(Reason(OPEN_ALERTS, {"count": facts.open_alerts, "crisis": facts.crisis_alerts}))
    if signals.missed_days is not None:
        reasons.append(Reason(MISSED_CHECKINS, {"days": signals.missed_days}, from_checkins=True))
    if signals.rising:
        reasons.append(
            Reason(
                CRAVINGS_RISING,
                {"recent": signals.recent_avg, "before": signals.before_avg},
                from_checkins=True,
            )
        )
    if signals.high:
        reasons.append(Reason(CRAVING_HIGH_CODE, {"highest": signals.recent_max}, from_checkins=True))
    if signals.milestone is not None:
        m = signals.milestone
        reasons.append(
            Reason(
                MILESTONE_SOON,
                {"clock": m.clock_label, "key": m.key, "days": (m.due_on - facts.today).days},
            )
        )
    if not facts.checkins_shared:
        reasons.append(Reason(CHECKINS_NOT_SHARED, urgent=False))
    if days_since_contact is None:
        reasons.append(Reason(NO_CONTACT, urgent=False))
    else:
        reasons.append(Reason(LAST_CONTACT, {"days": days_since_contact}, urgent=False))
    return tuple(reasons)


def order(members: Iterable[MemberFacts]) -> list[CaseloadRow]:
    """Rows, most in need first; ties fall back to the handle so the order is stable."""
    keyed = []
    for facts in members:
        signals = _signals(facts)
        days_since_contact = (
            max(0, (facts.today - facts.last_contact_on).days) if facts.last_contact_on is not None else None
        )
        key = (
            -facts.crisis_alerts,
            -facts.open_alerts,
            0 if signals.missed_days is not None else 1,
            -(signals.missed_days or 0),
            0 if (signals.rising or signals.high) else 1,
            -((signals.recent_avg or 0) - (signals.before_avg or 0)) if signals.rising else 0,
            0 if signals.milestone is not None else 1,
            (signals.milestone.due_on - facts.today).days if signals.milestone is not None else 0,
            # Never contacted is the longest wait of all.
            -(days_since_contact if days_since_contact is not None else 10**6),
            facts.handle.lower(),
            facts.member_id,
        )
        shared_days = sorted(facts.checkins, key=lambda day: day.local_date) if facts.checkins_shared else []
        row = CaseloadRow(
            member_id=facts.member_id,
            handle=facts.handle,
            reasons=_reasons(facts, signals, days_since_contact),
            days_since_contact=days_since_contact,
            latest_checkin=shared_days[-1] if shared_days else None,
        )
        keyed.append((key, row))
    keyed.sort(key=lambda pair: pair[0])
    return [row for _key, row in keyed]
