"""A meeting's page, following, "I was there", the facilitator's roster, change requests,
my meetings and the home page's next-meeting card."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from alongside.meetings import selectors
from alongside.meetings.models import AttendanceRecord, ChangeRequest, GroupMember, MeetingFollow, MeetingGroup
from tests.meetings.test_finder import create_meetings, make_meeting


@pytest.fixture
def meetings(cast) -> dict:
    return create_meetings(cast.harbor)


@pytest.fixture
def group_meeting(cast):
    group = MeetingGroup.objects.create(program=cast.harbor, name="Harbor Peer Circle", kind="peer_led")
    GroupMember.objects.create(group=group, user=cast.sam, role="facilitator")
    GroupMember.objects.create(group=group, user=cast.riley, role="member")
    return make_meeting(
        cast.harbor, "harbor-peer-circle", name="Harbor Peer Circle", group=group, day=3, at=dt.time(18, 0)
    )


# --- a meeting's page ---------------------------------------------------------------------------


def test_meeting_page_is_public_with_everything_about_it(cast, meetings):
    hybrid = meetings["hybrid"]
    hybrid.notes = "Enter by the side door.\nCoffee from 5 pm."
    hybrid.conference_phone = "+1 669 900 6833,,123456#"
    hybrid.types = ["O", "X"]
    hybrid.save()
    response = Client().get(f"/meetings/{hybrid.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Harbor Hybrid Hour" in html and "Thursday 5:30 p.m." in html and "Los Angeles time" in html
    assert "https://www.openstreetmap.org/?mlat=33.64110&amp;mlon=-117.91870" in html
    assert 'href="https://zoom.example.org/j/1"' in html
    assert 'href="tel:+16699006833,,123456%23"' in html
    assert "Open" in html and "Wheelchair Access" in html
    assert "Enter by the side door.<br>Coffee from 5 pm." in html
    assert "Harbor Recovery Community" in html
    assert "Follow this meeting" not in html and "Sign in" in html
    assert "Is something wrong here?" in html


def test_meeting_page_shows_the_viewers_time_for_online_meetings(cast, client_as, meetings):
    cast.riley.time_zone = "America/New_York"
    cast.riley.save(update_fields=["time_zone"])
    html = client_as("riley").get(f"/meetings/{meetings['late_online'].pk}/").content.decode()
    assert "Monday 11:30 p.m." in html and "Tuesday 2:30 a.m. your time (New York)" in html


def test_meeting_page_notes_are_plain_text(cast, meetings):
    meeting = meetings["morning"]
    meeting.notes = "<script>alert(1)</script>"
    meeting.save()
    html = Client().get(f"/meetings/{meeting.pk}/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_unknown_meeting_is_404(cast):
    assert Client().get("/meetings/999999/").status_code == 404


# --- following ----------------------------------------------------------------------------------


def test_follow_needs_sign_in(cast, meetings):
    response = Client().post(f"/meetings/{meetings['newport'].pk}/follow/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not MeetingFollow.objects.exists()


def test_follow_with_a_reminder_then_unfollow(cast, client_as, meetings):
    riley = client_as("riley")
    url = f"/meetings/{meetings['newport'].pk}/follow/"
    response = riley.post(url, {"remind_minutes_before": "30"})
    assert response.status_code == 302 and response["Location"] == f"/meetings/{meetings['newport'].pk}/"
    assert MeetingFollow.objects.get(user=cast.riley).remind_minutes_before == 30
    html = riley.get(f"/meetings/{meetings['newport'].pk}/").content.decode()
    assert "You follow this meeting" in html and "Stop following" in html
    riley.post(url, {"follow": "0"})
    assert not MeetingFollow.objects.filter(user=cast.riley).exists()


def test_an_outsider_may_follow_a_public_meeting(cast, client_as, meetings):
    client_as("casey").post(f"/meetings/{meetings['newport'].pk}/follow/", {})
    assert MeetingFollow.objects.filter(user=cast.casey, meeting=meetings["newport"]).exists()


def test_follow_ignores_an_offsite_next(cast, client_as, meetings):
    response = client_as("riley").post(f"/meetings/{meetings['newport'].pk}/follow/", {"next": "https://evil.example/"})
    assert response["Location"] == f"/meetings/{meetings['newport'].pk}/"


def test_follow_with_a_bad_reminder_changes_nothing(cast, client_as, meetings):
    response = client_as("riley").post(f"/meetings/{meetings['newport'].pk}/follow/", {"remind_minutes_before": "7"})
    assert response.status_code == 302
    assert not MeetingFollow.objects.exists()


# --- I was there ----------------------------------------------------------------------------------


def test_i_was_there_defaults_to_the_latest_occurrence(cast, client_as, meetings):
    newport = meetings["newport"]
    latest = selectors.latest_occurrence(newport, timezone.now())
    assert latest.weekday() == 0 and latest <= timezone.now().date() + dt.timedelta(days=1)
    riley = client_as("riley")
    html = riley.get(f"/meetings/{newport.pk}/").content.decode()
    assert f'value="{latest.isoformat()}"' in html
    response = riley.post(f"/meetings/{newport.pk}/attended/", {"occurrence": latest.isoformat()})
    assert response.status_code == 302
    record = AttendanceRecord.objects.get()
    assert (record.user, record.recorded_by, record.occurrence) == (cast.riley, cast.riley, latest)
    assert "You went on:" in riley.get(f"/meetings/{newport.pk}/").content.decode()


def test_i_was_there_on_a_wrong_day_shows_why(cast, client_as, meetings):
    newport = meetings["newport"]
    latest = selectors.latest_occurrence(newport, timezone.now())
    response = client_as("riley").post(
        f"/meetings/{newport.pk}/attended/", {"occurrence": (latest - dt.timedelta(days=1)).isoformat()}
    )
    assert response.status_code == 400
    assert "does not happen on that day" in response.content.decode()
    future = client_as("riley").post(
        f"/meetings/{newport.pk}/attended/", {"occurrence": (latest + dt.timedelta(days=14)).isoformat()}
    )
    assert future.status_code == 400 and "on the day of the meeting or after" in future.content.decode()
    assert not AttendanceRecord.objects.exists()


def test_i_was_there_needs_sign_in(cast, meetings):
    response = Client().post(f"/meetings/{meetings['newport'].pk}/attended/", {"occurrence": "2025-01-06"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- the roster -----------------------------------------------------------------------------------


def test_facilitator_keeps_the_roster(cast, client_as, group_meeting):
    sam = client_as("sam")
    response = sam.get(f"/meetings/{group_meeting.pk}/roster/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "riley" in html and "sam" in html
    day = selectors.latest_occurrence(group_meeting, timezone.now())
    response = sam.post(
        f"/meetings/{group_meeting.pk}/roster/", {"occurrence": day.isoformat(), "present": [str(cast.riley.pk)]}
    )
    assert response.status_code == 302
    record = AttendanceRecord.objects.get()
    assert (record.user, record.recorded_by, record.occurrence) == (cast.riley, cast.sam, day)
    html = sam.get(response["Location"]).content.decode()
    assert f'value="{cast.riley.pk}"' in html and "checked" in html
    # Riley sees it as her own attendance, recorded from the roster.
    mine = client_as("riley").get("/meetings/mine/").content.decode()
    assert "Harbor Peer Circle" in mine and "from the group" in mine


def test_roster_only_for_people_of_the_group(cast, client_as, group_meeting):
    sam = client_as("sam")
    day = selectors.latest_occurrence(group_meeting, timezone.now())
    response = sam.post(
        f"/meetings/{group_meeting.pk}/roster/", {"occurrence": day.isoformat(), "present": [str(cast.casey.pk)]}
    )
    assert response.status_code == 400
    assert not AttendanceRecord.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("alex", 200), ("riley", 403), ("dana", 403), ("jordan", 403), ("casey", 403)]
)
def test_roster_access(cast, client_as, group_meeting, who, status):
    assert client_as(who).get(f"/meetings/{group_meeting.pk}/roster/").status_code == status


def test_roster_of_a_meeting_without_a_group_is_refused(cast, client_as, meetings):
    assert client_as("alex").get(f"/meetings/{meetings['newport'].pk}/roster/").status_code == 403


def test_roster_link_only_for_the_facilitator(cast, client_as, group_meeting):
    assert "Attendance roster" in client_as("sam").get(f"/meetings/{group_meeting.pk}/").content.decode()
    assert "Attendance roster" not in client_as("riley").get(f"/meetings/{group_meeting.pk}/").content.decode()


# --- change requests ----------------------------------------------------------------------------


def test_anyone_may_suggest_a_change(cast, meetings):
    client = Client()
    url = f"/meetings/{meetings['irvine'].pk}/suggest-change/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"message": "It moved to 7:30 pm", "contact": "text 555-0100"})
    assert response.status_code == 302
    request = ChangeRequest.objects.get()
    assert request.submitted_by is None and request.contact == "text 555-0100"


def test_a_signed_in_suggestion_names_its_sender(cast, client_as, meetings):
    client_as("jordan").post(f"/meetings/{meetings['irvine'].pk}/suggest-change/", {"message": "It moved to 7:30 pm"})
    assert ChangeRequest.objects.get().submitted_by == cast.jordan


def test_a_suggestion_needs_words(cast, meetings):
    response = Client().post(f"/meetings/{meetings['irvine'].pk}/suggest-change/", {"message": "no"})
    assert response.status_code == 400 and "Say what should change" in response.content.decode()


def test_anonymous_suggestions_are_rate_limited_per_address(cast, meetings):
    url = f"/meetings/{meetings['irvine'].pk}/suggest-change/"
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        assert client.post(url, {"message": "The room changed"}).status_code == 302
    response = client.post(url, {"message": "The room changed"})
    assert response.status_code == 429
    assert "try again in an hour" in response.content.decode()
    assert ChangeRequest.objects.count() == 5
    # Someone else (another address) is not held up.
    assert Client(REMOTE_ADDR="198.51.100.7").post(url, {"message": "The room changed"}).status_code == 302


# --- my meetings and the home card ------------------------------------------------------------


def test_my_meetings_needs_sign_in(cast):
    response = Client().get("/meetings/mine/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_my_meetings_lists_follows_and_recent_attendance(cast, client_as, meetings):
    riley = client_as("riley")
    riley.post(f"/meetings/{meetings['newport'].pk}/follow/", {"remind_minutes_before": "60"})
    day = selectors.latest_occurrence(meetings["newport"], timezone.now())
    riley.post(f"/meetings/{meetings['newport'].pk}/attended/", {"occurrence": day.isoformat()})
    html = riley.get("/meetings/mine/").content.decode()
    assert "Newport Women" in html and "Reminder 60 minutes before" in html
    assert "You went to 1 meeting in the last 30 days." in html
    assert "Newport Women" not in client_as("sam").get("/meetings/mine/").content.decode()


def test_home_shows_the_next_followed_meeting(cast, client_as, meetings):
    riley = client_as("riley")
    assert "Next meeting" not in riley.get("/").content.decode()
    riley.post(f"/meetings/{meetings['newport'].pk}/follow/")
    riley.post(f"/meetings/{meetings['irvine'].pk}/follow/")
    html = riley.get("/").content.decode()
    assert "Next meeting" in html
    card = html.split("Next meeting")[1].split("</section>")[0]
    soonest = selectors.next_followed_meeting(cast.riley)
    assert soonest is not None and soonest.meeting.pk in (meetings["newport"].pk, meetings["irvine"].pk)
    assert soonest.meeting.name.replace("'", "&#x27;") in card
    assert "/meetings/mine/" in card


def test_home_card_costs_one_query(cast, client_as, meetings):
    riley = client_as("riley")
    riley.get("/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as without:
        riley.get("/")
    riley.post(f"/meetings/{meetings['newport'].pk}/follow/")
    riley.post(f"/meetings/{meetings['irvine'].pk}/follow/")
    with CaptureQueriesContext(connection) as with_two:
        riley.get("/")
    assert len(with_two) == len(without)
    assert sum("meetings_meeting" in q["sql"] for q in with_two.captured_queries) == 1


def test_no_next_meeting_query_away_from_home(cast, client_as, meetings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client_as("riley").get("/goals/")
    assert not any("meetings_meeting" in q["sql"] for q in queries.captured_queries)
