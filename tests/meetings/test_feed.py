"""Meeting Guide feed reading and writing, rule by rule, plus properties over any JSON.

Pure tests: no database, no Django. The real intergroup feeds are in test_feed_real.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alongside.meetings.feed import (
    ATTENDANCE,
    FEED_FIELDS,
    LIMITS,
    TYPE_CODES,
    FeedError,
    FeedMeeting,
    ParseResult,
    parse_feed,
    to_feed,
)

UTC = dt.UTC


def parse(*items: dict[str, Any], **kwargs: Any) -> ParseResult:
    return parse_feed(json.dumps(list(items)), **kwargs)


def meeting(**fields: Any) -> dict[str, Any]:
    """A valid weekly meeting, with ``fields`` overriding or (when None) removing keys."""
    base: dict[str, Any] = {"name": "Sunday Serenity", "slug": "sunday-serenity", "day": 0, "time": "18:00"}
    base.update(fields)
    return {key: value for key, value in base.items() if value is not None}


def only(result: ParseResult) -> FeedMeeting:
    assert len(result.meetings) == 1, result
    return result.meetings[0]


def reasons(result: ParseResult) -> str:
    return " | ".join(warning.reason for warning in result.warnings)


# --------------------------------------------------------------------------- the whole feed


def test_minimal_meeting_needs_only_name_and_slug() -> None:
    result = parse({"name": "Appointment", "slug": "appt"})
    found = only(result)
    assert (found.day, found.time, found.end_time) == (None, None, None)
    assert found.types == () and found.language == "en" and found.timezone is None
    # no address and no way to join online: nothing to attend (tsml-ui's rule)
    assert found.attendance_option == "inactive"
    assert result.warnings == () and result.skipped == 0


def test_malformed_json_is_a_feed_error_that_points_at_the_problem() -> None:
    with pytest.raises(FeedError, match=r"not valid JSON: Expecting ',' delimiter at line 2, column 1"):
        parse_feed('[{"name": "a", "slug": "b"}\n{"name": "c"}]')


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ('{"name": "x"}', "array of meetings"),
        ('{"meetings": 3}', "array of meetings"),
        ("42", "a number"),
        ('"text"', "text"),
        ("null", "array of meetings"),
        (b"\xff\xfe\xfa", "not readable|not valid JSON"),
        ("[" * 100_000, "too deeply|not valid JSON"),
    ],
)
def test_unusable_feeds_raise_feed_error(raw: str | bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        parse_feed(raw)


def test_wrong_argument_type_is_a_feed_error() -> None:
    with pytest.raises(FeedError):
        parse_feed(123)  # type: ignore[arg-type]


def test_object_with_meetings_array_is_accepted() -> None:
    result = parse_feed(json.dumps({"meetings": [meeting()], "entity": "District 9"}))
    assert only(result).slug == "sunday-serenity"


def test_bytes_with_byte_order_mark_and_text_with_one() -> None:
    raw = json.dumps([meeting()])
    assert only(parse_feed(b"\xef\xbb\xbf" + raw.encode())).name == "Sunday Serenity"
    assert only(parse_feed("\ufeff" + raw)).name == "Sunday Serenity"


def test_empty_list_is_an_empty_result() -> None:
    assert parse_feed("[]") == ParseResult(meetings=(), warnings=(), skipped=0)


def test_items_that_are_not_objects_are_skipped_with_a_warning() -> None:
    result = parse(meeting(), "oops", 3, None, [1])  # type: ignore[arg-type]
    assert len(result.meetings) == 1 and result.skipped == 4
    assert result.warnings[0].reason == "Skipped: meeting 2 is text, not a meeting object."
    assert len(result.warnings) == 4


# --------------------------------------------------------------------------- slug and name


@pytest.mark.parametrize("slug", [None, "", "   ", True, [], {}, 1.5])
def test_meeting_without_a_usable_slug_is_skipped(slug: object) -> None:
    result = parse(meeting(slug=slug) if slug is not None else meeting(slug=None), meeting(slug="ok"))
    assert [m.slug for m in result.meetings] == ["ok"]
    assert result.skipped == 1
    assert result.warnings[0].slug == ""
    assert "Meeting 1 (“Sunday Serenity”) has no slug" in result.warnings[0].reason


def test_integer_slugs_are_allowed_by_the_spec() -> None:
    assert only(parse(meeting(slug=1234))).slug == "1234"
    assert only(parse(meeting(slug=12.0))).slug == "12"


def test_duplicate_slug_skips_the_later_meeting() -> None:
    result = parse(meeting(name="First"), meeting(name="Second"))
    assert [m.name for m in result.meetings] == ["First"]
    assert result.skipped == 1
    assert result.warnings[0].slug == "sunday-serenity"
    assert "already uses this slug" in result.warnings[0].reason


def test_overlong_slug_is_skipped() -> None:
    result = parse(meeting(slug="s" * 300))
    assert result.meetings == () and result.skipped == 1 and "longer than" in reasons(result)


@pytest.mark.parametrize("name", [None, "", "  ", "<b></b>", [], {"en": "x"}])
def test_meeting_without_a_name_is_skipped(name: object) -> None:
    result = parse(meeting(name=name) if name is not None else meeting(name=None))
    assert result.meetings == () and result.skipped == 1
    assert result.warnings[-1] == result.warnings[-1].__class__("sunday-serenity", "Skipped: it has no name.")


def test_numbers_in_text_fields_become_text() -> None:
    found = only(parse(meeting(name=12, location=3.5, postal_code=92626)))
    assert (found.name, found.location, found.postal_code) == ("12", "3.5", "92626")


# --------------------------------------------------------------------------- days


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (0, 0),
        (6, 6),
        ("3", 3),
        (" 2 ", 2),
        (4.0, 4),
        ("Monday", 1),
        ("tue", 2),
        ("Thurs.", 4),
        ("SATURDAY", 6),
        ("domingo", 0),
        ("miércoles", 3),
        ("Miercoles", 3),
        ("sábado", 6),
    ],
)
def test_day_values(day: object, expected: int) -> None:
    result = parse(meeting(day=day))
    assert only(result).day == expected
    assert result.warnings == ()


def test_day_seven_is_sunday_with_a_note() -> None:
    result = parse(meeting(day="7"))
    assert only(result).day == 0
    assert "Day 7 was read as Sunday" in reasons(result)


@pytest.mark.parametrize("day", [8, -1, "funday", True, {"day": 1}, 2.5, ["x"]])
def test_unreadable_day_skips_the_meeting(day: object) -> None:
    result = parse(meeting(day=day))
    assert result.meetings == () and result.skipped == 1
    assert result.warnings[0].reason.startswith("Skipped: The day")


def test_day_array_becomes_one_meeting_per_day_with_stable_slugs() -> None:
    result = parse(meeting(day=[3, 1, "Friday", 1]))
    assert [(m.slug, m.day) for m in result.meetings] == [
        ("sunday-serenity-1", 1),
        ("sunday-serenity-3", 3),
        ("sunday-serenity-5", 5),
    ]
    assert result.warnings == () and result.skipped == 0
    # everything but slug and day is shared
    assert len({(m.name, m.time, m.end_time) for m in result.meetings}) == 1


def test_one_element_day_array_keeps_the_slug() -> None:
    assert [(m.slug, m.day) for m in parse(meeting(day=[4])).meetings] == [("sunday-serenity", 4)]


def test_day_array_with_a_bad_entry_keeps_the_good_days() -> None:
    result = parse(meeting(day=[1, "someday", 3]))
    assert [m.slug for m in result.meetings] == ["sunday-serenity-1", "sunday-serenity-3"]
    assert "“someday” is not a day" in reasons(result)


def test_comma_separated_days() -> None:
    assert [m.day for m in parse(meeting(day="1,3")).meetings] == [1, 3]


def test_expanded_slug_colliding_with_a_later_meeting_is_reported() -> None:
    result = parse(meeting(day=[1, 2]), meeting(slug="sunday-serenity-2", day=2))
    assert [m.slug for m in result.meetings] == ["sunday-serenity-1", "sunday-serenity-2"]
    assert result.skipped == 1 and result.warnings[0].slug == "sunday-serenity-2"


@pytest.mark.parametrize("day", [None, "", []])
def test_no_day_means_by_appointment(day: object) -> None:
    result = parse(meeting(day=day, time=None) if day is not None else meeting(day=None, time=None))
    found = only(result)
    assert (found.day, found.time, found.end_time) == (None, None, None)
    assert result.warnings == ()


def test_time_without_day_is_by_appointment_with_a_note() -> None:
    result = parse(meeting(day=None, time="19:00"))
    assert (only(result).day, only(result).time) == (None, None)
    assert "has a time but no day" in reasons(result)


# --------------------------------------------------------------------------- times


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18:30", dt.time(18, 30)),
        ("6:30 pm", dt.time(18, 30)),
        ("6:30pm", dt.time(18, 30)),
        ("6:30 p.m.", dt.time(18, 30)),
        ("11:00 AM", dt.time(11, 0)),
        ("12:00 PM", dt.time(12, 0)),
        ("12:01 PM", dt.time(12, 1)),
        ("12:00 AM", dt.time(0, 0)),
        ("18:30:00", dt.time(18, 30)),
        ("07:05:59", dt.time(7, 5)),
        ("7pm", dt.time(19, 0)),
        ("7 AM", dt.time(7, 0)),
        ("1830", dt.time(18, 30)),
        ("930", dt.time(9, 30)),
        ("18h30", dt.time(18, 30)),
        ("noon", dt.time(12, 0)),
        ("Midnight", dt.time(0, 0)),
        ("mediodía", dt.time(12, 0)),
        ("24:00", dt.time(0, 0)),
        (" 9:00 ", dt.time(9, 0)),
    ],
)
def test_times_are_normalised(text: str, expected: dt.time) -> None:
    result = parse(meeting(time=text))
    assert only(result).time == expected
    assert result.warnings == ()


@pytest.mark.parametrize(
    "text", ["25:00", "18:60", "13pm", "0 am", "7", "abc", "6:30 xm", 1830, [18, 30], True, "１８:３０"]
)
def test_unusable_start_time_skips_the_meeting(text: object) -> None:
    result = parse(meeting(time=text))
    assert result.meetings == () and result.skipped == 1
    assert "is not a time we can read" in reasons(result)
    assert "HH:MM" in reasons(result)


@pytest.mark.parametrize("text", [None, ""])
def test_day_without_time_skips_the_meeting(text: object) -> None:
    result = parse(meeting(time=text) if text is not None else meeting(time=None))
    assert result.meetings == () and "has a day but no start time" in reasons(result)


def test_end_time_defaults_to_one_hour_later_and_wraps_midnight() -> None:
    assert only(parse(meeting(time="18:15"))).end_time == dt.time(19, 15)
    assert only(parse(meeting(time="23:30"))).end_time == dt.time(0, 30)


def test_end_time_is_read_like_start_time() -> None:
    assert only(parse(meeting(time="7 pm", end_time="8:30 PM"))).end_time == dt.time(20, 30)
    # a meeting that ends after midnight keeps its end time
    assert only(parse(meeting(time="23:00", end_time="00:00"))).end_time == dt.time(0, 0)


def test_unreadable_end_time_falls_back_with_a_note() -> None:
    result = parse(meeting(time="18:00", end_time="later"))
    assert only(result).end_time == dt.time(19, 0)
    assert "end time “later” could not be read" in reasons(result)


# --------------------------------------------------------------------------- types and language


def test_type_codes_table_has_english_and_spanish_names() -> None:
    assert TYPE_CODES["O"] == ("Open", "Abierta")
    assert TYPE_CODES["C"] == ("Closed", "Cerrada")
    assert TYPE_CODES["S"] == ("Spanish", "Español")
    assert TYPE_CODES["TC"] == ("Location Temporarily Closed", "Ubicación temporalmente cerrada")
    assert {"X", "XB", "ASL", "LGBTQ", "12x12", "11", "NB", "POA", "ONL"} <= set(TYPE_CODES)
    assert all(english and spanish for english, spanish in TYPE_CODES.values())


def test_unknown_types_are_dropped_with_one_warning_listing_them() -> None:
    result = parse(meeting(types=["D", "ZZ", "B", "QQ", "ZZ", "", 7]))
    assert only(result).types == ("B", "D")
    assert len(result.warnings) == 1
    assert (
        result.warnings[0].reason
        == "Unknown meeting type codes “ZZ”, “QQ”, “7” left out (not in the Meeting Guide list)."
    )


def test_open_is_dropped_when_closed_and_types_are_sorted() -> None:
    assert only(parse(meeting(types=["O", "W", "C", "B"]))).types == ("B", "C", "W")


def test_types_match_case_insensitively_and_accept_strings_and_numbers() -> None:
    assert only(parse(meeting(types=["o", "12X12", 11]))).types == ("11", "12x12", "O")
    assert only(parse(meeting(types="O, D"))).types == ("D", "O")


def test_types_that_are_not_a_list_are_dropped_with_a_note() -> None:
    result = parse(meeting(types={"O": True}))
    assert only(result).types == () and "types were an object" in reasons(result)


@pytest.mark.parametrize(
    ("types", "language"),
    [
        ([], "en"),
        (["EN"], "en"),
        (["S"], "es"),
        (["S", "EN"], "es"),
        (["FR", "O"], "fr"),
        (["POL"], "pl"),
        (["ASL"], "en"),
    ],
)
def test_language_comes_from_types(types: list[str], language: str) -> None:
    assert only(parse(meeting(types=types))).language == language


# --------------------------------------------------------------------------- places


def test_string_coordinates_are_parsed() -> None:
    found = only(parse(meeting(latitude=" 33.6850173", longitude="-117.8720761", formatted_address="Costa Mesa")))
    assert (found.latitude, found.longitude, found.approximate) == (33.6850173, -117.8720761, False)


@pytest.mark.parametrize(
    ("latitude", "longitude", "words"),
    [
        (91, 10, "outside the map"),
        (10, -181, "outside the map"),
        ("north", 10, "are not numbers"),
        ("NaN", 10, "are not numbers"),
        ("1e999", 10, "are not numbers"),
        (True, 10, "are not numbers"),
        (10, None, "are not numbers"),
        ([1], 2, "are not numbers"),
        (0, 0, "placeholder"),
    ],
)
def test_bad_coordinates_are_dropped_with_a_warning(latitude: object, longitude: object, words: str) -> None:
    result = parse(meeting(latitude=latitude, longitude=longitude))
    found = only(result)
    assert (found.latitude, found.longitude) == (None, None)
    assert words in reasons(result)


def test_missing_coordinates_are_filled_by_locate_and_flagged_approximate() -> None:
    calls: list[tuple[str, str, str]] = []

    def locate(city: str, state: str, country: str) -> tuple[float, float] | None:
        calls.append((city, state, country))
        return (33.64, -117.92) if city == "Costa Mesa" else None

    result = parse(
        meeting(slug="a", formatted_address="3186 Pullman St, Costa Mesa, CA 92626, USA"),
        meeting(slug="b", city="Costa Mesa", state="CA", country="US"),
        meeting(slug="c", formatted_address="1 Main St, Costa Mesa, CA 92626, USA", latitude=33.7, longitude=-117.9),
        meeting(slug="d", formatted_address="Somewhere Small, AB, Canada"),
        locate=locate,
    )
    by_slug = {m.slug: m for m in result.meetings}
    assert (by_slug["a"].latitude, by_slug["a"].longitude, by_slug["a"].approximate) == (33.64, -117.92, True)
    assert (by_slug["b"].latitude, by_slug["b"].approximate) == (33.64, True)
    assert (by_slug["c"].latitude, by_slug["c"].approximate) == (33.7, False)  # the feed's own coordinates win
    assert by_slug["d"].latitude is None
    assert "not found in the offline gazetteer" in reasons(result)
    # the address was read as city/state/country; lookups are cached per place
    assert calls == [("Costa Mesa", "CA", "USA"), ("Costa Mesa", "CA", "US"), ("Somewhere Small", "AB", "Canada")]


@pytest.mark.parametrize(
    ("address", "place"),
    [
        ("8318 104 St, Edmonton, Alberta, T6E 4E8, Canada", ("Edmonton", "Alberta", "Canada")),
        ("Sherwood Park, Alberta, T8H 1T7, Canada", ("Sherwood Park", "Alberta", "Canada")),
        ("Edmonton, Alberta, Canada", ("Edmonton", "Alberta", "Canada")),
        ("4953 W Addison St, Chicago, IL 60641", ("Chicago", "IL", "")),
        ("Mexico City, Mexico", ("Mexico City", "", "Mexico")),
        ("123 Main St, Anytown, CA", ("Anytown", "CA", "")),
        ("Springfield", ("Springfield", "", "")),
    ],
)
def test_city_is_read_from_a_one_line_address(address: str, place: tuple[str, str, str]) -> None:
    calls: list[tuple[str, str, str]] = []

    def locate(city: str, state: str, country: str) -> None:
        calls.append((city, state, country))

    parse(meeting(formatted_address=address), locate=locate)
    assert calls == [place]


def test_street_only_address_is_not_looked_up() -> None:
    calls: list[object] = []
    parse(meeting(formatted_address="123 Main St"), locate=lambda *args: calls.append(args))
    assert calls == []


@pytest.mark.parametrize("answer", [RuntimeError("boom"), "here", (1,), (95.0, 0.0), ("a", "b"), (float("nan"), 1.0)])
def test_a_failing_or_odd_locate_is_treated_as_not_found(answer: object) -> None:
    def locate(city: str, state: str, country: str) -> object:
        if isinstance(answer, Exception):
            raise answer
        return answer

    found = only(parse(meeting(city="Anytown"), locate=locate))
    assert (found.latitude, found.longitude, found.approximate) == (None, None, False)


def test_formatted_address_is_built_from_parts() -> None:
    found = only(
        parse(meeting(address="123 Main Street", city="Anytown", state="CA", postal_code="98765", country="US"))
    )
    assert found.formatted_address == "123 Main Street, Anytown, CA 98765, US"
    assert (found.address, found.city, found.state, found.postal_code, found.country) == (
        "123 Main Street",
        "Anytown",
        "CA",
        "98765",
        "US",
    )


def test_a_whole_address_in_the_street_field_becomes_the_formatted_address() -> None:
    found = only(parse(meeting(address="8318 104 St, Edmonton, Alberta, T6E 4E8, Canada")))
    assert found.formatted_address == "8318 104 St, Edmonton, Alberta, T6E 4E8, Canada"
    assert found.address == ""


def test_formatted_address_wins_over_parts() -> None:
    found = only(parse(meeting(formatted_address="1 A St, B, CA 90000, USA", address="1 A St", city="B")))
    assert (found.formatted_address, found.address, found.city) == ("1 A St, B, CA 90000, USA", "1 A St", "B")


def test_regions_list_fills_region_and_sub_region() -> None:
    found = only(parse(meeting(regions=["Illinois", "Chicago", "Wicker Park"])))
    assert (found.region, found.sub_region) == ("Illinois", "Chicago")
    assert only(parse(meeting(region="Loop", regions=["Illinois"]))).region == "Loop"


# --------------------------------------------------------------------------- attendance


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"formatted_address": "1 Main St, Anytown, CA"}, "in_person"),
        ({"formatted_address": "1 Main St, Anytown, CA", "conference_url": "https://zoom.us/j/1"}, "hybrid"),
        ({"formatted_address": "Anytown, CA", "approximate": "yes", "conference_phone": "+1 555 0100"}, "online"),
        ({"conference_url": "https://zoom.us/j/1"}, "online"),
        ({"formatted_address": "Anytown, CA", "approximate": "yes"}, "inactive"),
        ({"formatted_address": "1 Main St", "types": ["TC"]}, "inactive"),
        ({"formatted_address": "1 Main St", "types": ["TC"], "conference_url": "https://zoom.us/j/1"}, "online"),
        ({}, "inactive"),
    ],
)
def test_attendance_is_derived_when_absent(fields: dict[str, Any], expected: str) -> None:
    result = parse(meeting(**fields))
    assert only(result).attendance_option == expected
    assert result.warnings == ()


def test_given_attendance_is_kept_when_it_makes_sense() -> None:
    found = only(parse(meeting(attendance_option="in_person", conference_url="https://zoom.us/j/1")))
    assert found.attendance_option == "in_person"
    assert (
        only(
            parse(meeting(attendance_option="Hybrid", formatted_address="x", conference_url="https://a.b/c"))
        ).attendance_option
        == "hybrid"
    )


@pytest.mark.parametrize("option", ["online", "hybrid"])
def test_online_without_url_or_phone_is_marked_inactive(option: str) -> None:
    result = parse(meeting(attendance_option=option, formatted_address="1 Main St"))
    assert only(result).attendance_option == "inactive"
    assert f"listed as {option} but has no conference URL or phone" in reasons(result)


def test_temporarily_closed_takes_the_in_person_part_away() -> None:
    hybrid = meeting(attendance_option="hybrid", types=["TC"], formatted_address="x", conference_url="https://a.b/c")
    assert only(parse(hybrid)).attendance_option == "online"
    assert only(parse(meeting(attendance_option="in_person", types=["TC"]))).attendance_option == "inactive"


def test_unknown_attendance_is_worked_out_with_a_note() -> None:
    result = parse(meeting(attendance_option="sometimes", conference_url="https://zoom.us/j/1"))
    assert only(result).attendance_option == "online"
    assert "“sometimes” is not one of" in reasons(result)


# --------------------------------------------------------------------------- text, urls, dates, zones


def test_html_is_stripped_to_plain_text() -> None:
    notes = "<p>Ring the <b>buzzer</b>.</p><script>alert('x')</script><p>2nd floor &amp; left<br>Thanks</p>"
    found = only(
        parse(meeting(notes=notes, name="<i>Big</i> Book &amp; Coffee", location="<a href='javascript:x'>Hall</a>"))
    )
    assert found.notes == "Ring the buzzer.\n2nd floor & left\nThanks"
    assert found.name == "Big Book & Coffee"
    assert found.location == "Hall"


def test_text_is_trimmed_and_whitespace_tidied_but_comparisons_survive() -> None:
    found = only(
        parse(
            meeting(
                name="  Step \t Study \n ", notes="Line one  \r\n\r\n\r\n\r\n  Line two\x00\x07", location="a < b > c"
            )
        )
    )
    assert found.name == "Step Study"
    assert found.notes == "Line one\n\nLine two"
    assert found.location == "a < b > c"


def test_long_text_is_capped_with_a_note() -> None:
    result = parse(meeting(name="N" * 300, notes="word " * 1000))
    found = only(result)
    assert len(found.name) == LIMITS["name"] == 200 and found.name.endswith("…")
    assert len(found.notes) <= LIMITS["notes"] == 2000
    assert "name field was shortened to 200 characters" in reasons(result)
    assert "notes field was shortened to 2000 characters" in reasons(result)


@pytest.mark.parametrize(
    ("field", "value"), [("notes", {"a": 1}), ("location", [1, 2]), ("group", True), ("city", 1e400)]
)
def test_odd_values_in_text_fields_are_left_out_with_a_note(field: str, value: object) -> None:
    raw = json.dumps([meeting()]).replace('"name"', f'"{field}": {json.dumps(value)}, "name"')
    result = parse_feed(raw)
    assert getattr(only(result), field) == ""
    assert "not text, so it was left out" in reasons(result)


def test_urls_must_be_web_addresses() -> None:
    result = parse(
        meeting(slug="a", conference_url="javascript:alert(1)", url="https://oc-aa.org/meetings/a/"),
        meeting(slug="b", conference_url="zoom.us/j/123?pwd=x"),
        meeting(slug="c", conference_url="https://zoom.us/j/" + "1" * 600),
        meeting(slug="d", conference_url="https://zoom.us/j/1?a=1&amp;b=2"),
    )
    urls = {m.slug: (m.conference_url, m.url) for m in result.meetings}
    assert urls["a"] == ("", "https://oc-aa.org/meetings/a/")
    assert urls["b"] == ("https://zoom.us/j/123?pwd=x", "")
    assert urls["c"] == ("", "")
    assert urls["d"] == ("https://zoom.us/j/1?a=1&b=2", "")
    assert "is not a web address" in reasons(result) and "longer than 500 characters" in reasons(result)
    spaced = parse(meeting(conference_url="https://zoom.us/j/1 or call"), meeting(slug="e", url="https://"))
    assert [m.conference_url or m.url for m in spaced.meetings] == ["", ""]


def test_conference_phone_is_kept_whole_or_dropped() -> None:
    one_tap = "+15873281099,,82900440659#,,#,,M1F3TTRlakdHUDg4Ukl0VjFZSHo5QT09#"  # 64 characters, real
    assert only(parse(meeting(conference_phone=one_tap))).conference_phone == one_tap
    result = parse(meeting(conference_phone="1" * 150), meeting(slug="x", conference_phone="call us"))
    assert [m.conference_phone for m in result.meetings] == ["", ""]
    assert "longer than 100" in reasons(result) and "has no digits" in reasons(result)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-08-29 15:56:59", dt.datetime(2023, 8, 29, 15, 56, 59, tzinfo=UTC)),
        ("2023-08-29T15:56:59Z", dt.datetime(2023, 8, 29, 15, 56, 59, tzinfo=UTC)),
        ("2023-08-29T17:56:59.123+02:00", dt.datetime(2023, 8, 29, 15, 56, 59, tzinfo=UTC)),
        ("2023-08-29", dt.datetime(2023, 8, 29, tzinfo=UTC)),
        ("12/31/2023 10:30:00", dt.datetime(2023, 12, 31, 10, 30, tzinfo=UTC)),
        ("8/25/2022 11:17:07 AM", dt.datetime(2022, 8, 25, 11, 17, 7, tzinfo=UTC)),
        ("8/25/2022 1:17:07 PM", dt.datetime(2022, 8, 25, 13, 17, 7, tzinfo=UTC)),
        ("8/25/2022", dt.datetime(2022, 8, 25, tzinfo=UTC)),
    ],
)
def test_updated_dates_become_aware_utc(text: str, expected: dt.datetime) -> None:
    found = only(parse(meeting(updated=text)))
    assert found.updated == expected
    assert found.updated is not None and found.updated.utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize("value", ["yesterday", "31/12/2023", 1700000000, "0001-01-01T00:00:00+05:00"])
def test_unreadable_updated_is_left_out_with_a_note(value: object) -> None:
    result = parse(meeting(updated=value))
    assert only(result).updated is None and "updated date" in reasons(result)


def test_time_zones() -> None:
    assert only(parse(meeting(timezone="America/Edmonton"))).timezone == "America/Edmonton"
    assert only(parse(meeting(timezone="america/new_york"))).timezone == "America/New_York"
    assert only(parse(meeting(), default_timezone="America/Los_Angeles")).timezone == "America/Los_Angeles"
    result = parse(meeting(timezone="Mars/Olympus"), default_timezone="America/Los_Angeles")
    assert only(result).timezone == "America/Los_Angeles"
    assert "not a known IANA time zone" in reasons(result)
    with pytest.raises(FeedError, match="default time zone"):
        parse(meeting(), default_timezone="Pacific Time")


def test_one_warning_per_meeting_naming_its_slug() -> None:
    result = parse(meeting(day="7", types=["ZZ"], end_time="soon", latitude=100, longitude=0))
    assert len(result.warnings) == 1
    assert result.warnings[0].slug == "sunday-serenity"
    for words in ("Day 7", "“ZZ”", "end time", "outside the map"):
        assert words in result.warnings[0].reason


# --------------------------------------------------------------------------- writing


RICH_FEED = [
    meeting(
        slug="rich",
        day=["Monday", 3],
        time="6:30 pm",
        timezone="America/Los_Angeles",
        types=["O", "C", "S", "X", "ONL"],
        notes="<p>Ring buzzer</p><p>Upstairs</p>",
        url="https://example.org/m/rich",
        updated="12/31/2023 10:30:00",
        group="Serenity Group",
        group_notes="Business meeting monthly",
        district="7",
        region="Costa Mesa",
        sub_region="Eastside",
        location="Alano Club",
        location_notes="Parking behind",
        address="123 Main Street",
        city="Costa Mesa",
        state="CA",
        postal_code="92626",
        country="US",
        latitude="33.68",
        longitude="-117.87",
        conference_url="https://zoom.us/j/1",
        conference_url_notes="Password: serenity",
        conference_phone="+16699009128,,1#",
        conference_phone_notes="ID 1",
    ),
    meeting(slug="appt", day=None, time=None, city="Edmonton", state="AB", country="CA"),
    meeting(
        slug="closed", types=["TC"], formatted_address="1 Main St, Anytown, CA", approximate="no", end_time="23:59"
    ),
]

SPEC_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def check_spec_entry(entry: dict[str, Any]) -> None:
    assert set(entry) <= set(FEED_FIELDS)
    assert isinstance(entry["name"], str) and entry["name"]
    assert isinstance(entry["slug"], str) and entry["slug"]
    if "day" in entry:
        assert type(entry["day"]) is int and 0 <= entry["day"] <= 6
    for key in ("time", "end_time"):
        if key in entry:
            assert SPEC_TIME.match(entry[key])
    if "types" in entry:
        assert entry["types"] and all(code in TYPE_CODES for code in entry["types"])
    if "updated" in entry:
        dt.datetime.strptime(entry["updated"], "%Y-%m-%d %H:%M:%S")  # noqa: DTZ007 - format check only
    if "latitude" in entry:
        assert isinstance(entry["latitude"], float) and isinstance(entry["longitude"], float)
    if "approximate" in entry:
        assert entry["approximate"] in ("yes", "no")
    assert entry["attendance_option"] in ATTENDANCE
    for key, value in entry.items():
        if isinstance(value, str) and key != "slug":
            assert value, f"{key} is empty: empty optional fields are left out"


def test_to_feed_writes_spec_fields() -> None:
    feed = to_feed(parse_feed(json.dumps(RICH_FEED), locate=lambda *_: (53.5, -113.5)).meetings)
    for entry in feed:
        check_spec_entry(entry)
    rich = feed[0]
    assert rich["slug"] == "rich-1" and rich["day"] == 1 and rich["time"] == "18:30" and rich["end_time"] == "19:30"
    assert rich["types"] == ["C", "ONL", "S", "X"]
    assert rich["updated"] == "2023-12-31 10:30:00"
    assert rich["notes"] == "Ring buzzer\nUpstairs"
    assert rich["formatted_address"] == "123 Main Street, Costa Mesa, CA 92626, US"
    assert (rich["latitude"], rich["longitude"], rich["approximate"]) == (33.68, -117.87, "no")
    assert rich["attendance_option"] == "hybrid"
    appointment = feed[2]
    assert "day" not in appointment and "time" not in appointment and "end_time" not in appointment
    assert (appointment["latitude"], appointment["approximate"]) == (53.5, "yes")
    assert feed[3]["attendance_option"] == "inactive"
    assert feed[3]["end_time"] == "23:59"


def test_round_trip_gives_identical_meetings() -> None:
    first = parse_feed(json.dumps(RICH_FEED), locate=lambda *_: (53.5, -113.5))
    assert first.warnings == ()
    again = parse_feed(json.dumps(to_feed(first.meetings)), locate=lambda *_: (0.5, 0.5))
    assert again.meetings == first.meetings
    assert again.warnings == ()


def test_to_feed_zero_pads_early_years_and_converts_to_utc() -> None:
    item = only(parse(meeting()))
    early = item.__class__(**{**item.__dict__, "updated": dt.datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC)})
    assert to_feed([early])[0]["updated"] == "0999-01-02 03:04:05"
    zone = dt.timezone(dt.timedelta(hours=-7))
    local = item.__class__(**{**item.__dict__, "updated": dt.datetime(2024, 1, 1, 20, 0, tzinfo=zone)})
    assert to_feed([local])[0]["updated"] == "2024-01-02 03:00:00"


# --------------------------------------------------------------------------- properties

json_scalars = st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats() | st.text(max_size=30)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)

# Values that reach deep into the reader: near-valid days, times, dates, markup, entities.
tricky_text = st.sampled_from(
    [
        "",
        " ",
        "0",
        "7",
        "Monday",
        "miércoles",
        "6:30 pm",
        "12:00 AM",
        "24:00",
        "25:61",
        "noon",
        "18:30:00",
        "2023-08-29 15:56:59",
        "8/25/2022 11:17:07 AM",
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-14:00",
        "O",
        "C",
        "TC",
        "S",
        "ONL",
        "yes",
        "no",
        "online",
        "hybrid",
        "33.68",
        "-200",
        "1e999",
        "NaN",
        "zoom.us/j/1",
        "javascript:alert(1)",
        "https://zoom.us/j/1",
        "<b>x</b>",
        "<script>x</script>",
        "&amp;lt;b&amp;gt;",
        "&amp;amp;amp;amp;amp;amp;amp;amp;amp;amp;amp;amp;amp;amp;amp;",
        "<<b>b>",
        "a\u2028b\x85c\r\nd",
        "\ud800",
        "America/New_York",
        "../../etc/passwd",
        "8318 104 St, Edmonton, Alberta, T6E 4E8, Canada",
        ",,,",
    ]
)
field_values = json_values | tricky_text | st.lists(tricky_text | st.integers(-2, 9), max_size=4)
day_values = st.integers(-1, 8) | st.sampled_from(["1", "7", "Monday", "sábado", "x"])
time_text = st.from_regex(r"\A\d{1,2}(:\d{2}(:\d{2})?)? ?([ap]\.?m\.?)?\Z") | st.sampled_from(
    ["noon", "12:00 AM", "23:30"]
)
updated_text = st.datetimes().map(str) | st.datetimes().map(lambda d: d.strftime("%m/%d/%Y %I:%M:%S %p"))
# Per field: mostly values of the right shape (so parsing goes deep), sometimes anything.
meeting_fields = {key: tricky_text | st.text(max_size=40) | json_values for key in FEED_FIELDS}
meeting_fields["name"] = st.text(min_size=1, max_size=20) | st.text(min_size=1, max_size=20) | field_values
meeting_fields.update(
    slug=st.text(min_size=1, max_size=12) | st.text(min_size=1, max_size=12) | st.integers() | field_values,
    day=day_values | st.lists(day_values, max_size=4) | field_values,
    time=time_text | field_values,
    end_time=time_text | field_values,
    types=st.lists(st.sampled_from([*TYPE_CODES, "ZZ", "o", "12X12", ""]), max_size=6) | field_values,
    latitude=st.floats(-100, 100) | st.floats(-100, 100).map(str) | field_values,
    longitude=st.floats(-200, 200) | st.floats(-200, 200).map(str) | field_values,
    conference_url=st.sampled_from(["https://zoom.us/j/1", "zoom.us/j/2", "javascript:x", "http://a b"]) | field_values,
    conference_phone=st.from_regex(r"\A\+?[0-9 ,#*]{1,20}\Z") | field_values,
    updated=updated_text | field_values,
    regions=st.lists(st.text(max_size=10), max_size=3) | field_values,
)
valid_core = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["Serenity", "Step Study"]),
        "slug": st.from_regex(r"\A[a-z0-9-]{1,12}\Z"),
        "day": st.integers(0, 6),
        "time": st.sampled_from(["07:00", "18:30", "23:45"]),
    }
)
# A valid core with some fields added or overridden by odd values, so most meetings get deep
# into the reader instead of stopping at "no slug".
meeting_dicts = st.builds(
    lambda core, extra: {**core, **extra}, valid_core, st.fixed_dictionaries({}, optional=meeting_fields)
)
feeds = st.lists(meeting_dicts | json_values, max_size=6)


def no_internal_errors(result: ParseResult) -> None:
    assert not any("internal error" in warning.reason for warning in result.warnings)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(json_values, feeds))
def test_no_json_input_raises_anything_but_feed_error(value: Any) -> None:
    raw = json.dumps(value)
    try:
        result = parse_feed(raw, locate=lambda city, state, country: (1.0, 2.0) if city else None)
    except FeedError:
        return
    no_internal_errors(result)
    for item in result.meetings:
        assert item.attendance_option in ATTENDANCE
        assert set(item.types) <= set(TYPE_CODES)
        assert item.day is None or 0 <= item.day <= 6
        assert (item.day is None) == (item.time is None) == (item.end_time is None)
        assert item.updated is None or item.updated.utcoffset() == dt.timedelta(0)
        for key, limit in LIMITS.items():
            value_text = getattr(item, key)
            assert value_text is None or len(value_text) <= limit
        for entry in to_feed([item]):
            check_spec_entry(entry)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(feeds)
def test_round_trip_is_stable_for_any_feed(value: list[Any]) -> None:
    try:
        first = parse_feed(json.dumps(value))
    except FeedError:
        return
    again = parse_feed(json.dumps(to_feed(first.meetings)))
    assert again.meetings == first.meetings
    assert again.skipped == 0


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200))
def test_no_raw_input_raises_anything_but_feed_error(raw: bytes | str) -> None:
    try:
        result = parse_feed(raw)
    except FeedError:
        return
    no_internal_errors(result)
