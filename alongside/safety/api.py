"""API operations of the safety net."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import CursorPagination, paginate

from alongside.accounts import selectors as accounts_selectors
from alongside.accounts.http import AuthedHttpRequest
from alongside.accounts.models import Role
from alongside.api.errors import ApiError
from alongside.safety import selectors, services
from alongside.safety.models import AlertStatus, ContactPreference

router = Router(tags=["safety"])


class ResourceOut(Schema):
    name: str
    summary: str = ""
    phone: str = ""
    sms: str = ""
    sms_body: str = ""
    url: str = ""
    hours: str = ""
    steps: list[str] = []


class EventOut(Schema):
    kind: str
    who: str = Field("", alias="actor_label")
    level: int
    note: str
    at: dt.datetime = Field(..., alias="created_at")


class AlertOut(Schema):
    id: int
    program_slug: str = Field(..., alias="program.slug")
    subject_handle: str | None = Field(None, alias="subject.handle")
    kind: str
    severity: int
    status: str
    escalation_level: int
    raised_at: dt.datetime
    acknowledged_at: dt.datetime | None
    resolved_at: dt.datetime | None
    message: str
    contact_preference: str


class AlertDetailOut(AlertOut):
    outcome_note: str
    reasons: list[dict]
    events: list[EventOut]

    @staticmethod
    def resolve_events(obj) -> list:
        return list(obj.events.all())


class HelpRequestIn(Schema):
    program_slug: str | None = Field(None, max_length=60, description="Defaults to your only member program")
    message: str = Field("", max_length=2000)
    contact_preference: ContactPreference | None = None


class HelpRequestOut(Schema):
    alert_id: int
    resources: list[ResourceOut]


class ResolveIn(Schema):
    outcome_note: str = Field(..., min_length=1, max_length=4000)


class NoteIn(Schema):
    note: str = Field("", max_length=4000)
    contacted: bool = False


class AlertFilters(Schema):
    program: str = Field(..., max_length=60, description="Program slug")
    status: AlertStatus | None = None


def crisis_lines(program) -> list[dict]:
    lines = selectors.crisis_resources_for(program, get_language() or "en")
    if lines is None:
        return [
            {
                "name": str(r.name),
                "summary": str(r.summary),
                "phone": r.call,
                "sms": r.text,
                "sms_body": r.text_body,
                "url": r.url,
                "hours": str(r.hours),
                "steps": [str(s) for s in r.steps],
            }
            for r in selectors.national_defaults()
        ]
    return [
        {
            "name": r.name,
            "summary": r.summary,
            "phone": r.phone,
            "sms": r.sms,
            "sms_body": r.sms_body,
            "url": r.url,
            "hours": r.hours,
            "steps": r.step_list,
        }
        for r in lines
    ]


@router.get(
    "/help-resources", auth=None, response=list[ResourceOut], summary="Crisis lines (a program's, or the national ones)"
)
def help_resources(request: HttpRequest, program: str | None = None):
    return crisis_lines(selectors.get_program_public(program) if program else None)


@router.post("/help-requests", response={201: HelpRequestOut}, summary="I need support now")
def help_request(request: AuthedHttpRequest, payload: HelpRequestIn):
    memberships = [m for m in accounts_selectors.memberships_of(request.user) if m.role == Role.MEMBER]
    if payload.program_slug:
        _program, membership = accounts_selectors.get_program_for(request.user, payload.program_slug)
        if membership.role != Role.MEMBER:
            raise PermissionDenied
    elif len(memberships) == 1:
        membership = memberships[0]
    else:
        raise ApiError(422, "program_required", "Say which program: send program_slug.", {"program_slug": "required"})
    alert = services.help_request_raise(member=request.user, program=membership.program)
    if payload.message or payload.contact_preference:
        preference = payload.contact_preference.value if payload.contact_preference else ""
        services.help_request_add_details(
            alert=alert, member=request.user, message=payload.message, contact_preference=preference
        )
    return Status(201, {"alert_id": alert.pk, "resources": crisis_lines(membership.program)})


@router.get("/me/alerts", response=list[AlertDetailOut], summary="My safety history")
@paginate(CursorPagination, ordering=("-raised_at", "-id"), page_size=20)
def my_alerts(request: AuthedHttpRequest):
    return selectors.my_alerts(request.user)


@router.get("/alerts", response=list[AlertOut], summary="Alerts in a program I may see")
@paginate(CursorPagination, ordering=("-raised_at", "-id"), page_size=50)
def alerts_list(request: AuthedHttpRequest, filters: Query[AlertFilters]):
    _program, membership = accounts_selectors.get_program_for(request.user, filters.program)
    alerts = selectors.alerts_visible_to(request.user, membership).select_related("program")
    if filters.status:
        alerts = alerts.filter(status=filters.status.value)
    return alerts


@router.get("/alerts/{alert_id}", response=AlertDetailOut, summary="One alert with its timeline")
def alert_get(request: AuthedHttpRequest, alert_id: int):
    alert, _membership = selectors.get_alert_anywhere_for(request.user, alert_id)
    services.alert_mark_seen(alert=alert, viewer=request.user)
    return alert


@router.post("/alerts/{alert_id}/acknowledge", response=AlertDetailOut, summary="Acknowledge: I'm on it")
def alert_acknowledge(request: AuthedHttpRequest, alert_id: int):
    alert, _membership = selectors.get_alert_anywhere_for(request.user, alert_id)
    return services.alert_acknowledge(alert=alert, actor=request.user)


@router.post("/alerts/{alert_id}/notes", response={201: EventOut}, summary="Add a note or record contact")
def alert_note(request: AuthedHttpRequest, alert_id: int, payload: NoteIn):
    alert, _membership = selectors.get_alert_anywhere_for(request.user, alert_id)
    event = services.alert_add_note(alert=alert, actor=request.user, note=payload.note, contacted=payload.contacted)
    return Status(201, event)


@router.post("/alerts/{alert_id}/resolve", response=AlertDetailOut, summary="Resolve with an outcome note")
def alert_resolve(request: AuthedHttpRequest, alert_id: int, payload: ResolveIn):
    alert, _membership = selectors.get_alert_anywhere_for(request.user, alert_id)
    return services.alert_resolve(alert=alert, actor=request.user, outcome_note=payload.outcome_note)
