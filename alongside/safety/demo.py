"""Safety-net demo content for the cast: a help page, an on-call shift and a past alert."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from alongside.accounts.models import Program, User
from alongside.safety import services
from alongside.safety.models import Alert, AlertKind, CrisisResource, OnCallShift, Severity


def seed_safety_demo(people: dict[str, User], harbor: Program) -> None:
    if not CrisisResource.objects.filter(program=harbor).exists():
        services.crisis_resources_reset(program=harbor)
        CrisisResource.objects.create(
            program=harbor,
            name="Harbor warmline",
            summary="Talk with a Harbor peer supporter, any evening.",
            phone="1-714-555-0142",
            hours="Every day, 5 pm to 11 pm Pacific.",
            order=5,
        )
    now = timezone.now()
    if not OnCallShift.objects.filter(program=harbor, ends_at__gt=now).exists():
        start = now.replace(minute=0, second=0, microsecond=0) - dt.timedelta(hours=1)
        services.on_call_shift_add(
            program=harbor,
            person=people["sam"],
            starts_at=start,
            ends_at=start + dt.timedelta(days=7),
            created_by=people["alex"],
        )
    if not Alert.objects.filter(subject=people["riley"]).exists():
        raised = now - dt.timedelta(days=6, hours=3)
        alert = services.alert_raise(
            program=harbor,
            subject=people["riley"],
            kind=AlertKind.HELP_REQUEST,
            severity=Severity.CRISIS,
            message="Rough night, cravings are loud. Could someone call me?",
            contact_preference="call",
            now=raised,
        )
        services.alert_acknowledge(alert=alert, actor=people["sam"], now=raised + dt.timedelta(minutes=6))
        services.alert_resolve(
            alert=alert,
            actor=people["sam"],
            outcome_note="Called Riley; talked through the plan, went to the 7 pm meeting together. Check-in call tomorrow.",
            now=raised + dt.timedelta(minutes=48),
        )
