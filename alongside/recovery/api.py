"""API operations of the recovery journey: a person's own profile, clocks, check-ins, goals,
plan, assessments and journal, and a peer's consented view of a member's check-ins.

Scoped like the pages: every signed-in person reads and writes only their own records (an
id that is not theirs is a 404, whoever asks); a peer reaches a member's check-ins only
through ``selectors.member_recovery_for``, which checks program, role, care team and consent.

Lists are paginated with ninja's cursor pagination, as everywhere in this API: the answer
is ``{"results": [...], "next": url | null, "previous": url | null}`` and ``next`` already
carries ``?cursor=``. The running clocks are the one bounded list (at most 10), returned whole.
"""

import datetime as dt
import json
import uuid
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import CursorPagination, paginate
from pydantic import ConfigDict, field_validator, model_validator

from alongside.accounts import selectors as accounts_selectors
from alongside.accounts.http import AuthedHttpRequest
from alongside.accounts.models import Membership, Program
from alongside.api.errors import ApiError
from alongside.lib.tz import local_date, zone_of
from alongside.recovery import fhir, instruments, plan, selectors, services, trends
from alongside.recovery.models import (
    Assessment,
    Clock,
    Goal,
    GoalStatus,
    Pathway,
    SupportWanted,
    Trigger,
)
from alongside.safety.api import ResourceOut
from alongside.safety.api import crisis_lines as crisis_resources_for

router = Router(tags=["recovery"])


class RequestBody(Schema):
    """A request body: a JSON object with only the fields documented.

    ninja's Schema reads attributes off whatever it is given, so without this check a body
    of ``"a string"`` would become ``title="A String"`` (``str.title``). Unknown fields are
    refused so a misspelt field is an error the client sees, not a value silently dropped.
    """

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        if not isinstance(getattr(data, "_obj", data), dict):
            raise ValueError("Send a JSON object with the fields of this request.")
        return data

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        # The pages refuse U+0000 (Django's form fields do), and PostgreSQL cannot store it
        # in text: refused here too, as the client's mistake rather than the server's 500.
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            raise ValueError("Remove the null character (U+0000) from the text.")
        return value


ShortText = Annotated[str, Field(max_length=40)]
Line = Annotated[str, Field(max_length=1000)]


# --- schemas: profile ------------------------------------------------------------------------


class RecoveryProfileOut(Schema):
    recovery_started_on: dt.date | None
    substances: list[str]
    pathways: list[str]
    languages: list[str]
    support_wanted: list[str]
    support_note: str
    reminder_time: dt.time | None
    time_zone: str
    onboarded: bool


class RecoveryProfileIn(RequestBody):
    recovery_started_on: dt.date | None = None
    substances: list[ShortText] = Field([], max_length=12, description="Common ones or the member's own words")
    pathways: list[Pathway] = Field([], max_length=len(Pathway.values))
    languages: list[ShortText] = Field([], max_length=6)
    support_wanted: list[SupportWanted] = Field([], max_length=len(SupportWanted.values))
    support_note: str = Field("", max_length=300)
    reminder_time: dt.time | None = Field(None, description="Local time of the daily check-in reminder")
    time_zone: str | None = Field(None, max_length=64, description="IANA zone, e.g. America/Los_Angeles")


# --- schemas: clocks -------------------------------------------------------------------------


class MilestoneOut(Schema):
    key: str = Field(..., description='"24h", "7d", "30d", "60d", "90d", "6m", "9m", "1y", "18m", "2y", ...')
    due_at: dt.datetime


class ElapsedOut(Schema):
    years: int
    months: int
    days: int


class ClockOut(Schema):
    id: int
    series: uuid.UUID
    label: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    archived_at: dt.datetime | None
    share_milestones: bool
    running: bool
    elapsed_days: int
    elapsed: ElapsedOut
    next_milestone: MilestoneOut | None = Field(..., description="None once this stretch has ended")
    reached_milestones: list[str]
    celebrate: str | None = Field(..., description="A milestone reached lately that the member has not marked yet")


class StretchOut(Schema):
    clock_id: int
    started_at: dt.datetime
    ended_at: dt.datetime | None
    days: int
    running: bool


class ReturnOut(Schema):
    id: int
    clock_id: int
    occurred_at: dt.datetime
    restarted: bool
    note: str


class SharedMilestoneOut(Schema):
    key: str
    reached_at: dt.datetime


class ClockDetailOut(ClockOut):
    running_clock_id: int | None = Field(..., description="The clock of this series that counts now")
    stretches: list[StretchOut] = Field(..., description="Every stretch of this clock, newest first")
    returns: list[ReturnOut]
    longest_days: int
    total_days: int
    shared_milestones: list[SharedMilestoneOut]


class ClockIn(RequestBody):
    label: str = Field(..., max_length=60, description='What this clock counts, e.g. "Alcohol"')
    started_on: dt.date
    start_time: dt.time | None = Field(None, description="Local time; leave out to count from the start of the day")
    share_milestones: bool = False


class ReturnIn(RequestBody):
    occurred_on: dt.date
    restart: bool = Field(..., description="Start counting again from the next day; the past stretch is kept")
    note: str = Field("", max_length=500)


class ReturnRecordedOut(Schema):
    recorded: ReturnOut
    running_clock: ClockOut


class MilestoneMarkIn(RequestBody):
    share: bool = Field(False, description="Share with supporters (only when the clock's sharing is on)")


class MilestoneMarkOut(Schema):
    key: str
    reached_at: dt.datetime
    shared: bool
    sharing_enabled: bool


# --- schemas: check-ins ----------------------------------------------------------------------


class CheckinOut(Schema):
    id: int
    local_date: dt.date
    mood: int
    craving: int
    triggers: list[str]
    used_today: bool
    used_what: str
    sleep_quality: int | None
    note: str
    wants_outreach: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class CheckinIn(RequestBody):
    mood: int = Field(..., ge=1, le=5)
    craving: int = Field(..., ge=0, le=10)
    triggers: list[Trigger] = Field([], max_length=len(Trigger.values))
    used_today: bool = False
    used_what: str = Field("", max_length=120)
    sleep_quality: int | None = Field(None, ge=1, le=5)
    note: str = Field("", max_length=280)
    wants_outreach: bool = Field(False, description="I'd like my peer to reach out")


class ReasonOut(Schema):
    rule: str
    phrase: str


class CheckinResultOut(Schema):
    checkin: CheckinOut
    created: bool = Field(..., description="False when today's check-in was edited")
    reasons: list[ReasonOut] = Field(..., description="What the program's risk rules noticed; the team was told")
    show_crisis_lines: bool = Field(..., description="The note read like a crisis: show the crisis lines now")
    crisis_resources: list[ResourceOut] = Field(..., description="Filled when show_crisis_lines is true")
    help_url: str


class TodayOut(Schema):
    local_date: dt.date
    checkin: CheckinOut | None


class DayPointOut(Schema):
    local_date: dt.date
    mood: int | None
    craving: int | None


class TriggerCountOut(Schema):
    trigger: str
    count: int


class TrendsOut(Schema):
    days: int
    points: list[DayPointOut] = Field(..., description="One per day of the window; null where nothing was recorded")
    checkin_count: int
    mood_average: float | None
    craving_average: float | None
    trigger_counts: list[TriggerCountOut]
    streak: int


class MemberCheckinsOut(Schema):
    member_id: int
    handle: str | None
    program_slug: str
    trends: TrendsOut
    checkins: list[CheckinOut] = Field(..., description="The latest 14 check-ins")


# --- schemas: goals --------------------------------------------------------------------------


class GoalStepOut(Schema):
    id: int
    text: str
    done: bool
    done_at: dt.datetime | None
    order: int


class GoalCommentOut(Schema):
    id: int
    author: str = Field(..., alias="author_label")
    text: str
    created_at: dt.datetime


class GoalOut(Schema):
    id: int
    title: str
    why: str
    target_date: dt.date | None
    progress: int
    status: str
    shared_with_peer: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    steps: list[GoalStepOut]
    comments: list[GoalCommentOut]


class GoalIn(RequestBody):
    title: str = Field(..., max_length=160)
    why: str = Field("", max_length=300)
    target_date: dt.date | None = None
    shared_with_peer: bool = False
    steps: list[Annotated[str, Field(max_length=160)]] = Field([], max_length=20)


class GoalPatch(RequestBody):
    title: str | None = Field(None, max_length=160)
    why: str | None = Field(None, max_length=300)
    target_date: dt.date | None = Field(None, description="Send null to clear it; leave it out to keep it")
    shared_with_peer: bool | None = None
    status: GoalStatus | None = None
    progress: int | None = Field(None, ge=0, le=100, description="Only for goals without steps")


class GoalStepIn(RequestBody):
    text: str = Field(..., max_length=160)


class GoalStepPatch(RequestBody):
    done: bool


class GoalCommentIn(RequestBody):
    text: str = Field(..., max_length=500)


class GoalFilters(Schema):
    status: GoalStatus | None = None


# --- schemas: plan ---------------------------------------------------------------------------


class PlanPerson(RequestBody):
    name: str = Field("", max_length=200)
    phone: str = Field("", max_length=200)
    when: str = Field("", max_length=1000)


class PlanContent(RequestBody):
    """Generous size guards here; ``plan.clean`` enforces the real limits with clear messages."""

    warning_signs: list[Line] = Field([], max_length=100)
    triggers: list[Line] = Field([], max_length=100)
    coping: list[Line] = Field([], max_length=100)
    places: list[Line] = Field([], max_length=100)
    reasons: list[Line] = Field([], max_length=100)
    people: list[PlanPerson] = Field([], max_length=50)
    if_i_use: str = Field("", max_length=10_000)


class PlanPersonOut(Schema):
    name: str
    phone: str
    when: str


class PlanContentOut(Schema):
    warning_signs: list[str]
    triggers: list[str]
    coping: list[str]
    places: list[str]
    reasons: list[str]
    people: list[PlanPersonOut]
    if_i_use: str


class PlanOut(Schema):
    version: int | None = Field(..., description="None before the first save")
    saved_at: dt.datetime | None
    content: PlanContentOut


class PlanVersionOut(Schema):
    version: int = Field(..., alias="number")
    saved_at: dt.datetime = Field(..., alias="created_at")
    content: PlanContentOut


# --- schemas: assessments --------------------------------------------------------------------


class TextOut(Schema):
    link_id: str
    text: str


class OptionOut(Schema):
    value: int
    text: str


class BandOut(Schema):
    key: str
    low: int
    high: int
    label: str


class InstrumentOut(Schema):
    code: str
    language: str
    title: str
    stem: str
    items: list[TextOut]
    options: list[OptionOut]
    min_total: int
    max_total: int
    bands: list[BandOut]
    citation: str
    licence_note: str
    translation_note: str | None
    due: bool = Field(..., description="BARC-10 only: it is time to take it again")


class AssessmentOut(Schema):
    id: int
    instrument: str
    title: str
    answers: list[int]
    total: int
    min_total: int
    max_total: int
    band: str = Field(..., description='"" where the instrument has no bands (BARC-10)')
    band_label: str
    flags: list[str]
    language: str
    completed_at: dt.datetime


class AssessmentResultOut(AssessmentOut):
    show_crisis_lines: bool = Field(..., description="PHQ-9 item 9 was answered: show the crisis lines now")
    crisis_resources: list[ResourceOut]
    help_url: str


class AssessmentIn(RequestBody):
    instrument: str = Field(..., max_length=12, description="barc10, phq9 or gad7 (as the program offers)")
    answers: list[int] = Field(..., max_length=20, description="The option value for each item, in item order")
    language: str | None = Field(None, max_length=8, description="The language the form was shown in")


class AssessmentFilters(Schema):
    instrument: str | None = Field(None, max_length=12)


class LanguageQuery(Schema):
    language: str | None = Field(None, max_length=8, description="en or es; defaults to the member's language")


# --- schemas: journal ------------------------------------------------------------------------


class JournalOut(Schema):
    id: int
    title: str
    body: str
    created_at: dt.datetime
    updated_at: dt.datetime


class JournalIn(RequestBody):
    title: str = Field("", max_length=120)
    body: str = Field(..., max_length=20_000)


class JournalPatch(RequestBody):
    title: str | None = Field(None, max_length=120)
    body: str | None = Field(None, max_length=20_000)


# --- helpers ---------------------------------------------------------------------------------


def _language(request: AuthedHttpRequest, wanted: str | None = None) -> str:
    # An instrument is only valid in the language it was shown in, so an unknown language
    # is the client's mistake to hear about, not something to swap silently for English.
    chosen = wanted or request.user.preferred_language or get_language() or "en"
    try:
        return instruments.normalise_language(chosen)
    except ValueError as error:
        if wanted:
            raise ApiError(422, "invalid", "Choose en or es.", {"language": str(error)}) from error
        return "en"


def _member_program(request: AuthedHttpRequest) -> Program | None:
    return selectors.journey_program_for(request.user, getattr(request, "membership", None))


def _viewer_membership(request: AuthedHttpRequest, slug: str | None) -> Membership:
    if slug:
        return accounts_selectors.get_program_for(request.user, slug)[1]
    active: Membership | None = getattr(request, "membership", None)
    if active is not None:
        return active
    memberships = list(accounts_selectors.memberships_of(request.user))
    if not memberships:
        raise Http404
    if len(memberships) > 1:
        raise ApiError(422, "program_required", "Say which program: send ?program=<slug>.", {"program": "required"})
    return memberships[0]


def _crisis_hint(request: AuthedHttpRequest, show: bool) -> dict[str, Any]:
    program = _member_program(request)
    return {
        "show_crisis_lines": show,
        "crisis_resources": crisis_resources_for(program) if show else [],
        "help_url": reverse("help_for_program", kwargs={"slug": program.slug}) if program else reverse("help_now"),
    }


def _clock_out(view: selectors.ClockView) -> dict[str, Any]:
    clock = view.clock
    running = clock.ended_at is None
    return {
        "id": clock.pk,
        "series": clock.series,
        "label": clock.label,
        "started_at": clock.started_at,
        "ended_at": clock.ended_at,
        "archived_at": clock.archived_at,
        "share_milestones": clock.share_milestones,
        "running": running,
        "elapsed_days": view.elapsed.days,
        "elapsed": {"years": view.elapsed.years, "months": view.elapsed.months, "days": view.elapsed.rem_days},
        "next_milestone": {"key": view.next.key, "due_at": view.next.due_at} if running else None,
        "reached_milestones": [m.key for m in view.reached],
        "celebrate": view.celebrate.key if view.celebrate else None,
    }


def _clock_detail(request: AuthedHttpRequest, clock: Clock) -> dict[str, Any]:
    history = selectors.clock_history(request.user, clock)
    return {
        **_clock_out(selectors.clock_view_of(request.user, clock)),
        "running_clock_id": history.current.clock.pk if history.current else None,
        "stretches": [
            {
                "clock_id": s.clock.pk,
                "started_at": s.clock.started_at,
                "ended_at": s.clock.ended_at,
                "days": s.days,
                "running": s.running,
            }
            for s in history.stretches
        ],
        "returns": history.returns,
        "longest_days": history.longest_days,
        "total_days": history.total_days,
        "shared_milestones": history.shared,
    }


def _trends_out(view: trends.Trends) -> dict[str, Any]:
    return {
        "days": view.days,
        "points": view.points,
        "checkin_count": view.checkin_count,
        "mood_average": view.mood_average,
        "craving_average": view.craving_average,
        "trigger_counts": [{"trigger": t, "count": n} for t, n in view.trigger_counts],
        "streak": view.streak,
    }


def _days(days: int) -> int:
    if days not in trends.WINDOWS:
        raise ApiError(422, "invalid", "Choose a window of 7, 30 or 90 days.", {"days": "one of 7, 30, 90"})
    return days


def _goal(request: AuthedHttpRequest, goal_id: int) -> Goal:
    return selectors.get_my_goal(request.user, goal_id)


def _instrument_out(instrument: instruments.Instrument, language: str, due: bool) -> dict[str, Any]:
    return {
        "code": instrument.code,
        "language": language,
        "title": instrument.title.get(language),
        "stem": instrument.stem.get(language),
        "items": [{"link_id": i.link_id, "text": i.text.get(language)} for i in instrument.items],
        "options": [{"value": o.value, "text": o.text.get(language)} for o in instrument.options],
        "min_total": instrument.min_total,
        "max_total": instrument.max_total,
        "bands": [
            {"key": b.key, "low": b.low, "high": b.high, "label": b.label.get(language)} for b in instrument.bands
        ],
        "citation": instrument.citation,
        "licence_note": instrument.licence_note,
        "translation_note": instrument.translation_note if language != "en" else None,
        "due": due,
    }


def _assessment_out(assessment: Assessment) -> dict[str, Any]:
    instrument = instruments.INSTRUMENTS[assessment.instrument]
    band = instrument.band_for(assessment.total)
    return {
        "id": assessment.pk,
        "instrument": assessment.instrument,
        "title": instrument.title.get(assessment.language),
        "answers": assessment.answers,
        "total": assessment.total,
        "min_total": instrument.min_total,
        "max_total": instrument.max_total,
        "band": assessment.band,
        "band_label": band.label.get(assessment.language) if band else "",
        "flags": assessment.flags,
        "language": assessment.language,
        "completed_at": assessment.completed_at,
    }


def _fhir_response(resource: dict[str, Any]) -> HttpResponse:
    return HttpResponse(json.dumps(resource, ensure_ascii=False), content_type="application/fhir+json")


def _fhir_doc(description: str) -> dict[str, Any]:
    return {
        "responses": {
            200: {
                "description": description,
                "content": {"application/fhir+json": {"schema": {"type": "object"}}},
            }
        }
    }


FHIR_BASE = settings.SITE_URL + "/fhir"


# --- profile ---------------------------------------------------------------------------------


def _profile_out(request: AuthedHttpRequest) -> dict[str, Any]:
    profile = selectors.profile_of(request.user)
    return {
        "recovery_started_on": profile.recovery_started_on,
        "substances": profile.substances,
        "pathways": profile.pathways,
        "languages": profile.languages,
        "support_wanted": profile.support_wanted,
        "support_note": profile.support_note,
        "reminder_time": profile.reminder_time,
        "time_zone": request.user.time_zone,
        "onboarded": profile.onboarded_at is not None,
    }


@router.get("/me/recovery-profile", response=RecoveryProfileOut, summary="My recovery profile")
def profile_get(request: AuthedHttpRequest):
    return _profile_out(request)


@router.put("/me/recovery-profile", response=RecoveryProfileOut, summary="Save my recovery profile")
def profile_put(request: AuthedHttpRequest, payload: RecoveryProfileIn):
    """The first save starts a clock from the recovery start date, as onboarding does."""
    services.profile_save(
        user=request.user,
        recovery_started_on=payload.recovery_started_on,
        substances=payload.substances,
        pathways=[p.value for p in payload.pathways],
        languages=payload.languages,
        support_wanted=[s.value for s in payload.support_wanted],
        support_note=payload.support_note,
        reminder_time=payload.reminder_time,
        time_zone=payload.time_zone,
    )
    return _profile_out(request)


# --- clocks ----------------------------------------------------------------------------------


@router.get("/clocks", response=list[ClockOut], summary="My running clocks (at most 10, not paginated)")
def clocks_list(request: AuthedHttpRequest):
    return [_clock_out(view) for view in selectors.my_clocks(request.user)]


@router.post("/clocks", response={201: ClockDetailOut}, summary="Start a clock")
def clock_create(request: AuthedHttpRequest, payload: ClockIn):
    clock = services.clock_start(
        user=request.user,
        label=payload.label,
        started_on=payload.started_on,
        start_time=payload.start_time,
        share_milestones=payload.share_milestones,
    )
    # Read back, so the times come out in UTC like every other read of a clock.
    return Status(201, _clock_detail(request, selectors.get_my_clock(request.user, clock.pk)))


@router.get("/clocks/{clock_id}", response=ClockDetailOut, summary="One clock with its milestones and history")
def clock_get(request: AuthedHttpRequest, clock_id: int):
    return _clock_detail(request, selectors.get_my_clock(request.user, clock_id))


@router.post("/clocks/{clock_id}/returns", response={201: ReturnRecordedOut}, summary="Record a return to use")
def clock_return(request: AuthedHttpRequest, clock_id: int, payload: ReturnIn):
    """The member chooses whether the clock restarts; every past stretch stays in the history."""
    clock = selectors.get_my_clock(request.user, clock_id)
    recorded = services.clock_return_to_use(
        clock=clock, user=request.user, occurred_on=payload.occurred_on, restart=payload.restart, note=payload.note
    )
    running = _clock_out(selectors.clock_view_of(request.user, recorded.running))
    return Status(201, {"recorded": recorded.record, "running_clock": running})


@router.post(
    "/clocks/{clock_id}/milestones/{key}", response=MilestoneMarkOut, summary="Mark a milestone seen, or share it"
)
def milestone_mark(request: AuthedHttpRequest, clock_id: int, key: str, payload: MilestoneMarkIn | None = None):
    clock = selectors.get_my_clock(request.user, clock_id)
    # The body is optional: an empty POST marks the milestone as seen, just for the member.
    share = payload.share if payload is not None else False
    mark = services.milestone_mark(clock=clock, user=request.user, key=key, share=share)
    return {
        "key": mark.key,
        "reached_at": mark.reached_at,
        "shared": mark.shared,
        "sharing_enabled": clock.share_milestones,
    }


# --- check-ins -------------------------------------------------------------------------------


@router.get("/checkins", response=list[CheckinOut], summary="My check-ins, newest first")
@paginate(CursorPagination, ordering=("-local_date", "-id"), page_size=30)
def checkins_list(request: AuthedHttpRequest):
    return selectors.my_checkins(request.user)


@router.post("/checkins", response={200: CheckinResultOut, 201: CheckinResultOut}, summary="Check in for today")
def checkin_record(request: AuthedHttpRequest, payload: CheckinIn):
    """201 for today's first check-in, 200 when it edits today's. Never refused for what it
    says: the risk rules and note screening tell the member's team after it is saved."""
    result = services.checkin_record(
        user=request.user,
        mood=payload.mood,
        craving=payload.craving,
        triggers=[t.value for t in payload.triggers],
        used_today=payload.used_today,
        used_what=payload.used_what,
        sleep_quality=payload.sleep_quality,
        note=payload.note,
        wants_outreach=payload.wants_outreach,
    )
    body = {
        "checkin": result.checkin,
        "created": result.created,
        "reasons": [reason.as_dict() for reason in result.reasons],
        **_crisis_hint(request, result.show_crisis_lines),
    }
    return Status(201 if result.created else 200, body)


@router.get("/checkins/today", response=TodayOut, summary="Today's check-in, if there is one yet")
def checkin_today(request: AuthedHttpRequest):
    today = local_date(timezone.now(), zone_of(request.user))
    return {"local_date": today, "checkin": selectors.checkin_today(request.user)}


@router.get("/checkins/trends", response=TrendsOut, summary="My mood, craving and triggers over 7, 30 or 90 days")
def checkin_trends(request: AuthedHttpRequest, days: int = 30):
    return _trends_out(selectors.my_trends(request.user, _days(days)))


@router.get(
    "/members/{user_id}/checkins",
    response=MemberCheckinsOut,
    summary="A member's check-ins, for the peer who walks with them (with the member's consent)",
)
def member_checkins(request: AuthedHttpRequest, user_id: int, days: int = 30, program: str | None = None):
    """404 outside the program; 403 for any role but the member's own peer, and when the
    member has not chosen to share check-ins. Every read is in the member's access log."""
    membership = _viewer_membership(request, program)
    view = selectors.member_recovery_for(request.user, membership, user_id, days=_days(days))
    if view.trends is None:
        raise ApiError(403, "no_consent", "This member has not chosen to share their check-ins with you.")
    return {
        "member_id": view.membership.user_id,
        "handle": view.membership.user.handle,
        "program_slug": view.membership.program.slug,
        "trends": _trends_out(view.trends),
        "checkins": view.recent_checkins,
    }


# --- goals -----------------------------------------------------------------------------------


def _goal_out(goal: Goal) -> dict[str, Any]:
    return {
        "id": goal.pk,
        "title": goal.title,
        "why": goal.why,
        "target_date": goal.target_date,
        "progress": goal.progress,
        "status": goal.status,
        "shared_with_peer": goal.shared_with_peer,
        "created_at": goal.created_at,
        "updated_at": goal.updated_at,
        "steps": [
            {"id": s.pk, "text": s.text, "done": s.done_at is not None, "done_at": s.done_at, "order": s.order}
            for s in goal.steps.all()
        ],
        "comments": list(goal.comments.all()),
    }


class GoalListOut(GoalOut):
    @staticmethod
    def resolve_steps(obj: Goal) -> list[dict[str, Any]]:
        return _goal_out(obj)["steps"]

    @staticmethod
    def resolve_comments(obj: Goal) -> list[Any]:
        return list(obj.comments.all())


@router.get("/goals", response=list[GoalListOut], summary="My goals, newest first")
@paginate(CursorPagination, ordering=("-created_at", "-id"), page_size=30)
def goals_list(request: AuthedHttpRequest, filters: Query[GoalFilters]):
    goals = selectors.my_goals(request.user)
    return goals.filter(status=filters.status.value) if filters.status else goals


@router.post("/goals", response={201: GoalOut}, summary="Set a goal")
def goal_create(request: AuthedHttpRequest, payload: GoalIn):
    goal = services.goal_create(
        user=request.user,
        title=payload.title,
        why=payload.why,
        target_date=payload.target_date,
        shared_with_peer=payload.shared_with_peer,
        steps=payload.steps,
    )
    return Status(201, _goal_out(_goal(request, goal.pk)))


@router.get("/goals/{goal_id}", response=GoalOut, summary="One goal with its steps and comments")
def goal_get(request: AuthedHttpRequest, goal_id: int):
    return _goal_out(_goal(request, goal_id))


@router.patch("/goals/{goal_id}", response=GoalOut, summary="Change a goal")
def goal_patch(request: AuthedHttpRequest, goal_id: int, payload: GoalPatch):
    goal = _goal(request, goal_id)
    sent = payload.model_fields_set
    services.goal_update(
        goal=goal,
        user=request.user,
        title=payload.title,
        why=payload.why,
        target_date=payload.target_date if "target_date" in sent else False,
        shared_with_peer=payload.shared_with_peer,
        status=payload.status.value if payload.status else None,
        progress=payload.progress,
    )
    return _goal_out(_goal(request, goal_id))


@router.post("/goals/{goal_id}/steps", response={201: GoalOut}, summary="Add a step (returns the goal)")
def goal_step_add(request: AuthedHttpRequest, goal_id: int, payload: GoalStepIn):
    services.goal_step_add(goal=_goal(request, goal_id), user=request.user, text=payload.text)
    return Status(201, _goal_out(_goal(request, goal_id)))


@router.patch("/goals/{goal_id}/steps/{step_id}", response=GoalOut, summary="Tick or untick a step")
def goal_step_patch(request: AuthedHttpRequest, goal_id: int, step_id: int, payload: GoalStepPatch):
    step = selectors.get_my_goal_step(request.user, goal_id, step_id)
    services.goal_step_set(step=step, user=request.user, done=payload.done)
    return _goal_out(_goal(request, goal_id))


@router.post("/goals/{goal_id}/comments", response={201: GoalCommentOut}, summary="Add a note to my goal")
def goal_comment(request: AuthedHttpRequest, goal_id: int, payload: GoalCommentIn):
    comment = services.goal_comment_add(goal=_goal(request, goal_id), author=request.user, text=payload.text)
    return Status(201, comment)


# --- relapse-prevention plan -----------------------------------------------------------------


def _plan_out(request: AuthedHttpRequest) -> dict[str, Any]:
    current = selectors.my_plan(request.user)
    if current is None:
        return {"version": None, "saved_at": None, "content": plan.empty()}
    return {"version": current.number, "saved_at": current.created_at, "content": current.content}


@router.get("/plan", response=PlanOut, summary="My relapse-prevention plan (the newest version)")
def plan_get(request: AuthedHttpRequest):
    return _plan_out(request)


@router.put("/plan", response=PlanOut, summary="Save my plan (a new version when something changed)")
def plan_put(request: AuthedHttpRequest, payload: PlanContent):
    services.plan_save(user=request.user, content=payload.model_dump())
    return _plan_out(request)


@router.get("/plan/versions", response=list[PlanVersionOut], summary="Every saved version of my plan, newest first")
@paginate(CursorPagination, ordering=("-number", "-id"), page_size=20)
def plan_versions(request: AuthedHttpRequest):
    return selectors.my_plan_versions(request.user)


# --- assessments -----------------------------------------------------------------------------


@router.get(
    "/assessments/instruments",
    response=list[InstrumentOut],
    summary="The questionnaires my program offers, in my language",
)
def instruments_list(request: AuthedHttpRequest, query: Query[LanguageQuery]):
    language = _language(request, query.language)
    program = _member_program(request)
    due = selectors.barc10_due(request.user, program)
    return [_instrument_out(i, language, due and i.code == "barc10") for i in selectors.offered_instruments(program)]


@router.get(
    "/assessments/instruments/{code}/fhir",
    summary="A questionnaire as a FHIR R4 Questionnaire (any of them: the definitions are public)",
    openapi_extra=_fhir_doc("FHIR R4 Questionnaire"),
)
def instrument_fhir(request: AuthedHttpRequest, code: str, query: Query[LanguageQuery]):
    instrument = instruments.INSTRUMENTS.get(code)
    if instrument is None:
        raise Http404
    return _fhir_response(fhir.questionnaire(instrument, _language(request, query.language), base=FHIR_BASE))


class AssessmentListOut(AssessmentOut):
    # The paginator hands over model rows; these fill what is not a column.
    @staticmethod
    def resolve_title(obj: Assessment) -> str:
        return str(_assessment_out(obj)["title"])

    @staticmethod
    def resolve_min_total(obj: Assessment) -> int:
        return instruments.INSTRUMENTS[obj.instrument].min_total

    @staticmethod
    def resolve_max_total(obj: Assessment) -> int:
        return instruments.INSTRUMENTS[obj.instrument].max_total

    @staticmethod
    def resolve_band_label(obj: Assessment) -> str:
        return str(_assessment_out(obj)["band_label"])


@router.get("/assessments", response=list[AssessmentListOut], summary="My completed questionnaires, newest first")
@paginate(CursorPagination, ordering=("-completed_at", "-id"), page_size=30)
def assessments_list(request: AuthedHttpRequest, filters: Query[AssessmentFilters]):
    return selectors.my_assessments(request.user, filters.instrument)


@router.post("/assessments", response={201: AssessmentResultOut}, summary="Complete a questionnaire")
def assessment_submit(request: AuthedHttpRequest, payload: AssessmentIn):
    """Scores are a snapshot to talk over with someone you trust, not a diagnosis. Any
    answer but "Not at all" to PHQ-9 item 9 alerts the member's team at once."""
    program = _member_program(request)
    offered = {i.code for i in selectors.offered_instruments(program)}
    if payload.instrument not in offered:
        raise ValidationError(
            {"instrument": f"Choose one of the questionnaires offered: {', '.join(sorted(offered))}."}
        )
    result = services.assessment_submit(
        user=request.user,
        instrument=payload.instrument,
        answers=payload.answers,
        language=_language(request, payload.language),
        program=program,
    )
    body = {**_assessment_out(result.assessment), **_crisis_hint(request, result.show_crisis_lines)}
    return Status(201, body)


@router.get("/assessments/{assessment_id}", response=AssessmentOut, summary="One completed questionnaire")
def assessment_get(request: AuthedHttpRequest, assessment_id: int):
    return _assessment_out(selectors.get_my_assessment(request.user, assessment_id))


@router.get(
    "/assessments/{assessment_id}/fhir",
    summary="One completed questionnaire as a FHIR R4 QuestionnaireResponse",
    openapi_extra=_fhir_doc("FHIR R4 QuestionnaireResponse"),
)
def assessment_fhir(request: AuthedHttpRequest, assessment_id: int):
    return _fhir_response(selectors.assessment_as_fhir(selectors.get_my_assessment(request.user, assessment_id)))


# --- journal ---------------------------------------------------------------------------------


@router.get("/journal", response=list[JournalOut], summary="My journal, newest first (only I can read it)")
@paginate(CursorPagination, ordering=("-created_at", "-id"), page_size=30)
def journal_list(request: AuthedHttpRequest):
    return selectors.my_journal(request.user)


@router.post("/journal", response={201: JournalOut}, summary="Write a journal entry")
def journal_write(request: AuthedHttpRequest, payload: JournalIn):
    entry = services.journal_write(user=request.user, body=payload.body, title=payload.title)
    return Status(201, entry)


@router.get("/journal/{entry_id}", response=JournalOut, summary="One journal entry")
def journal_get(request: AuthedHttpRequest, entry_id: int):
    return selectors.get_my_journal_entry(request.user, entry_id)


@router.patch("/journal/{entry_id}", response=JournalOut, summary="Change a journal entry")
def journal_patch(request: AuthedHttpRequest, entry_id: int, payload: JournalPatch):
    entry = selectors.get_my_journal_entry(request.user, entry_id)
    return services.journal_update(
        entry=entry,
        user=request.user,
        body=entry.body if payload.body is None else payload.body,
        title=entry.title if payload.title is None else payload.title,
    )


@router.delete("/journal/{entry_id}", response={204: None}, summary="Delete a journal entry (it is gone)")
def journal_delete(request: AuthedHttpRequest, entry_id: int):
    services.journal_delete(entry=selectors.get_my_journal_entry(request.user, entry_id), user=request.user)
    return Status(204, None)
