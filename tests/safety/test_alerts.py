"""Alerts: who is told, when they escalate, and that nothing resolves on its own.

Escalation takes an explicit ``now``, so these tests control the clock.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from alongside.accounts.models import AuditEvent, Role
from alongside.accounts.services import membership_add
from alongside.safety import selectors, services
from alongside.safety.models import Alert, AlertEvent, AlertKind, AlertRecipient, AlertStatus, OnCallShift, Severity


@pytest.fixture
def t0():
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def raise_help(cast, django_capture_on_commit_callbacks):
    def make(now=None) -> Alert:
        with django_capture_on_commit_callbacks(execute=True):
            return services.help_request_raise(member=cast.riley, program=cast.harbor, now=now)

    return make


def _kinds(alert: Alert) -> list[str]:
    return list(alert.events.values_list("kind", flat=True))


def test_help_request_tells_the_peer_and_whoever_is_on_call_at_once(cast, raise_help, django_user_model, t0):
    OnCallShift.objects.all().delete()
    quinn_like = django_user_model.objects.create_user(email="oncall@example.org", password="x", handle="on_call_kim")
    membership_add(user=quinn_like, program=cast.harbor, role=Role.PEER)
    services.on_call_shift_add(
        program=cast.harbor,
        person=quinn_like,
        starts_at=t0 - dt.timedelta(hours=1),
        ends_at=t0 + dt.timedelta(hours=1),
        created_by=cast.alex,
    )
    mail.outbox.clear()
    alert = raise_help(now=t0)
    told = dict(AlertRecipient.objects.filter(alert=alert).values_list("person__handle", "reason"))
    assert told == {"sam": "peer", "on_call_kim": "on_call"}
    assert sorted(m.to[0] for m in mail.outbox) == ["oncall@example.org", "sam@example.org"]
    assert _kinds(alert) == ["raised", "notified"]
    assert alert.severity == Severity.CRISIS
    assert alert.next_escalation_at == t0 + dt.timedelta(minutes=15)


def test_alert_email_names_nobody_and_quotes_nothing(cast, raise_help):
    alert = raise_help()
    services.help_request_add_details(
        alert=alert, member=cast.riley, message="I want to use tonight", contact_preference="call"
    )
    body = mail.outbox[-1].body
    assert "riley" not in body.lower()
    assert "use tonight" not in body
    assert f"/p/harbor/alerts/{alert.pk}/" in body


def test_same_source_never_raises_twice(cast):
    first = services.alert_raise(
        program=cast.harbor,
        subject=cast.riley,
        kind=AlertKind.CRISIS_TEXT,
        severity=Severity.CRISIS,
        source_key="post:1",
    )
    second = services.alert_raise(
        program=cast.harbor,
        subject=cast.riley,
        kind=AlertKind.CRISIS_TEXT,
        severity=Severity.CRISIS,
        source_key="post:1",
    )
    assert first.pk == second.pk


def test_unacknowledged_crisis_escalates_to_supervisors_after_the_window(
    cast, raise_help, t0, django_capture_on_commit_callbacks
):
    alert = raise_help(now=t0)
    assert services.alerts_escalate_due(now=t0 + dt.timedelta(minutes=14)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.alerts_escalate_due(now=t0 + dt.timedelta(minutes=15)) == 1
    alert.refresh_from_db()
    assert alert.escalation_level == 1
    assert alert.status == AlertStatus.OPEN
    told = dict(AlertRecipient.objects.filter(alert=alert).values_list("person__handle", "reason"))
    assert told["dana"] == "supervisor"
    assert "alex" not in told  # admins join at the second escalation
    assert _kinds(alert)[-2:] == ["escalated", "notified"]


def test_escalation_runs_once_however_often_the_task_runs(cast, raise_help, t0):
    alert = raise_help(now=t0)
    later = t0 + dt.timedelta(minutes=16)
    assert services.alert_escalate_if_due(alert_id=alert.pk, now=later) is True
    assert services.alert_escalate_if_due(alert_id=alert.pk, now=later) is False
    assert AlertEvent.objects.filter(alert=alert, kind="escalated").count() == 1


def test_still_waiting_escalates_again_then_only_waits(cast, raise_help, t0):
    alert = raise_help(now=t0)
    for minutes in (15, 30, 45, 60, 600):
        services.alerts_escalate_due(now=t0 + dt.timedelta(minutes=minutes))
    alert.refresh_from_db()
    assert alert.escalation_level == services.MAX_ESCALATIONS
    assert alert.next_escalation_at is None
    assert alert.status == AlertStatus.OPEN  # never resolved on its own
    told = set(AlertRecipient.objects.filter(alert=alert).values_list("person__handle", flat=True))
    assert {"dana", "alex"} <= told


def test_acknowledged_alert_does_not_escalate(cast, raise_help, t0):
    alert = raise_help(now=t0)
    services.alert_acknowledge(alert=alert, actor=cast.sam, now=t0 + dt.timedelta(minutes=3))
    assert services.alerts_escalate_due(now=t0 + dt.timedelta(hours=3)) == 0
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED
    assert alert.acknowledged_by == cast.sam


def test_concern_waits_a_day_by_default(cast, t0):
    alert = services.alert_raise(
        program=cast.harbor, subject=cast.riley, kind=AlertKind.CONCERN_TEXT, severity=Severity.CONCERN, now=t0
    )
    assert alert.next_escalation_at == t0 + dt.timedelta(hours=24)


def test_program_sets_its_own_window(cast, t0):
    services.safety_settings_update(program=cast.harbor, crisis_window_minutes=5, concern_window_minutes=60)
    alert = services.alert_raise(
        program=cast.harbor, subject=cast.riley, kind=AlertKind.HELP_REQUEST, severity=Severity.CRISIS, now=t0
    )
    assert alert.next_escalation_at == t0 + dt.timedelta(minutes=5)


def test_resolving_needs_an_outcome_note(cast, raise_help):
    alert = raise_help()
    with pytest.raises(ValidationError):
        services.alert_resolve(alert=alert, actor=cast.dana, outcome_note="  ")
    resolved = services.alert_resolve(alert=alert, actor=cast.dana, outcome_note="Talked; safe with family.")
    assert resolved.status == AlertStatus.RESOLVED
    assert _kinds(resolved)[-2:] == ["acknowledged", "resolved"]


def test_sweep_command_escalates_what_is_due(cast, raise_help, t0, capsys):
    raise_help(now=t0 - dt.timedelta(minutes=20))
    call_command("escalate_alerts")
    assert "escalated 1 alert(s)" in capsys.readouterr().out


def test_peer_on_call_sees_an_alert_about_someone_they_do_not_walk_with(cast, django_user_model, t0):
    other = django_user_model.objects.create_user(email="o@example.org", password="x", handle="other_member")
    membership_add(user=other, program=cast.harbor, role=Role.MEMBER)
    sam_membership = cast.sam.memberships.get(program=cast.harbor)
    OnCallShift.objects.all().delete()
    alert = services.alert_raise(program=cast.harbor, subject=other, kind="help_request", severity=2, now=t0)
    assert not selectors.alerts_visible_to(cast.sam, sam_membership).filter(pk=alert.pk).exists()
    services.on_call_shift_add(
        program=cast.harbor, person=cast.sam, starts_at=t0, ends_at=t0 + dt.timedelta(hours=2), created_by=cast.alex
    )
    later = services.alert_raise(
        program=cast.harbor, subject=other, kind="help_request", severity=2, now=t0 + dt.timedelta(minutes=1)
    )
    assert selectors.alerts_visible_to(cast.sam, sam_membership).filter(pk=later.pk).exists()


def test_queue_puts_waiting_crisis_first_and_oldest_first(cast, t0):
    Alert.objects.all().delete()
    concern = services.alert_raise(
        program=cast.harbor, subject=cast.riley, kind="concern_text", severity=1, now=t0 - dt.timedelta(hours=2)
    )
    old_crisis = services.alert_raise(
        program=cast.harbor, subject=cast.riley, kind="help_request", severity=2, now=t0 - dt.timedelta(hours=1)
    )
    new_crisis = services.alert_raise(program=cast.harbor, subject=cast.riley, kind="help_request", severity=2, now=t0)
    services.alert_acknowledge(alert=old_crisis, actor=cast.sam)
    queue = list(selectors.alert_queue_for(cast.dana, cast.dana.memberships.get()))
    assert queue == [new_crisis, concern, old_crisis]


def test_opening_an_alert_is_audited_and_marked_seen(cast, raise_help, client_as):
    alert = raise_help()
    response = client_as("sam").get(f"/p/harbor/alerts/{alert.pk}/")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(subject=cast.riley, actor=cast.sam, action="viewed_alert").exists()
    assert "seen" in _kinds(alert)
    assert "Opened an alert about you" in client_as("riley").get("/privacy/").content.decode()


def test_alert_queue_refreshes_as_a_fragment_for_htmx(cast, raise_help, client_as):
    raise_help()
    response = client_as("dana").get("/p/harbor/alerts/", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="alert-queue"')
    assert "riley" in body
    assert "<html" not in body


def test_tapping_support_again_soon_keeps_one_alert(cast, raise_help, t0):
    first = raise_help(now=t0)
    again = raise_help(now=t0 + dt.timedelta(minutes=2))
    assert again.pk == first.pk
    services.alert_acknowledge(alert=first, actor=cast.sam, now=t0 + dt.timedelta(minutes=3))
    # Once someone is on it, a new tap is a new call for help.
    later = raise_help(now=t0 + dt.timedelta(minutes=4))
    assert later.pk != first.pk
