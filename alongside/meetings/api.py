"""API operations of meetings: the finder, a meeting, following, attendance, change
requests and the place lookup.

Meeting listings are public, so the finder, a meeting, the place lookup and change
requests work without signing in (``auth`` is optional there: a signed-in caller gets
times in their own zone and whether they follow the meeting). Following and attendance
are a person's own: every operation on them acts on the caller and nobody else.

The finder is sorted by distance, then start time, so it pages with ``limit``/``offset``
(a cursor needs a stable key, and distance is computed per query); the answer carries
``count`` and a ``next`` URL. The person's own lists use cursor pagination like the rest
of the API.
"""

import datetime as dt
import zoneinfo
from typing import Any, Literal
from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import CursorPagination, paginate
from ninja.security import APIKeyCookie
from ninja.utils import check_csrf
from pydantic import ConfigDict, model_validator

from alongside.accounts.http import AuthedHttpRequest
from alongside.api.auth import BearerToken
from alongside.api.errors import ApiError
from alongside.lib import gazetteer
from alongside.lib.tz import zone_named, zone_of
from alongside.meetings import feed, schedule, selectors, services
from alongside.meetings.forms import type_name
from alongside.meetings.models import AttendanceRecord, Meeting, MeetingFollow

router = Router(tags=["meetings"])

HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"
LANGUAGE_CODE = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"
MAX_LIMIT = 100


# --- optional sign-in -----------------------------------------------------------------------


class SessionIfSignedIn(APIKeyCookie):
    """The session cookie, for operations anyone may call. CSRF is checked only when the
    session is signed in: an anonymous caller has no credentials for a forged request to
    borrow, and a mobile client without a session must not need a CSRF token."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed: send the X-CSRFToken header with the session cookie.")
        return request.user


def anonymous(request: HttpRequest) -> Any:
    # A caller who sent a token meant to sign in: a wrong token is a 401, not a quiet
    # downgrade to anonymous.
    if "authorization" in request.headers:
        return None
    return "anonymous"


optional_auth = [BearerToken(), SessionIfSignedIn(), anonymous]


def _signed_in(request: HttpRequest) -> bool:
    return request.user.is_authenticated


# --- schemas --------------------------------------------------------------------------------


class RequestBody(Schema):
    """A JSON object with only the documented fields (see recovery/api.py for why)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        if not isinstance(getattr(data, "_obj", data), dict):
            raise ValueError("Send a JSON object with the fields of this request.")
        return data


class MeetingFilters(Schema):
    near: str | None = Field(
        None, max_length=200, description='A place by name ("Costa Mesa, CA", "Edmonton"); or send lat and lon'
    )
    lat: float | None = Field(None, ge=-90, le=90, description="Latitude of the searcher (with lon)")
    lon: float | None = Field(None, ge=-180, le=180, description="Longitude of the searcher (with lat)")
    radius_km: float = Field(selectors.DEFAULT_RADIUS_KM, gt=0, le=selectors.MAX_RADIUS_KM)
    day: int | None = Field(None, ge=0, le=6, description="0 Sunday .. 6 Saturday, in the meeting's own zone")
    from_: str | None = Field(
        None, alias="from", pattern=HHMM, description="HH:MM: meetings starting at or after (meeting's local time)"
    )
    to: str | None = Field(
        None, pattern=HHMM, description="HH:MM: meetings starting at or before (meeting's local time)"
    )
    types: list[str] = Field(
        [], max_length=20, description="Meeting Guide type codes; repeat the parameter; all must match"
    )
    attendance: Literal["in_person", "online", "hybrid"] | None = Field(
        None, description="online includes hybrid; in_person includes hybrid"
    )
    language: str | None = Field(None, pattern=LANGUAGE_CODE, max_length=8)
    q: str | None = Field(None, max_length=100, description="Words in the name, place, address or group")
    program: str | None = Field(None, max_length=60, description="Only this program's meetings (slug)")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=100_000)

    model_config = ConfigDict(populate_by_name=True)


class PlaceOut(Schema):
    label: str
    name: str
    admin1: str
    country: str
    latitude: float
    longitude: float
    timezone: str


class TypeOut(Schema):
    code: str
    name: str = Field(..., description="In the request's language (Accept-Language: en or es)")


class MeetingOut(Schema):
    id: int
    program_id: int
    slug: str
    name: str
    day: int | None = Field(..., description="0 Sunday .. 6 Saturday; null for by appointment")
    start_time: dt.time | None = Field(..., description="Local time in time_zone")
    end_time: dt.time | None
    time_zone: str
    next_start: dt.datetime | None = Field(..., description="The next start, with the meeting's own UTC offset")
    next_start_viewer: dt.datetime | None = Field(
        ..., description="The same moment in the signed-in caller's time zone (null when not signed in)"
    )
    distance_km: float | None = Field(..., description="From the searched place; null for online meetings")
    types: list[TypeOut]
    attendance_option: str
    language: str
    location: str
    formatted_address: str
    city: str
    state: str
    latitude: float | None
    longitude: float | None
    approximate: bool = Field(..., description="Coordinates are the city's, not the address's")
    conference_url: str
    conference_phone: str
    page_url: str


class ProgramRef(Schema):
    slug: str
    name: str


class MeetingDetailOut(MeetingOut):
    notes: str
    url: str
    group_name: str
    location_notes: str
    address: str
    postal_code: str
    country: str
    conference_url_notes: str
    conference_phone_notes: str
    program: ProgramRef
    map_url: str | None = Field(..., description="OpenStreetMap, when the meeting has coordinates")
    following: bool | None = Field(..., description="Null when not signed in")
    remind_minutes_before: int | None


class MeetingListOut(Schema):
    count: int = Field(..., description="Every match; page through with offset")
    limit: int
    offset: int
    next: str | None = Field(..., description="URL of the next page, null on the last")
    place: PlaceOut | None = Field(..., description="The place `near` was read as")
    other_places: list[PlaceOut] = Field(..., description="Other places with that name (did you mean)")
    results: list[MeetingOut]


class FollowIn(RequestBody):
    remind_minutes_before: int | None = Field(None, ge=5, le=24 * 60, description="A reminder this long before")


class FollowOut(Schema):
    meeting: MeetingOut
    remind_minutes_before: int | None
    created_at: dt.datetime

    @staticmethod
    def resolve_meeting(obj: MeetingFollow, context: dict[str, Any]) -> dict[str, Any]:
        request = context["request"]
        return _meeting_out(request, obj.meeting)


class AttendanceIn(RequestBody):
    occurrence: dt.date | None = Field(
        None, description="The meeting day (meeting's zone); defaults to its latest start that is not in the future"
    )


class AttendanceOut(Schema):
    id: int
    meeting_id: int
    meeting_name: str = Field(..., alias="meeting.name")
    occurrence: dt.date
    self_recorded: bool = Field(..., description="False when a facilitator recorded it from their roster")
    created_at: dt.datetime

    @staticmethod
    def resolve_self_recorded(obj: AttendanceRecord) -> bool:
        return obj.recorded_by_id == obj.user_id


class ChangeRequestIn(RequestBody):
    message: str = Field(..., min_length=5, max_length=2000, description="What should change")
    contact: str = Field("", max_length=200, description="How the admins can reach you (optional)")


class ChangeRequestOut(Schema):
    id: int
    meeting_id: int
    status: str
    created_at: dt.datetime


class PlaceQuery(Schema):
    q: str = Field(..., min_length=1, max_length=200, description='A place name, e.g. "Costa Mesa, CA"')
    limit: int = Field(5, ge=1, le=10)


# --- helpers --------------------------------------------------------------------------------


def _viewer_zone(request: HttpRequest) -> zoneinfo.ZoneInfo | None:
    return zone_of(request.user) if request.user.is_authenticated else None


def _place_out(place: gazetteer.Place) -> dict[str, Any]:
    return {
        "label": place.label,
        "name": place.name,
        "admin1": place.admin1,
        "country": place.country,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "timezone": place.timezone,
    }


def _meeting_out(
    request: HttpRequest,
    meeting: Meeting,
    *,
    distance_km: float | None = None,
    next_start: dt.datetime | None = None,
    computed: bool = False,
) -> dict[str, Any]:
    """Only the finder's list fields are read, so a page of results costs no more queries."""
    if not computed:
        next_start = schedule.next_start(
            meeting.day, meeting.start_time, zone_named(meeting.time_zone), now=timezone.now()
        )
    viewer_zone = _viewer_zone(request)
    language = get_language()
    return {
        "id": meeting.pk,
        "program_id": meeting.program_id,
        "slug": meeting.slug,
        "name": meeting.name,
        "day": meeting.day,
        "start_time": meeting.start_time,
        "end_time": meeting.end_time,
        "time_zone": meeting.time_zone,
        "next_start": next_start,
        "next_start_viewer": next_start.astimezone(viewer_zone) if next_start and viewer_zone else None,
        "distance_km": distance_km,
        "types": [{"code": code, "name": type_name(code, language)} for code in meeting.types or ()],
        "attendance_option": meeting.attendance_option,
        "language": meeting.language,
        "location": meeting.location,
        "formatted_address": meeting.formatted_address,
        "city": meeting.city,
        "state": meeting.state,
        "latitude": meeting.latitude,
        "longitude": meeting.longitude,
        "approximate": meeting.approximate,
        "conference_url": meeting.conference_url,
        "conference_phone": meeting.conference_phone,
        "page_url": reverse("meeting_detail", args=[meeting.pk]),
    }


def _minute(value: str | None) -> int | None:
    if not value:
        return None
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def _search(filters: MeetingFilters) -> tuple[selectors.Search, gazetteer.Place | None, list[gazetteer.Place]]:
    if (filters.lat is None) != (filters.lon is None):
        missing = "lon" if filters.lon is None else "lat"
        raise ApiError(422, "invalid", "Send lat and lon together.", {missing: "required with the other coordinate"})
    unknown = [code for code in filters.types if code not in feed.TYPE_CODES]
    if unknown:
        raise ApiError(
            422,
            "invalid",
            "Unknown meeting type codes.",
            {"types": "unknown: " + ", ".join(code[:12] for code in unknown[:5])},
        )
    start, end = _minute(filters.from_), _minute(filters.to)
    if start is not None and end is not None and end < start:
        raise ApiError(
            422,
            "invalid",
            "`to` is before `from`; for meetings after midnight, search from 00:00.",
            {"to": "before from"},
        )
    place, others = None, []
    latitude, longitude, label = filters.lat, filters.lon, ""
    if latitude is None and filters.near and filters.near.strip():
        places = gazetteer.find_places(filters.near, limit=5)
        if not places:
            raise ApiError(
                422,
                "unknown_place",
                "No place by that name; try the nearest larger town, or add the state or country.",
                {"near": "not found"},
            )
        place = places[0]
        others = [p for p in places[1:] if p.label != place.label and p.name.casefold() == place.name.casefold()]
        latitude, longitude, label = place.latitude, place.longitude, place.label
    program = selectors.program_for_feed(filters.program) if filters.program else None
    search = selectors.Search(
        latitude=latitude,
        longitude=longitude,
        place_label=label,
        radius_km=filters.radius_km,
        day=filters.day,
        from_minute=start,
        to_minute=end,
        types=tuple(filters.types),
        attendance=filters.attendance or "",
        language=filters.language or "",
        text=(filters.q or "").strip(),
        program=program,
    )
    return search, place, others


def _next_url(request: HttpRequest, filters: MeetingFilters, total: int) -> str | None:
    following = filters.offset + filters.limit
    if following >= total:
        return None
    query = [(key, item) for key, values in request.GET.lists() if key != "offset" for item in values]
    query.append(("offset", str(following)))
    return request.build_absolute_uri(request.path) + "?" + urlencode(query)


# --- the finder, a meeting, places ---------------------------------------------------------------


@router.get(
    "/meetings",
    auth=optional_auth,
    response=MeetingListOut,
    summary="Find meetings: near a place, by day, time, type, attendance, language or words",
)
def meetings_find(request: HttpRequest, filters: Query[MeetingFilters]):
    """Nearest first, then by start time; online meetings (no distance) after the nearby
    ones. Times filter on each meeting's own local clock. With no place and no filter the
    answer is every active meeting, paged."""
    search, place, others = _search(filters)
    results = selectors.find_meetings(
        search, viewer_zone=_viewer_zone(request), limit=filters.limit, offset=filters.offset
    )
    return {
        "count": results.total,
        "limit": filters.limit,
        "offset": filters.offset,
        "next": _next_url(request, filters, results.total),
        "place": _place_out(place) if place else None,
        "other_places": [_place_out(p) for p in others],
        "results": [
            _meeting_out(
                request, found.meeting, distance_km=found.distance_km, next_start=found.next_start, computed=True
            )
            for found in results.found
        ],
    }


@router.get("/meetings/{meeting_id}", auth=optional_auth, response=MeetingDetailOut, summary="One meeting")
def meeting_get(request: HttpRequest, meeting_id: int):
    meeting = selectors.get_meeting(meeting_id)
    follow = selectors.my_follow(request.user, meeting) if _signed_in(request) else None  # type: ignore[arg-type]
    has_position = meeting.latitude is not None and meeting.longitude is not None
    return {
        **_meeting_out(request, meeting),
        "notes": meeting.notes,
        "url": meeting.url,
        "group_name": meeting.group_name,
        "location_notes": meeting.location_notes,
        "address": meeting.address,
        "postal_code": meeting.postal_code,
        "country": meeting.country,
        "conference_url_notes": meeting.conference_url_notes,
        "conference_phone_notes": meeting.conference_phone_notes,
        "program": {"slug": meeting.program.slug, "name": meeting.program.name},
        "map_url": (
            f"https://www.openstreetmap.org/?mlat={meeting.latitude:.5f}&mlon={meeting.longitude:.5f}"
            if has_position
            else None
        ),
        "following": (follow is not None) if _signed_in(request) else None,
        "remind_minutes_before": follow.remind_minutes_before if follow else None,
    }


@router.get("/places", auth=None, response=list[PlaceOut], summary="Look up a place by name (offline gazetteer)")
def places_find(request: HttpRequest, query: Query[PlaceQuery]):
    """Best first. Places are cities and towns of more than 15,000 people; an empty list
    means no such place, not an error."""
    return [_place_out(place) for place in gazetteer.find_places(query.q, limit=query.limit)]


# --- following --------------------------------------------------------------------------------


@router.post("/meetings/{meeting_id}/follow", response=FollowOut, summary="Follow a meeting (or change its reminder)")
def meeting_follow(request: AuthedHttpRequest, meeting_id: int, payload: FollowIn | None = None):
    meeting = selectors.get_meeting(meeting_id)
    follow = services.meeting_follow(
        user=request.user, meeting=meeting, remind_minutes_before=payload.remind_minutes_before if payload else None
    )
    return follow


@router.delete("/meetings/{meeting_id}/follow", response={204: None}, summary="Stop following a meeting")
def meeting_unfollow(request: AuthedHttpRequest, meeting_id: int):
    services.meeting_unfollow(user=request.user, meeting=selectors.get_meeting(meeting_id))
    return Status(204, None)


@router.get("/me/meetings", response=list[FollowOut], summary="Meetings I follow")
@paginate(CursorPagination, ordering=("-created_at", "-id"), page_size=50)
def my_meetings(request: AuthedHttpRequest):
    return selectors.my_follows(request.user)


# --- attendance ---------------------------------------------------------------------------------


@router.post(
    "/meetings/{meeting_id}/attendance", response={201: AttendanceOut}, summary="I was there: record my attendance"
)
def attendance_record(request: AuthedHttpRequest, meeting_id: int, payload: AttendanceIn | None = None):
    """Always the caller's own attendance. Recording the same day twice returns the same record."""
    meeting = selectors.get_meeting(meeting_id)
    occurrence = (
        payload.occurrence if payload and payload.occurrence else selectors.latest_occurrence(meeting, timezone.now())
    )
    record = services.attendance_record(
        user=request.user, meeting=meeting, occurrence=occurrence, recorded_by=request.user
    )
    return Status(201, record)


@router.get("/me/attendance", response=list[AttendanceOut], summary="Meetings I went to, newest first")
@paginate(CursorPagination, ordering=("-occurrence", "-id"), page_size=50)
def my_attendance(request: AuthedHttpRequest):
    return selectors.my_attendance_records(request.user)


# --- change requests ---------------------------------------------------------------------------


@router.post(
    "/meetings/{meeting_id}/change-requests",
    auth=optional_auth,
    response={201: ChangeRequestOut},
    summary="Suggest a correction to a meeting's listing (anyone; sign-in optional)",
)
def change_request_create(request: HttpRequest, meeting_id: int, payload: ChangeRequestIn):
    """Limited to 5 an hour from one address when not signed in (20 an hour for a signed-in
    person); past that, 429."""
    meeting = selectors.get_meeting(meeting_id)
    signed_in = _signed_in(request)
    who = str(request.user.pk) if signed_in else (get_adapter().get_client_ip(request) or "unknown")
    if not services.change_request_allowance_use(who=who, signed_in=signed_in):
        raise ApiError(429, "rate_limited", "Several suggestions already came from you this hour; try again later.")
    created = services.change_request_submit(
        meeting=meeting,
        message=payload.message,
        contact=payload.contact,
        submitted_by=request.user if signed_in else None,  # type: ignore[arg-type]
    )
    return Status(201, created)
