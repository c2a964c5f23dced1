"""A member's recovery journey: profile, sobriety clocks, check-ins, goals, plan,
assessments and private journal.

Everything here belongs to the person, not to a program: a member who belongs to two
programs keeps one set of clocks and one check-in a day. Who else may read it is decided
by ``selectors.py`` (same program, role, care team and the member's consent).
"""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import Program, User

# Offered as chips; members may add their own words too.
COMMON_SUBSTANCES = (
    ("alcohol", _("Alcohol")),
    ("opioids", _("Opioids")),
    ("stimulants", _("Stimulants")),
    ("cannabis", _("Cannabis")),
    ("benzodiazepines", _("Benzodiazepines")),
    ("nicotine", _("Nicotine")),
    ("gambling", _("Gambling")),
    ("other", _("Something else")),
)


# Ideas for the plan a member can add with one tap; their own words always come first.
STARTER_COPING = (
    _("Call someone on my list"),
    _("Wait 20 minutes and let the craving pass (urge surfing)"),
    _("Go for a walk or move my body"),
    _("Go to a meeting, in person or online"),
    _("Eat something and drink water"),
    _("Breathe slowly: in for 4, hold for 4, out for 6"),
    _("Leave the place where the craving started"),
    _("Play the tape forward: think past the first drink or use"),
    _("Write in my journal"),
    _("Take a shower"),
)


class Pathway(models.TextChoices):
    TWELVE_STEP = "twelve_step", _("12-step")
    SMART = "smart", _("SMART Recovery")
    FAITH = "faith", _("Faith-based")
    MEDICATION = "medication", _("Medication-assisted recovery")
    HARM_REDUCTION = "harm_reduction", _("Harm reduction")
    SECULAR = "secular", _("Secular")
    OTHER = "other", _("Other")


class SupportWanted(models.TextChoices):
    PEER = "peer", _("Someone with lived experience to talk to")
    MEETINGS = "meetings", _("Finding meetings")
    ACCOUNTABILITY = "accountability", _("Help staying accountable to my goals")
    CRAVINGS = "cravings", _("Ways to get through cravings")
    FAMILY = "family", _("Support for my family")
    PRACTICAL = "practical", _("Practical help (housing, work, treatment)")


class RecoveryProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="recovery_profile")
    recovery_started_on = models.DateField(_("recovery start date"), null=True, blank=True)
    substances = models.JSONField(_("substances or behaviours"), default=list, blank=True)
    pathways = models.JSONField(_("pathways"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    support_wanted = models.JSONField(_("support I would like"), default=list, blank=True)
    support_note = models.CharField(_("anything else about the support you want"), max_length=300, blank=True)
    reminder_time = models.TimeField(_("daily check-in reminder"), null=True, blank=True)
    onboarded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"recovery profile of {self.user}"


class RecoverySettings(models.Model):
    """A program's thresholds for turning check-ins into alerts, and which assessments it uses."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="recovery_settings")
    craving_alert_at = models.PositiveSmallIntegerField(
        _("alert when craving is at least"), default=8, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    missed_checkins_alert_after = models.PositiveSmallIntegerField(
        _("alert after this many missed check-ins in a row"),
        default=3,
        validators=[MinValueValidator(2), MaxValueValidator(30)],
    )
    # The low-mood rule looks back at most 14 days.
    low_mood_days = models.PositiveSmallIntegerField(
        _("alert after this many days in a row of mood 1"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(14)],
    )
    barc10_every_days = models.PositiveSmallIntegerField(
        _("offer BARC-10 every (days)"), default=90, validators=[MinValueValidator(7), MaxValueValidator(365)]
    )
    phq9_enabled = models.BooleanField(_("offer PHQ-9"), default=False)
    gad7_enabled = models.BooleanField(_("offer GAD-7"), default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(craving_alert_at__lte=10, missed_checkins_alert_after__gte=2, low_mood_days__gte=1),
                name="recovery_settings_sane",
            )
        ]

    def __str__(self) -> str:
        return f"recovery settings of {self.program}"


class Clock(models.Model):
    """One sobriety clock. A return to use that restarts it ends this row and starts a new
    one in the same ``series``, so every past stretch stays visible to the member."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="clocks")
    series = models.UUIDField(default=uuid.uuid4, db_index=True)
    label = models.CharField(_("what this clock counts"), max_length=60)
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    share_milestones = models.BooleanField(_("share milestones with my supporters"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["started_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="clock_ends_after_start",
            ),
            models.UniqueConstraint(fields=["series"], condition=Q(ended_at__isnull=True), name="clock_one_running"),
        ]
        indexes = [models.Index(fields=["user", "ended_at"], name="clock_user_running")]

    def __str__(self) -> str:
        return f"{self.label} clock of {self.user}"


class ReturnToUse(models.Model):
    """Recorded with care: part of the member's story, never erased, never a verdict."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="returns_to_use")
    series = models.UUIDField(db_index=True)
    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="returns_to_use")
    occurred_at = models.DateTimeField()
    restarted = models.BooleanField()
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"return to use {self.occurred_at:%Y-%m-%d} ({self.user})"


class MilestoneShare(models.Model):
    """A milestone the member chose to celebrate with their supporters (or just saw)."""

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="milestone_shares")
    key = models.CharField(max_length=8)
    reached_at = models.DateTimeField()
    shared = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clock", "key"], name="milestone_once_per_clock")]

    def __str__(self) -> str:
        return f"{self.key} on {self.clock}"


class Trigger(models.TextChoices):
    PEOPLE = "people", _("People")
    PLACES = "places", _("Places")
    STRESS = "stress", _("Stress")
    BOREDOM = "boredom", _("Boredom")
    PAIN = "pain", _("Pain")
    SLEEP = "sleep", _("Sleep")
    MONEY = "money", _("Money")
    CONFLICT = "conflict", _("Conflict")
    CELEBRATION = "celebration", _("Celebration")
    OTHER = "other", _("Other")


class CheckIn(models.Model):
    """One per member per local day; a second check-in that day edits this one."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="checkins")
    local_date = models.DateField()
    mood = models.PositiveSmallIntegerField(_("mood"))
    craving = models.PositiveSmallIntegerField(_("craving"))
    triggers = models.JSONField(_("triggers"), default=list, blank=True)
    used_today = models.BooleanField(_("used today"), default=False)
    used_what = models.CharField(_("what you used"), max_length=120, blank=True)
    sleep_quality = models.PositiveSmallIntegerField(_("sleep"), null=True, blank=True)
    note = models.CharField(_("a line about today"), max_length=280, blank=True)
    wants_outreach = models.BooleanField(_("I'd like my peer to reach out"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-local_date"]
        constraints = [
            models.UniqueConstraint(fields=["user", "local_date"], name="checkin_one_per_day"),
            models.CheckConstraint(condition=Q(mood__gte=1, mood__lte=5), name="checkin_mood_1_5"),
            models.CheckConstraint(condition=Q(craving__lte=10), name="checkin_craving_0_10"),
            models.CheckConstraint(
                condition=Q(sleep_quality__isnull=True) | Q(sleep_quality__gte=1, sleep_quality__lte=5),
                name="checkin_sleep_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"check-in {self.local_date} ({self.user})"


class ReminderSent(models.Model):
    """Makes the daily reminder idempotent: one per member per local day."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    local_date = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "local_date"], name="reminder_once_per_day")]

    def __str__(self) -> str:
        return f"reminder {self.local_date} ({self.user})"


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("In progress")
    DONE = "done", _("Done")
    SET_ASIDE = "set_aside", _("Set aside")


class Goal(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=160)
    why = models.CharField(_("why it matters to me"), max_length=300, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    status = models.CharField(max_length=12, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    shared_with_peer = models.BooleanField(_("share with my peer"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["status", "target_date", "pk"]
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="goal_progress_0_100")]
        indexes = [models.Index(fields=["user", "status"], name="goal_user_status")]

    def __str__(self) -> str:
        return self.title


class GoalStep(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    text = models.CharField(_("step"), max_length=160)
    done_at = models.DateTimeField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class GoalComment(models.Model):
    """Encouragement from the member's peer (or a note from the member) on a shared goal."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    author_label = models.CharField(max_length=60)
    text = models.CharField(_("comment"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"comment on {self.goal}"


class PlanVersion(models.Model):
    """The relapse-prevention plan, one row per saved version; the newest is the plan."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="plan_versions")
    number = models.PositiveIntegerField()
    content = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["user", "number"], name="plan_version_unique")]

    def __str__(self) -> str:
        return f"plan v{self.number} of {self.user}"


class Assessment(models.Model):
    """A completed questionnaire. Answers are stored as given; scores come from instruments.py."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assessments")
    program = models.ForeignKey(Program, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    instrument = models.CharField(max_length=12)
    answers = models.JSONField()
    total = models.PositiveSmallIntegerField()
    band = models.CharField(max_length=24, blank=True)
    flags = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=8, default="en")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_at"]
        indexes = [models.Index(fields=["user", "instrument", "-completed_at"], name="assessment_user_recent")]

    def __str__(self) -> str:
        return f"{self.instrument} {self.completed_at:%Y-%m-%d} ({self.user})"


class JournalEntry(models.Model):
    """Only ever readable by the member who wrote it: no selector gives it to anyone else."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="journal_entries")
    title = models.CharField(_("title"), max_length=120, blank=True)
    body = models.TextField(_("entry"))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"journal entry {self.pk} ({self.user})"
