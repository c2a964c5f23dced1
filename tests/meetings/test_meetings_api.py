"""The meetings API: the finder with the page's filters, a meeting, following, attendance,
change requests and place lookup; bad input is a 4xx in the one error shape."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from alongside.api.api import api
from alongside.meetings.models import AttendanceRecord, ChangeRequest, MeetingFollow
from tests.meetings.test_finder import create_meetings


@pytest.fixture
def meetings(cast) -> dict:
    return create_meetings(cast.harbor)


pytestmark = pytest.mark.usefixtures("meetings")


def error_of(response) -> dict:
    body = response.json()
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def post_json(client: Client, url: str, body: object):
    return client.post(url, data=json.dumps(body), content_type="application/json")


# --- the finder ----------------------------------------------------------------------------------


def test_find_near_a_place_sorted_by_distance(cast):
    response = Client().get("/api/v1/meetings", {"near": "Costa Mesa, CA", "radius_km": "25"})
    assert response.status_code == 200
    body = response.json()
    names = [m["name"] for m in body["results"]]
    assert names[:3] == ["Costa Mesa Morning Reflection", "Harbor Hybrid Hour", "Newport Women's Circle"]
    assert "Downtown LA Noon" not in names and "Gone Meeting" not in names
    distances = [m["distance_km"] for m in body["results"]]
    assert distances == sorted(distances)
    assert body["place"]["label"] == "Costa Mesa, CA, US" and body["place"]["timezone"] == "America/Los_Angeles"
    assert body["count"] == len(names) and body["next"] is None
    newport = body["results"][2]
    assert newport["types"] == [{"code": "C", "name": "Closed"}, {"code": "W", "name": "Women"}]
    assert newport["next_start"].endswith(("-08:00", "-07:00")) and newport["next_start_viewer"] is None
    assert newport["page_url"] == f"/meetings/{newport['id']}/"


def test_find_with_coordinates_and_radius(cast):
    body = Client().get("/api/v1/meetings", {"lat": "33.62", "lon": "-117.93", "radius_km": "3"}).json()
    assert body["results"][0]["name"] == "Newport Women's Circle"
    assert all(m["distance_km"] <= 3 for m in body["results"])


def test_filters_match_the_page(cast):
    get = Client().get
    assert [m["name"] for m in get("/api/v1/meetings", {"types": ["O", "S"]}).json()["results"]] == [
        "Reunión Santa Ana"
    ]
    assert [m["name"] for m in get("/api/v1/meetings", {"language": "es"}).json()["results"]] == ["Reunión Santa Ana"]
    online = {m["name"] for m in get("/api/v1/meetings", {"attendance": "online"}).json()["results"]}
    assert online == {"Harbor Hybrid Hour", "Late Night Online"}
    evening = get("/api/v1/meetings", {"day": "1", "from": "18:00", "to": "21:00"}).json()["results"]
    assert [m["name"] for m in evening] == ["Newport Women's Circle"]
    assert [m["name"] for m in get("/api/v1/meetings", {"q": "speaker"}).json()["results"]] == ["Irvine Speaker Night"]
    assert get("/api/v1/meetings", {"program": "desert-bloom"}).json()["count"] == 0


def test_offset_pagination_has_a_next_link(cast):
    first = Client().get("/api/v1/meetings", {"near": "Costa Mesa, CA", "limit": "2"}).json()
    assert len(first["results"]) == 2 and first["count"] == 5
    assert "offset=2" in first["next"] and "near=Costa+Mesa" in first["next"]
    second = Client().get(first["next"]).json()
    assert [m["id"] for m in second["results"]] != [m["id"] for m in first["results"]]
    last = Client().get("/api/v1/meetings", {"near": "Costa Mesa, CA", "limit": "2", "offset": "4"}).json()
    assert len(last["results"]) == 1 and last["next"] is None


def test_signed_in_caller_gets_their_own_time_across_midnight(cast, client_as):
    cast.riley.time_zone = "America/New_York"
    cast.riley.save(update_fields=["time_zone"])
    body = client_as("riley").get("/api/v1/meetings", {"attendance": "online", "day": "1"}).json()
    late = next(m for m in body["results"] if m["name"] == "Late Night Online")
    meeting_local = dt.datetime.fromisoformat(late["next_start"])
    viewer = dt.datetime.fromisoformat(late["next_start_viewer"])
    assert (meeting_local.weekday(), meeting_local.hour, meeting_local.minute) == (0, 23, 30)  # Monday 23:30
    assert (viewer.weekday(), viewer.hour, viewer.minute) == (1, 2, 30)  # Tuesday 02:30
    assert meeting_local == viewer


def test_ambiguous_place_lists_the_others(cast):
    body = Client().get("/api/v1/meetings", {"near": "Portland"}).json()
    assert body["place"]["label"] == "Portland, OR, US"
    assert "Portland, ME, US" in [p["label"] for p in body["other_places"]]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"radius_km": "abc"}, "radius_km"),
        ({"radius_km": "500"}, "radius_km"),
        ({"day": "9"}, "day"),
        ({"from": "25:00"}, "from"),
        ({"from": "20:00", "to": "08:00"}, "to"),
        ({"attendance": "teleport"}, "attendance"),
        ({"types": ["NOPE"]}, "types"),
        ({"language": "not a language"}, "language"),
        ({"lat": "33.6"}, "lon"),
        ({"lat": "120", "lon": "0"}, "lat"),
        ({"near": "Qwertyville Nowhere"}, "near"),
        ({"limit": "1000"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"q": "x" * 200}, "q"),
        ({"program": "no-such-program"}, None),
    ],
)
def test_bad_filters_are_4xx_with_fields(cast, params, field):
    response = Client().get("/api/v1/meetings", params)
    assert 400 <= response.status_code < 500, response.content
    error = error_of(response)
    if field:
        assert field in error["fields"], error


# --- one meeting ---------------------------------------------------------------------------------


def test_meeting_detail_public_and_for_a_follower(cast, client_as, meetings):
    hybrid = meetings["hybrid"]
    body = Client().get(f"/api/v1/meetings/{hybrid.pk}").json()
    assert body["name"] == "Harbor Hybrid Hour" and body["following"] is None
    assert body["program"] == {"slug": "harbor", "name": "Harbor Recovery Community"}
    assert body["map_url"].startswith("https://www.openstreetmap.org/")
    riley = client_as("riley")
    assert riley.get(f"/api/v1/meetings/{hybrid.pk}").json()["following"] is False
    post_json(riley, f"/api/v1/meetings/{hybrid.pk}/follow", {"remind_minutes_before": 30})
    body = riley.get(f"/api/v1/meetings/{hybrid.pk}").json()
    assert body["following"] is True and body["remind_minutes_before"] == 30
    assert error_of(Client().get("/api/v1/meetings/999999"))["code"] == "not_found"


def test_spanish_type_names(cast, meetings):
    body = Client(HTTP_ACCEPT_LANGUAGE="es").get(f"/api/v1/meetings/{meetings['newport'].pk}").json()
    assert body["types"] == [{"code": "C", "name": "Cerrada"}, {"code": "W", "name": "Mujer"}]


# --- following ------------------------------------------------------------------------------------


def test_follow_needs_sign_in(cast, meetings):
    response = Client().post(f"/api/v1/meetings/{meetings['newport'].pk}/follow")
    assert response.status_code == 401 and error_of(response)["code"] == "not_authenticated"


def test_an_outsider_may_follow_a_public_meeting_and_list_and_unfollow(cast, client_as, meetings):
    casey = client_as("casey")
    newport = meetings["newport"]
    # No body at all: follow without a reminder.
    response = casey.post(f"/api/v1/meetings/{newport.pk}/follow", data="", content_type="application/json")
    assert response.status_code == 200 and response.json()["meeting"]["id"] == newport.pk
    mine = casey.get("/api/v1/me/meetings").json()
    assert [f["meeting"]["name"] for f in mine["results"]] == ["Newport Women's Circle"]
    assert client_as("riley").get("/api/v1/me/meetings").json()["results"] == []
    assert casey.delete(f"/api/v1/meetings/{newport.pk}/follow").status_code == 204
    assert not MeetingFollow.objects.filter(user=cast.casey).exists()


def test_follow_reminder_out_of_range(cast, client_as, meetings):
    response = post_json(
        client_as("riley"), f"/api/v1/meetings/{meetings['newport'].pk}/follow", {"remind_minutes_before": 1}
    )
    assert response.status_code == 422 and "remind_minutes_before" in error_of(response)["fields"]
    response = post_json(client_as("riley"), f"/api/v1/meetings/{meetings['newport'].pk}/follow", {"user_id": 3})
    assert response.status_code == 422


# --- attendance ----------------------------------------------------------------------------------


def test_attendance_is_always_the_callers_own(cast, client_as, meetings):
    newport = meetings["newport"]
    riley = client_as("riley")
    response = riley.post(f"/api/v1/meetings/{newport.pk}/attendance", data="", content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["self_recorded"] is True and body["meeting_name"] == "Newport Women's Circle"
    occurrence = dt.date.fromisoformat(body["occurrence"])
    assert occurrence.weekday() == 0  # the Monday meeting's latest Monday
    record = AttendanceRecord.objects.get()
    assert record.user == cast.riley and record.recorded_by == cast.riley
    # Another person's list does not show it; a user id in the body is refused.
    assert client_as("sam").get("/api/v1/me/attendance").json()["results"] == []
    assert [r["id"] for r in riley.get("/api/v1/me/attendance").json()["results"]] == [record.pk]
    response = post_json(riley, f"/api/v1/meetings/{newport.pk}/attendance", {"user_id": cast.sam.pk})
    assert response.status_code == 422


def test_attendance_in_the_future_is_refused(cast, client_as, meetings):
    future = (timezone.now() + dt.timedelta(days=8)).date()
    response = post_json(
        client_as("riley"), f"/api/v1/meetings/{meetings['morning'].pk}/attendance", {"occurrence": future.isoformat()}
    )
    assert response.status_code == 422 and "occurrence" in error_of(response)["fields"]


def test_attendance_needs_sign_in(cast, meetings):
    assert Client().post(f"/api/v1/meetings/{meetings['morning'].pk}/attendance").status_code == 401
    assert Client().get("/api/v1/me/attendance").status_code == 401


# --- change requests --------------------------------------------------------------------------


def test_anyone_may_suggest_a_change_without_csrf_when_not_signed_in(cast, meetings):
    client = Client(enforce_csrf_checks=True)
    response = post_json(
        client, f"/api/v1/meetings/{meetings['irvine'].pk}/change-requests", {"message": "Moved to 7:30 pm"}
    )
    assert response.status_code == 201, response.content
    request = ChangeRequest.objects.get()
    assert request.submitted_by is None and request.message == "Moved to 7:30 pm"


def test_signed_in_session_suggesting_a_change_needs_csrf(cast, meetings):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.riley)
    response = post_json(
        client, f"/api/v1/meetings/{meetings['irvine'].pk}/change-requests", {"message": "Moved to 7:30 pm"}
    )
    assert response.status_code == 403
    assert not ChangeRequest.objects.exists()


def test_a_wrong_token_is_401_not_anonymous(cast, meetings):
    response = Client(HTTP_AUTHORIZATION="Bearer nope").post(
        f"/api/v1/meetings/{meetings['irvine'].pk}/change-requests",
        data=json.dumps({"message": "Moved to 7:30 pm"}),
        content_type="application/json",
    )
    assert response.status_code == 401


def test_anonymous_change_requests_are_rate_limited(cast, meetings):
    client = Client()
    url = f"/api/v1/meetings/{meetings['irvine'].pk}/change-requests"
    for _ in range(5):
        assert post_json(client, url, {"message": "The room changed"}).status_code == 201
    response = post_json(client, url, {"message": "The room changed"})
    assert response.status_code == 429 and error_of(response)["code"] == "rate_limited"
    assert ChangeRequest.objects.count() == 5


def test_change_request_bad_body(cast, meetings):
    url = f"/api/v1/meetings/{meetings['irvine'].pk}/change-requests"
    assert "message" in error_of(post_json(Client(), url, {"message": "x"}))["fields"]
    assert post_json(Client(), url, "just a string").status_code == 422
    assert (
        post_json(Client(), "/api/v1/meetings/999999/change-requests", {"message": "The room changed"}).status_code
        == 404
    )


# --- places ------------------------------------------------------------------------------------------


def test_places_lookup(cast):
    body = Client().get("/api/v1/places", {"q": "Edmonton"}).json()
    assert body[0]["label"] == "Edmonton, AB, CA" and body[0]["timezone"] == "America/Edmonton"
    assert Client().get("/api/v1/places", {"q": "Qwertyville Nowhere"}).json() == []
    assert "q" in error_of(Client().get("/api/v1/places"))["fields"]
    assert Client().get("/api/v1/places", {"q": "x", "limit": "99"}).status_code == 422


# --- the schema -------------------------------------------------------------------------------------


def test_openapi_documents_the_finder():
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    finder = schema["paths"]["/api/v1/meetings"]["get"]
    params = {p["name"] for p in finder["parameters"]}
    assert {"near", "lat", "lon", "radius_km", "day", "from", "to", "types", "attendance", "language", "q"} <= params
    assert {"program", "limit", "offset"} <= params
    for path in (
        "/api/v1/meetings/{meeting_id}",
        "/api/v1/meetings/{meeting_id}/follow",
        "/api/v1/me/meetings",
        "/api/v1/meetings/{meeting_id}/attendance",
        "/api/v1/me/attendance",
        "/api/v1/meetings/{meeting_id}/change-requests",
        "/api/v1/places",
    ):
        assert path in schema["paths"], path


def test_signed_in_session_with_the_csrf_token_may_suggest_a_change(cast, meetings):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.riley)
    client.get(f"/meetings/{meetings['irvine'].pk}/")  # the page sets the CSRF cookie
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        f"/api/v1/meetings/{meetings['irvine'].pk}/change-requests",
        data=json.dumps({"message": "Moved to 7:30 pm"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 201, response.content
    assert ChangeRequest.objects.get().submitted_by == cast.riley
