"""The feed reader on three real intergroup feeds (see feeds/README.md).

The numbers asserted here were checked by hand against the files: Orange County is a
conformant TSML export (nothing to warn about); Edmonton breaks the spec in the ways the
README lists, and only its 24 meetings in towns below the gazetteer's size (15,000 people)
stay without coordinates.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from alongside.lib import gazetteer
from alongside.meetings.feed import FeedError, FeedMeeting, ParseResult, parse_feed, to_feed

DATA = Path(__file__).resolve().parent / "feeds"


@cache
def raw(name: str) -> bytes:
    return (DATA / name).read_bytes()


@cache
def orange_county() -> ParseResult:
    return parse_feed(raw("orange-county-ca.json"), locate=gazetteer.locate)


@cache
def edmonton() -> ParseResult:
    return parse_feed(raw("edmonton-nonconformant.json"), locate=gazetteer.locate)


def by_slug(result: ParseResult) -> dict[str, FeedMeeting]:
    return {meeting.slug: meeting for meeting in result.meetings}


# --------------------------------------------------------------------------- Orange County


def test_orange_county_reads_every_meeting_without_complaint() -> None:
    result = orange_county()
    assert (len(result.meetings), result.skipped, len(result.warnings)) == (1967, 0, 0)


def test_orange_county_attendance_options_match_the_feed() -> None:
    counts = Counter(meeting.attendance_option for meeting in orange_county().meetings)
    assert counts == {"in_person": 1432, "online": 385, "hybrid": 148, "inactive": 2}
    source = {item["slug"]: item["attendance_option"] for item in json.loads(raw("orange-county-ca.json"))}
    assert all(meeting.attendance_option == source[meeting.slug] for meeting in orange_county().meetings)


def test_orange_county_by_appointment_meeting() -> None:
    appointments = [meeting for meeting in orange_county().meetings if meeting.day is None]
    assert [meeting.slug for meeting in appointments] == ["women"]
    assert (appointments[0].time, appointments[0].end_time) == (None, None)


def test_orange_county_details() -> None:
    meetings = by_slug(orange_county())
    first = meetings["40-minutes-to-freedom"]
    assert (first.day, first.time, first.end_time) == (1, dt.time(19, 30), dt.time(20, 15))
    assert first.types == ("C", "D", "DR", "EN", "M")
    assert first.updated == dt.datetime(2023, 8, 29, 15, 56, 59, tzinfo=dt.UTC)
    assert (first.latitude, first.longitude, first.approximate) == (33.6850173, -117.8720761, False)
    assert first.region == "COSTA MESA"
    # end_time absent for 1,201 meetings: one hour after the start
    assert all(meeting.end_time is not None for meeting in meetings.values() if meeting.day is not None)
    # every coordinate came from the feed, none from the gazetteer
    assert all(meeting.latitude is not None for meeting in meetings.values())
    assert sum(meeting.approximate for meeting in meetings.values()) == 386  # the feed's "approximate": "yes"
    assert Counter(meeting.language for meeting in meetings.values()) == {"en": 1468, "es": 499}
    # the one temporarily closed meeting with a Zoom link stays online
    closed = meetings["womens-principles-before-personalities-whtr"]
    assert "TC" in closed.types and closed.attendance_option == "online"


def test_orange_county_online_meetings_can_be_joined() -> None:
    for meeting in orange_county().meetings:
        if meeting.attendance_option in ("online", "hybrid"):
            assert meeting.conference_url or meeting.conference_phone


def test_orange_county_round_trip_is_stable() -> None:
    first = orange_county()
    again = parse_feed(json.dumps(to_feed(first.meetings)), locate=gazetteer.locate)
    assert again.meetings == first.meetings
    assert (again.skipped, again.warnings) == (0, ())


# --------------------------------------------------------------------------- Edmonton


def test_edmonton_reads_all_315_meetings() -> None:
    result = edmonton()
    assert (len(result.meetings), result.skipped) == (315, 0)
    # the only warnings: towns too small for the offline gazetteer
    assert len(result.warnings) == 24
    assert {warning.reason for warning in result.warnings} == {
        "It has no coordinates and its city was not found in the offline gazetteer, "
        "so searches by distance will not find it."
    }


def test_edmonton_without_a_gazetteer_has_nothing_to_warn_about() -> None:
    result = parse_feed(raw("edmonton-nonconformant.json"))
    assert (len(result.meetings), result.skipped, result.warnings) == (315, 0, ())
    assert all(meeting.latitude is None and not meeting.approximate for meeting in result.meetings)


def test_edmonton_times_and_days_are_normalised() -> None:
    source = {str(item["slug"]): item for item in json.loads(raw("edmonton-nonconformant.json"))}
    for meeting in edmonton().meetings:
        item = source[meeting.slug]  # one-day arrays keep their slug
        assert [meeting.day] == item["day"]
        assert meeting.time is not None and meeting.end_time is not None
        twelve_hour = meeting.time.strftime("%I:%M %p").lstrip("0")
        assert twelve_hour == item["time"]
    shifters = by_slug(edmonton())["6"]
    assert (shifters.day, shifters.time, shifters.end_time) == (6, dt.time(11, 0), dt.time(12, 0))
    assert shifters.updated == dt.datetime(2022, 8, 25, 11, 17, 7, tzinfo=dt.UTC)


def test_edmonton_address_becomes_the_formatted_address() -> None:
    source = {str(item["slug"]): item for item in json.loads(raw("edmonton-nonconformant.json"))}
    for meeting in edmonton().meetings:
        assert meeting.formatted_address == " ".join(source[meeting.slug]["address"].split())
        assert meeting.address == ""


def test_edmonton_coordinates_come_from_the_gazetteer_where_the_town_is_known() -> None:
    meetings = edmonton().meetings
    located = [meeting for meeting in meetings if meeting.latitude is not None]
    assert len(located) == 291
    assert all(meeting.approximate for meeting in located)
    edmonton_city = gazetteer.locate("Edmonton", "AB", "CA")
    st_albert = gazetteer.locate("St. Albert", "AB", "CA")
    assert edmonton_city is not None and st_albert is not None
    shifters = by_slug(edmonton())["6"]
    assert (shifters.latitude, shifters.longitude) == edmonton_city
    in_st_albert = [m for m in meetings if ", St. Albert, Alberta" in m.formatted_address]
    assert in_st_albert and all((m.latitude, m.longitude) == st_albert for m in in_st_albert)
    # every located meeting is within 100 km of Edmonton: no same-named town elsewhere was picked
    for meeting in located:
        assert meeting.latitude is not None and meeting.longitude is not None
        assert gazetteer.distance_km(*edmonton_city, meeting.latitude, meeting.longitude) < 100


def test_edmonton_attendance_is_derived() -> None:
    counts = Counter(meeting.attendance_option for meeting in edmonton().meetings)
    # 220 with only an address; 52 with a Zoom link too; 22 closed (TC) with a link; 21 closed without
    assert counts == {"in_person": 220, "hybrid": 52, "online": 22, "inactive": 21}
    for meeting in edmonton().meetings:
        if "TC" in meeting.types:
            assert meeting.attendance_option in ("online", "inactive")


def test_edmonton_long_one_tap_phone_numbers_are_kept_whole() -> None:
    phones = [meeting.conference_phone for meeting in edmonton().meetings if len(meeting.conference_phone) > 60]
    assert len(phones) == 8
    assert "+15873281099,,82900440659#,,#,,M1F3TTRlakdHUDg4Ukl0VjFZSHo5QT09#" in phones


def test_edmonton_round_trip_is_stable() -> None:
    first = edmonton()
    again = parse_feed(json.dumps(to_feed(first.meetings)), locate=gazetteer.locate)
    assert again.meetings == first.meetings
    assert again.skipped == 0
    assert again.warnings == first.warnings  # the same small towns, still not in the gazetteer


# --------------------------------------------------------------------------- malformed


def test_malformed_feed_is_a_feed_error_naming_the_place() -> None:
    with pytest.raises(FeedError) as error:
        parse_feed(raw("malformed.json"))
    assert "not valid JSON: Extra data at line 80, column 3" in str(error.value)
