"""The meeting finder page and its PDF: places, radius and order, filters, time zones across
midnight, bad parameters, pages and query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from alongside.meetings import views
from alongside.meetings.models import Attendance, Meeting
from tests.pdf_reading import pdf_text

# Real coordinates around Costa Mesa, CA (the Harbor program's home).
COSTA_MESA = (33.6411, -117.9187)
NEWPORT_BEACH = (33.6189, -117.9298)  # about 2.7 km from Costa Mesa
IRVINE = (33.6846, -117.8265)  # about 9.8 km
SANTA_ANA = (33.7455, -117.8677)  # about 12.6 km
LOS_ANGELES = (34.0522, -118.2437)  # about 54 km


def make_meeting(program, slug: str, *, day: int | None = 1, at: dt.time | None = dt.time(19, 0), **fields) -> Meeting:
    position = fields.pop("position", None)
    if position is not None:
        fields["latitude"], fields["longitude"] = position
    fields.setdefault("name", slug.replace("-", " ").title())
    fields.setdefault("time_zone", "America/Los_Angeles")
    return Meeting.objects.create(
        program=program,
        slug=slug,
        day=day,
        start_time=at,
        start_minute=at.hour * 60 + at.minute if at else None,
        **fields,
    )


def create_meetings(harbor) -> dict[str, Meeting]:
    """Meetings around Costa Mesa, one far away, online, hybrid and stopped ones (shared
    by the page and API tests)."""
    return {
        "morning": make_meeting(
            harbor,
            "costa-mesa-morning",
            name="Costa Mesa Morning Reflection",
            day=1,
            at=dt.time(7, 0),
            position=COSTA_MESA,
            types=["O", "D"],
            formatted_address="1 Main St, Costa Mesa, CA",
        ),
        "newport": make_meeting(
            harbor,
            "newport-women",
            name="Newport Women's Circle",
            day=1,
            at=dt.time(19, 0),
            position=NEWPORT_BEACH,
            types=["C", "W"],
        ),
        "irvine": make_meeting(
            harbor,
            "irvine-speaker",
            name="Irvine Speaker Night",
            day=2,
            at=dt.time(20, 0),
            position=IRVINE,
            types=["SP"],
        ),
        "santa_ana": make_meeting(
            harbor,
            "reunion-santa-ana",
            name="Reunión Santa Ana",
            day=3,
            at=dt.time(18, 0),
            position=SANTA_ANA,
            language="es",
            types=["S", "O"],
        ),
        "la": make_meeting(
            harbor, "downtown-la", name="Downtown LA Noon", day=1, at=dt.time(12, 0), position=LOS_ANGELES
        ),
        "hybrid": make_meeting(
            harbor,
            "harbor-hybrid",
            name="Harbor Hybrid Hour",
            day=4,
            at=dt.time(17, 30),
            position=COSTA_MESA,
            attendance_option=Attendance.HYBRID,
            conference_url="https://zoom.example.org/j/1",
        ),
        "late_online": make_meeting(
            harbor,
            "late-night-online",
            name="Late Night Online",
            day=1,
            at=dt.time(23, 30),
            attendance_option=Attendance.ONLINE,
            conference_url="https://zoom.example.org/j/2",
            types=["O", "ONL"],
        ),
        "gone": make_meeting(
            harbor, "gone-meeting", name="Gone Meeting", position=COSTA_MESA, attendance_option=Attendance.INACTIVE
        ),
    }


@pytest.fixture
def meetings(cast) -> dict[str, Meeting]:
    return create_meetings(cast.harbor)


def names_in_order(html: str, meetings: dict[str, Meeting]) -> list[str]:
    found = [(html.find(m.name.replace("'", "&#x27;")), m.name) for m in meetings.values()]
    return [name for position, name in sorted(found) if position >= 0]


# --- places, radius and order ------------------------------------------------------------------


def test_finder_without_a_search_shows_only_the_form(cast, meetings):
    response = Client().get("/meetings/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Find meetings" in html and "Costa Mesa Morning" not in html
    # The chips are the type names, common ones first, the rest behind "More kinds".
    assert "Newcomer" in html and html.index("Open") < html.index("More kinds of meeting")
    assert "js/near-me" in html


def test_near_a_typed_place_nearest_first_with_distance(cast, meetings):
    response = Client().get("/meetings/", {"place": "Costa Mesa, CA", "radius": "25"})
    assert response.status_code == 200
    html = response.content.decode()
    order = names_in_order(html, meetings)
    # Same distance (0 km from the centre): by start time, Monday 07:00 before Thursday.
    assert order[:5] == [
        "Costa Mesa Morning Reflection",
        "Harbor Hybrid Hour",
        "Newport Women's Circle",
        "Irvine Speaker Night",
        "Reunión Santa Ana",
    ]
    assert "Downtown LA Noon" not in html  # 54 km away
    assert "Gone Meeting" not in html  # not meeting right now
    # Online-only meetings have no place: near a place they are one link away.
    assert "Late Night Online" not in html
    assert "See online meetings" in html and "?radius=25&amp;attendance=online" in html
    assert "2.6 km" in html or "2.7 km" in html
    assert " mi" in html  # a place in the US: miles too
    assert "Costa Mesa, CA, US" in html


@pytest.mark.parametrize(("radius", "expect_la"), [("5", False), ("100", True)])
def test_radius(cast, meetings, radius, expect_la):
    html = Client().get("/meetings/", {"place": "Costa Mesa, CA", "radius": radius}).content.decode()
    assert ("Downtown LA Noon" in html) is expect_la
    assert ("Irvine Speaker Night" in html) is (radius == "100")
    assert "Newport Women" in html


def test_use_my_location_coordinates(cast, meetings):
    html = Client().get("/meetings/", {"lat": "33.62", "lon": "-117.93", "radius": "5"}).content.decode()
    assert names_in_order(html, meetings)[0] == "Newport Women's Circle"
    assert "your location" in html


def test_ambiguous_place_offers_did_you_mean(cast, meetings):
    response = Client().get("/meetings/", {"place": "Portland", "day": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Did you mean" in html and "Portland, ME, US" in html
    assert "day=1" in html.split("Did you mean")[1].split("</p>")[0]  # the other filters are kept
    assert "Sandusky" not in html  # a once-alternate name, not another Portland


def test_unknown_place_is_a_clear_message(cast, meetings):
    response = Client().get("/meetings/", {"place": "Qwertyville Nowhere"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "We could not find" in html and "Qwertyville Nowhere" in html
    assert 'value="Qwertyville Nowhere"' in html  # what was typed is kept


# --- filters ------------------------------------------------------------------------------------


def test_type_filter(cast, meetings):
    html = Client().get("/meetings/", {"place": "Costa Mesa, CA", "types": ["W"]}).content.decode()
    assert names_in_order(html, meetings) == ["Newport Women's Circle"]


def test_several_types_must_all_match(cast, meetings):
    html = Client().get("/meetings/", {"types": ["O", "S"]}).content.decode()
    assert names_in_order(html, meetings) == ["Reunión Santa Ana"]


@pytest.mark.parametrize(
    ("attendance", "expected"),
    [
        ("online", {"Harbor Hybrid Hour", "Late Night Online"}),
        ("hybrid", {"Harbor Hybrid Hour"}),
    ],
)
def test_attendance_filter(cast, meetings, attendance, expected):
    html = Client().get("/meetings/", {"attendance": attendance}).content.decode()
    assert set(names_in_order(html, meetings)) == expected


def test_in_person_near_a_place_leaves_out_online_only(cast, meetings):
    html = Client().get("/meetings/", {"place": "Costa Mesa, CA", "attendance": "in_person"}).content.decode()
    found = set(names_in_order(html, meetings))
    assert "Late Night Online" not in found and "Harbor Hybrid Hour" in found


def test_language_and_text_filters(cast, meetings):
    html = Client().get("/meetings/", {"language": "es"}).content.decode()
    assert names_in_order(html, meetings) == ["Reunión Santa Ana"]
    html = Client().get("/meetings/", {"q": "speaker"}).content.decode()
    assert names_in_order(html, meetings) == ["Irvine Speaker Night"]


def test_day_and_time_window(cast, meetings):
    html = Client().get("/meetings/", {"day": "1", "when": "evening"}).content.decode()
    assert names_in_order(html, meetings) == ["Newport Women's Circle"]
    html = Client().get("/meetings/", {"day": "1", "when": "night"}).content.decode()
    assert names_in_order(html, meetings) == ["Late Night Online"]
    html = Client().get("/meetings/", {"from_time": "11:00", "to_time": "12:30"}).content.decode()
    assert names_in_order(html, meetings) == ["Downtown LA Noon"]


def test_today_is_the_viewers_day(cast, meetings, client_as, monkeypatch):
    # Tuesday 01:00 in UTC is still Monday evening in Los Angeles (Riley's zone).
    monday_evening_la = dt.datetime(2025, 3, 4, 1, 0, tzinfo=dt.UTC)

    monkeypatch.setattr("django.utils.timezone.now", lambda: monday_evening_la)
    html = client_as("riley").get("/meetings/", {"day": "today", "attendance": "in_person"}).content.decode()
    assert "Newport Women" in html and "Irvine Speaker Night" not in html


# --- time zones and midnight --------------------------------------------------------------------


def test_online_meeting_across_zones_and_midnight(cast, meetings, client_as):
    """23:30 on Monday in Los Angeles is 02:30 on Tuesday in New York."""
    cast.riley.time_zone = "America/New_York"
    cast.riley.save(update_fields=["time_zone"])
    html = client_as("riley").get("/meetings/", {"attendance": "online"}).content.decode()
    row = html.split("Late Night Online")[1].split("</li>")[0]
    assert "Monday 11:30 p.m." in row and "Los Angeles time" in row
    assert "Tuesday 2:30 a.m." in row and "your time" in row
    assert "T02:30:00-0" in row  # the <time> element: the same moment in New York


def test_in_person_meetings_show_only_their_local_time(cast, meetings, client_as):
    cast.riley.time_zone = "America/New_York"
    cast.riley.save(update_fields=["time_zone"])
    html = client_as("riley").get("/meetings/", {"place": "Costa Mesa, CA"}).content.decode()
    row = html.split("Newport Women")[1].split("</li>")[0]
    assert "Monday 7 p.m." in row and "your time" not in row


def test_anonymous_sees_meeting_time_or_browser_time(cast, meetings):
    html = Client().get("/meetings/", {"attendance": "online"}).content.decode()
    assert "Times are each meeting&#x27;s local time." in html or "Times are each meeting's local time." in html
    assert "your time" not in html.split("Late Night Online")[1].split("</li>")[0]
    # near-me.js sends the browser's zone along; it is used for someone not signed in.
    html = Client().get("/meetings/", {"attendance": "online", "tz": "America/New_York"}).content.decode()
    assert "Tuesday 2:30 a.m." in html


def test_spanish_type_names_and_days(cast, meetings):
    html = Client(HTTP_ACCEPT_LANGUAGE="es").get("/meetings/", {"types": ["W"]}).content.decode()
    assert "Mujer" in html and "Cerrada" in html and "lunes" in html.lower()


# --- bad parameters never make a 500 ---------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"radius": "abc", "place": "Costa Mesa, CA"}, "Choose one of the distances"),
        ({"radius": "7"}, "Choose one of the distances"),
        ({"day": "9"}, "Choose a day from the list"),
        ({"when": "brunch"}, "Choose a time of day"),
        ({"from_time": "25:99"}, "Write the time like"),
        ({"from_time": "20:00", "to_time": "08:00"}, "after the"),
        ({"attendance": "teleport"}, "in person, online or hybrid"),
        ({"types": ["NOPE"]}, "is not a meeting type"),
        ({"language": "xx"}, "Choose a language"),
        ({"lat": "100", "lon": "0"}, "could not be read"),
        ({"lat": "33.6"}, "incomplete"),
        ({"lat": "abc", "lon": "def"}, "could not be read"),
        ({"q": "x" * 300}, "at most 100"),
        ({"place": "x" * 300}, "at most 200"),
    ],
)
def test_bad_parameters_show_the_form_with_an_error(cast, meetings, params, message):
    response = Client().get("/meetings/", params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_bad_page_number_is_page_one(cast, meetings):
    response = Client().get("/meetings/", {"place": "Costa Mesa, CA", "page": "abc"})
    assert response.status_code == 200


def test_browser_zone_that_is_not_a_zone_is_ignored(cast, meetings):
    response = Client().get("/meetings/", {"attendance": "online", "tz": "Mars/Olympus_Mons"})
    assert response.status_code == 200


# --- pages and queries --------------------------------------------------------------------------


def _many(cast, count: int) -> None:
    for index in range(count):
        make_meeting(
            cast.harbor,
            f"many-{index:03}",
            name=f"Many {index:03}",
            day=index % 7,
            at=dt.time(6 + index % 12, 0),
            position=(COSTA_MESA[0] + index * 0.001, COSTA_MESA[1]),
            types=["O"],
        )


def test_results_are_paged(cast):
    _many(cast, 25)
    first = Client().get("/meetings/", {"place": "Costa Mesa, CA"}).content.decode()
    assert "page 1 of 2" in first and "Many 000" in first and "Many 024" not in first
    assert 'rel="next"' in first and "place=Costa+Mesa" in first
    second = Client().get("/meetings/", {"place": "Costa Mesa, CA", "page": "2"}).content.decode()
    assert "Many 024" in second and "Many 000" not in second
    assert Client().get("/meetings/", {"place": "Costa Mesa, CA", "page": "99"}).status_code == 200


def test_finder_queries_do_not_grow_with_results(cast, django_assert_num_queries):
    _many(cast, 3)
    client = Client()
    client.get("/meetings/", {"place": "Costa Mesa, CA"})  # the gazetteer index is built once
    # One query narrows the directory to plain rows, one loads the page's meetings.
    with django_assert_num_queries(2):
        client.get("/meetings/", {"place": "Costa Mesa, CA", "types": ["O"]})
    _many_more = [
        make_meeting(cast.harbor, f"more-{i}", position=COSTA_MESA, types=["O"], attendance_option=Attendance.HYBRID)
        for i in range(15)
    ]
    with django_assert_num_queries(2):
        client.get("/meetings/", {"place": "Costa Mesa, CA", "types": ["O"]})


# --- the printable list ---------------------------------------------------------------------------


def test_pdf_list_is_a_real_pdf_grouped_by_day(cast, meetings):
    response = Client().get("/meetings/print.pdf", {"place": "Costa Mesa, CA", "radius": "25"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert "Costa Mesa Morning Reflection" in text and "Irvine Speaker Night" in text
    assert "Downtown LA Noon" not in text
    assert text.index("Monday") < text.index("Tuesday") < text.index("Wednesday")


def test_pdf_list_is_capped_with_a_note(cast, meetings, monkeypatch):
    monkeypatch.setattr(views, "PDF_CAP", 2)
    response = Client().get("/meetings/print.pdf", {"place": "Costa Mesa, CA", "radius": "25"})
    text = pdf_text(response.content)
    assert "nearest 2 of" in text
    assert "Costa Mesa Morning Reflection" in text and "Irvine Speaker Night" not in text


def test_pdf_needs_a_search_and_valid_filters(cast, meetings):
    assert Client().get("/meetings/print.pdf").status_code == 400
    assert Client().get("/meetings/print.pdf", {"radius": "abc"}).status_code == 400


def test_finder_links_to_the_pdf_with_the_same_filters(cast, meetings):
    html = Client().get("/meetings/", {"place": "Costa Mesa, CA", "types": ["O"]}).content.decode()
    assert "/meetings/print.pdf?place=Costa+Mesa%2C+CA&amp;types=O" in html
