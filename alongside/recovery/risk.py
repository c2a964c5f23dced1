"""Risk rules that turn a member's check-ins into a reason for a human to reach out.

Pure: no Django. The caller passes the program's thresholds and the member's recent days;
``services.checkin_record`` raises the alert. Each rule says, in plain words, why it fired,
so the person who reaches out knows what to ask about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    craving_alert_at: int = 8
    missed_checkins_alert_after: int = 3
    low_mood_days: int = 2


@dataclass(frozen=True)
class Day:
    """What the rules need of one check-in."""

    local_date: dt.date
    mood: int
    craving: int
    used_today: bool
    wants_outreach: bool
    used_what: str = ""


@dataclass(frozen=True)
class RiskReason:
    rule: str
    phrase: str
    crisis: bool = False

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "phrase": self.phrase}


def checkin_risks(today: Day, earlier: Sequence[Day], thresholds: Thresholds) -> list[RiskReason]:
    """Reasons to reach out after today's check-in. ``earlier`` is the days before today,
    newest first (only consecutive calendar days count for the mood rule)."""
    reasons: list[RiskReason] = []
    if today.used_today:
        what = f" ({today.used_what})" if today.used_what else ""
        reasons.append(RiskReason("use_reported", f"used today{what}"))
    if today.craving >= thresholds.craving_alert_at:
        reasons.append(RiskReason("craving_high", f"craving {today.craving} of 10"))
    if today.wants_outreach:
        reasons.append(RiskReason("asked_for_outreach", "asked their peer to reach out"))
    if today.mood == 1 and _low_mood_run(today, earlier) >= thresholds.low_mood_days:
        reasons.append(RiskReason("low_mood_run", f"mood 1 of 5 for {thresholds.low_mood_days} days running"))
    return reasons


def _low_mood_run(today: Day, earlier: Sequence[Day]) -> int:
    run, expected = 1, today.local_date - dt.timedelta(days=1)
    for day in earlier:
        if day.local_date != expected or day.mood != 1:
            break
        run += 1
        expected -= dt.timedelta(days=1)
    return run


def usually_checks_in(dates: Sequence[dt.date], *, before: dt.date, days: int = 14, at_least: int = 7) -> bool:
    """Someone who checked in on at least half of the two weeks before a gap has a habit
    worth noticing when it breaks; a person who checks in now and then does not."""
    window_start = before - dt.timedelta(days=days)
    return sum(1 for date in set(dates) if window_start <= date < before) >= at_least


def missed_run(last_checkin: dt.date | None, today: dt.date) -> int:
    """Whole local days with no check-in since the last one, not counting today (the day
    is not over yet)."""
    if last_checkin is None:
        return 0
    return max(0, (today - last_checkin).days - 1)
