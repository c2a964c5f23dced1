"""Every read of the safety net a person sees, scoped to the viewer and audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from alongside.accounts import selectors as accounts_selectors
from alongside.accounts import services as accounts_services
from alongside.accounts.models import STAFF_ROLES, CareRelation, CareTeamLink, Membership, Program, Role, User
from alongside.safety.crisis_resources import NATIONAL_DEFAULTS
from alongside.safety.crisis_resources import CrisisResource as DefaultResource
from alongside.safety.models import Alert, AlertStatus, CrisisResource, OnCallShift

# --- help now -------------------------------------------------------------------------


def crisis_resources_for(program: Program | None, language: str) -> list[CrisisResource] | None:
    """The program's lines for this language, or None to show the national defaults."""
    if program is None:
        return None
    lines = list(CrisisResource.objects.filter(program=program).filter(Q(language="") | Q(language=language)))
    return lines or None


def national_defaults() -> list[DefaultResource]:
    return NATIONAL_DEFAULTS


def get_program_public(slug: str) -> Program:
    program = Program.objects.filter(slug=slug).first()
    if program is None:
        raise Http404
    return program


def require_safety_admin(viewer: User, membership: Membership) -> None:
    """The program's admin, with two-factor sign-in: who may change help lines and windows."""
    accounts_selectors.require_role(membership, Role.ADMIN)
    accounts_selectors.require_member_data_access(viewer, membership)


def crisis_resources_for_admin(viewer: User, membership: Membership) -> QuerySet[CrisisResource]:
    require_safety_admin(viewer, membership)
    return CrisisResource.objects.filter(program=membership.program)


def get_crisis_resource_for_admin(viewer: User, membership: Membership, resource_id: int) -> CrisisResource:
    resource = CrisisResource.objects.filter(program=membership.program, pk=resource_id).first()
    if resource is None:
        raise Http404
    require_safety_admin(viewer, membership)
    return resource


# --- on call ----------------------------------------------------------------------------


def on_call_shifts_for_admin(viewer: User, membership: Membership) -> QuerySet[OnCallShift]:
    require_safety_admin(viewer, membership)
    return OnCallShift.objects.filter(program=membership.program, ends_at__gt=timezone.now()).select_related("person")


def get_on_call_shift_for_admin(viewer: User, membership: Membership, shift_id: int) -> OnCallShift:
    shift = OnCallShift.objects.filter(program=membership.program, pk=shift_id).first()
    if shift is None:
        raise Http404
    require_safety_admin(viewer, membership)
    return shift


def on_call_candidates(program: Program) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(program=program, role__in=STAFF_ROLES).select_related("user").order_by("user__handle")
    )


# --- alerts ------------------------------------------------------------------------------


def alerts_visible_to(viewer: User, membership: Membership) -> QuerySet[Alert]:
    """Supervisors and admins see all of the program's alerts; a peer sees the alerts of the
    members they walk with and any alert they were told about (on call)."""
    accounts_selectors.require_role(membership, Role.ADMIN, Role.SUPERVISOR, Role.PEER)
    accounts_selectors.require_member_data_access(viewer, membership)
    alerts = Alert.objects.filter(program=membership.program).select_related("subject", "acknowledged_by")
    if membership.role == Role.PEER:
        walked_with = CareTeamLink.objects.filter(
            program=membership.program, supporter=viewer, relation=CareRelation.PEER, ended_at__isnull=True
        ).values("member_id")
        alerts = alerts.filter(Q(subject_id__in=walked_with) | Q(recipients__person=viewer)).distinct()
    return alerts


def alert_queue_for(viewer: User, membership: Membership) -> QuerySet[Alert]:
    """Unresolved alerts: waiting ones first, then by severity, then oldest first."""
    waiting_first = Case(When(status=AlertStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        alerts_visible_to(viewer, membership)
        .exclude(status=AlertStatus.RESOLVED)
        .annotate(waiting_first=waiting_first)
        .order_by("waiting_first", "-severity", "raised_at")
    )


def recently_resolved_for(viewer: User, membership: Membership, limit: int = 20) -> QuerySet[Alert]:
    return alerts_visible_to(viewer, membership).filter(status=AlertStatus.RESOLVED).order_by("-resolved_at")[:limit]


def get_alert_for(viewer: User, membership: Membership, alert_id: int) -> Alert:
    """One alert with its timeline, for staff. 404 outside the program, 403 otherwise; audited."""
    if not Alert.objects.filter(program=membership.program, pk=alert_id).exists():
        raise Http404
    alert = (
        alerts_visible_to(viewer, membership)
        .filter(pk=alert_id)
        .prefetch_related("events", "recipients__person")
        .first()
    )
    if alert is None:
        raise PermissionDenied
    accounts_services.audit_record(
        actor=viewer, subject=alert.subject, program=membership.program, action="viewed_alert", detail=f"#{alert.pk}"
    )
    return alert


def safety_history_for(viewer: User, membership: Membership, member_id: int) -> tuple[Membership, QuerySet[Alert]]:
    """A member's alerts, for staff who may open that member's records. Audited."""
    target = accounts_selectors.require_can_open_member(viewer, membership, member_id)
    if target.user_id != viewer.pk:
        accounts_services.audit_record(
            actor=viewer, subject=target.user, program=membership.program, action="viewed_safety_history"
        )
    alerts = (
        Alert.objects.filter(program=membership.program, subject_id=member_id)
        .select_related("acknowledged_by", "resolved_by")
        .prefetch_related("events")
        .order_by("-raised_at")
    )
    return target, alerts


def my_alerts(member: User) -> QuerySet[Alert]:
    """A member's own safety history, across their programs."""
    return (
        Alert.objects.filter(subject=member)
        .select_related("program", "acknowledged_by", "resolved_by")
        .prefetch_related("events")
        .order_by("-raised_at")
    )


def get_my_alert(member: User, alert_id: int) -> Alert:
    alert = Alert.objects.filter(subject=member, pk=alert_id).select_related("program").first()
    if alert is None:
        raise Http404
    return alert


def waiting_alert_count(viewer: User, membership: Membership | None) -> int:
    """For the header badge: unresolved alerts this person may see in their current program."""
    if membership is None or membership.role not in STAFF_ROLES:
        return 0
    if not accounts_selectors.user_has_two_factor(viewer):
        return 0
    return alert_queue_for(viewer, membership).filter(status=AlertStatus.OPEN).count()


def get_alert_anywhere_for(viewer: User, alert_id: int) -> tuple[Alert, Membership]:
    """An alert by id alone (the API): 404 unless it belongs to one of the viewer's programs."""
    program_id = Alert.objects.filter(pk=alert_id).values_list("program_id", flat=True).first()
    membership = (
        Membership.objects.filter(user=viewer, program_id=program_id).select_related("program").first()
        if program_id
        else None
    )
    if membership is None:
        raise Http404
    return get_alert_for(viewer, membership, alert_id), membership
