"""Access-matrix rows for the recovery API and the assessment pages.

Plain tuples ``(key, url_callable, expect, method, data, json)`` for
``tests/security/test_access_matrix.py`` to wrap in its ``Row``. Keys are the URL name
(pages) or ``"METHOD /api/v1/path"`` exactly as the OpenAPI schema spells it.

The journey is the person's own, as on the pages: every signed-in person reads and writes
their own records (a peer's check-in is theirs too), and an id that is not theirs is a 404
for everyone, staff included. The one cross-person read is a peer's consented view of a
member's check-ins: outsider 404, any other role 403.

Riley's objects come from the demo seed (``alongside/recovery/demo.py``).
"""

from __future__ import annotations

import datetime as dt

LOGIN = "login"
PERSONAS = ["anonymous", "riley", "sam", "dana", "alex", "jordan", "casey"]
SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]
# A day every persona's clock-zone agrees is in the past, and after Riley's running clock
# started (93 days ago in the demo): two days back leaves room for any UTC offset.
RECENTLY = (dt.date.today() - dt.timedelta(days=2)).isoformat()  # noqa: DTZ011 - a date with two days' slack


def own(status: int) -> dict[str, int | str]:
    """Everyone signed in gets ``status`` on their own records; anonymous gets 401."""
    return {"anonymous": 401, **dict.fromkeys(SIGNED_IN, status)}


def rileys(status: int) -> dict[str, int | str]:
    """Riley's object: Riley gets ``status``; everyone else, staff included, 404."""
    return {"anonymous": 401, **dict.fromkeys(SIGNED_IN, 404), "riley": status}


def own_page(status: int = 200) -> dict[str, int | str]:
    return {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN, status)}


def rileys_page(status: int = 200) -> dict[str, int | str]:
    return {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN, 404), "riley": status}


def riley_clock(cast):
    from alongside.recovery.models import Clock

    return Clock.objects.filter(user=cast.riley, label="Alcohol", ended_at__isnull=True).get()


def riley_goal(cast):
    from alongside.recovery.models import Goal

    return Goal.objects.filter(user=cast.riley).order_by("pk").first()


def riley_step(cast):
    return riley_goal(cast).steps.order_by("pk").first()


def riley_assessment(cast):
    from alongside.recovery.models import Assessment

    return Assessment.objects.filter(user=cast.riley).first()


def riley_entry(cast):
    from alongside.recovery.models import JournalEntry

    return JournalEntry.objects.filter(user=cast.riley).first()


V = "/api/v1"

API_ROWS = [
    # Profile.
    ("GET /api/v1/me/recovery-profile", lambda c: f"{V}/me/recovery-profile", own(200), "get", {}, False),
    (
        "PUT /api/v1/me/recovery-profile",
        lambda c: f"{V}/me/recovery-profile",
        own(200),
        "put",
        {"support_note": "Evenings are hardest.", "pathways": ["smart"]},
        True,
    ),
    # Clocks.
    ("GET /api/v1/clocks", lambda c: f"{V}/clocks", own(200), "get", {}, False),
    (
        "POST /api/v1/clocks",
        lambda c: f"{V}/clocks",
        own(201),
        "post",
        {"label": "Nicotine", "started_on": "2024-01-01"},
        True,
    ),
    ("GET /api/v1/clocks/{clock_id}", lambda c: f"{V}/clocks/{riley_clock(c).pk}", rileys(200), "get", {}, False),
    (
        "POST /api/v1/clocks/{clock_id}/returns",
        lambda c: f"{V}/clocks/{riley_clock(c).pk}/returns",
        rileys(201),
        "post",
        {"occurred_on": RECENTLY, "restart": True, "note": "Told Sam."},
        True,
    ),
    (
        "POST /api/v1/clocks/{clock_id}/milestones/{key}",
        lambda c: f"{V}/clocks/{riley_clock(c).pk}/milestones/30d",
        rileys(200),
        "post",
        {"share": True},
        True,
    ),
    # Check-ins.
    ("GET /api/v1/checkins", lambda c: f"{V}/checkins", own(200), "get", {}, False),
    ("POST /api/v1/checkins", lambda c: f"{V}/checkins", own(201), "post", {"mood": 4, "craving": 1}, True),
    ("GET /api/v1/checkins/today", lambda c: f"{V}/checkins/today", own(200), "get", {}, False),
    ("GET /api/v1/checkins/trends", lambda c: f"{V}/checkins/trends?days=7", own(200), "get", {}, False),
    (
        "GET /api/v1/members/{user_id}/checkins",
        lambda c: f"{V}/members/{c.riley.pk}/checkins?days=30",
        {"anonymous": 401, "casey": 404, "riley": 403, "dana": 403, "alex": 403, "jordan": 403, "sam": 200},
        "get",
        {},
        False,
    ),
    # Goals.
    ("GET /api/v1/goals", lambda c: f"{V}/goals", own(200), "get", {}, False),
    ("POST /api/v1/goals", lambda c: f"{V}/goals", own(201), "post", {"title": "Walk every morning"}, True),
    ("GET /api/v1/goals/{goal_id}", lambda c: f"{V}/goals/{riley_goal(c).pk}", rileys(200), "get", {}, False),
    (
        "PATCH /api/v1/goals/{goal_id}",
        lambda c: f"{V}/goals/{riley_goal(c).pk}",
        rileys(200),
        "patch",
        {"why": "Meetings help."},
        True,
    ),
    (
        "POST /api/v1/goals/{goal_id}/steps",
        lambda c: f"{V}/goals/{riley_goal(c).pk}/steps",
        rileys(201),
        "post",
        {"text": "Sunday group"},
        True,
    ),
    (
        "PATCH /api/v1/goals/{goal_id}/steps/{step_id}",
        lambda c: f"{V}/goals/{riley_goal(c).pk}/steps/{riley_step(c).pk}",
        rileys(200),
        "patch",
        {"done": True},
        True,
    ),
    (
        "POST /api/v1/goals/{goal_id}/comments",
        lambda c: f"{V}/goals/{riley_goal(c).pk}/comments",
        rileys(201),
        "post",
        {"text": "Two this week."},
        True,
    ),
    # Plan.
    ("GET /api/v1/plan", lambda c: f"{V}/plan", own(200), "get", {}, False),
    ("PUT /api/v1/plan", lambda c: f"{V}/plan", own(200), "put", {"coping": ["Call someone on my list"]}, True),
    ("GET /api/v1/plan/versions", lambda c: f"{V}/plan/versions", own(200), "get", {}, False),
    # Assessments.
    ("GET /api/v1/assessments/instruments", lambda c: f"{V}/assessments/instruments", own(200), "get", {}, False),
    (
        "GET /api/v1/assessments/instruments/{code}/fhir",
        lambda c: f"{V}/assessments/instruments/barc10/fhir",
        own(200),
        "get",
        {},
        False,
    ),
    ("GET /api/v1/assessments", lambda c: f"{V}/assessments", own(200), "get", {}, False),
    (
        "POST /api/v1/assessments",
        lambda c: f"{V}/assessments",
        own(201),
        "post",
        {"instrument": "barc10", "answers": [4] * 10},
        True,
    ),
    (
        "GET /api/v1/assessments/{assessment_id}",
        lambda c: f"{V}/assessments/{riley_assessment(c).pk}",
        rileys(200),
        "get",
        {},
        False,
    ),
    (
        "GET /api/v1/assessments/{assessment_id}/fhir",
        lambda c: f"{V}/assessments/{riley_assessment(c).pk}/fhir",
        rileys(200),
        "get",
        {},
        False,
    ),
    # Journal: the member's alone.
    ("GET /api/v1/journal", lambda c: f"{V}/journal", own(200), "get", {}, False),
    ("POST /api/v1/journal", lambda c: f"{V}/journal", own(201), "post", {"body": "A good day."}, True),
    ("GET /api/v1/journal/{entry_id}", lambda c: f"{V}/journal/{riley_entry(c).pk}", rileys(200), "get", {}, False),
    (
        "PATCH /api/v1/journal/{entry_id}",
        lambda c: f"{V}/journal/{riley_entry(c).pk}",
        rileys(200),
        "patch",
        {"title": "Day 90"},
        True,
    ),
    (
        "DELETE /api/v1/journal/{entry_id}",
        lambda c: f"{V}/journal/{riley_entry(c).pk}",
        rileys(204),
        "delete",
        {},
        False,
    ),
]

PAGE_ROWS = [
    ("assessments", lambda c: "/assessments/", own_page(), "get", {}, False),
    ("assessment_take", lambda c: "/assessments/barc10/", own_page(), "get", {}, False),
    (
        "assessment_result",
        lambda c: f"/assessments/r/{riley_assessment(c).pk}/",
        rileys_page(),
        "get",
        {},
        False,
    ),
    (
        "assessment_fhir",
        lambda c: f"/assessments/r/{riley_assessment(c).pk}/fhir.json",
        rileys_page(),
        "get",
        {},
        False,
    ),
]
