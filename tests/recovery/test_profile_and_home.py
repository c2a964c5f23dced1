"""The member's recovery profile, onboarding, home page and export."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from alongside.accounts import services as accounts_services
from alongside.accounts.models import Role, User
from alongside.lib.tz import start_of_day
from alongside.recovery import services
from alongside.recovery.models import Clock, RecoveryProfile


@pytest.fixture
def newcomer(cast) -> User:
    user = User.objects.create_user(
        email="robin@example.org", password="a-long-enough-password", handle="robin", time_zone="America/Chicago"
    )
    accounts_services.membership_add(user=user, program=cast.harbor, role=Role.MEMBER)
    return user


@pytest.fixture
def newcomer_client(newcomer) -> Client:
    client = Client()
    client.force_login(newcomer)
    return client


PROFILE = {
    "recovery_started_on": "2025-01-10",
    "substances": ["alcohol", "other"],
    "other_substances": "gaming; sugar",
    "pathways": ["smart"],
    "languages": ["en", "es"],
    "support_wanted": ["peer", "meetings"],
    "support_note": "Evenings are hard.",
    "time_zone": "America/New_York",
    "reminder_time": "20:30",
}


# --- onboarding ------------------------------------------------------------------------------


def test_a_member_without_a_profile_is_sent_to_onboarding(newcomer_client):
    response = newcomer_client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/welcome/recovery/"
    page = newcomer_client.get("/welcome/recovery/")
    assert page.status_code == 200
    assert page.context["form"].initial["time_zone"] == "America/Chicago"


def test_skipping_onboarding_shows_home_and_makes_no_clock(newcomer, newcomer_client):
    response = newcomer_client.post("/welcome/recovery/", {"skip": "1"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert newcomer_client.get("/").status_code == 200
    profile = RecoveryProfile.objects.get(user=newcomer)
    assert profile.onboarded_at is not None
    assert profile.recovery_started_on is None
    assert not Clock.objects.filter(user=newcomer).exists()


def test_saving_the_profile_starts_the_first_clock_and_saves_the_time_zone(newcomer, newcomer_client):
    response = newcomer_client.post("/welcome/recovery/", PROFILE)
    assert response.status_code == 302 and response["Location"] == "/checkin/"
    newcomer.refresh_from_db()
    assert newcomer.time_zone == "America/New_York"
    profile = RecoveryProfile.objects.get(user=newcomer)
    assert profile.recovery_started_on == dt.date(2025, 1, 10)
    assert profile.substances == ["alcohol", "gaming", "sugar"]
    assert profile.pathways == ["smart"]
    assert profile.support_wanted == ["peer", "meetings"]
    assert profile.reminder_time == dt.time(20, 30)
    [clock] = Clock.objects.filter(user=newcomer)
    assert clock.started_at == start_of_day(dt.date(2025, 1, 10), ZoneInfo("America/New_York"))
    assert newcomer_client.get("/").status_code == 200


def test_saving_the_profile_again_does_not_start_another_clock(newcomer, newcomer_client):
    newcomer_client.post("/welcome/recovery/", PROFILE)
    newcomer_client.post("/recovery/profile/", {**PROFILE, "recovery_started_on": "2025-02-01"})
    assert Clock.objects.filter(user=newcomer).count() == 1
    assert RecoveryProfile.objects.get(user=newcomer).recovery_started_on == dt.date(2025, 2, 1)


def test_onboarding_without_a_start_date_starts_no_clock(newcomer, newcomer_client):
    response = newcomer_client.post("/welcome/recovery/", {**PROFILE, "recovery_started_on": ""})
    assert response.status_code == 302
    assert not Clock.objects.filter(user=newcomer).exists()


def test_a_future_start_date_is_refused_and_the_input_kept(newcomer, newcomer_client):
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=5)).date().isoformat()
    response = newcomer_client.post("/welcome/recovery/", {**PROFILE, "recovery_started_on": future})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose today or a day in the past." in html
    assert "Evenings are hard." in html
    assert not RecoveryProfile.objects.filter(user=newcomer, onboarded_at__isnull=False).exists()
    newcomer.refresh_from_db()
    assert newcomer.time_zone == "America/Chicago"  # nothing half-saved


def test_an_unknown_time_zone_is_refused_on_the_page(newcomer_client):
    response = newcomer_client.post("/welcome/recovery/", {**PROFILE, "time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors


def test_profile_save_refuses_unknown_pathways(newcomer):
    with pytest.raises(ValidationError):
        services.profile_save(user=newcomer, recovery_started_on=None, pathways=["astrology"])


def test_profile_page_shows_what_was_saved(cast, client_as):
    page = client_as("riley").get("/recovery/profile/")
    assert page.status_code == 200
    initial = page.context["form"].initial
    assert initial["substances"] == ["alcohol", "cannabis"]
    assert initial["reminder_time"] == dt.time(20, 0)


def test_changing_the_reminder_time_on_the_profile_page(cast, client_as):
    riley = client_as("riley")
    data = {
        "recovery_started_on": RecoveryProfile.objects.get(user=cast.riley).recovery_started_on.isoformat(),
        "substances": ["alcohol"],
        "time_zone": "America/Los_Angeles",
        "reminder_time": "07:15",
    }
    response = riley.post("/recovery/profile/", data)
    assert response.status_code == 302 and response["Location"] == "/recovery/profile/"
    assert RecoveryProfile.objects.get(user=cast.riley).reminder_time == dt.time(7, 15)


# --- home ----------------------------------------------------------------------------------


def test_riley_sees_her_day_on_home(cast, client_as):
    response = client_as("riley").get("/")
    assert response.status_code == 200
    assert response.templates[0].name == "recovery/home.html"
    html = response.content.decode()
    assert "Alcohol" in html and "Cannabis" in html
    assert "sam" in html  # walking with her peer


@pytest.mark.parametrize("who", ["sam", "dana", "alex", "jordan"])
def test_staff_and_allies_get_the_program_home_not_the_member_home(cast, client_as, who):
    response = client_as(who).get("/")
    assert response.status_code == 200
    names = [t.name for t in response.templates]
    assert "recovery/home.html" not in names
    assert "accounts/home.html" in names


def test_anonymous_home_is_the_public_page(cast):
    response = Client().get("/")
    assert response.status_code == 200
    assert "recovery/home.html" not in [t.name for t in response.templates]


def test_home_shows_todays_checkin_once_done(cast, client_as):
    riley = client_as("riley")
    assert "Check in" in riley.get("/").content.decode()
    riley.post("/checkin/", {"mood": "4", "craving": "2"})
    assert "Done: mood 4 of 5, craving 2 of 10." in riley.get("/").content.decode()


# --- export ----------------------------------------------------------------------------------


def test_rileys_export_includes_her_recovery(cast, client_as):
    response = client_as("riley").get("/privacy/export.json")
    assert response.status_code == 200
    data = json.loads(response.content)
    recovery = data["recovery"]
    assert len(recovery["checkins"]) == 28
    assert {c["label"] for c in recovery["clocks"]} == {"Alcohol", "Cannabis"}
    assert len(recovery["clocks"]) == 3
    assert [v["number"] for v in recovery["plan_versions"]] == [1, 2]
    assert recovery["journal"][0]["body"] == "Nervous and proud. Writing this just for me."
    assert recovery["returns_to_use"][0]["restarted"] is True
    assert recovery["profile"]["substances"] == ["alcohol", "cannabis"]
    assert recovery["goals"][0]["comments"][0]["text"] == "Proud of you for Monday!"


def test_someone_elses_export_has_none_of_rileys_recovery(cast, client_as):
    data = json.loads(client_as("sam").get("/privacy/export.json").content)
    recovery = data["recovery"]
    assert recovery["profile"] is None
    assert recovery["checkins"] == [] and recovery["journal"] == [] and recovery["clocks"] == []


def test_the_recovery_export_does_not_grow_queries_with_history(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alongside.recovery.selectors import export_for

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            export_for(cast.riley)
        return len(queries)

    before = count()
    for n in range(5):
        goal = services.goal_create(user=cast.riley, title=f"Goal {n}", steps=["one", "two"])
        services.goal_comment_add(goal=goal, author=cast.riley, text="note")
        services.journal_write(user=cast.riley, body=f"Entry {n}")
    assert count() == before
