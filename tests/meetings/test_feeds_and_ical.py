"""What other software reads: the program's Meeting Guide feed, iCalendar files, and a
member's private calendar feed (and the page that hands out its link)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from types import SimpleNamespace

import icalendar
import pytest
from django.test import Client

from alongside.meetings import feed, fetch, ical, services
from alongside.meetings.models import Attendance, CalendarToken, Meeting

SPEC_TYPES = set(feed.TYPE_CODES)


def make_meeting(program, slug: str, **fields) -> Meeting:
    fields.setdefault("name", slug.replace("-", " ").title())
    fields.setdefault("day", 1)
    fields.setdefault("start_time", dt.time(19, 0))
    fields.setdefault("end_time", dt.time(20, 0))
    fields.setdefault("time_zone", "America/Los_Angeles")
    return Meeting.objects.create(program=program, slug=slug, **fields)


@pytest.fixture
def meetings(cast) -> dict[str, Meeting]:
    harbor = cast.harbor
    return {
        "hall": make_meeting(
            harbor, "tuesday-hall", day=2, start_time=dt.time(18, 30), end_time=dt.time(19, 30),
            location="St. Mark's Hall", formatted_address="1 Main St, Costa Mesa, CA 92626, USA",
            latitude=33.64, longitude=-117.92, types=["C", "D"], notes="Side door.",
        ),
        "online": make_meeting(
            harbor, "night-owls", day=5, start_time=dt.time(23, 30), end_time=dt.time(0, 30),
            time_zone="America/New_York", attendance_option=Attendance.ONLINE,
            conference_url="https://zoom.us/j/123", conference_phone="+1 555 0100",
        ),
        "closed": make_meeting(harbor, "closed-for-now", attendance_option=Attendance.INACTIVE),
        "appointment": make_meeting(harbor, "by-appointment", day=None, start_time=None, end_time=None),
        "elsewhere": make_meeting(cast.desert, "desert-meeting"),
    }  # fmt: skip


# --- the Meeting Guide feed ----------------------------------------------------------------------


def test_feed_is_the_programs_active_meetings_in_meeting_guide_json(meetings):
    response = Client().get("/feeds/harbor/meetings.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.content)
    assert isinstance(data, list)
    assert sorted(entry["slug"] for entry in data) == ["by-appointment", "night-owls", "tuesday-hall"]
    for entry in data:
        # Valid against the spec's field list: known keys only, required ones present,
        # day 0-6, 24-hour HH:MM times, known type codes.
        assert set(entry) <= set(feed.FEED_FIELDS), set(entry) - set(feed.FEED_FIELDS)
        assert entry["name"] and entry["slug"]
        assert entry.get("day", 0) in range(7)
        for key in ("time", "end_time"):
            assert key not in entry or re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", entry[key])
        assert set(entry.get("types", [])) <= SPEC_TYPES
        assert entry["attendance_option"] in feed.ATTENDANCE
        if "updated" in entry:
            assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", entry["updated"])
    hall = next(e for e in data if e["slug"] == "tuesday-hall")
    assert (hall["day"], hall["time"], hall["end_time"], hall["types"]) == (2, "18:30", "19:30", ["C", "D"])
    assert (hall["latitude"], hall["longitude"]) == (33.64, -117.92)
    online = next(e for e in data if e["slug"] == "night-owls")
    assert (online["timezone"], online["conference_url"]) == ("America/New_York", "https://zoom.us/j/123")


def test_feed_reads_back_with_the_same_meetings(meetings):
    body = Client().get("/feeds/harbor/meetings.json").content
    parsed = feed.parse_feed(body, default_timezone="America/Los_Angeles")
    assert parsed.warnings == () and parsed.skipped == 0
    exported = {m.slug: m for m in parsed.meetings}
    stored = services.as_feed_meeting(meetings["hall"])
    assert stored.updated is not None
    # The feed writes whole seconds.
    assert exported["tuesday-hall"] == dataclasses.replace(stored, updated=stored.updated.replace(microsecond=0))


def test_feed_of_an_unknown_program_is_404(db):
    assert Client().get("/feeds/nowhere/meetings.json").status_code == 404


def test_feed_query_count_does_not_grow_with_meetings(cast, meetings, django_assert_max_num_queries):
    for i in range(30):
        make_meeting(cast.harbor, f"extra-{i}")
    with django_assert_max_num_queries(4):
        assert Client().get("/feeds/harbor/meetings.json").status_code == 200


# --- one meeting's .ics ----------------------------------------------------------------------------


def parse(body: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(body)


def test_meeting_ics_is_a_weekly_event_in_the_meetings_zone(meetings):
    hall = meetings["hall"]
    response = Client().get(f"/meetings/{hall.pk}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="meeting-{hall.pk}.ics"' in response["Content-Disposition"]
    calendar = parse(response.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["uid"]) == f"meeting-{hall.pk}@testserver"
    assert event["rrule"]["FREQ"] == ["WEEKLY"] and event["rrule"]["BYDAY"] == ["TU"]
    assert event["dtstart"].params["TZID"] == "America/Los_Angeles"
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert start.weekday() == 1 and start.time() == dt.time(18, 30) and end - start == dt.timedelta(hours=1)
    assert str(event["location"]) == "St. Mark's Hall, 1 Main St, Costa Mesa, CA 92626, USA"
    assert "Side door." in str(event["description"])
    assert f"/meetings/{hall.pk}/" in str(event["description"])
    assert str(event["status"]) == "CONFIRMED"
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Los_Angeles"]
    # Stable: the same event every time it is fetched (calendars update, not duplicate).
    again = parse(Client().get(f"/meetings/{hall.pk}.ics").content).walk("VEVENT")[0]
    assert again.decoded("dtstart") == start and str(again["uid"]) == str(event["uid"])


def test_online_meeting_past_midnight(meetings):
    owls = meetings["online"]
    calendar = parse(Client().get(f"/meetings/{owls.pk}.ics").content)
    (event,) = calendar.walk("VEVENT")
    assert event["dtstart"].params["TZID"] == "America/New_York"
    assert event["rrule"]["BYDAY"] == ["FR"]
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert end - start == dt.timedelta(hours=1) and end.date() == start.date() + dt.timedelta(days=1)
    assert str(event["url"]) == "https://zoom.us/j/123"
    assert str(event["location"]) == "https://zoom.us/j/123"
    assert "+1 555 0100" in str(event["description"])


def test_meeting_ics_of_a_meeting_by_appointment_or_unknown_is_404(meetings):
    assert Client().get(f"/meetings/{meetings['appointment'].pk}.ics").status_code == 404
    assert Client().get("/meetings/999999.ics").status_code == 404


def test_ical_module_alone():
    created = dt.datetime(2026, 3, 1, 5, tzinfo=dt.UTC)  # 06:00 in Madrid
    meeting = SimpleNamespace(
        id=7, name="Sunrise", day=0, start_time=dt.time(7, 0), end_time=None, time_zone="Europe/Madrid",
        notes="", location="", formatted_address="", latitude=None, longitude=None, conference_url="",
        conference_phone="", attendance_option="inactive", created_at=created, updated_at=created,
    )  # fmt: skip
    body = ical.calendar_of([meeting], host="example.org", name="Test", calendar_uid="t@example.org", now=created)
    text = body.decode()
    assert "RRULE:FREQ=WEEKLY;BYDAY=SU" in text
    assert "DTSTART;TZID=Europe/Madrid:20260301T070000" in text  # the first Sunday on or after listing
    assert "DTEND;TZID=Europe/Madrid:20260301T080000" in text  # an hour when the feed gave no end
    assert "STATUS:CANCELLED" in text  # not meeting right now
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Madrid" in text
    assert "UID:meeting-7@example.org" in text
    # Across the spring change (29 March 2026) the meeting stays at 07:00 local time.
    event = parse(body).walk("VEVENT")[0]
    assert event.decoded("dtstart").utcoffset() == dt.timedelta(hours=1)


# --- the private calendar feed ---------------------------------------------------------------------


def test_calendar_link_page_issues_a_link_shown_once(cast, client_as, meetings):
    riley = client_as("riley")
    services.meeting_follow(user=cast.riley, meeting=meetings["hall"])
    page = riley.get("/meetings/calendar/")
    assert page.status_code == 200 and "Get my calendar link" in page.content.decode()
    response = riley.post("/meetings/calendar/")
    body = response.content.decode()
    link = re.search(r'value="(http://testserver/calendar/[^"]+\.ics)"', body)
    assert link, body
    assert "webcal://testserver/calendar/" in body
    token = link.group(1).rsplit("/", 1)[1].removesuffix(".ics")
    stored = CalendarToken.objects.get(user=cast.riley)
    assert stored.token_hash != token and token not in stored.token_hash  # only a hash is kept
    # Shown once: the page afterwards offers a new link but cannot show the old one.
    after = riley.get("/meetings/calendar/").content.decode()
    assert token not in after and "Make a new link" in after


def test_private_feed_has_the_meetings_the_member_follows(cast, client_as, meetings):
    for key in ("hall", "online", "closed", "appointment"):
        services.meeting_follow(user=cast.riley, meeting=meetings[key])
    services.meeting_follow(user=cast.sam, meeting=meetings["elsewhere"])
    token = services.calendar_token_issue(user=cast.riley)
    response = Client().get(f"/calendar/{token}.ics")  # calendar apps are not signed in
    assert response.status_code == 200
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    calendar = parse(response.content)
    uids = sorted(str(e["uid"]) for e in calendar.walk("VEVENT"))
    expected = sorted(f"meeting-{meetings[k].pk}@testserver" for k in ("hall", "online", "closed"))
    assert uids == expected  # by appointment has no time; Sam's follow is not Riley's
    statuses = {str(e["uid"]): str(e["status"]) for e in calendar.walk("VEVENT")}
    assert statuses[f"meeting-{meetings['closed'].pk}@testserver"] == "CANCELLED"
    zones = sorted(str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE"))
    assert zones == ["America/Los_Angeles", "America/New_York"]


def test_private_feed_with_a_wrong_or_replaced_token_is_404(cast, meetings):
    old = services.calendar_token_issue(user=cast.riley)
    assert Client().get("/calendar/not-the-token.ics").status_code == 404
    new = services.calendar_token_issue(user=cast.riley)
    assert Client().get(f"/calendar/{old}.ics").status_code == 404
    assert Client().get(f"/calendar/{new}.ics").status_code == 200


def test_calendar_link_page_needs_sign_in(db):
    response = Client().get("/meetings/calendar/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- fetching feeds safely -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target", ["http://127.0.0.1/x", "http://[::1]/x", "http://169.254.169.254/latest/", "file:///etc/passwd"]
)
def test_redirects_to_private_addresses_or_other_schemes_are_refused(target):
    handler = fetch._CheckedRedirects(allow_private=False)
    with pytest.raises(fetch.FetchError):
        handler.redirect_request(None, None, 302, "Found", {}, target)
