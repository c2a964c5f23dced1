"""Groups, meetings (Meeting Guide shape), feeds and imports, following, attendance,
change requests and relocation plans."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import Program, User


class GroupKind(models.TextChoices):
    PEER_LED = "peer_led", _("Peer-led recovery group")
    FAMILY = "family", _("Family and friends group")
    SMART = "smart", _("SMART Recovery")
    TWELVE_STEP = "twelve_step", _("12-step")
    REFUGE = "refuge", _("Refuge / dharma recovery")
    SECULAR = "secular", _("Secular")
    OTHER = "other", _("Other")


class MeetingGroup(models.Model):
    """One of the program's own groups; it may hold several meetings."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="meeting_groups")
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind of group"), max_length=16, choices=GroupKind.choices)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GroupRole(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator")
    MEMBER = "member", _("Member")


class GroupMember(models.Model):
    group = models.ForeignKey(MeetingGroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="meeting_groups")
    role = models.CharField(max_length=12, choices=GroupRole.choices, default=GroupRole.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="group_member_once")]

    def __str__(self) -> str:
        return f"{self.user} in {self.group} ({self.role})"


class Attendance(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")
    INACTIVE = "inactive", _("Not meeting right now")


class FeedSource(models.Model):
    """An intergroup feed a program mirrors; re-imported on a schedule when it has a URL."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="feed_sources")
    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(_("feed URL"), max_length=500, blank=True)
    refresh_hours = models.PositiveSmallIntegerField(_("re-import every (hours, 0 = never)"), default=24)
    last_imported_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="feed_source_name_unique")]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    """A weekly meeting (or one by appointment when ``day`` is empty), in its own time zone.

    Fields follow the Meeting Guide spec so a program's feed round-trips.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="meetings")
    group = models.ForeignKey(MeetingGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings")
    source = models.ForeignKey(FeedSource, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings")
    slug = models.SlugField(max_length=200)
    name = models.CharField(_("name"), max_length=200)
    day = models.PositiveSmallIntegerField(_("day"), null=True, blank=True)  # 0 Sunday .. 6 Saturday
    start_time = models.TimeField(_("starts"), null=True, blank=True)
    end_time = models.TimeField(_("ends"), null=True, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64)
    types = models.JSONField(_("types"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    url = models.URLField(max_length=500, blank=True)
    group_name = models.CharField(max_length=200, blank=True)
    group_notes = models.TextField(blank=True)
    district = models.CharField(max_length=120, blank=True)
    region = models.CharField(max_length=120, blank=True)
    sub_region = models.CharField(max_length=120, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    location_notes = models.TextField(blank=True)
    formatted_address = models.CharField(_("address"), max_length=300, blank=True)
    address = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=120, blank=True)
    state = models.CharField(max_length=60, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=60, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    approximate = models.BooleanField(default=False)
    conference_url = models.URLField(_("online link"), max_length=500, blank=True)
    conference_url_notes = models.CharField(max_length=300, blank=True)
    conference_phone = models.CharField(_("dial-in phone"), max_length=100, blank=True)
    conference_phone_notes = models.CharField(max_length=300, blank=True)
    attendance_option = models.CharField(max_length=12, choices=Attendance.choices, default=Attendance.IN_PERSON)
    language = models.CharField(_("language"), max_length=8, default="en")
    # Minutes after local midnight (of the meeting's own zone), denormalised for the finder's
    # time window without per-row time arithmetic.
    start_minute = models.PositiveSmallIntegerField(null=True, blank=True)
    source_updated = models.DateTimeField(null=True, blank=True)
    # A digest of the imported fields: a re-import that changes nothing writes nothing.
    content_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day", "start_time", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "slug"], name="meeting_slug_per_program"),
            models.CheckConstraint(condition=Q(day__isnull=True) | Q(day__lte=6), name="meeting_day_0_6"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="meeting_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="meeting_longitude_range",
            ),
        ]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="meeting_position"),
            models.Index(fields=["day", "start_minute"], name="meeting_when"),
            models.Index(fields=["attendance_option", "day", "start_minute"], name="meeting_online_when"),
        ]

    def __str__(self) -> str:
        return self.name


class ImportStatus(models.TextChoices):
    RUNNING = "running", _("Importing")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Could not import")


class ImportRun(models.Model):
    """One import of a feed, with its progress (for the admin page's bar) and summary."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="meeting_imports")
    source = models.ForeignKey(FeedSource, on_delete=models.SET_NULL, null=True, blank=True, related_name="runs")
    label = models.CharField(max_length=200)
    started_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.RUNNING)
    dry_run = models.BooleanField(default=False)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    warnings = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"import {self.label} ({self.status})"

    @property
    def percent(self) -> int:
        return (
            100 if self.status != ImportStatus.RUNNING else (round(100 * self.done / self.total) if self.total else 0)
        )


class MeetingFollow(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="meeting_follows")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="follows")
    remind_minutes_before = models.PositiveSmallIntegerField(_("remind me (minutes before)"), null=True, blank=True)
    # A random token for the member's private calendar feed of followed meetings.
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "meeting"], name="follow_once")]

    def __str__(self) -> str:
        return f"{self.user} follows {self.meeting}"


class CalendarToken(models.Model):
    """The secret in a member's private calendar feed URL (stored hashed, like invitations)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="meeting_calendar_token")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"calendar token of {self.user}"


class MeetingReminderSent(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    occurrence = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "meeting", "occurrence"], name="meeting_reminder_once")]

    def __str__(self) -> str:
        return f"reminder {self.meeting} {self.occurrence} ({self.user})"


class AttendanceRecord(models.Model):
    """A member was at a meeting on a day: their own check-in, or the facilitator's roster."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="meeting_attendance")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    occurrence = models.DateField()
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurrence"]
        constraints = [
            models.UniqueConstraint(fields=["user", "meeting", "occurrence"], name="attendance_once_per_occurrence")
        ]
        indexes = [models.Index(fields=["user", "-occurrence"], name="attendance_user_recent")]

    def __str__(self) -> str:
        return f"{self.user} at {self.meeting} on {self.occurrence}"


class ChangeStatus(models.TextChoices):
    OPEN = "open", _("Waiting for review")
    APPLIED = "applied", _("Applied")
    DECLINED = "declined", _("Declined")


class ChangeRequest(models.Model):
    """Anyone may say a meeting's listing is wrong; a program admin reviews it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="change_requests")
    submitted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    contact = models.CharField(_("how to reach you (optional)"), max_length=200, blank=True)
    message = models.TextField(_("what should change"))
    status = models.CharField(max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.OPEN)
    reviewed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"change request for {self.meeting}"


class Relocation(models.Model):
    """A member's move to a new place, and the plan to rebuild their network there."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="relocations")
    program = models.ForeignKey(Program, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    place_label = models.CharField(_("where you are moving"), max_length=200)
    latitude = models.FloatField()
    longitude = models.FloatField()
    time_zone = models.CharField(max_length=64)
    move_on = models.DateField(_("around when"))
    checklist = models.JSONField(default=dict, blank=True)  # item key -> done (bool)
    handoff_consent = models.BooleanField(default=False)
    handoff_note = models.TextField(blank=True)
    handoff_written_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    new_peer = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} moving to {self.place_label}"
