"""People, programs, who walks with whom, what a member consents to, and who looked."""

from __future__ import annotations

import zoneinfo
from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

HANDLE_PATTERN = r"^[\w][\w.-]{1,28}[\w]$"
RESERVED_HANDLES = frozenset(
    {"admin", "administrator", "alongside", "moderator", "staff", "support", "system", "a-member", "anonymous"}
)


def validate_handle(value: str) -> None:
    if value.lower() in RESERVED_HANDLES:
        raise ValidationError(_("That handle is reserved. Please choose another one."), code="reserved")
    if "@" in value:
        raise ValidationError(_("A handle cannot contain @, so it never reveals an email address."), code="email")


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a time zone we know. Use a name like America/Chicago."),
            params={"value": value},
            code="timezone",
        )


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Others see only the handle; name and phone stay private to them."""

    email = models.EmailField(_("email address"), unique=True)
    handle = models.CharField(
        _("display handle"),
        max_length=30,
        null=True,
        blank=True,
        validators=[
            RegexValidator(
                HANDLE_PATTERN,
                _(
                    "Use 3 to 30 letters, numbers, dots, dashes or underscores, starting and ending with a letter or number."
                ),
            ),
            validate_handle,
        ],
        help_text=_("How other people in Alongside see you. It does not need to be your name."),
    )
    real_name = models.CharField(_("name (private)"), max_length=150, blank=True)
    phone = models.CharField(_("phone (private)"), max_length=40, blank=True)
    preferred_language = models.CharField(_("language"), max_length=8, default="en")
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_timezone])
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text=_("Operator access to the command line tools."))
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("handle"),
                name="user_handle_unique_ci",
                violation_error_message=_("Someone already uses that handle. Please choose another one."),
            ),
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ci",
                violation_error_message=_("An account with this email address already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.handle or str(_("(no handle yet)"))

    @property
    def display_name(self) -> str:
        return self.handle or str(_("A new member"))


class Program(models.Model):
    """A recovery community organisation, an aftercare programme or an online fellowship."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name for links"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="America/New_York", validators=[validate_timezone]
    )
    default_language = models.CharField(_("default language"), max_length=8, default="en")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    PEER = "peer", _("Peer supporter")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMIN = "admin", _("Program admin")
    ALLY = "ally", _("Ally (family or friend)")


#: Roles that work with other people's records and so must use two-factor sign-in.
STAFF_ROLES = frozenset({Role.PEER, Role.SUPERVISOR, Role.ADMIN})


class Membership(models.Model):
    """One person's role in one program. A person holds one role per program."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "program"], name="membership_one_role_per_program"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]
        ordering = ["program__name"]

    def __str__(self) -> str:
        return f"{self.user} · {self.program} · {self.role}"

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES


class Invitation(models.Model):
    """An admin's invitation to join a program with a role. Only a hash of the token is kept."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "program",
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="invitation_role_valid"),
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.program} ({self.role})"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


class CareRelation(models.TextChoices):
    PEER = "peer", _("Peer supporter")
    ALLY = "ally", _("Ally")


class CareTeamLink(models.Model):
    """Who walks with a member, from when to when. Ending a link keeps its history."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="care_links")
    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="care_team_links")
    supporter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="supporting_links")
    relation = models.CharField(max_length=8, choices=CareRelation.choices)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "member", "supporter", "relation"],
                condition=Q(ended_at__isnull=True),
                name="careteam_one_active_link",
            ),
            models.CheckConstraint(condition=~Q(member=models.F("supporter")), name="careteam_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.supporter} walks with {self.member} ({self.relation})"


class ConsentScope(models.TextChoices):
    CHECKINS_PEER = "checkins_peer", _("My peer supporter may see my check-ins and trends")
    PLAN_PEER = "plan_peer", _("My peer supporter may see my relapse-prevention plan")
    ASSESSMENTS_PEER = "assessments_peer", _("My peer supporter may see my assessment scores")
    ATTENDANCE_PEER = "attendance_peer", _("My peer supporter may see which meetings I go to")
    OUTCOMES_DEIDENTIFIED = (
        "outcomes_deidentified",
        _("My program may use my data, with my identity removed, to measure its outcomes"),
    )


class Consent(models.Model):
    """A member's yes or no to one kind of sharing in one program (optionally with one person)."""

    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(max_length=32, choices=ConsentScope.choices)
    grantee = models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    granted = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "program", "scope"],
                condition=Q(grantee__isnull=True),
                name="consent_one_per_scope",
            ),
            models.UniqueConstraint(
                fields=["member", "program", "scope", "grantee"],
                condition=Q(grantee__isnull=False),
                name="consent_one_per_scope_grantee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.scope}: {'yes' if self.granted else 'no'}"


class AuditEvent(models.Model):
    """Someone other than the member opened the member's record. The member can read these."""

    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_label = models.CharField(max_length=60)
    actor_role = models.CharField(max_length=16, blank=True)
    subject = models.ForeignKey(User, on_delete=models.CASCADE, related_name="audit_events")
    program = models.ForeignKey(Program, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=40)
    detail = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["subject", "-created_at"], name="audit_subject_recent")]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.subject} at {self.created_at:%Y-%m-%d %H:%M}"

    ACTION_LABELS: ClassVar[dict[str, Promise]] = {
        "viewed_record": _("Opened your record"),
        "viewed_alert": _("Opened an alert about you"),
        "viewed_safety_history": _("Opened your safety history"),
    }

    @property
    def actor_role_label(self) -> str:
        return str(Role(self.actor_role).label) if self.actor_role in Role.values else ""

    @property
    def action_label(self) -> str:
        return str(self.ACTION_LABELS.get(self.action, self.action))


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"API token {self.name or self.pk} of {self.user}"


class OutboundEmail(models.Model):
    """An email waiting for, or done with, delivery by the task worker.

    ``idempotency_key`` is unique so a retried enqueue or a worker restarted mid-job
    never sends the same message twice. Bodies are cleared after delivery: they can hold
    sign-in links.
    """

    idempotency_key = models.CharField(max_length=120, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"email {self.idempotency_key}"
