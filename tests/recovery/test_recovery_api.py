"""The recovery JSON API: each operation's happy path, its scoping, the peer's consent gate,
bad input in the one error shape, and cursor pagination."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from alongside.accounts import services as accounts_services
from alongside.accounts.models import AuditEvent, ConsentScope
from alongside.lib.tz import local_date, zone_of
from alongside.recovery import services
from alongside.recovery.models import Assessment, CheckIn, Clock, Goal, JournalEntry, MilestoneShare, PlanVersion
from alongside.safety.models import Alert, AlertKind, Severity


def _send(client: Client, method: str, path: str, body=None):
    if method in ("get", "delete"):
        return getattr(client, method)(path)
    return getattr(client, method)(
        path, data=json.dumps(body if body is not None else {}), content_type="application/json"
    )


def _error(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:400])
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    assert error["message"]
    return error


def _today(user) -> dt.date:
    return local_date(timezone.now(), zone_of(user))


def _riley_clock(cast, days_ago: int = 10, share: bool = False) -> Clock:
    return services.clock_start(
        user=cast.riley,
        label="Alcohol",
        started_on=_today(cast.riley) - dt.timedelta(days=days_ago),
        share_milestones=share,
    )


# --- the schema ------------------------------------------------------------------------------


def test_every_recovery_operation_is_in_the_openapi_schema(db, client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    expected = {
        "/api/v1/me/recovery-profile": {"get", "put"},
        "/api/v1/clocks": {"get", "post"},
        "/api/v1/clocks/{clock_id}": {"get"},
        "/api/v1/clocks/{clock_id}/returns": {"post"},
        "/api/v1/clocks/{clock_id}/milestones/{key}": {"post"},
        "/api/v1/checkins": {"get", "post"},
        "/api/v1/checkins/today": {"get"},
        "/api/v1/checkins/trends": {"get"},
        "/api/v1/members/{user_id}/checkins": {"get"},
        "/api/v1/goals": {"get", "post"},
        "/api/v1/goals/{goal_id}": {"get", "patch"},
        "/api/v1/goals/{goal_id}/steps": {"post"},
        "/api/v1/goals/{goal_id}/steps/{step_id}": {"patch"},
        "/api/v1/goals/{goal_id}/comments": {"post"},
        "/api/v1/plan": {"get", "put"},
        "/api/v1/plan/versions": {"get"},
        "/api/v1/assessments/instruments": {"get"},
        "/api/v1/assessments/instruments/{code}/fhir": {"get"},
        "/api/v1/assessments": {"get", "post"},
        "/api/v1/assessments/{assessment_id}": {"get"},
        "/api/v1/assessments/{assessment_id}/fhir": {"get"},
        "/api/v1/journal": {"get", "post"},
        "/api/v1/journal/{entry_id}": {"get", "patch", "delete"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
    fhir = paths["/api/v1/assessments/{assessment_id}/fhir"]["get"]["responses"]["200"]["content"]
    assert "application/fhir+json" in fhir


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/me/recovery-profile"),
        ("get", "/api/v1/clocks"),
        ("post", "/api/v1/checkins"),
        ("get", "/api/v1/goals"),
        ("get", "/api/v1/plan"),
        ("get", "/api/v1/assessments"),
        ("get", "/api/v1/journal"),
    ],
)
def test_anonymous_gets_401_in_the_error_shape(db, client, method, path):
    assert _error(_send(client, method, path), 401)["code"] == "not_authenticated"


# --- profile ---------------------------------------------------------------------------------


def test_profile_read_and_first_save_starts_a_clock(cast, client_as):
    casey = client_as("casey")  # Riley's profile comes with the demo; Casey has none yet
    assert casey.get("/api/v1/me/recovery-profile").json()["onboarded"] is False
    # The clock counts days where the profile says Casey lives, so "40 days ago" is
    # reckoned there (Phoenix and Chicago are on different dates for an hour each night).
    chicago_today = local_date(timezone.now(), ZoneInfo("America/Chicago"))
    started = (chicago_today - dt.timedelta(days=40)).isoformat()
    response = _send(
        casey,
        "put",
        "/api/v1/me/recovery-profile",
        {
            "recovery_started_on": started,
            "substances": ["alcohol", "my own words"],
            "pathways": ["smart"],
            "support_wanted": ["meetings"],
            "reminder_time": "20:30",
            "time_zone": "America/Chicago",
        },
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["onboarded"] is True
    assert data["substances"] == ["alcohol", "my own words"]
    assert data["time_zone"] == "America/Chicago"
    clocks = casey.get("/api/v1/clocks").json()
    assert [c["elapsed_days"] for c in clocks] == [40]
    assert client_as("riley").get("/api/v1/me/recovery-profile").json()["pathways"] == ["smart", "twelve_step"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"pathways": ["pub crawl"]}, "pathways.0"),
        ({"recovery_started_on": "2999-01-01"}, "recovery_started_on"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"support_note": "x" * 301}, "support_note"),
        ({"reminder_time": "25:99"}, "reminder_time"),
    ],
)
def test_profile_bad_input_names_the_field(cast, client_as, body, field):
    error = _error(_send(client_as("riley"), "put", "/api/v1/me/recovery-profile", body), 422)
    assert field in error["fields"], error


# --- clocks ----------------------------------------------------------------------------------


def test_start_a_clock_and_read_its_milestones(cast, client_as):
    riley = client_as("riley")
    started_on = (_today(cast.riley) - dt.timedelta(days=31)).isoformat()
    response = _send(riley, "post", "/api/v1/clocks", {"label": "Alcohol", "started_on": started_on})
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["elapsed_days"] == 31
    assert created["reached_milestones"] == ["24h", "7d", "30d"]
    assert created["next_milestone"]["key"] == "60d"
    assert created["running"] is True
    assert created["stretches"] == [
        {
            "clock_id": created["id"],
            "started_at": created["started_at"],
            "ended_at": None,
            "days": 31,
            "running": True,
        }
    ]
    assert created["longest_days"] == created["total_days"] == 31
    detail = riley.get(f"/api/v1/clocks/{created['id']}").json()
    assert detail["next_milestone"]["key"] == "60d"
    assert created["id"] in [c["id"] for c in riley.get("/api/v1/clocks").json()]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"label": "   ", "started_on": "2024-01-01"}, "label"),
        ({"label": "Alcohol", "started_on": "2999-01-01"}, "started_on"),
        ({"label": "Alcohol", "started_on": "yesterday"}, "started_on"),
        ({"label": "x" * 61, "started_on": "2024-01-01"}, "label"),
        ({"started_on": "2024-01-01"}, "label"),
    ],
)
def test_clock_bad_input(cast, client_as, body, field):
    error = _error(_send(client_as("riley"), "post", "/api/v1/clocks", body), 422)
    assert field in error["fields"], error


def test_return_to_use_restarts_and_keeps_the_history(cast, client_as):
    clock = _riley_clock(cast, days_ago=20)
    riley = client_as("riley")
    yesterday = (_today(cast.riley) - dt.timedelta(days=1)).isoformat()
    response = _send(
        riley,
        "post",
        f"/api/v1/clocks/{clock.pk}/returns",
        {"occurred_on": yesterday, "restart": True, "note": "a hard night"},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["recorded"]["restarted"] is True
    running_id = data["running_clock"]["id"]
    assert running_id != clock.pk
    detail = riley.get(f"/api/v1/clocks/{running_id}").json()
    assert detail["running_clock_id"] == running_id
    assert len(detail["stretches"]) == 2
    assert detail["stretches"][1]["clock_id"] == clock.pk
    assert detail["stretches"][1]["days"] == 19
    assert detail["longest_days"] == 19
    assert detail["returns"][0]["note"] == "a hard night"
    # The old stretch is still readable, and it is over.
    old = riley.get(f"/api/v1/clocks/{clock.pk}").json()
    assert old["running"] is False
    assert old["next_milestone"] is None
    again = _send(riley, "post", f"/api/v1/clocks/{clock.pk}/returns", {"occurred_on": yesterday, "restart": True})
    _error(again, 422)


def test_return_to_use_without_restart_and_bad_dates(cast, client_as):
    clock = _riley_clock(cast, days_ago=5)
    riley = client_as("riley")
    today = _today(cast.riley)
    kept = _send(
        riley, "post", f"/api/v1/clocks/{clock.pk}/returns", {"occurred_on": today.isoformat(), "restart": False}
    )
    assert kept.status_code == 201
    assert kept.json()["running_clock"]["id"] == clock.pk
    future = (today + dt.timedelta(days=2)).isoformat()
    error = _error(
        _send(riley, "post", f"/api/v1/clocks/{clock.pk}/returns", {"occurred_on": future, "restart": True}), 422
    )
    assert "occurred_on" in error["fields"]
    before = (today - dt.timedelta(days=30)).isoformat()
    error = _error(
        _send(riley, "post", f"/api/v1/clocks/{clock.pk}/returns", {"occurred_on": before, "restart": True}), 422
    )
    assert "occurred_on" in error["fields"]
    error = _error(_send(riley, "post", f"/api/v1/clocks/{clock.pk}/returns", {"occurred_on": today.isoformat()}), 422)
    assert "restart" in error["fields"]


def test_mark_and_share_a_milestone(cast, client_as):
    clock = _riley_clock(cast, days_ago=10, share=True)
    riley = client_as("riley")
    assert riley.get(f"/api/v1/clocks/{clock.pk}").json()["celebrate"] == "7d"
    response = _send(riley, "post", f"/api/v1/clocks/{clock.pk}/milestones/7d", {"share": True})
    assert response.status_code == 200, response.content
    assert response.json()["shared"] is True
    assert MilestoneShare.objects.get(clock=clock, key="7d").shared
    assert riley.get(f"/api/v1/clocks/{clock.pk}").json()["celebrate"] is None
    assert _error(_send(riley, "post", f"/api/v1/clocks/{clock.pk}/milestones/90d", {"share": False}), 422)
    assert _error(_send(riley, "post", f"/api/v1/clocks/{clock.pk}/milestones/5d"), 422)
    # No body at all is a plain "seen it".
    empty = riley.post(f"/api/v1/clocks/{clock.pk}/milestones/24h", data="", content_type="application/json")
    assert empty.status_code == 200
    assert empty.json()["shared"] is False
    assert _error(_send(riley, "post", f"/api/v1/clocks/{clock.pk}/milestones/{'9' * 300}"), 404)


def test_sharing_needs_the_clock_switch(cast, client_as):
    clock = _riley_clock(cast, days_ago=10, share=False)
    response = _send(client_as("riley"), "post", f"/api/v1/clocks/{clock.pk}/milestones/7d", {"share": True})
    assert response.json() == {
        "key": "7d",
        "reached_at": response.json()["reached_at"],
        "shared": False,
        "sharing_enabled": False,
    }


@pytest.mark.parametrize("who", ["casey", "sam", "dana", "alex", "jordan"])
def test_nobody_else_reaches_rileys_clock(cast, client_as, who):
    clock = _riley_clock(cast)
    client = client_as(who)
    assert _error(client.get(f"/api/v1/clocks/{clock.pk}"), 404)
    assert _error(
        _send(client, "post", f"/api/v1/clocks/{clock.pk}/returns", {"occurred_on": "2024-01-01", "restart": True}), 404
    )
    assert _error(_send(client, "post", f"/api/v1/clocks/{clock.pk}/milestones/7d"), 404)
    assert client.get("/api/v1/clocks").json() == []
    assert Clock.objects.filter(series=clock.series).count() == 1


# --- check-ins -------------------------------------------------------------------------------


def test_check_in_then_edit_today(cast, client_as):
    riley = client_as("riley")
    assert riley.get("/api/v1/checkins/today").json()["checkin"] is None
    first = _send(riley, "post", "/api/v1/checkins", {"mood": 4, "craving": 2, "triggers": ["stress"]})
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["created"] is True
    assert body["reasons"] == []
    assert body["show_crisis_lines"] is False
    assert body["crisis_resources"] == []
    again = _send(riley, "post", "/api/v1/checkins", {"mood": 3, "craving": 3, "sleep_quality": 2})
    assert again.status_code == 200
    assert again.json()["created"] is False
    today = riley.get("/api/v1/checkins/today").json()
    assert today["local_date"] == _today(cast.riley).isoformat()
    assert today["checkin"]["mood"] == 3
    assert CheckIn.objects.filter(user=cast.riley, local_date=_today(cast.riley)).count() == 1


def test_check_in_reports_the_reasons_the_rules_found(cast, client_as):
    response = _send(client_as("riley"), "post", "/api/v1/checkins", {"mood": 2, "craving": 9, "wants_outreach": True})
    assert response.status_code == 201
    rules = {reason["rule"] for reason in response.json()["reasons"]}
    assert rules == {"craving_high", "asked_for_outreach"}, response.json()
    assert Alert.objects.filter(subject=cast.riley, kind=AlertKind.CHECKIN_RISK).exists()


def test_a_crisis_note_shows_the_crisis_lines_at_once(cast, client_as):
    response = _send(
        client_as("riley"), "post", "/api/v1/checkins", {"mood": 1, "craving": 5, "note": "i want to kill myself"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["show_crisis_lines"] is True
    assert body["crisis_resources"]
    assert body["help_url"].startswith("/help/")
    assert Alert.objects.filter(subject=cast.riley, severity=Severity.CRISIS).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"mood": 7, "craving": 2}, "mood"),
        ({"mood": 0, "craving": 2}, "mood"),
        ({"mood": 3, "craving": 11}, "craving"),
        ({"mood": 3, "craving": -1}, "craving"),
        ({"mood": 3, "craving": 2, "sleep_quality": 9}, "sleep_quality"),
        ({"mood": 3, "craving": 2, "triggers": ["moon"]}, "triggers.0"),
        ({"mood": 3, "craving": 2, "used_what": "beer"}, "used_what"),
        ({"mood": "great", "craving": 2}, "mood"),
        ({"craving": 2}, "mood"),
        ({"mood": 3, "craving": 2, "note": "x" * 281}, "note"),
    ],
)
def test_check_in_bad_input_names_the_field(cast, client_as, body, field):
    error = _error(_send(client_as("riley"), "post", "/api/v1/checkins", body), 422)
    assert field in error["fields"], error
    assert not CheckIn.objects.filter(user=cast.riley, local_date=_today(cast.riley)).exists()


def test_check_ins_are_paginated_newest_first(cast, client_as):
    CheckIn.objects.filter(user=cast.riley).delete()  # the demo's month
    today = _today(cast.riley)
    for n in range(35):
        CheckIn.objects.create(user=cast.riley, local_date=today - dt.timedelta(days=n), mood=3, craving=n % 11)
    CheckIn.objects.create(user=cast.casey, local_date=today, mood=5, craving=0)
    riley = client_as("riley")
    first = riley.get("/api/v1/checkins").json()
    assert len(first["results"]) == 30
    assert first["results"][0]["local_date"] == today.isoformat()
    assert first["next"] and "cursor=" in first["next"]
    second = riley.get(first["next"]).json()
    assert len(second["results"]) == 5
    dates = [c["local_date"] for c in first["results"] + second["results"]]
    assert dates == sorted(dates, reverse=True)
    assert len(set(dates)) == 35
    assert second["next"] is None
    assert _error(riley.get("/api/v1/checkins?cursor=not-base64!"), 422)


def test_trends_over_a_window(cast, client_as):
    CheckIn.objects.filter(user=cast.riley).delete()  # the demo's month
    today = _today(cast.riley)
    for n in range(3):
        CheckIn.objects.create(
            user=cast.riley, local_date=today - dt.timedelta(days=n), mood=2 + n, craving=4, triggers=["stress"]
        )
    riley = client_as("riley")
    data = riley.get("/api/v1/checkins/trends?days=7").json()
    assert data["days"] == 7
    assert len(data["points"]) == 7
    assert data["points"][-1] == {"local_date": today.isoformat(), "mood": 2, "craving": 4}
    assert data["points"][0]["mood"] is None
    assert data["checkin_count"] == 3
    assert data["mood_average"] == 3.0
    assert data["trigger_counts"] == [{"trigger": "stress", "count": 3}]
    assert data["streak"] == 3
    assert len(riley.get("/api/v1/checkins/trends").json()["points"]) == 30
    assert "days" in _error(riley.get("/api/v1/checkins/trends?days=8"), 422)["fields"]
    assert "days" in _error(riley.get("/api/v1/checkins/trends?days=lots"), 422)["fields"]


# --- a peer's view of a member's check-ins ----------------------------------------------------


def test_peer_reads_a_members_check_ins_with_consent_and_it_is_audited(cast, client_as):
    CheckIn.objects.create(user=cast.riley, local_date=_today(cast.riley), mood=4, craving=1, note="good day")
    before = AuditEvent.objects.filter(subject=cast.riley, actor=cast.sam).count()
    response = client_as("sam").get(f"/api/v1/members/{cast.riley.pk}/checkins?days=7")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["handle"] == "riley"
    assert data["program_slug"] == "harbor"
    assert data["trends"]["days"] == 7
    assert data["checkins"][0]["note"] == "good day"
    assert AuditEvent.objects.filter(subject=cast.riley, actor=cast.sam).count() == before + 1


def test_peer_is_refused_without_consent(cast, client_as):
    accounts_services.consent_set(
        member=cast.riley, program=cast.harbor, scope=ConsentScope.CHECKINS_PEER, granted=False
    )
    error = _error(client_as("sam").get(f"/api/v1/members/{cast.riley.pk}/checkins"), 403)
    assert error["code"] == "no_consent"


@pytest.mark.parametrize(
    ("who", "status"), [("casey", 404), ("dana", 403), ("alex", 403), ("jordan", 403), ("riley", 403)]
)
def test_only_the_members_peer_reads_their_check_ins(cast, client_as, who, status):
    _error(client_as(who).get(f"/api/v1/members/{cast.riley.pk}/checkins"), status)


def test_peer_view_bad_window_and_unknown_people(cast, client_as):
    sam = client_as("sam")
    assert "days" in _error(sam.get(f"/api/v1/members/{cast.riley.pk}/checkins?days=5"), 422)["fields"]
    _error(sam.get(f"/api/v1/members/{cast.casey.pk}/checkins"), 404)
    _error(sam.get("/api/v1/members/999999/checkins"), 404)
    _error(sam.get(f"/api/v1/members/{cast.riley.pk}/checkins?program=desert-bloom"), 404)
    assert sam.get(f"/api/v1/members/{cast.riley.pk}/checkins?program=harbor").status_code == 200


def test_peer_view_works_with_a_bearer_token(cast, client):
    issued = accounts_services.api_token_issue(user=cast.sam, name="phone")
    response = client.get(
        f"/api/v1/members/{cast.riley.pk}/checkins", headers={"Authorization": f"Bearer {issued.raw}"}
    )
    assert response.status_code == 200, response.content


# --- goals -----------------------------------------------------------------------------------


def test_goal_journey(cast, client_as):
    riley = client_as("riley")
    created = _send(
        riley,
        "post",
        "/api/v1/goals",
        {"title": "Go to 3 meetings a week", "why": "people", "target_date": "2030-01-01", "steps": ["find one", "go"]},
    )
    assert created.status_code == 201, created.content
    goal = created.json()
    assert [s["text"] for s in goal["steps"]] == ["find one", "go"]
    assert goal["progress"] == 0
    goal_id = goal["id"]
    ticked = _send(riley, "patch", f"/api/v1/goals/{goal_id}/steps/{goal['steps'][0]['id']}", {"done": True})
    assert ticked.json()["progress"] == 50
    added = _send(riley, "post", f"/api/v1/goals/{goal_id}/steps", {"text": "bring a friend"})
    assert added.status_code == 201
    assert added.json()["progress"] == 33
    patched = _send(riley, "patch", f"/api/v1/goals/{goal_id}", {"title": "Go to meetings", "target_date": None})
    assert patched.status_code == 200
    assert patched.json()["title"] == "Go to meetings"
    assert patched.json()["target_date"] is None
    assert patched.json()["why"] == "people"  # left out, so kept
    comment = _send(riley, "post", f"/api/v1/goals/{goal_id}/comments", {"text": "First one done!"})
    assert comment.status_code == 201
    assert comment.json()["author"] == "riley"
    detail = riley.get(f"/api/v1/goals/{goal_id}").json()
    assert detail["comments"][0]["text"] == "First one done!"
    done = _send(riley, "patch", f"/api/v1/goals/{goal_id}", {"status": "done"})
    assert done.json()["progress"] == 100


def test_goal_bad_input(cast, client_as):
    riley = client_as("riley")
    _error(_send(riley, "post", "/api/v1/goals", {"title": ""}), 422)
    assert "title" in _error(_send(riley, "post", "/api/v1/goals", {"title": "   "}), 422)["fields"]
    assert "steps" in _error(_send(riley, "post", "/api/v1/goals", {"title": "x", "steps": ["s"] * 21}), 422)["fields"]
    goal = services.goal_create(user=cast.riley, title="Walk daily", steps=["shoes"])
    assert "progress" in _error(_send(riley, "patch", f"/api/v1/goals/{goal.pk}", {"progress": 40}), 422)["fields"]
    assert "progress" in _error(_send(riley, "patch", f"/api/v1/goals/{goal.pk}", {"progress": 140}), 422)["fields"]
    assert "status" in _error(_send(riley, "patch", f"/api/v1/goals/{goal.pk}", {"status": "failed"}), 422)["fields"]
    assert "text" in _error(_send(riley, "post", f"/api/v1/goals/{goal.pk}/steps", {"text": " "}), 422)["fields"]
    assert (
        "done"
        in _error(_send(riley, "patch", f"/api/v1/goals/{goal.pk}/steps/{goal.steps.get().pk}", {}), 422)["fields"]
    )
    _error(_send(riley, "patch", f"/api/v1/goals/{goal.pk}/steps/999999", {"done": True}), 404)


@pytest.mark.parametrize("who", ["casey", "sam", "dana", "alex", "jordan"])
def test_nobody_else_reaches_rileys_goal(cast, client_as, who):
    goal = services.goal_create(user=cast.riley, title="Walk daily", steps=["shoes"], shared_with_peer=True)
    step = goal.steps.get()
    client = client_as(who)
    _error(client.get(f"/api/v1/goals/{goal.pk}"), 404)
    _error(_send(client, "patch", f"/api/v1/goals/{goal.pk}", {"title": "mine now"}), 404)
    _error(_send(client, "post", f"/api/v1/goals/{goal.pk}/steps", {"text": "x"}), 404)
    _error(_send(client, "patch", f"/api/v1/goals/{goal.pk}/steps/{step.pk}", {"done": True}), 404)
    _error(_send(client, "post", f"/api/v1/goals/{goal.pk}/comments", {"text": "hi"}), 404)
    assert client.get("/api/v1/goals").json()["results"] == []
    assert Goal.objects.get(pk=goal.pk).title == "Walk daily"


def test_goals_are_paginated_and_filtered(cast, client_as):
    Goal.objects.filter(user=cast.riley).delete()  # the demo's goal
    for n in range(33):
        services.goal_create(user=cast.riley, title=f"goal {n}")
    last = Goal.objects.filter(user=cast.riley).order_by("pk").last()
    services.goal_update(goal=last, user=cast.riley, status="done")
    riley = client_as("riley")
    first = riley.get("/api/v1/goals").json()
    assert len(first["results"]) == 30
    second = riley.get(first["next"]).json()
    assert len({g["id"] for g in first["results"] + second["results"]}) == 33
    done = riley.get("/api/v1/goals?status=done").json()["results"]
    assert [g["id"] for g in done] == [last.pk]
    assert "status" in _error(riley.get("/api/v1/goals?status=someday"), 422)["fields"]


# --- plan ------------------------------------------------------------------------------------


def test_plan_versions(cast, client_as):
    PlanVersion.objects.filter(user=cast.riley).delete()  # the demo's two versions
    riley = client_as("riley")
    empty = riley.get("/api/v1/plan").json()
    assert empty["version"] is None
    assert empty["content"]["coping"] == []
    plan = {"warning_signs": ["skipping meals"], "coping": ["call Sam"], "people": [{"name": "Sam", "phone": "555"}]}
    saved = _send(riley, "put", "/api/v1/plan", plan)
    assert saved.status_code == 200, saved.content
    assert saved.json()["version"] == 1
    assert saved.json()["content"]["people"] == [{"name": "Sam", "phone": "555", "when": ""}]
    assert _send(riley, "put", "/api/v1/plan", plan).json()["version"] == 1  # nothing changed
    changed = _send(riley, "put", "/api/v1/plan", {**plan, "if_i_use": "Tell Sam the same day."})
    assert changed.json()["version"] == 2
    versions = riley.get("/api/v1/plan/versions").json()
    assert [v["version"] for v in versions["results"]] == [2, 1]
    assert versions["results"][1]["content"]["if_i_use"] == ""
    assert client_as("sam").get("/api/v1/plan").json()["version"] is None
    assert client_as("casey").get("/api/v1/plan/versions").json()["results"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"warning_signs": ["x"] * 31}, "warning_signs"),
        ({"coping": ["x" * 201]}, "coping"),
        ({"people": [{"phone": "555"}]}, "people"),
        ({"people": "Sam"}, "people"),
        ({"if_i_use": "x" * 2001}, "if_i_use"),
        ({"triggers": [1, 2]}, "triggers.0"),
    ],
)
def test_plan_bad_input_names_the_section(cast, client_as, body, field):
    error = _error(_send(client_as("riley"), "put", "/api/v1/plan", body), 422)
    assert field in error["fields"], error


def test_plan_versions_paginate(cast, client_as):
    PlanVersion.objects.filter(user=cast.riley).delete()
    for n in range(25):
        services.plan_save(user=cast.riley, content={"coping": [f"idea {n}"]})
    riley = client_as("riley")
    first = riley.get("/api/v1/plan/versions").json()
    assert len(first["results"]) == 20
    assert first["results"][0]["version"] == 25
    second = riley.get(first["next"]).json()
    assert [v["version"] for v in second["results"]] == [5, 4, 3, 2, 1]


# --- assessments -----------------------------------------------------------------------------


def _enable_phq9(cast) -> None:
    services.recovery_settings_update(program=cast.harbor, phq9_enabled=True, gad7_enabled=True)


def test_instruments_offered_by_the_program_in_the_members_language(cast, client_as):
    Assessment.objects.filter(user=cast.riley).delete()  # the demo's check-up, so one is due
    riley = client_as("riley")
    offered = riley.get("/api/v1/assessments/instruments").json()
    assert [i["code"] for i in offered] == ["barc10"]
    assert offered[0]["due"] is True
    assert len(offered[0]["items"]) == 10
    assert offered[0]["translation_note"] is None
    _enable_phq9(cast)
    spanish = riley.get("/api/v1/assessments/instruments?language=es").json()
    assert [i["code"] for i in spanish] == ["barc10", "phq9", "gad7"]
    phq9 = spanish[1]
    assert phq9["items"][8]["text"].startswith("Pensamientos de que estaría mejor muerto")
    assert phq9["options"][0] == {"value": 0, "text": "Ningún día"}
    assert spanish[0]["translation_note"]
    assert "language" in _error(riley.get("/api/v1/assessments/instruments?language=fr"), 422)["fields"]


def test_instrument_language_follows_the_members_choice(cast, client_as):
    accounts_services.user_set_language(user=cast.riley, language="es")
    offered = client_as("riley").get("/api/v1/assessments/instruments").json()
    assert offered[0]["language"] == "es"
    assert offered[0]["title"].startswith("Evaluación breve")


def test_take_barc10(cast, client_as):
    Assessment.objects.filter(user=cast.riley).delete()
    riley = client_as("riley")
    response = _send(riley, "post", "/api/v1/assessments", {"instrument": "barc10", "answers": [5] * 10})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["total"] == 50
    assert data["band"] == ""
    assert data["show_crisis_lines"] is False
    assert data["max_total"] == 60
    assert riley.get("/api/v1/assessments/instruments").json()[0]["due"] is False
    assert riley.get(f"/api/v1/assessments/{data['id']}").json()["total"] == 50
    listed = riley.get("/api/v1/assessments").json()["results"]
    assert [(a["id"], a["title"], a["max_total"]) for a in listed] == [
        (data["id"], "Brief Assessment of Recovery Capital (BARC-10)", 60)
    ]


def test_phq9_item_9_raises_a_crisis_alert_and_shows_the_lines(cast, client_as):
    _enable_phq9(cast)
    answers = [1, 1, 1, 0, 0, 0, 0, 0, 1]
    response = _send(client_as("riley"), "post", "/api/v1/assessments", {"instrument": "phq9", "answers": answers})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["total"] == 4
    assert data["band"] == "minimal"
    assert data["band_label"] == "Minimal"
    assert data["flags"] == ["self_harm_thoughts"]
    assert data["show_crisis_lines"] is True
    assert any(line["phone"] == "988" or "988" in line["name"] for line in data["crisis_resources"])
    alert = Alert.objects.get(subject=cast.riley, kind=AlertKind.ASSESSMENT_RISK)
    assert alert.severity == Severity.CRISIS


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"instrument": "barc10", "answers": [5] * 9}, "answers"),
        ({"instrument": "barc10", "answers": [5] * 11}, "answers"),
        ({"instrument": "barc10", "answers": [7] * 10}, "answers"),
        ({"instrument": "barc10", "answers": [0] * 10}, "answers"),
        ({"instrument": "barc10", "answers": ["five"] * 10}, "answers.0"),
        ({"instrument": "barc10", "answers": [5] * 21}, "answers"),
        ({"instrument": "phq9", "answers": [0] * 9}, "instrument"),  # not offered by Harbor by default
        ({"instrument": "mmpi", "answers": [0] * 9}, "instrument"),
        ({"instrument": "barc10", "answers": [5] * 10, "language": "fr"}, "language"),
        ({"answers": [5] * 10}, "instrument"),
    ],
)
def test_assessment_bad_input_names_the_field(cast, client_as, body, field):
    before = Assessment.objects.filter(user=cast.riley).count()
    error = _error(_send(client_as("riley"), "post", "/api/v1/assessments", body), 422)
    assert field in error["fields"], error
    assert Assessment.objects.filter(user=cast.riley).count() == before


def test_assessment_as_fhir(cast, client_as):
    riley = client_as("riley")
    created = _send(riley, "post", "/api/v1/assessments", {"instrument": "barc10", "answers": [4] * 10}).json()
    response = riley.get(f"/api/v1/assessments/{created['id']}/fhir")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    resource = json.loads(response.content)
    assert resource["resourceType"] == "QuestionnaireResponse"
    assert resource["status"] == "completed"
    assert resource["id"] == f"assessment-{created['id']}"
    assert resource["item"][-1]["answer"] == [{"valueInteger": 40}]
    questionnaire = riley.get("/api/v1/assessments/instruments/barc10/fhir?language=es")
    assert questionnaire["Content-Type"].startswith("application/fhir+json")
    q = json.loads(questionnaire.content)
    assert q["resourceType"] == "Questionnaire"
    assert q["url"] == resource["questionnaire"]
    assert q["language"] == "es"
    _error(riley.get("/api/v1/assessments/instruments/mmpi/fhir"), 404)


@pytest.mark.parametrize("who", ["casey", "sam", "dana", "alex", "jordan"])
def test_nobody_else_reaches_rileys_assessment(cast, client_as, who):
    assessment = services.assessment_submit(user=cast.riley, instrument="barc10", answers=[3] * 10).assessment
    client = client_as(who)
    _error(client.get(f"/api/v1/assessments/{assessment.pk}"), 404)
    _error(client.get(f"/api/v1/assessments/{assessment.pk}/fhir"), 404)
    assert client.get("/api/v1/assessments").json()["results"] == []


def test_assessments_paginate_and_filter(cast, client_as):
    Assessment.objects.filter(user=cast.riley).delete()
    now = timezone.now()
    for n in range(32):
        services.assessment_submit(
            user=cast.riley, instrument="barc10", answers=[3] * 10, now=now - dt.timedelta(days=n)
        )
    services.assessment_submit(user=cast.riley, instrument="gad7", answers=[0] * 7)
    riley = client_as("riley")
    first = riley.get("/api/v1/assessments?instrument=barc10").json()
    assert len(first["results"]) == 30
    assert {a["instrument"] for a in first["results"]} == {"barc10"}
    second = riley.get(first["next"]).json()
    assert len(second["results"]) == 2
    assert len(riley.get("/api/v1/assessments").json()["results"]) == 30


# --- journal ---------------------------------------------------------------------------------


def test_journal_journey(cast, client_as):
    JournalEntry.objects.filter(user=cast.riley).delete()  # the demo's entry
    riley = client_as("riley")
    created = _send(riley, "post", "/api/v1/journal", {"title": "Day 1", "body": "Went to a meeting."})
    assert created.status_code == 201, created.content
    entry_id = created.json()["id"]
    assert riley.get(f"/api/v1/journal/{entry_id}").json()["body"] == "Went to a meeting."
    patched = _send(riley, "patch", f"/api/v1/journal/{entry_id}", {"body": "Went to two meetings."})
    assert patched.json() | {"updated_at": None, "created_at": None} == {
        "id": entry_id,
        "title": "Day 1",
        "body": "Went to two meetings.",
        "created_at": None,
        "updated_at": None,
    }
    assert [e["id"] for e in riley.get("/api/v1/journal").json()["results"]] == [entry_id]
    deleted = riley.delete(f"/api/v1/journal/{entry_id}")
    assert deleted.status_code == 204
    assert not JournalEntry.objects.filter(pk=entry_id).exists()
    _error(riley.get(f"/api/v1/journal/{entry_id}"), 404)


def test_journal_bad_input(cast, client_as):
    riley = client_as("riley")
    assert "body" in _error(_send(riley, "post", "/api/v1/journal", {"body": "   "}), 422)["fields"]
    assert "body" in _error(_send(riley, "post", "/api/v1/journal", {"title": "x"}), 422)["fields"]
    assert "body" in _error(_send(riley, "post", "/api/v1/journal", {"body": "x" * 20_001}), 422)["fields"]
    entry = services.journal_write(user=cast.riley, body="mine")
    assert "body" in _error(_send(riley, "patch", f"/api/v1/journal/{entry.pk}", {"body": ""}), 422)["fields"]


def test_a_schema_error_on_a_field_called_body_names_it(cast, client_as):
    error = _error(_send(client_as("riley"), "post", "/api/v1/journal", {"title": "x"}), 422)
    assert "body" in error["fields"], error


@pytest.mark.parametrize("who", ["casey", "sam", "dana", "alex", "jordan"])
def test_the_journal_is_the_members_alone(cast, client_as, who):
    entry = services.journal_write(user=cast.riley, body="only mine")
    client = client_as(who)
    _error(client.get(f"/api/v1/journal/{entry.pk}"), 404)
    _error(_send(client, "patch", f"/api/v1/journal/{entry.pk}", {"body": "not yours"}), 404)
    _error(client.delete(f"/api/v1/journal/{entry.pk}"), 404)
    assert client.get("/api/v1/journal").json()["results"] == []
    assert JournalEntry.objects.get(pk=entry.pk).body == "only mine"


def test_journal_paginates(cast, client_as):
    JournalEntry.objects.filter(user=cast.riley).delete()
    now = timezone.now()
    for n in range(31):
        services.journal_write(user=cast.riley, body=f"entry {n}", now=now - dt.timedelta(hours=n))
    riley = client_as("riley")
    first = riley.get("/api/v1/journal").json()
    assert first["results"][0]["body"] == "entry 0"
    second = riley.get(first["next"]).json()
    assert [e["body"] for e in second["results"]] == ["entry 30"]


# --- never a 500 for what a client sends ------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", "/api/v1/me/recovery-profile"),
        ("post", "/api/v1/clocks"),
        ("post", "/api/v1/checkins"),
        ("post", "/api/v1/goals"),
        ("put", "/api/v1/plan"),
        ("post", "/api/v1/assessments"),
        ("post", "/api/v1/journal"),
    ],
)
@pytest.mark.parametrize("raw", ["not json", "[1, 2, 3]", '{"mood": {"deep": [null]}}', "null", '"a string"'])
def test_garbage_bodies_get_the_error_shape(cast, client_as, method, path, raw):
    response = getattr(client_as("riley"), method)(path, data=raw, content_type="application/json")
    assert 400 <= response.status_code < 500, (path, raw, response.status_code)
    assert set(response.json()["error"]) == {"code", "message", "fields"}
