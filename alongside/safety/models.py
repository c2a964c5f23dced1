"""Crisis resources, on-call shifts, alerts and their timelines."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import Program, User


class CrisisResource(models.Model):
    """One line of a program's Get help now page. Programs start from the US national lines."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="crisis_resources")
    name = models.CharField(_("name"), max_length=120)
    summary = models.CharField(_("what it is for"), max_length=300, blank=True)
    phone = models.CharField(_("phone to call"), max_length=40, blank=True)
    sms = models.CharField(_("number to text"), max_length=40, blank=True)
    sms_body = models.CharField(_("word to text"), max_length=40, blank=True, help_text=_("For example HOME."))
    url = models.URLField(_("website"), blank=True)
    hours = models.CharField(_("hours"), max_length=120, blank=True)
    steps = models.TextField(
        _("steps, one per line"), blank=True, help_text=_("For example what to do in an overdose.")
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=[("", _("All languages")), ("en", _("English")), ("es", _("Spanish"))],
        help_text=_("Show this line only to people reading in this language."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def sms_link(self) -> str:
        if not self.sms:
            return ""
        return f"sms:{self.sms}" + (f"?&body={self.sms_body}" if self.sms_body else "")

    @property
    def step_list(self) -> list[str]:
        return [line.strip() for line in self.steps.splitlines() if line.strip()]


class SafetySettings(models.Model):
    """How long an alert may wait for someone to acknowledge it before it escalates."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="safety_settings")
    crisis_window_minutes = models.PositiveIntegerField(_("crisis alerts escalate after (minutes)"), default=15)
    concern_window_minutes = models.PositiveIntegerField(_("concern alerts escalate after (minutes)"), default=24 * 60)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(crisis_window_minutes__gte=1, concern_window_minutes__gte=1), name="safety_windows_positive"
            )
        ]

    def __str__(self) -> str:
        return f"safety settings of {self.program}"


class OnCallShift(models.Model):
    """Someone in the program who answers alerts between two moments."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="on_call_shifts")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="on_call_shifts")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start")
        ]
        indexes = [models.Index(fields=["program", "starts_at", "ends_at"], name="shift_program_time")]

    def __str__(self) -> str:
        return f"{self.person} on call {self.starts_at:%Y-%m-%d %H:%M}"


class AlertKind(models.TextChoices):
    HELP_REQUEST = "help_request", _("Asked for support")
    CRISIS_TEXT = "crisis_text", _("Crisis words in something they wrote")
    CONCERN_TEXT = "concern_text", _("Worrying words in something they wrote")
    CHECKIN_RISK = "checkin_risk", _("Check-in risk")
    ASSESSMENT_RISK = "assessment_risk", _("An answer in an assessment")
    MISSED_CALLS = "missed_calls", _("Missed calls")


class Severity(models.IntegerChoices):
    CONCERN = 1, _("Concern")
    CRISIS = 2, _("Crisis")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Waiting for someone")
    ACKNOWLEDGED = "acknowledged", _("Someone is on it")
    RESOLVED = "resolved", _("Resolved")


class ContactPreference(models.TextChoices):
    CALL = "call", _("Call me")
    MESSAGE = "message", _("Message me")
    PEER_ONLY = "peer_only", _("Just let my peer know")


class Alert(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="alerts")
    subject = models.ForeignKey(User, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    severity = models.PositiveSmallIntegerField(choices=Severity.choices)
    status = models.CharField(max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    # What raised it: a label and a link, shown only to people who may see the alert.
    source_label = models.CharField(max_length=200, blank=True)
    source_url = models.CharField(max_length=300, blank=True)
    # The same source (a check-in, a post) never raises two alerts.
    source_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    message = models.TextField(blank=True)
    reasons = models.JSONField(default=list, blank=True)
    contact_preference = models.CharField(max_length=12, choices=ContactPreference.choices, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    raised_at = models.DateTimeField(default=timezone.now)
    next_escalation_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    outcome_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-severity", "raised_at"]
        indexes = [
            models.Index(fields=["program", "status", "-severity", "raised_at"], name="alert_queue"),
            models.Index(fields=["status", "next_escalation_at"], name="alert_escalation_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="resolved") | (Q(resolved_at__isnull=False) & ~Q(outcome_note="")),
                name="alert_resolved_has_outcome",
            )
        ]

    def __str__(self) -> str:
        return f"alert {self.pk} ({self.kind}) for {self.subject}"

    @property
    def is_crisis(self) -> bool:
        return self.severity == Severity.CRISIS


class EventKind(models.TextChoices):
    RAISED = "raised", _("Raised")
    NOTIFIED = "notified", _("Notified")
    SEEN = "seen", _("Seen")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CONTACTED = "contacted", _("Contacted the person")
    NOTE = "note", _("Note")
    ESCALATED = "escalated", _("Escalated")
    RESOLVED = "resolved", _("Resolved")
    UPDATED = "updated", _("Details added by the person")


class AlertEvent(models.Model):
    """One step on an alert's timeline. ``actor`` is empty for steps the system took."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    actor_label = models.CharField(max_length=60, blank=True)
    level = models.PositiveSmallIntegerField(default=0)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # A retried escalation task cannot escalate the same level twice.
            models.UniqueConstraint(
                fields=["alert", "level"], condition=Q(kind="escalated"), name="alert_escalates_once_per_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} on alert {self.alert_id}"


class RecipientReason(models.TextChoices):
    PEER = "peer", _("Their peer supporter")
    ON_CALL = "on_call", _("On call")
    SUPERVISOR = "supervisor", _("Supervisor (escalation)")


class AlertRecipient(models.Model):
    """Who was told about an alert, and why. Being told is what lets an on-call peer see it."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="alert_notices")
    reason = models.CharField(max_length=12, choices=RecipientReason.choices)
    level = models.PositiveSmallIntegerField(default=0)
    notified_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)

    REASON_ORDER: ClassVar[list[str]] = ["peer", "on_call", "supervisor"]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "person"], name="alert_recipient_once")]

    def __str__(self) -> str:
        return f"{self.person} told of alert {self.alert_id}"
