"""Reads of meetings: the finder, a meeting's page, feeds, and what a person follows.

Meeting listings are public information (intergroups publish them), so the finder and a
meeting's page need no sign-in. What a person follows and attends is theirs: only the
``my_*`` selectors read it.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from alongside.accounts import selectors as accounts_selectors
from alongside.accounts.models import Membership, Program, Role, User
from alongside.lib import gazetteer
from alongside.lib.tokens import secret_hash
from alongside.lib.tz import zone_named
from alongside.meetings import schedule
from alongside.meetings.models import (
    Attendance,
    AttendanceRecord,
    CalendarToken,
    ChangeRequest,
    ChangeStatus,
    FeedSource,
    ImportRun,
    Meeting,
    MeetingFollow,
    MeetingGroup,
    Relocation,
)

MAX_RADIUS_KM = 200
DEFAULT_RADIUS_KM = 25
PAGE_SIZE = 50
# The finder reads only what the results list shows; a meeting's page loads the rest.
LIST_FIELDS = (
    "id",
    "program_id",
    "slug",
    "name",
    "day",
    "start_time",
    "end_time",
    "time_zone",
    "types",
    "location",
    "formatted_address",
    "city",
    "state",
    "latitude",
    "longitude",
    "approximate",
    "attendance_option",
    "language",
    "conference_url",
    "conference_phone",
    "start_minute",
)


@dataclass(frozen=True)
class Search:
    """What a person asked the finder for. Built by forms and the API, already validated."""

    latitude: float | None = None
    longitude: float | None = None
    place_label: str = ""
    radius_km: float = DEFAULT_RADIUS_KM
    day: int | None = None
    from_minute: int | None = None  # window on the meeting's own local start time
    to_minute: int | None = None
    types: tuple[str, ...] = ()
    attendance: str = ""  # "", in_person, online, hybrid
    language: str = ""
    text: str = ""
    program: Program | None = None

    @property
    def near(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class Found:
    meeting: Meeting
    distance_km: float | None
    next_start: dt.datetime | None  # in the meeting's zone
    next_start_for_viewer: dt.datetime | None  # the same moment in the viewer's zone


@dataclass(frozen=True)
class Results:
    found: list[Found]
    total: int
    search: Search
    places: list[gazetteer.Place] = field(default_factory=list)


def _candidates(search: Search) -> QuerySet[Meeting]:
    found = Meeting.objects.exclude(attendance_option=Attendance.INACTIVE).only(*LIST_FIELDS)
    if search.program is not None:
        found = found.filter(program=search.program)
    # Near a place the bounding box is by far the most selective filter, but a database
    # without fresh statistics (SQLite, usually) would rather walk the day index; comparing
    # day and time as expressions leaves the position index as the only choice.
    boxed = search.near and search.attendance != Attendance.ONLINE
    day, minute = ("day_value", "minute_value") if boxed else ("day", "start_minute")
    if boxed:
        found = found.alias(day_value=F("day") + 0, minute_value=F("start_minute") + 0)
    if search.day is not None:
        found = found.filter(**{day: search.day})
    if search.from_minute is not None:
        found = found.filter(**{f"{minute}__gte": search.from_minute})
    if search.to_minute is not None:
        found = found.filter(**{f"{minute}__lte": search.to_minute})
    if search.language:
        found = found.filter(language=search.language)
    if search.attendance == Attendance.ONLINE:
        found = found.filter(attendance_option__in=[Attendance.ONLINE, Attendance.HYBRID])
    elif search.attendance == Attendance.IN_PERSON:
        found = found.filter(attendance_option__in=[Attendance.IN_PERSON, Attendance.HYBRID])
    elif search.attendance == Attendance.HYBRID:
        found = found.filter(attendance_option=Attendance.HYBRID)
    if search.text:
        words = search.text.split()[:5]
        for word in words:
            found = found.filter(
                Q(name__icontains=word)
                | Q(location__icontains=word)
                | Q(formatted_address__icontains=word)
                | Q(group_name__icontains=word)
            )
    if search.near and search.attendance != Attendance.ONLINE:
        assert search.latitude is not None and search.longitude is not None  # noqa: S101 - search.near
        min_lat, max_lat, min_lon, max_lon = gazetteer.bounding_box(search.latitude, search.longitude, search.radius_km)
        box = Q(latitude__gte=min_lat, latitude__lte=max_lat)
        box &= (
            Q(longitude__gte=min_lon, longitude__lte=max_lon)
            if min_lon <= max_lon
            else (Q(longitude__gte=min_lon) | Q(longitude__lte=max_lon))
        )
        # Online-only meetings (no place) are left out of a search near a place: a national
        # directory holds thousands, which would bury the nearby ones and cost a scan. The
        # page links to an online search instead.
        found = found.filter(box)
    return found


def find_meetings(
    search: Search,
    *,
    viewer_zone: zoneinfo.ZoneInfo | None = None,
    now: dt.datetime | None = None,
    limit: int = PAGE_SIZE,
    offset: int = 0,
) -> Results:
    """Meetings that match, nearest first and then by start time. Near a place, only
    meetings with a place (in person or hybrid) within the radius; an online search keeps
    every online meeting, without a distance.

    Two queries whatever the size of the directory: the bounding box and indexed filters
    narrow the rows, which come back as plain tuples (distance and type filters run on
    those, cheaply); then only the page's meetings are loaded as objects.
    """
    now = now or timezone.now()
    wanted_types = set(search.types)
    fields = ["pk", "latitude", "longitude", "day", "start_minute", "name", "attendance_option"]
    if wanted_types:
        fields.append("types")
    rows: list[tuple[float, int, str, int, float | None]] = []
    near = search.near
    for row in _candidates(search).values_list(*fields):
        pk, latitude, longitude, day, start_minute, name, attendance = row[:7]
        if wanted_types and not wanted_types.issubset(row[7] or ()):
            continue
        distance = None
        if near and latitude is not None and longitude is not None:
            distance = gazetteer.distance_km(search.latitude, search.longitude, latitude, longitude)  # type: ignore[arg-type]
            if distance > search.radius_km:
                if search.attendance != Attendance.ONLINE:
                    continue
                distance = None  # an online search keeps far meetings, but without a distance
        elif near and attendance == Attendance.IN_PERSON:
            continue
        when = (day if day is not None else 7) * 24 * 60 + (start_minute if start_minute is not None else 24 * 60)
        rows.append((distance if distance is not None else float("inf"), when, name, pk, distance))
    rows.sort(key=lambda row: row[:3])
    page = rows[offset : offset + limit]
    loaded = Meeting.objects.only(*LIST_FIELDS).in_bulk([row[3] for row in page])
    found = []
    for _order, _when, _name, pk, distance in page:
        meeting = loaded[pk]
        start = schedule.next_start(meeting.day, meeting.start_time, zone_named(meeting.time_zone), now=now)
        found.append(
            Found(
                meeting=meeting,
                distance_km=round(distance, 1) if distance is not None else None,
                next_start=start,
                next_start_for_viewer=start.astimezone(viewer_zone) if start and viewer_zone else None,
            )
        )
    return Results(found=found, total=len(rows), search=search)


def get_meeting(meeting_id: int) -> Meeting:
    meeting = Meeting.objects.select_related("program", "group").filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404
    return meeting


def program_meetings(program: Program) -> QuerySet[Meeting]:
    return Meeting.objects.filter(program=program).exclude(attendance_option=Attendance.INACTIVE).order_by("slug")


def program_for_feed(slug: str) -> Program:
    program = Program.objects.filter(slug=slug).first()
    if program is None:
        raise Http404
    return program


# --- a person's own ---------------------------------------------------------------------------


def calendar_owner(token: str) -> User | None:
    """Whose private calendar feed this secret opens; None for a wrong, replaced or
    deactivated one."""
    found = CalendarToken.objects.filter(token_hash=secret_hash(token)).select_related("user").first()
    return found.user if found is not None and found.user.is_active else None


def has_calendar_link(user: User) -> bool:
    return CalendarToken.objects.filter(user=user).exists()


def my_follows(user: User) -> QuerySet[MeetingFollow]:
    return MeetingFollow.objects.filter(user=user).select_related("meeting")


def is_following(user: User, meeting: Meeting) -> bool:
    return user.is_authenticated and MeetingFollow.objects.filter(user=user, meeting=meeting).exists()


@dataclass(frozen=True)
class NextMeeting:
    meeting: Meeting
    starts_at: dt.datetime


def next_followed_meeting(user: User, now: dt.datetime | None = None) -> NextMeeting | None:
    """The soonest meeting the person follows (for their home page). One query."""
    now = now or timezone.now()
    soonest: NextMeeting | None = None
    meetings = (
        Meeting.objects.filter(follows__user=user).exclude(attendance_option=Attendance.INACTIVE).only(*LIST_FIELDS)
    )
    for meeting in meetings:
        start = schedule.next_start(meeting.day, meeting.start_time, zone_named(meeting.time_zone), now=now)
        if start is not None and (soonest is None or start < soonest.starts_at):
            soonest = NextMeeting(meeting, start)
    return soonest


def my_attendance(user: User, limit: int = 50) -> QuerySet[AttendanceRecord]:
    return AttendanceRecord.objects.filter(user=user).select_related("meeting")[:limit]


def attendance_count(user: User, since: dt.date) -> int:
    return AttendanceRecord.objects.filter(user=user, occurrence__gte=since).count()


def my_relocation(user: User) -> Relocation | None:
    return Relocation.objects.filter(user=user, cancelled_at__isnull=True).first()


def get_my_relocation(user: User, relocation_id: int) -> Relocation:
    found = Relocation.objects.filter(user=user, pk=relocation_id).first()
    if found is None:
        raise Http404
    return found


# --- program staff ------------------------------------------------------------------------


def require_meetings_admin(viewer: User, membership: Membership) -> None:
    accounts_selectors.require_role(membership, Role.ADMIN)
    accounts_selectors.require_member_data_access(viewer, membership)


def import_runs_for_admin(viewer: User, membership: Membership) -> QuerySet[ImportRun]:
    require_meetings_admin(viewer, membership)
    return ImportRun.objects.filter(program=membership.program)


def get_import_run_for_admin(viewer: User, membership: Membership, run_id: int) -> ImportRun:
    require_meetings_admin(viewer, membership)
    run = ImportRun.objects.filter(program=membership.program, pk=run_id).first()
    if run is None:
        raise Http404
    return run


def feed_sources_for_admin(viewer: User, membership: Membership) -> QuerySet[FeedSource]:
    require_meetings_admin(viewer, membership)
    return FeedSource.objects.filter(program=membership.program)


def change_requests_for_admin(
    viewer: User, membership: Membership, *, status: str = ChangeStatus.OPEN
) -> QuerySet[ChangeRequest]:
    require_meetings_admin(viewer, membership)
    return ChangeRequest.objects.filter(meeting__program=membership.program, status=status).select_related("meeting")


def get_change_request_for_admin(viewer: User, membership: Membership, request_id: int) -> ChangeRequest:
    require_meetings_admin(viewer, membership)
    found = (
        ChangeRequest.objects.filter(meeting__program=membership.program, pk=request_id)
        .select_related("meeting")
        .first()
    )
    if found is None:
        raise Http404
    return found


def groups_of(program: Program) -> QuerySet[MeetingGroup]:
    return MeetingGroup.objects.filter(program=program)


def require_facilitator(viewer: User, meeting: Meeting) -> None:
    """Only a facilitator of the meeting's own group (or a program admin) keeps its roster."""
    if meeting.group_id is None:
        raise PermissionDenied
    is_facilitator = meeting.group.members.filter(user=viewer, role="facilitator").exists()  # type: ignore[union-attr]
    is_admin = Membership.objects.filter(user=viewer, program_id=meeting.program_id, role=Role.ADMIN).exists()
    if not (is_facilitator or is_admin):
        raise PermissionDenied


def meetings_by_ids(ids: Sequence[int] | Iterable[int]) -> QuerySet[Meeting]:
    return Meeting.objects.filter(pk__in=list(ids))


# --- a meeting's page and the facilitator's roster --------------------------------------------


def my_follow(user: User, meeting: Meeting) -> MeetingFollow | None:
    """The person's follow of this meeting (with its reminder), or None."""
    if not user.is_authenticated:
        return None
    return MeetingFollow.objects.filter(user=user, meeting=meeting).first()


def my_attendance_at(user: User, meeting: Meeting, limit: int = 5) -> list[AttendanceRecord]:
    if not user.is_authenticated:
        return []
    return list(AttendanceRecord.objects.filter(user=user, meeting=meeting)[:limit])


def may_keep_roster(viewer: User, meeting: Meeting) -> bool:
    """Whether to offer the roster link (the roster page itself checks again)."""
    if not viewer.is_authenticated or meeting.group_id is None:
        return False
    try:
        require_facilitator(viewer, meeting)
    except PermissionDenied:
        return False
    return True


@dataclass(frozen=True)
class RosterLine:
    user: User
    role: str
    present: bool


def roster_for(viewer: User, meeting: Meeting, occurrence: dt.date) -> list[RosterLine]:
    """The members of the meeting's own group and who is recorded at it on a day: for a
    facilitator of that group or a program admin only (403 for anyone else)."""
    require_facilitator(viewer, meeting)
    assert meeting.group is not None  # noqa: S101 - require_facilitator refuses group-less meetings
    present = set(
        AttendanceRecord.objects.filter(meeting=meeting, occurrence=occurrence).values_list("user_id", flat=True)
    )
    members = meeting.group.members.select_related("user").order_by("user__handle")
    return [RosterLine(user=m.user, role=m.role, present=m.user_id in present) for m in members]


# --- relocation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RelocationView:
    relocation: Relocation
    nearby: Results  # in person or hybrid near the new place
    online: Results  # online meetings at sensible hours in the new time zone
    moved: bool  # the move date has come


def relocation_view(
    user: User, relocation: Relocation, *, languages: Sequence[str] = (), now: dt.datetime | None = None
) -> RelocationView:
    """Meetings to build a network around a new home: nearby ones first, and online
    meetings that start between 7:00 and 21:00 in the new time zone."""
    now = now or timezone.now()
    language = next((code for code in languages if code in ("en", "es")), "")
    zone = zone_named(relocation.time_zone)
    nearby = find_meetings(
        Search(
            latitude=relocation.latitude,
            longitude=relocation.longitude,
            place_label=relocation.place_label,
            radius_km=25,
            attendance=Attendance.IN_PERSON,
            language=language,
        ),
        viewer_zone=zone,
        now=now,
        limit=20,
    )
    online_rows = [
        found
        for found in find_meetings(
            Search(attendance=Attendance.ONLINE, language=language), viewer_zone=zone, now=now, limit=400
        ).found
        if found.next_start_for_viewer is not None and 7 <= found.next_start_for_viewer.hour < 21
    ][:20]
    online = Results(found=online_rows, total=len(online_rows), search=Search(attendance=Attendance.ONLINE))
    return RelocationView(relocation, nearby, online, moved=now.date() >= relocation.move_on)


def relocation_for_peer(viewer: User, viewer_membership: Membership, member_id: int) -> Relocation:
    """A member's move, for the peer who walks with them, only when the member said their
    peer may write a hand-off. 404 when there is no such plan to see."""
    target = accounts_selectors.require_can_open_member(viewer, viewer_membership, member_id)
    if viewer_membership.role != Role.PEER or target.role != Role.MEMBER:
        raise PermissionDenied
    found = Relocation.objects.filter(user_id=member_id, cancelled_at__isnull=True, handoff_consent=True).first()
    if found is None:
        raise Http404
    return found


def my_attendance_records(user: User) -> QuerySet[AttendanceRecord]:
    """Every attendance record of the person (unsliced, for the API's cursor pagination)."""
    return AttendanceRecord.objects.filter(user=user).select_related("meeting")


def latest_occurrence(meeting: Meeting, now: dt.datetime) -> dt.date:
    """The most recent day the meeting started (not in the future), in its own zone: the
    day "I was there" means by default. Today for a meeting by appointment."""
    zone = zone_named(meeting.time_zone)
    upcoming = schedule.next_start(meeting.day, meeting.start_time, zone, now=now)
    if upcoming is None:
        return now.astimezone(zone).date()
    return upcoming.date() if upcoming <= now else (upcoming - dt.timedelta(days=7)).date()


# --- what a peer sees of a member's meetings -------------------------------------------------


@dataclass(frozen=True)
class MemberMeetings:
    membership: Membership
    shared: bool  # the member said yes to attendance_peer
    attendance: list[AttendanceRecord]
    count_30: int
    count_90: int


def member_meetings_for(
    viewer: User, viewer_membership: Membership, member_id: int, *, now: dt.datetime | None = None
) -> MemberMeetings:
    """The meetings a member went to, for the peer who walks with them, only with the
    member's yes (``attendance_peer``). Audited when shown."""
    from alongside.accounts import services as accounts_services
    from alongside.accounts.models import ConsentScope

    target = accounts_selectors.require_can_open_member(viewer, viewer_membership, member_id)
    if target.role != Role.MEMBER:
        raise Http404
    if viewer_membership.role != Role.PEER:
        raise PermissionDenied
    shared = accounts_selectors.consent_choices(target.user, target.program)[ConsentScope.ATTENDANCE_PEER]
    if not shared:
        return MemberMeetings(target, False, [], 0, 0)
    today = (now or timezone.now()).date()
    records = list(
        AttendanceRecord.objects.filter(user_id=member_id, occurrence__gte=today - dt.timedelta(days=90))
        .select_related("meeting")
        .order_by("-occurrence")
    )
    accounts_services.audit_record(
        actor=viewer, subject=target.user, program=target.program, action="viewed_attendance"
    )
    return MemberMeetings(
        target,
        True,
        records[:50],
        sum(1 for r in records if r.occurrence >= today - dt.timedelta(days=30)),
        len(records),
    )
