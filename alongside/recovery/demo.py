"""Recovery demo content for the cast: Riley's profile, clocks, a month of check-ins, a goal,
a plan with two versions, a recovery check-up and one journal entry.

Rows are written directly (not through services) so that seeding raises no alerts and the
demo's alert queue shows only the safety demo's own alert.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from alongside.accounts import services as accounts_services
from alongside.accounts.models import ConsentScope, Program, User
from alongside.lib.tz import local_date, start_of_day, zone_of
from alongside.recovery import instruments
from alongside.recovery.models import (
    Assessment,
    CheckIn,
    Clock,
    Goal,
    GoalComment,
    GoalStep,
    JournalEntry,
    PlanVersion,
    RecoveryProfile,
    ReturnToUse,
)

PLAN_V1: dict[str, Any] = {
    "warning_signs": ["Skipping meals", "Staying up past 1 am", "Not answering Sam"],
    "triggers": ["Payday Fridays", "Arguments with my brother"],
    "coping": ["Call someone on my list", "Walk the dog around the block", "Go to the 7 pm meeting at St. Anne's"],
    "people": [{"name": "Sam (peer)", "phone": "1-714-555-0101", "when": "Any evening"}],
    "places": ["The library on 5th", "Harbor drop-in centre"],
    "reasons": ["Being there for my daughter", "Waking up clear-headed"],
    "if_i_use": "Tell Sam the same day. Eat, drink water, sleep. Go to a meeting the next day.",
}


def seed_recovery_demo(people: dict[str, User], harbor: Program) -> None:
    riley = people["riley"]
    if RecoveryProfile.objects.filter(user=riley).exists():
        return
    now = timezone.now()
    zone = zone_of(riley)
    today = local_date(now, zone)
    started = today - dt.timedelta(days=93)
    RecoveryProfile.objects.create(
        user=riley,
        recovery_started_on=today - dt.timedelta(days=400),
        substances=["alcohol", "cannabis"],
        pathways=["smart", "twelve_step"],
        languages=["en", "es"],
        support_wanted=["peer", "meetings", "cravings"],
        reminder_time=dt.time(20, 0),
        onboarded_at=now - dt.timedelta(days=120),
    )
    first_ended = start_of_day(started - dt.timedelta(days=1), zone)
    first = Clock.objects.create(
        user=riley,
        label="Alcohol",
        started_at=start_of_day(today - dt.timedelta(days=400), zone),
        ended_at=first_ended,
        share_milestones=True,
        created_at=now - dt.timedelta(days=120),
    )
    Clock.objects.create(
        user=riley,
        series=first.series,
        label="Alcohol",
        started_at=start_of_day(started, zone),
        share_milestones=True,
        created_at=now - dt.timedelta(days=93),
    )
    ReturnToUse.objects.create(
        user=riley,
        series=first.series,
        clock=first,
        occurred_at=first_ended,
        restarted=True,
        note="Work party. Told Sam the next morning.",
    )
    Clock.objects.create(
        user=riley, label="Cannabis", started_at=start_of_day(today - dt.timedelta(days=40), zone), created_at=now
    )
    rng = random.Random(7)  # noqa: S311 - demo numbers, not security
    CheckIn.objects.bulk_create(
        CheckIn(
            user=riley,
            local_date=today - dt.timedelta(days=back),
            mood=rng.choice([2, 3, 3, 4, 4, 4, 5]),
            craving=rng.choice([0, 1, 2, 2, 3, 4, 6]),
            triggers=rng.sample(["stress", "people", "sleep", "money", "boredom"], k=rng.choice([0, 1, 1, 2])),
            sleep_quality=rng.choice([2, 3, 4, 4, 5]),
            note=rng.choice(["", "", "Good meeting tonight.", "Long shift.", "Called my sister."]),
        )
        for back in range(1, 31)
        if back not in (9, 17)
    )
    goal = Goal.objects.create(
        user=riley,
        title="Go to three meetings a week",
        why="Meetings are where I feel least alone.",
        target_date=today + dt.timedelta(days=5),
        shared_with_peer=True,
        progress=33,
    )
    GoalStep.objects.bulk_create(
        [
            GoalStep(goal=goal, text="Monday 7 pm, St. Anne's", order=0, done_at=now - dt.timedelta(days=1)),
            GoalStep(goal=goal, text="Wednesday online SMART meeting", order=1),
            GoalStep(goal=goal, text="Saturday morning group", order=2),
        ]
    )
    GoalComment.objects.create(goal=goal, author=people["sam"], author_label="sam", text="Proud of you for Monday!")
    PlanVersion.objects.create(user=riley, number=1, content=PLAN_V1, created_at=now - dt.timedelta(days=60))
    PlanVersion.objects.create(
        user=riley,
        number=2,
        content={**PLAN_V1, "coping": [*PLAN_V1["coping"], "Breathe slowly: in for 4, hold for 4, out for 6"]},
        created_at=now - dt.timedelta(days=10),
    )
    answers = [5, 4, 5, 4, 5, 3, 4, 5, 4, 4]
    result = instruments.score("barc10", answers)
    Assessment.objects.create(
        user=riley,
        program=harbor,
        instrument="barc10",
        answers=answers,
        total=result.total,
        band=result.band or "",
        completed_at=now - dt.timedelta(days=80),
    )
    written = now - dt.timedelta(days=5)  # day 88 of the running clock: "day 90 soon"
    JournalEntry.objects.create(
        user=riley,
        title="Day 90 soon",
        body="Nervous and proud. Writing this just for me.",
        created_at=written,
        updated_at=written,
    )
    accounts_services.consent_set(member=riley, program=harbor, scope=ConsentScope.PLAN_PEER, granted=True)
