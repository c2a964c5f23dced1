"""Every write of the safety net. ``alert_raise`` is the only way an alert comes to be."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alongside.accounts import services as accounts_services
from alongside.accounts.models import CareRelation, CareTeamLink, Membership, Program, Role, User
from alongside.safety.crisis_resources import NATIONAL_DEFAULTS
from alongside.safety.models import (
    Alert,
    AlertEvent,
    AlertKind,
    AlertRecipient,
    AlertStatus,
    ContactPreference,
    CrisisResource,
    EventKind,
    OnCallShift,
    RecipientReason,
    SafetySettings,
    Severity,
)
from alongside.safety.screening import Level, Screening, screen

logger = logging.getLogger(__name__)

#: How many times an unacknowledged alert escalates (to supervisors, then again to
#: supervisors and admins) before it only waits; it never resolves on its own.
MAX_ESCALATIONS = 3

#: Pressing I need support now again within this time returns the open request.
HELP_REQUEST_REPEAT_WINDOW = dt.timedelta(minutes=30)


# --- settings and resources -------------------------------------------------------------


def safety_settings_for(program: Program) -> SafetySettings:
    found, _created = SafetySettings.objects.get_or_create(program=program)
    return found


def safety_settings_update(
    *, program: Program, crisis_window_minutes: int, concern_window_minutes: int
) -> SafetySettings:
    found = safety_settings_for(program)
    found.crisis_window_minutes = crisis_window_minutes
    found.concern_window_minutes = concern_window_minutes
    found.full_clean()
    found.save(update_fields=["crisis_window_minutes", "concern_window_minutes"])
    return found


def crisis_resources_reset(*, program: Program) -> list[CrisisResource]:
    """Replace the program's lines with the US national defaults, in English (Spanish
    readers see the same lines translated, because the defaults have no language)."""
    with transaction.atomic():
        CrisisResource.objects.filter(program=program).delete()
        created = [
            CrisisResource(
                program=program,
                name=str(default.name),
                summary=str(default.summary),
                phone=default.call,
                sms=default.text,
                sms_body=default.text_body,
                url=default.url,
                hours=str(default.hours),
                steps="\n".join(str(step) for step in default.steps),
                order=(index + 1) * 10,
            )
            for index, default in enumerate(NATIONAL_DEFAULTS)
        ]
        return CrisisResource.objects.bulk_create(created)


def crisis_resource_save(*, resource: CrisisResource) -> CrisisResource:
    resource.full_clean()
    resource.save()
    return resource


def crisis_resource_delete(*, resource: CrisisResource) -> None:
    resource.delete()


# --- on-call roster ---------------------------------------------------------------------


def on_call_shift_add(
    *, program: Program, person: User, starts_at: dt.datetime, ends_at: dt.datetime, created_by: User
) -> OnCallShift:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The shift must end after it starts.")})
    role = Membership.objects.filter(program=program, user=person).values_list("role", flat=True).first()
    if role not in {Role.PEER, Role.SUPERVISOR, Role.ADMIN}:
        raise ValidationError({"person": _("Only peers, supervisors and admins of this program can be on call.")})
    return OnCallShift.objects.create(
        program=program, person=person, starts_at=starts_at, ends_at=ends_at, created_by=created_by
    )


def on_call_shift_delete(*, shift: OnCallShift) -> None:
    shift.delete()


# --- alerts -----------------------------------------------------------------------------


def _window(program: Program, severity: int) -> dt.timedelta:
    found = safety_settings_for(program)
    minutes = found.crisis_window_minutes if severity == Severity.CRISIS else found.concern_window_minutes
    return dt.timedelta(minutes=minutes)


def _label(user: User | None) -> str:
    return user.display_name[:60] if user else ""


def _event(
    alert: Alert, kind: str, *, actor: User | None = None, note: str = "", level: int = 0, at=None
) -> AlertEvent:
    return AlertEvent.objects.create(
        alert=alert,
        kind=kind,
        actor=actor,
        actor_label=_label(actor),
        note=note,
        level=level,
        created_at=at or timezone.now(),
    )


def _first_responders(alert: Alert, now: dt.datetime) -> list[tuple[User, RecipientReason]]:
    peers = [
        (link.supporter, RecipientReason.PEER)
        for link in CareTeamLink.objects.filter(
            program=alert.program, member=alert.subject, relation=CareRelation.PEER, ended_at__isnull=True
        ).select_related("supporter")
    ]
    on_call = [
        (shift.person, RecipientReason.ON_CALL)
        for shift in OnCallShift.objects.filter(
            program=alert.program, starts_at__lte=now, ends_at__gt=now
        ).select_related("person")
    ]
    return peers + on_call


def _escalation_targets(alert: Alert, level: int) -> list[tuple[User, RecipientReason]]:
    roles = [Role.SUPERVISOR] if level == 1 else [Role.SUPERVISOR, Role.ADMIN]
    people = Membership.objects.filter(program=alert.program, role__in=roles).select_related("user")
    return [(m.user, RecipientReason.SUPERVISOR) for m in people]


def _notify(alert: Alert, people: list[tuple[User, RecipientReason]], *, level: int, now: dt.datetime) -> list[User]:
    """Tell each person once per alert in-app (an ``AlertRecipient``) and by email after commit."""
    told: list[User] = []
    already = set(AlertRecipient.objects.filter(alert=alert).values_list("person_id", flat=True))
    for person, reason in people:
        if person.pk == alert.subject_id or person.pk in already:
            continue
        already.add(person.pk)
        AlertRecipient.objects.create(alert=alert, person=person, reason=reason, level=level, notified_at=now)
        told.append(person)
        _queue_alert_email(alert, person, level)
    if told:
        _event(
            alert,
            EventKind.NOTIFIED,
            note=", ".join(p.display_name for p in told),
            level=level,
            at=now,
        )
    return told


def _queue_alert_email(alert: Alert, person: User, level: int) -> None:
    link = settings.SITE_URL + reverse("alert_detail", args=[alert.program.slug, alert.pk])
    with translation.override(person.preferred_language or alert.program.default_language):
        severity = str(Severity(alert.severity).label)
        if level:
            subject = _("Escalated %(severity)s alert: nobody has acknowledged it yet") % {"severity": severity}
        else:
            subject = _("%(severity)s alert in %(program)s") % {"severity": severity, "program": alert.program.name}
        # The email names no member and quotes nothing they wrote: mail is not a safe
        # place for it. The link leads to the alert behind sign-in and two-factor.
        body = render_to_string(
            "safety/email/alert.txt",
            {"alert": alert, "severity": severity, "link": link, "level": level, "kind": AlertKind(alert.kind).label},
        )
    accounts_services.email_queue(
        to=person.email, subject=subject, body_text=body, key=f"alert:{alert.pk}:{person.pk}:{level}"
    )


def _schedule_escalation_check(alert: Alert) -> None:
    from django_tasks import default_task_backend

    from alongside.safety.tasks import escalate_alert

    if alert.next_escalation_at is None or not default_task_backend.supports_defer:
        return  # the sweep (alongside escalate_alerts) still finds it
    when = alert.next_escalation_at
    transaction.on_commit(lambda: escalate_alert.using(run_after=when).enqueue(alert.pk))


def alert_raise(
    *,
    program: Program,
    subject: User,
    kind: str,
    severity: int,
    source_label: str = "",
    source_url: str = "",
    source_key: str | None = None,
    message: str = "",
    reasons: list[dict] | None = None,
    contact_preference: str = "",
    now: dt.datetime | None = None,
) -> Alert:
    """Raise an alert about a member and tell the people who walk with them at once.

    Idempotent per ``source_key``: raising again for the same check-in, post or message
    returns the existing alert.
    """
    if kind not in AlertKind.values:
        raise ValueError(f"unknown alert kind {kind!r}")
    if severity not in Severity.values:
        raise ValueError(f"unknown severity {severity!r}")
    now = now or timezone.now()
    if source_key:
        existing = Alert.objects.filter(source_key=source_key).first()
        if existing:
            return existing
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                program=program,
                subject=subject,
                kind=kind,
                severity=severity,
                source_label=source_label[:200],
                source_url=source_url[:300],
                source_key=source_key,
                message=message[:2000],
                reasons=reasons or [],
                contact_preference=contact_preference,
                raised_at=now,
                next_escalation_at=now + _window(program, severity),
            )
            _event(alert, EventKind.RAISED, actor=subject if kind == AlertKind.HELP_REQUEST else None, at=now)
            _notify(alert, _first_responders(alert, now), level=0, now=now)
            _schedule_escalation_check(alert)
    except IntegrityError:
        # Two writers raced on the same source; the other one's alert stands.
        return Alert.objects.get(source_key=source_key)
    logger.info("alert %s raised (%s, severity %s) in program %s", alert.pk, kind, severity, program.slug)
    return alert


def help_request_raise(*, member: User, program: Program, now: dt.datetime | None = None) -> Alert:
    """The member pressed I need support now: one tap, one crisis-level alert."""
    if not Membership.objects.filter(user=member, program=program, role=Role.MEMBER).exists():
        raise PermissionDenied
    now = now or timezone.now()
    # A person in distress may tap again and again; the team needs one alert, not ten.
    recent = Alert.objects.filter(
        program=program,
        subject=member,
        kind=AlertKind.HELP_REQUEST,
        status=AlertStatus.OPEN,
        raised_at__gte=now - HELP_REQUEST_REPEAT_WINDOW,
    ).first()
    if recent is not None:
        return recent
    return alert_raise(program=program, subject=member, kind=AlertKind.HELP_REQUEST, severity=Severity.CRISIS, now=now)


def help_request_add_details(*, alert: Alert, member: User, message: str, contact_preference: str) -> Alert:
    if alert.subject_id != member.pk or alert.kind != AlertKind.HELP_REQUEST:
        raise PermissionDenied
    if contact_preference and contact_preference not in ContactPreference.values:
        raise ValidationError({"contact_preference": _("Choose one of the options.")})
    with transaction.atomic():
        alert.message = message.strip()[:2000]
        alert.contact_preference = contact_preference
        # The request is already crisis-level; screening only tells staff why to hurry.
        alert.reasons = screen(alert.message, member.preferred_language).as_dict()["reasons"] if alert.message else []
        alert.save(update_fields=["message", "contact_preference", "reasons"])
        note = str(ContactPreference(contact_preference).label) if contact_preference else ""
        _event(alert, EventKind.UPDATED, actor=member, note=note)
    return alert


def text_screen_and_alert(
    *,
    program: Program,
    writer: User,
    text: str,
    source_key: str,
    source_label: str = "",
    source_url: str = "",
    language: str | None = None,
) -> tuple[Screening, Alert | None]:
    """Screen something a member wrote and, when it worries, raise an alert for a human.

    Returns the screening so the caller can show the writer the crisis lines at once for a
    crisis result. The text itself is never changed, hidden or blocked here. Only members
    are screened into alerts: staff and allies are not the people the safety net watches.
    """
    language = language or writer.preferred_language or "en"
    result = screen(text, language)
    if settings.SCREENING_SEMANTIC:
        from alongside.safety import semantic

        level, added = semantic.second_look(text, language, result.level)
        if added:
            result = Screening(level, result.reasons + added)
    if result.level == Level.NONE:
        return result, None
    if not Membership.objects.filter(user=writer, program=program, role=Role.MEMBER).exists():
        return result, None
    crisis = result.level == Level.CRISIS
    alert = alert_raise(
        program=program,
        subject=writer,
        kind=AlertKind.CRISIS_TEXT if crisis else AlertKind.CONCERN_TEXT,
        severity=Severity.CRISIS if crisis else Severity.CONCERN,
        source_key=source_key,
        source_label=source_label,
        source_url=source_url,
        reasons=result.as_dict()["reasons"],
    )
    return result, alert


def alert_mark_seen(*, alert: Alert, viewer: User) -> None:
    """The first time each recipient opens the alert goes on the timeline."""
    updated = AlertRecipient.objects.filter(alert=alert, person=viewer, seen_at__isnull=True).update(
        seen_at=timezone.now()
    )
    if updated:
        _event(alert, EventKind.SEEN, actor=viewer)


def alert_acknowledge(*, alert: Alert, actor: User, now: dt.datetime | None = None) -> Alert:
    now = now or timezone.now()
    with transaction.atomic():
        locked = Alert.objects.select_for_update().get(pk=alert.pk)
        if locked.status != AlertStatus.OPEN:
            return locked
        locked.status = AlertStatus.ACKNOWLEDGED
        locked.acknowledged_at = now
        locked.acknowledged_by = actor
        locked.next_escalation_at = None
        locked.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "next_escalation_at"])
        _event(locked, EventKind.ACKNOWLEDGED, actor=actor, at=now)
    return locked


def alert_add_note(*, alert: Alert, actor: User, note: str, contacted: bool = False) -> AlertEvent:
    note = note.strip()
    if not note and not contacted:
        raise ValidationError({"note": _("Write a note.")})
    if contacted and alert.status == AlertStatus.OPEN:
        alert_acknowledge(alert=alert, actor=actor)
    return _event(alert, EventKind.CONTACTED if contacted else EventKind.NOTE, actor=actor, note=note[:4000])


def alert_resolve(*, alert: Alert, actor: User, outcome_note: str, now: dt.datetime | None = None) -> Alert:
    outcome_note = outcome_note.strip()
    if not outcome_note:
        raise ValidationError(
            {
                "outcome_note": _(
                    "Say what happened, so the next person knows (for example: talked by phone, safe with family)."
                )
            }
        )
    now = now or timezone.now()
    with transaction.atomic():
        locked = Alert.objects.select_for_update().get(pk=alert.pk)
        if locked.status == AlertStatus.RESOLVED:
            return locked
        if locked.acknowledged_at is None:
            locked.acknowledged_at = now
            locked.acknowledged_by = actor
            _event(locked, EventKind.ACKNOWLEDGED, actor=actor, at=now)
        locked.status = AlertStatus.RESOLVED
        locked.resolved_at = now
        locked.resolved_by = actor
        locked.outcome_note = outcome_note[:4000]
        locked.next_escalation_at = None
        locked.save(
            update_fields=[
                "status",
                "acknowledged_at",
                "acknowledged_by",
                "resolved_at",
                "resolved_by",
                "outcome_note",
                "next_escalation_at",
            ]
        )
        _event(locked, EventKind.RESOLVED, actor=actor, note=locked.outcome_note, at=now)
    return locked


def alert_escalate_if_due(*, alert_id: int, now: dt.datetime | None = None) -> bool:
    """Escalate one alert if it is still waiting past its window. Safe to run twice."""
    now = now or timezone.now()
    with transaction.atomic():
        alert = Alert.objects.select_for_update().select_related("program", "subject").filter(pk=alert_id).first()
        if (
            alert is None
            or alert.status != AlertStatus.OPEN
            or alert.next_escalation_at is None
            or alert.next_escalation_at > now
        ):
            return False
        level = alert.escalation_level + 1
        try:
            with transaction.atomic():
                _event(alert, EventKind.ESCALATED, level=level, at=now, note=_("Nobody acknowledged it in time."))
        except IntegrityError:
            return False
        alert.escalation_level = level
        alert.next_escalation_at = now + _window(alert.program, alert.severity) if level < MAX_ESCALATIONS else None
        alert.save(update_fields=["escalation_level", "next_escalation_at"])
        targets = _escalation_targets(alert, level)
        # Re-escalation reminds everyone already told, by email, that it is still waiting.
        for recipient in AlertRecipient.objects.filter(alert=alert).select_related("person"):
            _queue_alert_email(alert, recipient.person, level)
        _notify(alert, targets, level=level, now=now)
        _schedule_escalation_check(alert)
    logger.warning("alert %s escalated to level %s", alert_id, level)
    return True


def alerts_escalate_due(*, now: dt.datetime | None = None) -> int:
    """Escalate every alert past its window (the sweep, for cron and as a safety net)."""
    now = now or timezone.now()
    due = Alert.objects.filter(status=AlertStatus.OPEN, next_escalation_at__lte=now).values_list("pk", flat=True)
    return sum(alert_escalate_if_due(alert_id=pk, now=now) for pk in list(due))
