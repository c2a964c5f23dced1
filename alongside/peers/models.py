"""Peer supporters: who they are, what qualifies them, how they are supervised, who they
walk with and how they are matched.

Who walks with whom is *not* stored here: it is the member's care team in
``accounts`` (``CareTeamLink``), written through ``accounts.services.care_team_link``, so
that ``safety`` and ``recovery`` can route and share without importing this app. This app
owns the profile, credentials, supervision, contact notes, call plans and matching.

Files (photos, credential evidence, certificates) go to the ``private`` storage: they
have no URL of their own and are served only by views that check who is asking.
"""

from __future__ import annotations

from django.core.files.storage import Storage, storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import Program, User


def private_storage() -> Storage:
    return storages["private"]


# --- shared vocabularies --------------------------------------------------------------
# Stored as plain strings in JSON lists so that programs can add free tags; the
# matching core (peers/matching.py) compares the same lowercase strings.

LIVED_EXPERIENCE = (
    ("parenting", _("Parenting")),
    ("pregnancy", _("Pregnancy in recovery")),
    ("criminal_legal", _("Criminal-legal involvement")),
    ("homelessness", _("Homelessness")),
    ("veteran", _("Military service")),
    ("lgbtq", _("LGBTQ+")),
    ("co_occurring", _("Co-occurring mental health")),
    ("chronic_pain", _("Chronic pain")),
    ("trauma", _("Trauma")),
    ("grief", _("Grief and loss")),
    ("family_recovery", _("A family member in recovery")),
    ("youth", _("Recovery as a young adult")),
)

WEEKDAYS = (
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
    ("sat", _("Saturday")),
    ("sun", _("Sunday")),
)
DAY_PARTS = (
    ("morning", _("Morning")),
    ("afternoon", _("Afternoon")),
    ("evening", _("Evening")),
)
#: Weekly availability slots, e.g. "tue-evening".
AVAILABILITY_SLOTS = tuple(f"{day}-{part}" for day, _d in WEEKDAYS for part, _p in DAY_PARTS)


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")
    OTHER = "other", _("In another way")


class AgeRange(models.TextChoices):
    A18 = "18-24", "18–24"
    A25 = "25-34", "25–34"
    A35 = "35-44", "35–44"
    A45 = "45-54", "45–54"
    A55 = "55-64", "55–64"
    A65 = "65+", "65+"


# --- the program's rules ---------------------------------------------------------------


class PeerProgramSettings(models.Model):
    """How a program runs its peer work: supervision cadence and matching rules."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="peer_settings")
    supervision_minutes = models.PositiveSmallIntegerField(
        _("supervision required (minutes)"), default=60, validators=[MinValueValidator(15), MaxValueValidator(600)]
    )
    supervision_every_days = models.PositiveSmallIntegerField(
        _("in every period of (days)"), default=14, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    credentials_required = models.BooleanField(
        _("peers need a verified, current credential to take new members"), default=True
    )
    match_max_distance_km = models.PositiveSmallIntegerField(
        _("furthest distance for meeting in person (km)"),
        default=40,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
    )
    missed_calls_alert_after = models.PositiveSmallIntegerField(
        _("raise a concern after this many missed calls in a row"),
        default=3,
        validators=[MinValueValidator(2), MaxValueValidator(10)],
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    supervision_minutes__gte=15, supervision_every_days__gte=1, missed_calls_alert_after__gte=2
                ),
                name="peer_settings_sane",
            )
        ]

    def __str__(self) -> str:
        return f"peer settings of {self.program}"


# --- the peer supporter ----------------------------------------------------------------


class PeerProfile(models.Model):
    """A peer supporter in one program. Members see the public card (name, photo, story,
    lived experience, pathways, languages, city, how and when they meet); gender, age
    range, coordinates and the supervisor stay with staff and the matching core."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="peer_profiles")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="peer_profiles")
    display_name = models.CharField(_("name members see"), max_length=80)
    photo = models.ImageField(_("photo"), storage=private_storage, upload_to="peer-photos/", blank=True)
    story = models.TextField(_("your story, in your own words"), max_length=2000, blank=True)
    lived_experience = models.JSONField(_("lived experience"), default=list, blank=True)
    substances = models.JSONField(_("substances or behaviours in your own recovery"), default=list, blank=True)
    pathways = models.JSONField(_("your recovery pathways"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    gender = models.CharField(_("gender"), max_length=16, choices=Gender.choices, blank=True)
    age_range = models.CharField(_("age range"), max_length=8, choices=AgeRange.choices, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    meets_in_person = models.BooleanField(_("I meet in person"), default=True)
    meets_remotely = models.BooleanField(_("I meet by phone or video"), default=True)
    availability = models.JSONField(_("when I am usually free"), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("most people I can walk with at once"), default=8, validators=[MinValueValidator(0), MaxValueValidator(60)]
    )
    accepting_new = models.BooleanField(_("I can take on someone new"), default=True)
    supervisor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="supervised_profiles"
    )
    needs_supervision_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "user"], name="peer_profile_once_per_program"),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (Q(latitude__gte=-90, latitude__lte=90) & Q(longitude__gte=-180, longitude__lte=180)),
                name="peer_profile_coordinates",
            ),
        ]

    def __str__(self) -> str:
        return f"peer profile of {self.user} in {self.program}"


class CredentialKind(models.TextChoices):
    CPRS = "cprs", _("Certified Peer Recovery Specialist (CPRS)")
    NCPRSS = "ncprss", _("National Certified Peer Recovery Support Specialist (NCPRSS)")
    ICRC = "icrc_pr", _("IC&RC Peer Recovery")
    CCAR = "ccar_rc", _("CCAR Recovery Coach")
    STATE = "state", _("State certification")
    OTHER = "other", _("Other")


class Credential(models.Model):
    profile = models.ForeignKey(PeerProfile, on_delete=models.CASCADE, related_name="credentials")
    kind = models.CharField(_("type"), max_length=16, choices=CredentialKind.choices)
    title = models.CharField(_("name of the credential (if other or state)"), max_length=120, blank=True)
    issuer = models.CharField(_("issued by"), max_length=120)
    jurisdiction = models.CharField(_("state or jurisdiction"), max_length=80, blank=True)
    number = models.CharField(_("credential number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    ce_hours_required = models.DecimalField(
        _("continuing-education hours needed to renew"), max_digits=5, decimal_places=1, default=0
    )
    ce_ethics_hours_required = models.DecimalField(
        _("of which ethics hours"), max_digits=5, decimal_places=1, default=0
    )
    evidence = models.FileField(_("evidence"), storage=private_storage, upload_to="credential-evidence/", blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_content_type = models.CharField(max_length=80, blank=True)
    verified_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["expires_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("issued_on")),
                name="credential_expires_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(ce_ethics_hours_required__lte=models.F("ce_hours_required")),
                name="credential_ethics_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.profile.user}"


class ContinuingEducation(models.Model):
    """Hours logged against one credential's renewal requirement."""

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="ce_entries")
    title = models.CharField(_("course or activity"), max_length=160)
    completed_on = models.DateField(_("completed on"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    ethics_hours = models.DecimalField(_("of which ethics"), max_digits=5, decimal_places=1, default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0, ethics_hours__gte=0) & Q(ethics_hours__lte=models.F("hours")),
                name="ce_hours_sane",
            )
        ]

    def __str__(self) -> str:
        return f"{self.hours} h: {self.title}"


class CredentialReminderSent(models.Model):
    """One reminder per credential, lead time and expiry date (a renewal starts afresh)."""

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    expires_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["credential", "days_before", "expires_on"], name="credential_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.days_before}-day reminder for {self.credential_id}"


class TrainingRecord(models.Model):
    profile = models.ForeignKey(PeerProfile, on_delete=models.CASCADE, related_name="training")
    course = models.CharField(_("course"), max_length=160)
    provider = models.CharField(_("provider"), max_length=120, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    completed_on = models.DateField(_("completed on"))
    certificate = models.FileField(
        _("certificate"), storage=private_storage, upload_to="training-certificates/", blank=True
    )
    certificate_name = models.CharField(max_length=200, blank=True)
    certificate_content_type = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="training_hours_positive")]

    def __str__(self) -> str:
        return self.course


class PeerReference(models.Model):
    """A reference for a peer worker: private to the program's admins."""

    profile = models.ForeignKey(PeerProfile, on_delete=models.CASCADE, related_name="references")
    name = models.CharField(_("name"), max_length=120)
    relationship = models.CharField(_("relationship"), max_length=120)
    contact = models.CharField(_("phone or email"), max_length=160)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    checked_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    checked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"reference {self.name}"


# --- supervision and self-care -----------------------------------------------------------


class SupervisionFormat(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    GROUP = "group", _("Group")


SUPERVISION_TOPICS = (
    ("boundaries", _("Boundaries")),
    ("self_care", _("Self-care")),
    ("ethics", _("Ethics")),
    ("caseload", _("Caseload review")),
    ("crisis", _("A crisis or safety concern")),
    ("skills", _("Skills and training")),
    ("documentation", _("Contact notes")),
    ("other", _("Something else")),
)


class SupervisionSession(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="supervision_sessions")
    supervisor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="supervision_given")
    peers = models.ManyToManyField(User, related_name="supervision_received")
    held_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"), validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    format = models.CharField(_("format"), max_length=12, choices=SupervisionFormat.choices)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    follow_ups = models.TextField(_("follow-ups"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gte=5), name="supervision_duration_positive")
        ]

    def __str__(self) -> str:
        return f"supervision {self.held_on} ({self.format})"


class SelfCareCheck(models.Model):
    """How a peer is doing. Theirs; shared with their supervisor only when they say so."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    peer = models.ForeignKey(User, on_delete=models.CASCADE, related_name="self_care_checks")
    energy = models.PositiveSmallIntegerField(_("energy"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    stress = models.PositiveSmallIntegerField(_("stress"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    note = models.CharField(_("anything on your mind"), max_length=500, blank=True)
    shared_with_supervisor = models.BooleanField(_("share this with my supervisor"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(energy__gte=1, energy__lte=5, stress__gte=1, stress__lte=5), name="self_care_scale"
            )
        ]

    # --- contact notes -------------------------------------------------------------------------

    def __str__(self) -> str:
        return f"self-care check by {self.peer_id} on {self.created_at:%Y-%m-%d}"


class EncounterMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video")
    MESSAGE = "message", _("Message")
    GROUP = "group", _("Group")


ENCOUNTER_TOPICS = (
    ("cravings", _("Cravings and coping")),
    ("goals", _("Goals")),
    ("housing", _("Housing")),
    ("work", _("Work or school")),
    ("family", _("Family and relationships")),
    ("meetings", _("Meetings and community")),
    ("treatment", _("Treatment and medication access")),
    ("legal", _("Legal matters")),
    ("health", _("Health and wellbeing")),
    ("milestone", _("A milestone")),
    ("return_to_use", _("A return to use")),
    ("other", _("Something else")),
)


class Encounter(models.Model):
    """A contact note. Non-clinical by design: what was talked about and what comes next,
    never a diagnosis. Peers read their own; supervisors their team's; each read is audited."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="encounters")
    peer = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="encounters_logged")
    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="encounters")
    occurred_at = models.DateTimeField(_("when"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    mode = models.CharField(_("how"), max_length=12, choices=EncounterMode.choices)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    goals_touched = models.ManyToManyField("recovery.Goal", blank=True, related_name="+")
    referrals = models.CharField(_("referrals made"), max_length=500, blank=True)
    summary = models.TextField(_("what you talked about"), max_length=2000, blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    follow_up_done_at = models.DateTimeField(null=True, blank=True)
    follow_up_reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["program", "member", "-occurred_at"], name="encounter_member_recent"),
            models.Index(fields=["peer", "follow_up_on"], name="encounter_follow_ups"),
        ]

    def __str__(self) -> str:
        return f"contact {self.occurred_at:%Y-%m-%d} with {self.member}"


# --- telephone recovery support ----------------------------------------------------------


class CallPlan(models.Model):
    """A member's standing request for a weekly check-in call."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="call_plans")
    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="call_plans")
    weekday = models.PositiveSmallIntegerField(_("day"), validators=[MaxValueValidator(6)], help_text=_("0 is Monday."))
    call_time = models.TimeField(_("time"))
    phone = models.CharField(_("number to call"), max_length=40)
    voicemail_ok = models.BooleanField(_("you may leave a voicemail"), default=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "member"], condition=Q(active=True), name="call_plan_one_active"
            ),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="call_plan_weekday"),
        ]

    def __str__(self) -> str:
        return f"weekly call for {self.member}"


class CallOutcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    VOICEMAIL = "voicemail", _("Left a voicemail")
    NO_ANSWER = "no_answer", _("No answer")


class CallAttempt(models.Model):
    plan = models.ForeignKey(CallPlan, on_delete=models.CASCADE, related_name="attempts")
    due_on = models.DateField()
    outcome = models.CharField(_("what happened"), max_length=12, choices=CallOutcome.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-due_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "due_on"], name="call_attempt_once_per_day")]

    # --- matching ------------------------------------------------------------------------------

    def __str__(self) -> str:
        return f"call {self.due_on}: {self.outcome}"


class MatchPreferences(models.Model):
    """What a member would like in a peer. Languages, pathways and substances come from
    their recovery profile; this adds what only matching needs."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="match_preferences")
    looking = models.BooleanField(_("I would like a peer supporter"), default=True)
    gender = models.CharField(_("my gender"), max_length=16, choices=Gender.choices, blank=True)
    peer_gender_preference = models.CharField(
        _("I would prefer a peer who is"), max_length=16, choices=Gender.choices, blank=True
    )
    age_range = models.CharField(_("my age range"), max_length=8, choices=AgeRange.choices, blank=True)
    lived_experience_wanted = models.JSONField(_("lived experience that matters to me"), default=list, blank=True)
    city = models.CharField(_("where I live (city)"), max_length=120, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    remote_ok = models.BooleanField(_("phone or video is fine for me"), default=True)
    availability = models.JSONField(_("when I am usually free"), default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"match preferences of {self.user}"


class MatchExclusion(models.Model):
    """A known prior relationship: never suggest this pair. Recorded by admins."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="match_exclusions")
    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    peer = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("why (private to admins)"), max_length=200, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "member", "peer"], name="match_exclusion_once")]

    def __str__(self) -> str:
        return f"never match {self.member_id} with {self.peer_id}"


class MatchRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the peer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Not this time")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MatchRequest(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="match_requests")
    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="match_requests")
    peer = models.ForeignKey(User, on_delete=models.CASCADE, related_name="match_requests_received")
    requested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    message = models.CharField(_("a note for the peer (optional)"), max_length=500, blank=True)
    score = models.FloatField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=12, choices=MatchRequestStatus.choices, default=MatchRequestStatus.PENDING)
    # Why a peer said "not this time": theirs and the admins', never shown to the member.
    decline_note = models.CharField(_("a private note (optional)"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "member"],
                condition=Q(status="pending"),
                name="match_request_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} asks {self.peer_id} ({self.status})"


class MatchRoundStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPLIED = "applied", _("Applied")
    DISCARDED = "discarded", _("Discarded")


class MatchRound(models.Model):
    """A program-wide proposal. Nothing changes for anyone until an admin applies it."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="match_rounds")
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=MatchRoundStatus.choices, default=MatchRoundStatus.PROPOSED)
    members_waiting = models.PositiveIntegerField(default=0)
    members_matched = models.PositiveIntegerField(default=0)
    objective = models.FloatField(default=0)
    unassigned = models.JSONField(default=list, blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["program"], condition=Q(status="proposed"), name="match_round_one_proposed")
        ]

    def __str__(self) -> str:
        return f"matching round {self.pk} ({self.status})"


class MatchProposal(models.Model):
    round = models.ForeignKey(MatchRound, on_delete=models.CASCADE, related_name="proposals")
    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    peer = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reasons = models.JSONField(default=list, blank=True)
    # Set when the round is applied: "requested" (a request went to the peer) or "skipped"
    # (things changed since the proposal; ``note`` says what).
    outcome = models.CharField(max_length=12, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "member"], name="match_proposal_once_per_member")]

    def __str__(self) -> str:
        return f"{self.member_id} with {self.peer_id} ({self.score})"
