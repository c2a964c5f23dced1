"""iCalendar (RFC 5545) for weekly meetings. Pure: no Django.

Each weekly meeting is one VEVENT with ``RRULE:FREQ=WEEKLY;BYDAY=..`` whose DTSTART is a
local time with the meeting's own TZID, so a calendar keeps it at 7 pm in the meeting's
city across daylight-saving changes (a UTC start would drift by an hour twice a year).
A VTIMEZONE is written for every zone used, because some clients (older Outlook) do not
know IANA names by themselves.

Meetings by appointment (no day or time) have no place on a calendar and are left out.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterable
from typing import Protocol

import icalendar

from alongside.lib.tz import zone_named
from alongside.meetings import schedule

__all__ = ["CalendarMeeting", "calendar_of", "event_uid"]

PRODID = "-//Alongside//Meetings//EN"
_BYDAY = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")  # Meeting Guide day 0..6
# VTIMEZONE rules are written out year by year; this covers any start we write and the
# years a subscribed calendar is realistically looked at.
_ZONE_YEARS = 12


class CalendarMeeting(Protocol):
    """What a calendar needs of a meeting (``meetings.models.Meeting`` has all of it)."""

    id: int
    name: str
    day: int | None
    start_time: dt.time | None
    end_time: dt.time | None
    time_zone: str
    notes: str
    location: str
    formatted_address: str
    latitude: float | None
    longitude: float | None
    conference_url: str
    conference_phone: str
    attendance_option: str
    created_at: dt.datetime
    updated_at: dt.datetime


def event_uid(meeting_id: int, host: str) -> str:
    """Stable across exports, so a re-fetched feed updates events instead of duplicating them."""
    return f"meeting-{meeting_id}@{host}"


def _first_start(meeting: CalendarMeeting, zone: zoneinfo.ZoneInfo) -> dt.datetime | None:
    # Anchored on when the meeting was listed (not on "now"), so DTSTART is the same in
    # every export and calendar clients do not rewrite the series on each refresh.
    return schedule.next_start(meeting.day, meeting.start_time, zone, now=meeting.created_at)


def _end(start: dt.datetime, end_time: dt.time | None, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    if end_time is None:
        return start + dt.timedelta(hours=1)
    end = dt.datetime.combine(start.date(), end_time, tzinfo=zone)
    if end <= start:  # a meeting that runs past midnight ends the next day
        end = dt.datetime.combine(start.date() + dt.timedelta(days=1), end_time, tzinfo=zone)
    return end


def _description(meeting: CalendarMeeting, page_url: str) -> str:
    lines = []
    if meeting.notes:
        lines.append(meeting.notes)
    if meeting.conference_url:
        lines.append(f"Join online: {meeting.conference_url}")
    if meeting.conference_phone:
        lines.append(f"Dial in: {meeting.conference_phone}")
    if page_url:
        lines.append(page_url)
    return "\n\n".join(lines)


def _event(meeting: CalendarMeeting, *, host: str, stamp: dt.datetime, page_url: str) -> icalendar.Event | None:
    if meeting.day is None or meeting.start_time is None or not 0 <= meeting.day <= 6:
        return None
    zone = zone_named(meeting.time_zone)
    start = _first_start(meeting, zone)
    if start is None:
        return None
    event = icalendar.Event()
    event.add("uid", event_uid(meeting.id, host))
    event.add("dtstamp", stamp)
    event.add("last-modified", meeting.updated_at.astimezone(dt.UTC))
    event.add("summary", meeting.name)
    event.add("dtstart", start)
    event.add("dtend", _end(start, meeting.end_time, zone))
    event.add("rrule", {"freq": "weekly", "byday": _BYDAY[meeting.day]})
    place = ", ".join(part for part in (meeting.location, meeting.formatted_address) if part)
    if meeting.attendance_option in ("in_person", "hybrid") and place:
        event.add("location", place)
    elif meeting.conference_url:
        event.add("location", meeting.conference_url)
    elif place:
        event.add("location", place)
    if meeting.latitude is not None and meeting.longitude is not None:
        event.add("geo", (meeting.latitude, meeting.longitude))
    if meeting.conference_url:
        event.add("url", meeting.conference_url)
    elif page_url:
        event.add("url", page_url)
    description = _description(meeting, page_url)
    if description:
        event.add("description", description)
    # "Not meeting right now": calendars show the series as cancelled rather than
    # keeping a person waiting at a closed door.
    event.add("status", "CANCELLED" if meeting.attendance_option == "inactive" else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def calendar_of(
    meetings: Iterable[CalendarMeeting],
    *,
    host: str,
    name: str,
    calendar_uid: str,
    now: dt.datetime,
    page_url: Callable[[CalendarMeeting], str] | None = None,
) -> bytes:
    """A VCALENDAR of weekly events, one per meeting with a day and a time.

    ``host`` makes the UIDs (``meeting-<id>@<host>``); ``page_url`` links each event back
    to the meeting's page; ``now`` (aware) is the DTSTAMP.
    """
    stamp = now.astimezone(dt.UTC).replace(microsecond=0)
    calendar = icalendar.Calendar.new(
        prodid=PRODID, name=name, uid=calendar_uid, refresh_interval=dt.timedelta(hours=12)
    )
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    first: dt.date | None = None
    for meeting in meetings:
        event = _event(meeting, host=host, stamp=stamp, page_url=page_url(meeting) if page_url else "")
        if event is None:
            continue
        calendar.add_component(event)
        start = event.decoded("dtstart").date()
        first = start if first is None or start < first else first
    if first is not None:
        later = max(first, stamp.date())
        calendar.add_missing_timezones(
            first_date=first - dt.timedelta(days=7), last_date=dt.date(later.year + _ZONE_YEARS, 1, 1)
        )
    return calendar.to_ical()
