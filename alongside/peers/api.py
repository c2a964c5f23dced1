"""API operations for peer cards, a peer's own profile, and credentials with CE hours.

Scoped like the pages (``selectors``): the program comes from ``?program=<slug>``
(an outsider gets 404), the cards are for the program's members and staff (allies 403),
a peer reads and writes their own credentials, an admin reads every peer's and verifies
them. Files (photo, evidence) are uploaded on the pages; the API says whether one exists
and where the page serves it.

API operations of peer work: supervision, contact notes (encounters), caseload and
weekly check-in calls.

Scoped like the pages (``selectors`` holds the rules): another program's objects
are 404; a wrong role inside the program is 403; bad input is a 422 in the project's
error shape. Which program: ``?program=<slug>`` (or ``program`` in a body) or, when
left out, the program the person acts in. Lists are cursor-paginated like the rest of
the API; the caseload and today's calls are bounded by a caseload, returned whole.

Matching over the API: a member's preferences and suggestions, requests and their
answers, and program-wide rounds (admins).

Scoped like the pages: an outsider gets 404 for a program's objects, a wrong role 403;
a request that is not the viewer's (as its member, its peer or an admin) is a 404.
``?program=<slug>`` says which program; without it the program the person acts in counts
(for a member: their first program as a member). Reasons come as ``{code, value, text}``:
``code``/``value`` for clients that word them themselves, ``text`` in the person's language.
"""

# No "from __future__ import annotations" here: ninja reads Query[...] annotations at
# import time, and postponed ones leave its query models undefined.

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import CursorPagination, paginate
from pydantic import ConfigDict, model_validator

from alongside.accounts import selectors as accounts_selectors
from alongside.accounts.http import AuthedHttpRequest
from alongside.accounts.models import Membership, Program, Role, User
from alongside.api.errors import ApiError
from alongside.lib.tz import zone_of
from alongside.peers import caseload, compliance, reasons, selectors, services
from alongside.peers.models import (
    AVAILABILITY_SLOTS,
    AgeRange,
    CallAttempt,
    CallPlan,
    Credential,
    CredentialKind,
    Encounter,
    Gender,
    MatchRequest,
    MatchRound,
    PeerProfile,
    SupervisionSession,
)
from alongside.recovery.api import RequestBody
from alongside.recovery.models import Pathway

# === profiles ========================================================================

router = Router(tags=["peers"])

Tag = Annotated[str, Field(min_length=1, max_length=40)]
Hours = Annotated[Decimal, Field(ge=0, le=Decimal("9999.9"), max_digits=5, decimal_places=1)]


class ProgramRequiredQuery(Schema):
    program: str = Field(..., max_length=60, description="Program slug")


class CredentialFilters(ProgramRequiredQuery):
    peer: int | None = Field(None, description="Admins: only this peer's credentials (user id)")


# --- schemas ---------------------------------------------------------------------------------


class PeerCardOut(Schema):
    """What members see: never gender, age range, coordinates, supervisor or credential details."""

    user_id: int
    display_name: str
    photo_url: str | None
    story: str
    lived_experience: list[str]
    pathways: list[str]
    languages: list[str]
    city: str
    meets_in_person: bool
    meets_remotely: bool
    availability: list[str]
    accepting_new: bool
    verified_credential: bool

    @staticmethod
    def resolve_photo_url(obj: PeerProfile) -> str | None:
        if not obj.photo:
            return None
        return reverse("peer_photo", args=[obj.program.slug, obj.user_id])

    @staticmethod
    def resolve_verified_credential(obj: PeerProfile) -> bool:
        return bool(getattr(obj, "has_verified_credential", False))


class MyPeerProfileOut(Schema):
    program_slug: str
    user_id: int
    display_name: str
    has_photo: bool
    story: str
    lived_experience: list[str]
    substances: list[str]
    pathways: list[str]
    languages: list[str]
    gender: str
    age_range: str
    city: str
    city_found: bool = Field(..., description="False when the city is not in the offline gazetteer")
    meets_in_person: bool
    meets_remotely: bool
    availability: list[str]
    capacity: int
    accepting_new: bool
    updated_at: dt.datetime

    @staticmethod
    def resolve_program_slug(obj: PeerProfile) -> str:
        return obj.program.slug

    @staticmethod
    def resolve_has_photo(obj: PeerProfile) -> bool:
        return bool(obj.photo)

    @staticmethod
    def resolve_city_found(obj: PeerProfile) -> bool:
        return obj.latitude is not None


class MyPeerProfileIn(RequestBody):
    display_name: str = Field(..., min_length=1, max_length=80)
    story: str = Field("", max_length=2000)
    lived_experience: list[Tag] = Field([], max_length=30)
    substances: list[Tag] = Field([], max_length=30)
    pathways: list[Pathway] = Field([], max_length=len(Pathway.values))
    languages: list[Tag] = Field([], max_length=30)
    gender: Gender | None = None
    age_range: AgeRange | None = None
    city: str = Field("", max_length=120)
    meets_in_person: bool = True
    meets_remotely: bool = True
    availability: list[str] = Field([], max_length=len(AVAILABILITY_SLOTS), description='Slots like "tue-evening"')
    capacity: int = Field(8, ge=0, le=60)
    accepting_new: bool = True


class CEProgressOut(Schema):
    hours: Decimal
    ethics_hours: Decimal
    hours_required: Decimal
    ethics_required: Decimal
    hours_left: Decimal
    ethics_left: Decimal
    met: bool
    percent: int


class CEEntryOut(Schema):
    id: int
    title: str
    completed_on: dt.date
    hours: Decimal
    ethics_hours: Decimal


class CredentialOut(Schema):
    id: int
    peer_id: int
    peer_name: str
    kind: str
    title: str
    issuer: str
    jurisdiction: str
    number: str
    issued_on: dt.date
    expires_on: dt.date | None
    ce_hours_required: Decimal
    ce_ethics_hours_required: Decimal
    state: str = Field(..., description="current, expiring, expired or unverified")
    verified: bool
    verified_at: dt.datetime | None
    verified_by: str | None
    has_evidence: bool
    evidence_url: str | None
    ce_progress: CEProgressOut

    @staticmethod
    def resolve_peer_id(obj: Credential) -> int:
        return obj.profile.user_id

    @staticmethod
    def resolve_peer_name(obj: Credential) -> str:
        return obj.profile.display_name

    @staticmethod
    def resolve_state(obj: Credential) -> str:
        return selectors.credential_state_of(obj, selectors.program_today(obj.profile.program))

    @staticmethod
    def resolve_verified(obj: Credential) -> bool:
        return obj.verified_at is not None

    @staticmethod
    def resolve_verified_by(obj: Credential) -> str | None:
        return obj.verified_by.display_name if obj.verified_by else None

    @staticmethod
    def resolve_has_evidence(obj: Credential) -> bool:
        return bool(obj.evidence)

    @staticmethod
    def resolve_evidence_url(obj: Credential) -> str | None:
        if not obj.evidence:
            return None
        return reverse("credential_evidence", args=[obj.profile.program.slug, obj.pk])

    @staticmethod
    def resolve_ce_progress(obj: Credential) -> compliance.CEProgress:
        return selectors.ce_progress_of(obj)


class CredentialIn(RequestBody):
    kind: CredentialKind
    title: str = Field("", max_length=120, description="Needed for state and other credentials")
    issuer: str = Field(..., min_length=1, max_length=120)
    jurisdiction: str = Field("", max_length=80)
    number: str = Field("", max_length=60)
    issued_on: dt.date
    expires_on: dt.date | None = None
    ce_hours_required: Hours = Decimal(0)
    ce_ethics_hours_required: Hours = Decimal(0)


class CredentialPatch(RequestBody):
    kind: CredentialKind | None = None
    title: str | None = Field(None, max_length=120)
    issuer: str | None = Field(None, min_length=1, max_length=120)
    jurisdiction: str | None = Field(None, max_length=80)
    number: str | None = Field(None, max_length=60)
    issued_on: dt.date | None = None
    expires_on: dt.date | None = Field(None, description="Send null to clear it; leave it out to keep it")
    ce_hours_required: Hours | None = None
    ce_ethics_hours_required: Hours | None = None


class VerifyIn(RequestBody):
    verified: bool = Field(True, description="false removes the verification")


class CEIn(RequestBody):
    title: str = Field(..., min_length=1, max_length=160)
    completed_on: dt.date
    hours: Annotated[Decimal, Field(gt=0, le=Decimal("9999.9"), max_digits=5, decimal_places=1)]
    ethics_hours: Hours = Decimal(0)


class CERecordedOut(Schema):
    entry: CEEntryOut
    credential: CredentialOut


# --- cards -----------------------------------------------------------------------------------


@router.get("/peers", response=list[PeerCardOut], summary="Public cards of a program's peer supporters")
@paginate(CursorPagination, ordering=("display_name", "id"), page_size=50)
def peers_list(request: AuthedHttpRequest, filters: Query[ProgramRequiredQuery]):
    _program, membership = accounts_selectors.get_program_for(request.user, filters.program)
    return selectors.peer_cards_for(request.user, membership).select_related("program")


@router.get("/peers/{user_id}", response=PeerCardOut, summary="One peer supporter's public card")
def peer_get(request: AuthedHttpRequest, user_id: int, filters: Query[ProgramRequiredQuery]):
    _program, membership = accounts_selectors.get_program_for(request.user, filters.program)
    return selectors.get_peer_card_for(request.user, membership, user_id)


# --- my profile ------------------------------------------------------------------------------


def _profiles_my_profile(request: AuthedHttpRequest, slug: str) -> PeerProfile:
    program, membership = accounts_selectors.get_program_for(request.user, slug)
    selectors.require_own_profile_access(membership)
    return services.peer_profile_get_or_create(program=program, user=request.user)


@router.get("/me/peer-profile", response=MyPeerProfileOut, summary="My peer profile (peers only)")
def my_peer_profile(request: AuthedHttpRequest, filters: Query[ProgramRequiredQuery]):
    return _profiles_my_profile(request, filters.program)


@router.put("/me/peer-profile", response=MyPeerProfileOut, summary="Change my peer profile (peers only)")
def my_peer_profile_put(request: AuthedHttpRequest, filters: Query[ProgramRequiredQuery], payload: MyPeerProfileIn):
    profile = _profiles_my_profile(request, filters.program)
    data = payload.dict()
    data["gender"] = data["gender"] or ""
    data["age_range"] = data["age_range"] or ""
    return services.peer_profile_save(profile=profile, **data)


# --- credentials -----------------------------------------------------------------------------


def _profiles_credential(request: AuthedHttpRequest, credential_id: int, *, write: bool = False) -> Credential:
    """The credential wherever it lives: 404 unless the viewer is in its program."""
    found = selectors.credential_program_of(credential_id)
    if found is None:
        raise ApiError(404, "not_found", "Not found.")
    _program, membership = accounts_selectors.get_program_for(request.user, found.slug)
    return selectors.get_credential_for(request.user, membership, credential_id, write=write)


@router.get("/credentials", response=list[CredentialOut], summary="Credentials: a peer's own, or every peer's (admins)")
@paginate(CursorPagination, ordering=("id",), page_size=50)
def credentials_list(request: AuthedHttpRequest, filters: Query[CredentialFilters]):
    _program, membership = accounts_selectors.get_program_for(request.user, filters.program)
    return selectors.credentials_visible_to(request.user, membership, peer_id=filters.peer)


@router.post("/credentials", response={201: CredentialOut}, summary="Add one of my credentials (peers)")
def credential_create(request: AuthedHttpRequest, filters: Query[ProgramRequiredQuery], payload: CredentialIn):
    profile = _profiles_my_profile(request, filters.program)
    credential = services.credential_save(profile=profile, **payload.dict())
    _program, membership = accounts_selectors.get_program_for(request.user, filters.program)
    return Status(201, selectors.get_credential_for(request.user, membership, credential.pk))


@router.get("/credentials/{credential_id}", response=CredentialOut, summary="One credential")
def credential_get(request: AuthedHttpRequest, credential_id: int):
    return _profiles_credential(request, credential_id)


@router.patch(
    "/credentials/{credential_id}",
    response=CredentialOut,
    summary="Change my credential (changing type, number or dates clears its verification)",
)
def credential_patch(request: AuthedHttpRequest, credential_id: int, payload: CredentialPatch):
    credential = _profiles_credential(request, credential_id, write=True)
    changes = payload.dict(exclude_unset=True)
    if any(
        changes.get(name, "") is None for name in ("kind", "issuer", "issued_on", "title", "jurisdiction", "number")
    ):
        raise ApiError(422, "invalid", "Only expires_on may be null; leave a field out to keep it.")
    if any(changes.get(name, 0) is None for name in ("ce_hours_required", "ce_ethics_hours_required")):
        raise ApiError(422, "invalid", "Send a number of hours (0 for none); leave a field out to keep it.")
    values = {
        "kind": credential.kind,
        "title": credential.title,
        "issuer": credential.issuer,
        "jurisdiction": credential.jurisdiction,
        "number": credential.number,
        "issued_on": credential.issued_on,
        "expires_on": credential.expires_on,
        "ce_hours_required": credential.ce_hours_required,
        "ce_ethics_hours_required": credential.ce_ethics_hours_required,
        **changes,
    }
    services.credential_save(profile=credential.profile, credential=credential, **values)
    return _profiles_credential(request, credential_id)


@router.delete("/credentials/{credential_id}", response={204: None}, summary="Remove a credential (holder or admin)")
def credential_remove(request: AuthedHttpRequest, credential_id: int):
    credential = _profiles_credential(request, credential_id)
    services.credential_delete(credential=credential)
    return Status(204, None)


@router.post("/credentials/{credential_id}/verify", response=CredentialOut, summary="Verify a credential (admins)")
def credential_verify(request: AuthedHttpRequest, credential_id: int, payload: VerifyIn | None = None):
    credential = _profiles_credential(request, credential_id)
    _program, membership = accounts_selectors.get_program_for(request.user, credential.profile.program.slug)
    if membership.role != Role.ADMIN:
        raise PermissionDenied
    if payload is None or payload.verified:
        services.credential_verify(credential=credential, admin=request.user)
    else:
        services.credential_unverify(credential=credential)
    return _profiles_credential(request, credential_id)


@router.post(
    "/credentials/{credential_id}/ce", response={201: CERecordedOut}, summary="Log CE hours against my credential"
)
def credential_ce(request: AuthedHttpRequest, credential_id: int, payload: CEIn):
    credential = _profiles_credential(request, credential_id, write=True)
    entry = services.ce_record(credential=credential, **payload.dict())
    return Status(201, {"entry": entry, "credential": _profiles_credential(request, credential_id)})


# === work ============================================================================


Slug = Annotated[str, Field(max_length=60)]


# --- schemas ---------------------------------------------------------------------------------


class PersonRef(Schema):
    id: int
    handle: str


class SupervisionOut(Schema):
    id: int
    program_slug: str
    supervisor: PersonRef | None
    peers: list[PersonRef]
    held_on: dt.date
    duration_minutes: int
    format: str = Field(..., description="individual or group")
    topics: list[str]
    notes: str = Field(..., description="Shared with every peer who attended")
    follow_ups: str
    created_at: dt.datetime

    @staticmethod
    def resolve_program_slug(obj: SupervisionSession) -> str:
        return obj.program.slug

    @staticmethod
    def resolve_supervisor(obj: SupervisionSession) -> dict[str, Any] | None:
        return {"id": obj.supervisor.pk, "handle": obj.supervisor.display_name} if obj.supervisor else None

    @staticmethod
    def resolve_peers(obj: SupervisionSession) -> list[dict[str, Any]]:
        return [{"id": p.pk, "handle": p.display_name} for p in obj.peers.all()]


class SupervisionIn(RequestBody):
    program: Slug | None = None
    peer_ids: list[int] = Field(..., min_length=1, max_length=50)
    held_on: dt.date
    duration_minutes: int = Field(..., ge=5, le=600)
    format: str = Field(..., max_length=12, description="individual (exactly one peer) or group")
    topics: list[Annotated[str, Field(max_length=20)]] = Field([], max_length=8)
    notes: str = Field("", max_length=4000)
    follow_ups: str = Field("", max_length=2000)


class SupervisionRequestIn(RequestBody):
    program: Slug | None = None


class SupervisionRequestOut(Schema):
    program_slug: str
    needs_supervision_since: dt.datetime | None


class EncounterOut(Schema):
    id: int
    program_slug: str
    peer: PersonRef | None
    member: PersonRef
    occurred_at: dt.datetime
    duration_minutes: int
    mode: str
    topics: list[str]
    goal_ids: list[int]
    referrals: str
    summary: str
    next_step: str
    follow_up_on: dt.date | None
    follow_up_done_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_program_slug(obj: Encounter) -> str:
        return obj.program.slug

    @staticmethod
    def resolve_peer(obj: Encounter) -> dict[str, Any] | None:
        return {"id": obj.peer.pk, "handle": obj.peer.display_name} if obj.peer else None

    @staticmethod
    def resolve_member(obj: Encounter) -> dict[str, Any]:
        return {"id": obj.member.pk, "handle": obj.member.display_name}

    @staticmethod
    def resolve_goal_ids(obj: Encounter) -> list[int]:
        return [goal.pk for goal in obj.goals_touched.all()]


class EncounterIn(RequestBody):
    program: Slug | None = None
    member_id: int
    occurred_at: dt.datetime = Field(..., description="With an offset; without one it is read in your own zone")
    duration_minutes: int = Field(..., ge=1, le=600)
    mode: str = Field(..., max_length=12, description="in_person, phone, video, message or group")
    topics: list[Annotated[str, Field(max_length=20)]] = Field([], max_length=12)
    goal_ids: list[int] = Field([], max_length=50, description="Only goals the member shares with their peer")
    referrals: str = Field("", max_length=500)
    summary: str = Field("", max_length=2000, description="Non-clinical: no diagnoses")
    next_step: str = Field("", max_length=300)
    follow_up_on: dt.date | None = None


class EncounterPatch(RequestBody):
    occurred_at: dt.datetime | None = None
    duration_minutes: int | None = Field(None, ge=1, le=600)
    mode: str | None = Field(None, max_length=12)
    topics: list[Annotated[str, Field(max_length=20)]] | None = Field(None, max_length=12)
    goal_ids: list[int] | None = Field(None, max_length=50)
    referrals: str | None = Field(None, max_length=500)
    summary: str | None = Field(None, max_length=2000)
    next_step: str | None = Field(None, max_length=300)
    follow_up_on: dt.date | None = None
    clear_follow_up: bool = Field(False, description="Remove the follow-up date")
    follow_up_done: bool = Field(False, description="Mark the follow-up as done")


class CaseloadReasonOut(Schema):
    code: str
    text: str
    values: dict[str, Any]
    urgent: bool


class CheckinBrief(Schema):
    local_date: dt.date
    mood: int
    craving: int


class CaseloadRowOut(Schema):
    member: PersonRef
    needs_attention: bool
    reasons: list[CaseloadReasonOut]
    days_since_contact: int | None
    latest_checkin: CheckinBrief | None = Field(..., description="Only for members who share check-ins with you")


class CaseloadOut(Schema):
    program_slug: str
    rows: list[CaseloadRowOut]


class CallTodayOut(Schema):
    plan_id: int
    member: PersonRef
    phone: str
    call_time: dt.time = Field(..., description="The member's chosen time, in their zone")
    call_at: dt.datetime
    due_on: dt.date
    voicemail_ok: bool
    recorded_outcome: str | None
    missed_in_a_row: int


class CallAttemptIn(RequestBody):
    outcome: str = Field(..., max_length=12, description="reached, voicemail (only if allowed) or no_answer")
    note: str = Field("", max_length=300)


class CallAttemptOut(Schema):
    id: int
    plan_id: int
    due_on: dt.date
    outcome: str
    note: str
    recorded_at: dt.datetime


class CallPlanOut(Schema):
    id: int
    weekday: int = Field(..., description="0 is Monday")
    call_time: dt.time
    phone: str
    voicemail_ok: bool
    active: bool


class MyCallPlanOut(Schema):
    program_slug: str
    plan: CallPlanOut | None


class CallPlanIn(RequestBody):
    program: Slug | None = None
    weekday: int = Field(..., ge=0, le=6, description="0 is Monday")
    call_time: dt.time = Field(..., description="Your local time")
    phone: str | None = Field(None, max_length=40, description="Defaults to the phone on your account")
    voicemail_ok: bool = False


# --- helpers ---------------------------------------------------------------------------------


def _membership(request: AuthedHttpRequest, slug: str | None) -> Membership:
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


def _call_member_program(request: AuthedHttpRequest, slug: str | None) -> Program:
    if slug:
        program, membership = accounts_selectors.get_program_for(request.user, slug)
        accounts_selectors.require_role(membership, Role.MEMBER)
        return program
    return selectors.call_member_program(request.user, getattr(request, "membership", None))


def _aware(moment: dt.datetime, request: AuthedHttpRequest) -> dt.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        zone = zone_of(request.user)
        return moment.replace(tzinfo=zone).astimezone(dt.UTC).astimezone(zone)
    return moment


def _row_out(row: caseload.CaseloadRow) -> dict[str, Any]:
    return {
        "member": {"id": row.member_id, "handle": row.handle},
        "needs_attention": row.needs_attention,
        "reasons": [
            {
                "code": r.code,
                "text": selectors.describe_reason(r),
                "values": dict(r.values),
                "urgent": r.urgent,
            }
            for r in row.reasons
        ],
        "days_since_contact": row.days_since_contact,
        "latest_checkin": row.latest_checkin,
    }


def _plan_out(program: Program, plan: CallPlan | None) -> dict[str, Any]:
    return {"program_slug": program.slug, "plan": plan}


# --- supervision -------------------------------------------------------------------------------


@router.get(
    "/supervision", response=list[SupervisionOut], summary="Supervision sessions I gave (and my team's) or attended"
)
@paginate(CursorPagination, ordering=("-held_on", "-id"), page_size=30)
def supervision_list(request: AuthedHttpRequest, program: str | None = None):
    membership = _membership(request, program)
    return selectors.supervision_sessions_for(request.user, membership).select_related("program")


@router.post("/supervision", response={201: SupervisionOut}, summary="Log a supervision session (supervisors)")
def supervision_create(request: AuthedHttpRequest, payload: SupervisionIn):
    membership = _membership(request, payload.program)
    selectors.work_require_supervisor(request.user, membership)
    session = services.supervision_log(
        program=membership.program,
        supervisor=request.user,
        peer_ids=payload.peer_ids,
        held_on=payload.held_on,
        duration_minutes=payload.duration_minutes,
        format=payload.format,
        topics=payload.topics,
        notes=payload.notes,
        follow_ups=payload.follow_ups,
    )
    return Status(201, selectors.get_supervision_session_for(request.user, membership, session.pk))


@router.post(
    "/supervision/requests",
    response={200: SupervisionRequestOut},
    summary="I need supervision (peers); asking again while waiting changes nothing",
)
def supervision_request(request: AuthedHttpRequest, payload: SupervisionRequestIn):
    membership = _membership(request, payload.program)
    selectors.work_require_peer(request.user, membership)
    profile = services.supervision_request(program=membership.program, peer=request.user)
    return {"program_slug": membership.program.slug, "needs_supervision_since": profile.needs_supervision_since}


# --- contact notes -----------------------------------------------------------------------------


@router.get(
    "/encounters",
    response=list[EncounterOut],
    summary="Contact notes: a peer's own, a supervisor's team's (each member read is audited)",
)
@paginate(CursorPagination, ordering=("-occurred_at", "-id"), page_size=30)
def encounters_list(request: AuthedHttpRequest, program: str | None = None, member: int | None = None):
    membership = _membership(request, program)
    return selectors.encounters_visible_to(request.user, membership, member).select_related("program")


@router.post("/encounters", response={201: EncounterOut}, summary="Log a contact with a member you walk with")
def encounter_create(request: AuthedHttpRequest, payload: EncounterIn):
    membership = _membership(request, payload.program)
    target = selectors.contact_member_for(request.user, membership, payload.member_id, writing=True)
    note = services.encounter_log(
        program=membership.program,
        peer=request.user,
        member=target.user,
        occurred_at=_aware(payload.occurred_at, request),
        duration_minutes=payload.duration_minutes,
        mode=payload.mode,
        topics=payload.topics,
        goal_ids=payload.goal_ids,
        referrals=payload.referrals,
        summary=payload.summary,
        next_step=payload.next_step,
        follow_up_on=payload.follow_up_on,
    )
    return Status(201, selectors.get_encounter_for(request.user, membership, note.pk))


def _encounter_membership(request: AuthedHttpRequest, encounter_id: int, program: str | None) -> Membership:
    if program:
        return _membership(request, program)
    # The note names its program: act in that one when the person belongs to it.
    return accounts_selectors.get_program_for(request.user, selectors.encounter_program_slug(encounter_id))[1]


@router.get("/encounters/{encounter_id}", response=EncounterOut, summary="One contact note (audited)")
def encounter_get(request: AuthedHttpRequest, encounter_id: int, program: str | None = None):
    membership = _encounter_membership(request, encounter_id, program)
    return selectors.get_encounter_for(request.user, membership, encounter_id)


@router.patch("/encounters/{encounter_id}", response=EncounterOut, summary="Edit your own contact note")
def encounter_patch(request: AuthedHttpRequest, encounter_id: int, payload: EncounterPatch, program: str | None = None):
    membership = _encounter_membership(request, encounter_id, program)
    note = selectors.get_encounter_for(request.user, membership, encounter_id, editing=True)
    sent = payload.model_fields_set
    follow_up_on = note.follow_up_on
    if payload.clear_follow_up:
        follow_up_on = None
    elif "follow_up_on" in sent:
        follow_up_on = payload.follow_up_on
    if sent - {"follow_up_done"}:
        services.encounter_update(
            encounter=note,
            editor=request.user,
            occurred_at=_aware(payload.occurred_at, request) if payload.occurred_at else note.occurred_at,
            duration_minutes=payload.duration_minutes or note.duration_minutes,
            mode=payload.mode if payload.mode is not None else note.mode,
            topics=payload.topics if payload.topics is not None else note.topics,
            goal_ids=payload.goal_ids
            if payload.goal_ids is not None
            else [goal.pk for goal in note.goals_touched.all()],
            referrals=payload.referrals if payload.referrals is not None else note.referrals,
            summary=payload.summary if payload.summary is not None else note.summary,
            next_step=payload.next_step if payload.next_step is not None else note.next_step,
            follow_up_on=follow_up_on,
        )
    if payload.follow_up_done:
        services.encounter_follow_up_done(encounter=note, actor=request.user)
    return selectors.get_encounter_for(request.user, membership, encounter_id)


# --- caseload and calls ------------------------------------------------------------------------


@router.get("/caseload", response=CaseloadOut, summary="My members, most in need first, with the reasons (peers)")
def caseload_get(request: AuthedHttpRequest, program: str | None = None):
    membership = _membership(request, program)
    rows = selectors.caseload_for(request.user, membership)
    return {"program_slug": membership.program.slug, "rows": [_row_out(row) for row in rows]}


@router.get("/calls/today", response=list[CallTodayOut], summary="My call list for today (peers)")
def calls_today(request: AuthedHttpRequest, program: str | None = None):
    membership = _membership(request, program)
    return [
        {
            "plan_id": row.plan.pk,
            "member": {"id": row.member.pk, "handle": row.member.display_name},
            "phone": row.plan.phone,
            "call_time": row.plan.call_time,
            "call_at": row.call_at,
            "due_on": row.due_on,
            "voicemail_ok": row.plan.voicemail_ok,
            "recorded_outcome": row.attempt.outcome if row.attempt else None,
            "missed_in_a_row": row.missed_in_a_row,
        }
        for row in selectors.calls_today_for(request.user, membership, now=timezone.now())
    ]


@router.post(
    "/calls/{plan_id}/attempts",
    response={201: CallAttemptOut},
    summary="Record this week's call: reached, voicemail (if allowed) or no answer",
)
def call_attempt_create(request: AuthedHttpRequest, plan_id: int, payload: CallAttemptIn, program: str | None = None):
    membership = _membership(request, program or selectors.call_plan_program_slug(plan_id))
    plan = selectors.get_call_plan_for_peer(request.user, membership, plan_id)
    try:
        attempt: CallAttempt = services.call_attempt_record(
            plan=plan, peer=request.user, outcome=payload.outcome, note=payload.note
        )
    except services.AlreadyRecorded as error:
        raise ApiError(409, "conflict", " ".join(error.messages)) from error
    return Status(201, attempt)


@router.get("/me/call-plan", response=MyCallPlanOut, summary="My weekly check-in call (members)")
def my_call_plan(request: AuthedHttpRequest, program: str | None = None):
    chosen = _call_member_program(request, program)
    return _plan_out(chosen, selectors.my_call_plan(request.user, chosen))


@router.put("/me/call-plan", response=MyCallPlanOut, summary="Start or change my weekly check-in call")
def my_call_plan_put(request: AuthedHttpRequest, payload: CallPlanIn):
    chosen = _call_member_program(request, payload.program)
    phone = payload.phone if payload.phone is not None else request.user.phone
    plan = services.call_plan_save(
        program=chosen,
        member=request.user,
        weekday=payload.weekday,
        call_time=payload.call_time,
        phone=phone,
        voicemail_ok=payload.voicemail_ok,
    )
    return _plan_out(chosen, plan)


@router.delete("/me/call-plan", response=MyCallPlanOut, summary="Pause (stop) my weekly calls; start again with PUT")
def my_call_plan_delete(request: AuthedHttpRequest, program: str | None = None):
    chosen = _call_member_program(request, program)
    services.call_plan_pause(program=chosen, member=request.user)
    return _plan_out(chosen, selectors.my_call_plan(request.user, chosen))


# === matching ========================================================================


class _MatchingBody(Schema):
    """A JSON object with only the documented fields (a misspelt field is an error)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        if not isinstance(getattr(data, "_obj", data), dict):
            raise ValueError("Send a JSON object with the fields of this request.")
        return data


# --- schemas ------------------------------------------------------------------------------------


class ReasonOut(Schema):
    code: str
    value: str | int | float | None
    text: str


class SuggestionOut(Schema):
    peer_id: int
    display_name: str
    story: str
    city: str
    languages: list[str]
    meets_in_person: bool
    meets_remotely: bool
    score: float
    fit: str = Field(..., description='"strong", "good" or "possible"')
    distance_km: float | None
    reasons: list[ReasonOut]


class SuggestionQuery(Schema):
    program: str | None = Field(None, max_length=60, description="Program slug")
    member: int | None = Field(None, ge=1, le=2**62, description="Admins: the member to suggest peers for")


class ProgramQuery(Schema):
    program: str | None = Field(None, max_length=60, description="Program slug")


class MatchRequestIn(_MatchingBody):
    program: str | None = Field(None, max_length=60, description="Program slug")
    peer_id: int = Field(..., ge=1, le=2**62)
    member_id: int | None = Field(None, ge=1, le=2**62, description="Admins: the member to ask for")
    message: str = Field("", max_length=500)
    replace: bool = Field(False, description="Withdraw the member's waiting request and send this one instead")


class DeclineIn(_MatchingBody):
    note: str = Field("", max_length=500, description="Private to the peer and admins")


def _reason_out(stored: Any) -> list[dict[str, Any]]:
    return [
        {"code": r.code, "value": r.value, "text": str(reasons.reason_text(r))}
        for r in reasons.reasons_from_json(stored)
    ]


class MatchRequestOut(Schema):
    id: int
    program: str
    member_id: int
    member_handle: str
    peer_id: int
    peer_name: str
    requested_by_member: bool
    status: str
    message: str
    decline_note: str = Field(..., description="Empty for the member: it is private to the peer and admins")
    score: float | None
    reasons: list[ReasonOut]
    created_at: dt.datetime
    decided_at: dt.datetime | None

    @staticmethod
    def resolve_program(obj: MatchRequest) -> str:
        return obj.program.slug

    @staticmethod
    def resolve_member_handle(obj: MatchRequest) -> str:
        return obj.member.display_name

    @staticmethod
    def resolve_peer_name(obj: MatchRequest) -> str:
        return getattr(obj, "peer_display_name", None) or obj.peer.display_name

    @staticmethod
    def resolve_requested_by_member(obj: MatchRequest) -> bool:
        return obj.requested_by_id == obj.member_id

    @staticmethod
    def resolve_decline_note(obj: MatchRequest, context: dict[str, Any]) -> str:
        request = context["request"]
        return "" if request.user.pk == obj.member_id else obj.decline_note

    @staticmethod
    def resolve_reasons(obj: MatchRequest) -> list[dict[str, Any]]:
        return _reason_out(obj.reasons)


class PreferencesOut(Schema):
    looking: bool
    gender: str
    peer_gender_preference: str
    age_range: str
    lived_experience_wanted: list[str]
    city: str
    located: bool = Field(..., description="False when the city is unknown: only remote peers can be suggested")
    remote_ok: bool
    availability: list[str]


class PreferencesIn(_MatchingBody):
    looking: bool = True
    gender: str = Field("", max_length=16)
    peer_gender_preference: str = Field("", max_length=16, description='"" (anyone), woman, man or non_binary')
    age_range: str = Field("", max_length=8)
    lived_experience_wanted: list[str] = Field([], max_length=20)
    city: str = Field("", max_length=120)
    remote_ok: bool = True
    availability: list[str] = Field([], max_length=len(AVAILABILITY_SLOTS))


class RoundIn(_MatchingBody):
    program: str | None = Field(None, max_length=60, description="Program slug")


class ProposalOut(Schema):
    member_id: int
    member_handle: str
    peer_id: int
    peer_name: str
    score: float
    reasons: list[ReasonOut]
    outcome: str = Field(..., description='"" while proposed; "requested" or "skipped" once applied')
    note: str


class UnassignedOut(Schema):
    member_id: int
    member_handle: str
    reason: str


class RoundOut(Schema):
    id: int
    program: str
    status: str
    created_at: dt.datetime
    decided_at: dt.datetime | None
    members_waiting: int
    members_matched: int
    objective: float
    proposals: list[ProposalOut]
    unassigned: list[UnassignedOut]


class RoundAppliedOut(RoundOut):
    requested: int
    skipped: int


# --- helpers ------------------------------------------------------------------------------------


def _matching_membership(request: AuthedHttpRequest, slug: str | None) -> Membership:
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


def _member_program(request: AuthedHttpRequest, slug: str | None) -> Program:
    """The program a member acts in as a member: 403 for anyone who is not one there."""
    if slug:
        program, membership = accounts_selectors.get_program_for(request.user, slug)
        if membership.role != Role.MEMBER:
            raise PermissionDenied
        return program
    return selectors.member_program_for(request.user, getattr(request, "membership", None))


def _as_api_error(error: ValidationError) -> ApiError:
    fields = {k: " ".join(v) for k, v in error.message_dict.items()} if hasattr(error, "error_dict") else {}
    code = getattr(error, "code", None) or "invalid"
    if code in ("pending_exists", "not_pending", "not_proposed"):
        return ApiError(409, code, " ".join(error.messages), fields)
    return ApiError(422, "invalid", " ".join(error.messages), fields)


def _suggestion_out(suggestion: selectors.SuggestionView) -> dict[str, Any]:
    card = suggestion.card
    return {
        "peer_id": card.user_id,
        "display_name": card.display_name,
        "story": card.story,
        "city": card.city,
        "languages": card.languages,
        "meets_in_person": card.meets_in_person,
        "meets_remotely": card.meets_remotely,
        "score": suggestion.score,
        "fit": suggestion.fit,
        "distance_km": suggestion.distance_km,
        "reasons": _reason_out(reasons.reasons_to_json(suggestion.reasons)),
    }


def _request_for(request: AuthedHttpRequest, request_id: int, action: str) -> tuple[Membership, MatchRequest]:
    """Find the request in a program the viewer belongs to (404 otherwise), then check what
    they may do with it there."""
    program_id = selectors.program_id_of_request(request_id)
    membership = next((m for m in accounts_selectors.memberships_of(request.user) if m.program_id == program_id), None)
    if program_id is None or membership is None:
        raise Http404
    return membership, selectors.get_request_for_action(request.user, membership, request_id, action=action)


def _request_out(match_request: MatchRequest) -> MatchRequest:
    return selectors.match_request_with_names(match_request.pk) or match_request


def _round_out(matching_round: MatchRound) -> dict[str, Any]:
    proposals, left_out = selectors.round_detail(matching_round)
    return {
        "id": matching_round.pk,
        "program": matching_round.program.slug,
        "status": matching_round.status,
        "created_at": matching_round.created_at,
        "decided_at": matching_round.decided_at,
        "members_waiting": matching_round.members_waiting,
        "members_matched": matching_round.members_matched,
        "objective": matching_round.objective,
        "proposals": [
            {
                "member_id": p.proposal.member_id,
                "member_handle": p.member_handle,
                "peer_id": p.proposal.peer_id,
                "peer_name": p.peer_name,
                "score": p.proposal.score,
                "reasons": _reason_out(p.proposal.reasons),
                "outcome": p.proposal.outcome,
                "note": str(p.note_text),
            }
            for p in proposals
        ],
        "unassigned": [
            {"member_id": u.member_id, "member_handle": u.handle, "reason": str(u.reason)} for u in left_out
        ],
    }


def _round_for(request: AuthedHttpRequest, round_id: int) -> MatchRound:
    program_id = selectors.program_id_of_round(round_id)
    membership = next((m for m in accounts_selectors.memberships_of(request.user) if m.program_id == program_id), None)
    if program_id is None or membership is None:
        raise Http404
    return selectors.get_round_for_admin(request.user, membership, round_id)


# --- suggestions and requests -------------------------------------------------------------------


@router.get("/matches/suggestions", response=list[SuggestionOut], summary="Peers who fit a member, best first")
def match_suggestions(request: AuthedHttpRequest, query: Query[SuggestionQuery]):
    """A member gets their own suggestions; an admin passes ``member`` (audited)."""
    if query.member is not None and query.member != request.user.pk:
        membership = _matching_membership(request, query.program)
        selectors.require_matching_admin(request.user, membership)
        program = membership.program
        member = selectors.member_of_program(program, query.member)
    else:
        program = _member_program(request, query.program)
        member = request.user
    return [_suggestion_out(s) for s in selectors.suggestions_for(request.user, member, program)]


@router.post("/matches", response={201: MatchRequestOut}, summary="Ask a peer to walk alongside a member")
def match_request_create(request: AuthedHttpRequest, payload: MatchRequestIn):
    """A member asks for themselves; an admin sends ``member_id``. With a request already
    waiting, the answer is 409 ``pending_exists`` unless ``replace`` is true."""
    if payload.member_id is not None and payload.member_id != request.user.pk:
        membership = _matching_membership(request, payload.program)
        program = membership.program
        selectors.require_matching_admin(request.user, membership)
        member = selectors.member_of_program(program, payload.member_id)
    else:
        program = _member_program(request, payload.program)
        member = request.user
    peer = selectors.peer_user_of(program, payload.peer_id)
    try:
        created = services.match_request_create(
            program=program,
            member=member,
            peer=peer,
            requested_by=request.user,
            message=payload.message,
            replace=payload.replace,
        )
    except ValidationError as error:
        raise _as_api_error(error) from error
    return Status(201, _request_out(created))


@router.get("/matches", response=list[MatchRequestOut], summary="Requests: my own, sent to me, or (admins) all")
@paginate(CursorPagination, ordering=("-created_at", "-id"), page_size=30)
def match_requests_list(request: AuthedHttpRequest, query: Query[ProgramQuery]):
    membership = _matching_membership(request, query.program)
    return selectors.with_peer_names(selectors.requests_visible_to(request.user, membership))


def _answer(request: AuthedHttpRequest, request_id: int, action: str, note: str = "") -> MatchRequest:
    _membership, found = _request_for(request, request_id, action)
    try:
        if action == "accept":
            services.match_request_accept(match_request=found, peer=request.user)
        elif action == "decline":
            services.match_request_decline(match_request=found, peer=request.user, note=note)
        else:
            services.match_request_withdraw(match_request=found, by=request.user)
    except ValidationError as error:
        raise _as_api_error(error) from error
    return _request_out(found)


@router.post("/matches/{request_id}/accept", response=MatchRequestOut, summary="Say yes (the peer who was asked)")
def match_request_accept(request: AuthedHttpRequest, request_id: int):
    """The member joins the peer's caseload; the member's previous peer, if any, is told
    kindly that they moved on."""
    return _answer(request, request_id, "accept")


@router.post(
    "/matches/{request_id}/decline", response=MatchRequestOut, summary="Say “not this time” (the peer who was asked)"
)
def match_request_decline(request: AuthedHttpRequest, request_id: int, payload: DeclineIn | None = None):
    return _answer(request, request_id, "decline", payload.note if payload else "")


@router.post(
    "/matches/{request_id}/withdraw", response=MatchRequestOut, summary="Take a waiting request back (member or admin)"
)
def match_request_withdraw(request: AuthedHttpRequest, request_id: int):
    return _answer(request, request_id, "withdraw")


# --- preferences -----------------------------------------------------------------------------------


def _preferences_out(user: User) -> dict[str, Any]:
    prefs = selectors.match_preferences_of(user)
    return {
        "looking": prefs.looking,
        "gender": prefs.gender,
        "peer_gender_preference": prefs.peer_gender_preference,
        "age_range": prefs.age_range,
        "lived_experience_wanted": list(prefs.lived_experience_wanted or []),
        "city": prefs.city,
        "located": not prefs.city or prefs.latitude is not None,
        "remote_ok": prefs.remote_ok,
        "availability": list(prefs.availability or []),
    }


def _require_member_somewhere(request: AuthedHttpRequest) -> None:
    selectors.member_program_for(request.user, getattr(request, "membership", None))


@router.get("/me/match-preferences", response=PreferencesOut, summary="What I would like in a peer")
def match_preferences_get(request: AuthedHttpRequest):
    _require_member_somewhere(request)
    return _preferences_out(request.user)


@router.put("/me/match-preferences", response=PreferencesOut, summary="Change what I would like in a peer")
def match_preferences_put(request: AuthedHttpRequest, payload: PreferencesIn):
    """An unknown city is saved without coordinates (``located`` false): only peers who
    meet by phone or video can then be suggested."""
    _require_member_somewhere(request)
    try:
        services.match_preferences_save(user=request.user, **payload.model_dump())
    except ValidationError as error:
        raise _as_api_error(error) from error
    return _preferences_out(request.user)


# --- rounds ------------------------------------------------------------------------------------------


@router.post("/matches/rounds", response={201: RoundOut}, summary="Propose peers for every waiting member (admins)")
def match_round_run(request: AuthedHttpRequest, payload: RoundIn):
    """Nothing changes until the round is applied. One proposed round at a time (409)."""
    membership = _matching_membership(request, payload.program)
    selectors.require_matching_admin(request.user, membership)
    try:
        created = services.match_round_run(program=membership.program, admin=request.user)
    except ValidationError as error:
        raise ApiError(409, "round_waiting", " ".join(error.messages)) from error
    return Status(201, _round_out(created))


@router.get("/matches/rounds/{round_id}", response=RoundOut, summary="A matching round and its proposals (admins)")
def match_round_get(request: AuthedHttpRequest, round_id: int):
    return _round_out(_round_for(request, round_id))


@router.post(
    "/matches/rounds/{round_id}/apply",
    response=RoundAppliedOut,
    summary="Send each proposal to its peer as a request (admins)",
)
def match_round_apply(request: AuthedHttpRequest, round_id: int):
    """Proposals that no longer hold are skipped with a note; peers still say yes or not."""
    matching_round = _round_for(request, round_id)
    try:
        applied = services.match_round_apply(matching_round=matching_round, admin=request.user)
    except ValidationError as error:
        raise _as_api_error(error) from error
    matching_round.refresh_from_db()
    return {**_round_out(matching_round), "requested": applied.requested, "skipped": applied.skipped}


@router.post("/matches/rounds/{round_id}/discard", response=RoundOut, summary="Discard a proposed round (admins)")
def match_round_discard(request: AuthedHttpRequest, round_id: int):
    matching_round = _round_for(request, round_id)
    try:
        services.match_round_discard(matching_round=matching_round, admin=request.user)
    except ValidationError as error:
        raise _as_api_error(error) from error
    matching_round.refresh_from_db()
    return _round_out(matching_round)
