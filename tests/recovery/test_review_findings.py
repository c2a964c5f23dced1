"""Defects found in review of the recovery journey, each proven by a test before its fix."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from alongside.accounts import services as accounts_services
from alongside.accounts.models import ConsentScope
from alongside.recovery import services
from alongside.recovery.models import Assessment, PlanVersion, RecoveryProfile


def _set_zone(user, name: str) -> None:
    user.time_zone = name
    user.save(update_fields=["time_zone"])


def _json(client, method: str, path: str, body):
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


# --- hostile dates: year 1 in a zone east of UTC ----------------------------------------------


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "UTC"])
def test_a_start_date_in_year_one_is_a_form_error_not_a_500(cast, client_as, zone):
    _set_zone(cast.riley, zone)
    client = client_as("riley")
    response = client.post("/clocks/", {"label": "Alcohol", "started_on": "0001-01-01"})
    assert response.status_code in (200, 400)
    assert response.context["form"].errors
    response = client.post(
        "/recovery/profile/", {"recovery_started_on": "0001-01-01", "time_zone": "Asia/Tokyo", "languages": ["en"]}
    )
    assert response.status_code in (200, 400)
    assert response.context["form"].errors


def test_a_start_date_in_year_one_is_a_422_in_the_api(cast, client_as):
    _set_zone(cast.riley, "Asia/Tokyo")
    client = client_as("riley")
    response = _json(client, "post", "/api/v1/clocks", {"label": "Alcohol", "started_on": "0001-01-01"})
    assert response.status_code == 422, response.content[:300]
    response = _json(client, "put", "/api/v1/me/recovery-profile", {"recovery_started_on": "0001-01-02"})
    assert response.status_code == 422, response.content[:300]


# --- safety: a crisis note on a check-in the form could not save yet ----------------------------

CRISIS_NOTE = "I want to kill myself tonight"


def test_a_crisis_note_shows_the_crisis_lines_even_when_the_form_needs_fixing(cast, client_as):
    # Mood forgotten: the check-in cannot be saved yet, but what they wrote cannot wait.
    response = client_as("riley").post("/checkin/", {"craving": "3", "note": CRISIS_NOTE})
    html = response.content.decode()
    assert response.context["form"].errors
    assert "We are here with you" in html
    assert CRISIS_NOTE in html  # what they typed is kept


def test_an_ordinary_note_on_a_form_that_needs_fixing_shows_no_crisis_lines(cast, client_as):
    response = client_as("riley").post("/checkin/", {"craving": "3", "note": "Long shift."})
    assert "We are here with you" not in response.content.decode()


# --- i18n: what a person sees is in their language --------------------------------------------


def test_trigger_names_in_trends_are_translated(cast, client_as):
    services.checkin_record(user=cast.riley, mood=3, craving=2, triggers=["stress"])
    html = client_as("riley").get("/checkins/?days=7", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Estrés" in html
    assert "Stress:" not in html


def test_the_peer_sees_assessment_ranges_in_words_not_codes(cast, client_as):
    accounts_services.consent_set(
        member=cast.riley, program=cast.harbor, scope=ConsentScope.ASSESSMENTS_PEER, granted=True
    )
    services.assessment_submit(user=cast.riley, instrument="phq9", answers=[2, 2, 2, 2, 2, 2, 2, 2, 0])
    assert Assessment.objects.filter(user=cast.riley, band="moderately_severe").exists()
    html = client_as("sam").get(f"/p/harbor/people/{cast.riley.pk}/recovery/").content.decode()
    assert "moderately_severe" not in html
    assert "Moderately severe" in html


# --- time zones ---------------------------------------------------------------------------------


def test_a_phq9_alert_names_the_members_own_day(cast):
    # 03:00 UTC on 1 January is still 31 December in Los Angeles.
    _set_zone(cast.riley, "America/Los_Angeles")
    now = dt.datetime(2025, 1, 1, 3, 0, tzinfo=dt.UTC)
    result = services.assessment_submit(
        user=cast.riley, instrument="phq9", answers=[0, 0, 0, 0, 0, 0, 0, 0, 1], now=now
    )
    assert result.alerts
    assert all("2024-12-31" in alert.source_label for alert in result.alerts)


# --- goal progress ------------------------------------------------------------------------------


def test_reopening_a_goal_with_steps_puts_progress_back_on_its_steps(cast):
    goal = services.goal_create(user=cast.riley, title="Meetings", steps=["one", "two", "three", "four"])
    first = goal.steps.first()
    services.goal_step_set(step=first, user=cast.riley, done=True)
    goal.refresh_from_db()
    services.goal_update(goal=goal, user=cast.riley, status="done")
    goal.refresh_from_db()
    assert goal.progress == 100
    services.goal_update(goal=goal, user=cast.riley, status="active")
    goal.refresh_from_db()
    assert goal.progress == 25


def test_adding_a_step_marks_the_goal_as_changed(cast):
    goal = services.goal_create(user=cast.riley, title="Meetings", now=timezone.now() - dt.timedelta(days=3))
    before = goal.updated_at
    services.goal_step_add(goal=goal, user=cast.riley, text="Find one near work")
    goal.refresh_from_db()
    assert goal.updated_at > before


# --- saves name their fields ---------------------------------------------------------------------


def test_profile_save_writes_only_its_own_fields(cast, monkeypatch):
    seen: list = []
    original = RecoveryProfile.save

    def spy(self, *args, **kwargs):
        seen.append(kwargs.get("update_fields"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(RecoveryProfile, "save", spy)
    services.profile_save(user=cast.riley, recovery_started_on=None)
    assert seen and all(fields for fields in seen)


# --- lists do not grow their queries with their length ------------------------------------------


def _queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured.captured_queries)


def _more_goals(cast, count: int) -> None:
    for index in range(count):
        goal = services.goal_create(user=cast.riley, title=f"Goal {index}", shared_with_peer=True, steps=["a", "b"])
        services.goal_comment_add(goal=goal, author=cast.sam, text="Go on!")


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("riley", "/goals/"),
        ("riley", "/api/v1/goals"),
        ("sam", "/p/harbor/people/{riley}/recovery/"),
    ],
)
def test_goal_lists_do_not_grow_their_queries(cast, client_as, who, path):
    client = client_as(who)
    path = path.format(riley=cast.riley.pk)
    _more_goals(cast, 1)
    few = _queries(client, path)
    _more_goals(cast, 8)
    assert _queries(client, path) <= few


@pytest.mark.parametrize(
    "path",
    [
        "/checkins/",
        "/journal/",
        "/plan/history/",
        "/assessments/",
        "/clocks/",
        "/api/v1/checkins",
        "/api/v1/journal",
        "/api/v1/assessments",
        "/api/v1/plan/versions",
        "/api/v1/clocks",
    ],
)
def test_history_lists_do_not_grow_their_queries(cast, client_as, path):
    client = client_as("riley")
    few = _queries(client, path)
    for index in range(6):
        services.journal_write(user=cast.riley, body=f"entry {index}")
        services.plan_save(user=cast.riley, content={"reasons": [f"reason {index}"]})
        services.assessment_submit(user=cast.riley, instrument="barc10", answers=[4] * 10)
        services.clock_start(user=cast.riley, label=f"Clock {index}", started_on=dt.date(2024, 1, 1))
    assert _queries(client, path) <= few


# --- hostile input never makes a 500 --------------------------------------------------------------

HUGE = 10**30
HOSTILE_VALUES = [None, True, -1, HUGE, -HUGE, 1.5, "", "x" * 100_000, "\x00", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🎉", [], {}, ["\x00"]]


def _api_writes(cast) -> list[tuple[str, str, dict]]:
    clock = services.clock_start(user=cast.riley, label="Alcohol", started_on=dt.date(2024, 1, 1))
    goal = services.goal_create(user=cast.riley, title="Walk", steps=["one"])
    step = goal.steps.get()
    entry = services.journal_write(user=cast.riley, body="hello")
    return [
        ("put", "/api/v1/me/recovery-profile", {"recovery_started_on": "2024-01-01", "time_zone": "UTC"}),
        ("post", "/api/v1/clocks", {"label": "Gambling", "started_on": "2024-01-01"}),
        ("post", f"/api/v1/clocks/{clock.pk}/returns", {"occurred_on": "2024-02-01", "restart": False}),
        ("post", f"/api/v1/clocks/{clock.pk}/milestones/30d", {"share": False}),
        ("post", "/api/v1/checkins", {"mood": 3, "craving": 2}),
        ("post", "/api/v1/goals", {"title": "Call my sponsor"}),
        ("patch", f"/api/v1/goals/{goal.pk}", {"title": "Walk daily"}),
        ("post", f"/api/v1/goals/{goal.pk}/steps", {"text": "two"}),
        ("patch", f"/api/v1/goals/{goal.pk}/steps/{step.pk}", {"done": True}),
        ("post", f"/api/v1/goals/{goal.pk}/comments", {"text": "note"}),
        ("put", "/api/v1/plan", {"reasons": ["my kids"]}),
        ("post", "/api/v1/assessments", {"instrument": "barc10", "answers": [4] * 10}),
        ("post", "/api/v1/journal", {"body": "hello"}),
        ("patch", f"/api/v1/journal/{entry.pk}", {"body": "hello again"}),
    ]


def test_hostile_api_bodies_get_a_4xx_never_a_500(cast, client_as):
    client = client_as("riley")
    client.raise_request_exception = False
    for method, path, good in _api_writes(cast):
        for name in good:
            for value in HOSTILE_VALUES:
                response = _json(client, method, path, {**good, name: value})
                assert response.status_code < 500, (method, path, name, repr(value)[:40], response.content[:300])


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/clocks/{huge}",
        "/api/v1/goals/{huge}",
        "/api/v1/journal/{huge}",
        "/api/v1/assessments/{huge}",
        "/api/v1/assessments/{huge}/fhir",
        "/api/v1/members/{huge}/checkins",
        "/api/v1/checkins/trends?days={huge}",
        "/clocks/{huge}/",
        "/goals/{huge}/",
        "/journal/{huge}/",
        "/assessments/r/{huge}/",
        "/p/harbor/people/{huge}/recovery/",
    ],
)
def test_huge_ids_are_a_404_not_a_500(cast, client_as, path):
    client = client_as("sam" if "people" in path or "members" in path else "riley")
    client.raise_request_exception = False
    response = client.get(path.format(huge=HUGE))
    assert response.status_code in (404, 422), response.status_code


def test_text_with_a_nul_character_is_refused_by_the_api_as_by_the_pages(cast, client_as):
    # PostgreSQL cannot store U+0000 in text: the pages refuse it (Django's forms do), so must the API.
    client = client_as("riley")
    response = _json(client, "post", "/api/v1/journal", {"body": "before\x00after"})
    assert response.status_code == 422, response.content[:300]
    response = _json(client, "post", "/api/v1/checkins", {"mood": 3, "craving": 1, "note": "a\x00b"})
    assert response.status_code == 422, response.content[:300]
    response = _json(client, "put", "/api/v1/plan", {"reasons": ["a\x00b"]})
    assert response.status_code == 422, response.content[:300]


# --- the plan: one window never silently undoes another ---------------------------------------------


def _plan_post(reasons: str, based_on: int) -> dict:
    return {
        "based_on": str(based_on),
        "reasons": reasons,
        "people-TOTAL_FORMS": "0",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "15",
    }


def test_saving_a_plan_opened_before_another_windows_save_does_not_overwrite_it(cast, client_as):
    client = client_as("riley")
    opened = client.get("/plan/edit/")
    number = opened.context["current"].number
    assert f'name="based_on" value="{number}"' in opened.content.decode()
    # Another window (or the phone) saves a change first.
    services.plan_save(user=cast.riley, content={"reasons": ["My daughter", "Waking up clear-headed"]})
    response = client.post("/plan/edit/", _plan_post("Only this", number))
    assert response.status_code == 400
    assert "changed in another window" in response.content.decode()
    assert "Only this" in response.content.decode()  # what they typed is kept
    latest = PlanVersion.objects.filter(user=cast.riley).first()
    assert latest.number == number + 1 and latest.content["reasons"] == ["My daughter", "Waking up clear-headed"]
    # Having seen the warning, saving again from the page keeps what they wrote.
    assert f'name="based_on" value="{number + 1}"' in response.content.decode()
    assert client.post("/plan/edit/", _plan_post("Only this", number + 1)).status_code == 302
    assert PlanVersion.objects.filter(user=cast.riley).first().content["reasons"] == ["Only this"]
