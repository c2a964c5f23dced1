"""Every write about peer supporters' profiles, credentials, training and references, and
the credential-expiry reminders.

Keyword-only and atomic. Files are checked before anything is written (``files.py``), so a
rejected upload changes nothing; a replaced file is deleted only after the new row is
committed, so a failed save never loses what was there.

Writes of peer work: program settings, supervision, self-care, contact notes, calls.

Every function checks the actor's role itself (a view or the API may have checked too):
the rule lives beside the write. Emails go out through ``accounts.services.email_queue``
after the write commits, each with a key so a retried sweep never sends twice.

Decisions where the issue was silent:
- A peer's "I need supervision" flag is cleared by any supervision session that lists
  them, or by a supervisor of their team. Asking again while the flag is up sends nothing
  new; asking after it was cleared is a new request and a new email.
- Voicemail counts as **missed**: the member was not reached. A concern alert is raised
  when the last ``missed_calls_alert_after`` recorded calls of a plan were all missed;
  the streak's first missed date is in the alert's source key, so one streak alerts once
  however long it runs, and a reached call starts a fresh count.
- "Pause" and "stop" are the same act (the plan becomes inactive); the plan is kept so
  the member can start the same calls again in one tap.

Every write of matching: preferences, requests and their answers, exclusions, rounds.

Keyword-only, inside ``transaction.atomic``. Who walks with whom is written through
``accounts.services.care_team_link``/``care_team_end`` only. Emails are queued with an
idempotency key in the same transaction (``email_queue`` hands them to the worker once it
commits), so a rolled-back write sends nothing and a retried one sends once.

Emails say as little as they can: the member's handle and a link behind sign-in, never
their note, needs or preferences. Changing peers is blameless in every word: the member
is never asked why, the previous peer is told kindly that the member has moved on to
another peer, and a "not this time" is never a judgement of the member.

A matching round is applied by turning each proposal into a **pending request from the
admin**, not straight into a care team link: a peer is a person with limited room and a
right to say "not this time", and a member who is told "this is your peer" should be
meeting someone who said yes. Proposals that went stale (the member found a peer or
stopped looking, the peer filled up, closed their list, lost credential eligibility, or
an exclusion was added) are skipped with a note.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alongside.accounts import services as accounts_services
from alongside.accounts.models import CareRelation, CareTeamLink, Membership, Program, Role, User
from alongside.lib import gazetteer
from alongside.lib.tz import local_date, zone_named, zone_of
from alongside.peers import compliance, matching, reasons, selectors
from alongside.peers.files import CheckedFile
from alongside.peers.models import (
    AVAILABILITY_SLOTS,
    ENCOUNTER_TOPICS,
    LIVED_EXPERIENCE,
    SUPERVISION_TOPICS,
    AgeRange,
    CallAttempt,
    CallOutcome,
    CallPlan,
    ContinuingEducation,
    Credential,
    CredentialKind,
    CredentialReminderSent,
    Encounter,
    EncounterMode,
    Gender,
    MatchExclusion,
    MatchPreferences,
    MatchProposal,
    MatchRequest,
    MatchRequestStatus,
    MatchRound,
    MatchRoundStatus,
    PeerProfile,
    PeerProgramSettings,
    PeerReference,
    SelfCareCheck,
    SupervisionFormat,
    SupervisionSession,
    TrainingRecord,
)
from alongside.recovery.models import Goal
from alongside.safety import services as safety_services
from alongside.safety.models import AlertKind, Severity

# === profiles ========================================================================

logger = logging.getLogger(__name__)

EARLIEST_DAY = dt.date(1950, 1, 1)
MAX_TAGS = 30
MAX_TAG_LENGTH = 40
#: Changing any of these on a verified credential sends it back to an admin.
VERIFIED_FIELDS = ("kind", "number", "issued_on", "expires_on")


def peer_settings_for(program: Program) -> PeerProgramSettings:
    """The program's peer-work rules, made with the defaults the first time they are asked for."""
    found, _created = PeerProgramSettings.objects.get_or_create(program=program)
    return found


def _profiles_today(program: Program) -> dt.date:
    return local_date(timezone.now(), zone_named(program.time_zone))


def _profiles_delete_later(old: FieldFile | None, name: str) -> None:
    """Remove a replaced file once the row pointing to its successor is committed."""
    if old is None or not name:
        return
    storage = old.storage

    def _delete() -> None:
        try:
            storage.delete(name)
        except OSError:  # a file already gone is no reason to fail the person's save
            logger.warning("could not delete replaced private file %s", name)

    transaction.on_commit(_delete)


def _profiles_tags(values: Iterable[str], field_name: str) -> list[str]:
    """Lowercase, de-duplicated tags (the matching core compares lowercase strings)."""
    seen: list[str] = []
    for raw in values:
        tag = " ".join(str(raw).split()).lower()
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise ValidationError(
                {
                    field_name: _("Keep each entry under %(n)s characters: “%(tag)s”.")
                    % {"n": MAX_TAG_LENGTH, "tag": tag}
                }
            )
        if tag not in seen:
            seen.append(tag)
    if len(seen) > MAX_TAGS:
        raise ValidationError({field_name: _("Choose at most %(n)s.") % {"n": MAX_TAGS}})
    return seen


# --- profile -------------------------------------------------------------------------------


def peer_profile_get_or_create(*, program: Program, user: User) -> PeerProfile:
    """A peer's profile in the program, made (named after their handle) the first time they open it."""
    if not Membership.objects.filter(program=program, user=user, role=Role.PEER).exists():
        raise PermissionDenied(_("Only peer supporters of this program have a peer profile."))
    profile, _created = PeerProfile.objects.get_or_create(
        program=program,
        user=user,
        defaults={"display_name": (user.handle or _("Peer supporter"))[:80], "languages": [user.preferred_language]},
    )
    return profile


def locate_city(city: str) -> tuple[float, float] | None:
    """Coordinates of "Santa Ana, California" or "Santa Ana, CA" from the offline gazetteer."""
    places = gazetteer.find_places(city, limit=1)
    if not places:
        return None
    return places[0].latitude, places[0].longitude


def peer_profile_save(
    *,
    profile: PeerProfile,
    display_name: str,
    story: str = "",
    lived_experience: Sequence[str] = (),
    substances: Sequence[str] = (),
    pathways: Sequence[str] = (),
    languages: Sequence[str] = (),
    gender: str = "",
    age_range: str = "",
    city: str = "",
    meets_in_person: bool = True,
    meets_remotely: bool = True,
    availability: Sequence[str] = (),
    capacity: int | None = None,
    accepting_new: bool | None = None,
    photo: CheckedFile | None = None,
    remove_photo: bool = False,
) -> PeerProfile:
    """Save what the peer wrote. A city the gazetteer does not know is saved without
    coordinates (the caller tells the peer that in-person matching needs a known city)."""
    display_name = " ".join(display_name.split())
    if not display_name:
        raise ValidationError({"display_name": _("Write the name members will see, for example “Sam O.”.")})
    if gender and gender not in Gender.values:
        raise ValidationError({"gender": _("Choose one of the listed options, or leave it empty.")})
    if age_range and age_range not in AgeRange.values:
        raise ValidationError({"age_range": _("Choose one of the listed age ranges, or leave it empty.")})
    unknown_slots = sorted(set(availability) - set(AVAILABILITY_SLOTS))
    if unknown_slots:
        raise ValidationError({"availability": _("Unknown times: %(slots)s.") % {"slots": ", ".join(unknown_slots)}})
    if not (meets_in_person or meets_remotely):
        raise ValidationError(
            {"meets_remotely": _("Choose at least one way to meet: in person, or by phone or video.")}
        )
    if capacity is not None and not 0 <= capacity <= 60:
        raise ValidationError({"capacity": _("Choose a number from 0 to 60.")})
    city = " ".join(city.split())[:120]
    coordinates = locate_city(city) if city else None

    old_photo = profile.photo.name if (photo is not None or remove_photo) and profile.photo else ""
    profile.display_name = display_name[:80]
    profile.story = story.strip()[:2000]
    profile.lived_experience = _profiles_tags(lived_experience, "lived_experience")
    profile.substances = _profiles_tags(substances, "substances")
    profile.pathways = _profiles_tags(pathways, "pathways")
    profile.languages = _profiles_tags(languages, "languages")
    profile.gender = gender
    profile.age_range = age_range
    profile.city = city
    profile.latitude, profile.longitude = coordinates if coordinates else (None, None)
    profile.meets_in_person = meets_in_person
    profile.meets_remotely = meets_remotely
    profile.availability = [slot for slot in AVAILABILITY_SLOTS if slot in set(availability)]
    fields = [
        "display_name",
        "story",
        "lived_experience",
        "substances",
        "pathways",
        "languages",
        "gender",
        "age_range",
        "city",
        "latitude",
        "longitude",
        "meets_in_person",
        "meets_remotely",
        "availability",
        "updated_at",
    ]
    if capacity is not None:
        profile.capacity = capacity
        fields.append("capacity")
    if accepting_new is not None:
        profile.accepting_new = accepting_new
        fields.append("accepting_new")
    profile.updated_at = timezone.now()
    with transaction.atomic():
        if photo is not None:
            # save=False: the row is written once below, with everything else.
            profile.photo.save(photo.content.name, photo.content, save=False)
            fields.append("photo")
        elif remove_photo and profile.photo:
            profile.photo = ""
            fields.append("photo")
        profile.save(update_fields=fields)
        _profiles_delete_later(profile.photo, old_photo)
    return profile


def peer_profile_admin_update(
    *, profile: PeerProfile, capacity: int, accepting_new: bool, supervisor: User | None
) -> PeerProfile:
    """An admin sets how many people a peer walks with and who supervises them."""
    if not 0 <= capacity <= 60:
        raise ValidationError({"capacity": _("Choose a number from 0 to 60.")})
    if (
        supervisor is not None
        and not Membership.objects.filter(program=profile.program_id, user=supervisor, role=Role.SUPERVISOR).exists()
    ):
        raise ValidationError({"supervisor": _("Choose one of this program's supervisors.")})
    profile.capacity = capacity
    profile.accepting_new = accepting_new
    profile.supervisor = supervisor
    profile.updated_at = timezone.now()
    with transaction.atomic():
        profile.save(update_fields=["capacity", "accepting_new", "supervisor", "updated_at"])
    return profile


# --- credentials ---------------------------------------------------------------------------


def _profiles_check_dates(issued_on: dt.date, expires_on: dt.date | None, today: dt.date) -> None:
    if issued_on > today:
        raise ValidationError({"issued_on": _("The issue date cannot be in the future.")})
    if issued_on < EARLIEST_DAY:
        raise ValidationError({"issued_on": _("Choose a date after 1 January 1950.")})
    if expires_on is not None and expires_on < issued_on:
        raise ValidationError({"expires_on": _("The expiry date must be on or after the issue date.")})
    if expires_on is not None and expires_on.year > today.year + 50:
        raise ValidationError({"expires_on": _("Check the year of the expiry date.")})


def _profiles_check_hours(total: Decimal, ethics: Decimal, *, total_field: str, ethics_field: str) -> None:
    if total < 0:
        raise ValidationError({total_field: _("Hours cannot be negative.")})
    if ethics < 0:
        raise ValidationError({ethics_field: _("Hours cannot be negative.")})
    if total > Decimal("9999.9") or ethics > Decimal("9999.9"):
        raise ValidationError({total_field: _("Enter fewer than 10,000 hours.")})
    if ethics > total:
        raise ValidationError({ethics_field: _("Ethics hours are part of the total, so they cannot be more than it.")})


def credential_save(
    *,
    profile: PeerProfile,
    credential: Credential | None = None,
    kind: str,
    title: str = "",
    issuer: str,
    jurisdiction: str = "",
    number: str = "",
    issued_on: dt.date,
    expires_on: dt.date | None = None,
    ce_hours_required: Decimal = Decimal(0),
    ce_ethics_hours_required: Decimal = Decimal(0),
    evidence: CheckedFile | None = None,
) -> Credential:
    """Add or change a credential. Changing the type, number or dates of a verified
    credential clears the verification: an admin checks it again."""
    if kind not in CredentialKind.values:
        raise ValidationError({"kind": _("Choose one of the listed credential types.")})
    title = " ".join(title.split())
    if kind in (CredentialKind.OTHER, CredentialKind.STATE) and not title:
        raise ValidationError({"title": _("Write the name of the credential, as it appears on the certificate.")})
    issuer = " ".join(issuer.split())
    if not issuer:
        raise ValidationError({"issuer": _("Write who issued the credential, for example the certification board.")})
    _profiles_check_dates(issued_on, expires_on, _profiles_today(profile.program))
    _profiles_check_hours(
        ce_hours_required,
        ce_ethics_hours_required,
        total_field="ce_hours_required",
        ethics_field="ce_ethics_hours_required",
    )
    if credential is None:
        credential = Credential(profile=profile)
    elif credential.profile_id != profile.pk:
        raise PermissionDenied
    values = {
        "kind": kind,
        "title": title[:120],
        "issuer": issuer[:120],
        "jurisdiction": " ".join(jurisdiction.split())[:80],
        "number": number.strip()[:60],
        "issued_on": issued_on,
        "expires_on": expires_on,
        "ce_hours_required": ce_hours_required,
        "ce_ethics_hours_required": ce_ethics_hours_required,
    }
    changed_verified = credential.pk is not None and any(
        getattr(credential, name) != values[name] for name in VERIFIED_FIELDS
    )
    for name, value in values.items():
        setattr(credential, name, value)
    if changed_verified and credential.verified_at is not None:
        credential.verified_at = None
        credential.verified_by = None
    credential.updated_at = timezone.now()
    old_evidence = credential.evidence.name if evidence is not None and credential.evidence else ""
    with transaction.atomic():
        if evidence is not None:
            credential.evidence.save(evidence.content.name, evidence.content, save=False)
            credential.evidence_name = evidence.original_name
            credential.evidence_content_type = evidence.content_type
        if credential.pk is None:
            credential.save()
        else:
            credential.save(
                update_fields=[
                    *values,
                    "verified_at",
                    "verified_by",
                    "updated_at",
                    *(("evidence", "evidence_name", "evidence_content_type") if evidence is not None else ()),
                ]
            )
        _profiles_delete_later(credential.evidence, old_evidence)
    return credential


def credential_verify(*, credential: Credential, admin: User) -> Credential:
    if not Membership.objects.filter(program=credential.profile.program_id, user=admin, role=Role.ADMIN).exists():
        raise PermissionDenied
    credential.verified_by = admin
    credential.verified_at = timezone.now()
    with transaction.atomic():
        credential.save(update_fields=["verified_by", "verified_at"])
    return credential


def credential_unverify(*, credential: Credential) -> Credential:
    credential.verified_by = None
    credential.verified_at = None
    with transaction.atomic():
        credential.save(update_fields=["verified_by", "verified_at"])
    return credential


def _profiles_delete_with_file(row: Credential | TrainingRecord, field: FieldFile) -> None:
    """Delete the row, and its file once the deletion has committed."""
    name = (field.name or "") if field else ""
    with transaction.atomic():
        row.delete()
        _profiles_delete_later(field, name)


def credential_delete(*, credential: Credential) -> None:
    _profiles_delete_with_file(credential, credential.evidence)


def ce_record(
    *,
    credential: Credential,
    title: str,
    completed_on: dt.date,
    hours: Decimal,
    ethics_hours: Decimal = Decimal(0),
) -> ContinuingEducation:
    """Log continuing-education hours against one credential's renewal."""
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("Write the course or activity, for example “Ethics in peer work”.")})
    if hours <= 0:
        raise ValidationError({"hours": _("Enter the hours, more than 0 (for example 1.5).")})
    _profiles_check_hours(hours, ethics_hours, total_field="hours", ethics_field="ethics_hours")
    if completed_on > _profiles_today(credential.profile.program):
        raise ValidationError({"completed_on": _("Log hours once they are done: choose today or a past day.")})
    if completed_on < EARLIEST_DAY:
        raise ValidationError({"completed_on": _("Choose a date after 1 January 1950.")})
    with transaction.atomic():
        return ContinuingEducation.objects.create(
            credential=credential, title=title[:160], completed_on=completed_on, hours=hours, ethics_hours=ethics_hours
        )


def ce_delete(*, entry: ContinuingEducation) -> None:
    with transaction.atomic():
        entry.delete()


# --- training ------------------------------------------------------------------------------


def training_save(
    *,
    profile: PeerProfile,
    record: TrainingRecord | None = None,
    course: str,
    provider: str = "",
    hours: Decimal,
    completed_on: dt.date,
    certificate: CheckedFile | None = None,
    remove_certificate: bool = False,
) -> TrainingRecord:
    course = " ".join(course.split())
    if not course:
        raise ValidationError({"course": _("Write the name of the course.")})
    if hours <= 0 or hours > Decimal("9999.9"):
        raise ValidationError({"hours": _("Enter the hours, more than 0 (for example 2 or 1.5).")})
    if completed_on > _profiles_today(profile.program):
        raise ValidationError({"completed_on": _("Choose today or a past day.")})
    if completed_on < EARLIEST_DAY:
        raise ValidationError({"completed_on": _("Choose a date after 1 January 1950.")})
    if record is None:
        record = TrainingRecord(profile=profile)
    elif record.profile_id != profile.pk:
        raise PermissionDenied
    record.course = course[:160]
    record.provider = " ".join(provider.split())[:120]
    record.hours = hours
    record.completed_on = completed_on
    old = record.certificate.name if (certificate is not None or remove_certificate) and record.certificate else ""
    with transaction.atomic():
        if certificate is not None:
            record.certificate.save(certificate.content.name, certificate.content, save=False)
            record.certificate_name = certificate.original_name
            record.certificate_content_type = certificate.content_type
        elif remove_certificate and record.certificate:
            record.certificate = ""
            record.certificate_name = ""
            record.certificate_content_type = ""
        if record.pk is None:
            record.save()
        else:
            record.save(
                update_fields=[
                    "course",
                    "provider",
                    "hours",
                    "completed_on",
                    "certificate",
                    "certificate_name",
                    "certificate_content_type",
                ]
            )
        _profiles_delete_later(record.certificate, old)
    return record


def training_delete(*, record: TrainingRecord) -> None:
    _profiles_delete_with_file(record, record.certificate)


# --- references (admins only) --------------------------------------------------------------


def reference_save(
    *,
    profile: PeerProfile,
    reference: PeerReference | None = None,
    name: str,
    relationship: str,
    contact: str,
    notes: str = "",
) -> PeerReference:
    name = " ".join(name.split())
    relationship = " ".join(relationship.split())
    contact = contact.strip()
    if not name:
        raise ValidationError({"name": _("Write the reference's name.")})
    if not relationship:
        raise ValidationError({"relationship": _("Write how they know the peer, for example “former supervisor”.")})
    if not contact:
        raise ValidationError({"contact": _("Write a phone number or an email address to reach them.")})
    if reference is None:
        reference = PeerReference(profile=profile)
    elif reference.profile_id != profile.pk:
        raise PermissionDenied
    reference.name = name[:120]
    reference.relationship = relationship[:120]
    reference.contact = contact[:160]
    reference.notes = notes.strip()[:2000]
    with transaction.atomic():
        if reference.pk is None:
            reference.save()
        else:
            reference.save(update_fields=["name", "relationship", "contact", "notes"])
    return reference


def reference_mark_checked(*, reference: PeerReference, admin: User, checked: bool = True) -> PeerReference:
    reference.checked_by = admin if checked else None
    reference.checked_at = timezone.now() if checked else None
    with transaction.atomic():
        reference.save(update_fields=["checked_by", "checked_at"])
    return reference


def reference_delete(*, reference: PeerReference) -> None:
    with transaction.atomic():
        reference.delete()


# --- reminders -----------------------------------------------------------------------------


def _profiles_reminder_email(credential: Credential, *, lead: int, recipient: User, for_peer: bool) -> tuple[str, str]:
    profile = credential.profile
    program = profile.program
    label = credential.title or str(CredentialKind(credential.kind).label)
    with translation.override(recipient.preferred_language or program.default_language):
        if for_peer:
            subject = _("Your %(credential)s expires in %(days)s days") % {"credential": label, "days": lead}
        else:
            subject = _("%(peer)s's %(credential)s expires in %(days)s days") % {
                "peer": profile.display_name,
                "credential": label,
                "days": lead,
            }
        body = render_to_string(
            "peers/profiles/email/credential_reminder.txt",
            {
                "for_peer": for_peer,
                "peer_name": profile.display_name,
                "credential": label,
                "expires_on": credential.expires_on,
                "days": lead,
                "program": program,
                "link": settings.SITE_URL + reverse("credential_detail", args=[program.slug, credential.pk]),
            },
        )
    return subject, body


def credential_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Queue the 60/30/7-day expiry reminders that are due; returns how many leads were sent.

    Safe to run as often as you like: a ``CredentialReminderSent`` row (unique per
    credential, lead and expiry date) is written with the emails, and each email has its
    own idempotency key, so a second run, or a run retried after a crash, sends nothing twice.
    Each reminder goes to the peer and to the program's admins.
    """
    now = now or timezone.now()
    horizon = now.date() + dt.timedelta(days=max(compliance.REMINDER_LEAD_DAYS) + 1)
    still_peer = Membership.objects.filter(
        program=OuterRef("profile__program"), user=OuterRef("profile__user"), role=Role.PEER
    )
    credentials = list(
        Credential.objects.filter(
            expires_on__isnull=False,
            expires_on__gte=now.date() - dt.timedelta(days=1),
            expires_on__lte=horizon,
        )
        .filter(Exists(still_peer))
        .select_related("profile__program", "profile__user")
        .prefetch_related(Prefetch("reminders", to_attr="_profiles_sent"))
    )
    if not credentials:
        return 0
    program_ids = {c.profile.program_id for c in credentials}
    admins: dict[int, list[User]] = {}
    for membership in Membership.objects.filter(program_id__in=program_ids, role=Role.ADMIN).select_related("user"):
        admins.setdefault(membership.program_id, []).append(membership.user)

    sent = 0
    for credential in credentials:
        program = credential.profile.program
        today = local_date(now, zone_named(program.time_zone))
        assert credential.expires_on is not None  # noqa: S101 - filtered above
        already = [r.days_before for r in credential._profiles_sent if r.expires_on == credential.expires_on]
        lead = compliance.reminder_due(expires_on=credential.expires_on, today=today, already_sent=already)
        if lead is None:
            continue
        with transaction.atomic():
            _row, created = CredentialReminderSent.objects.get_or_create(
                credential=credential, days_before=lead, expires_on=credential.expires_on, defaults={"sent_at": now}
            )
            if not created:
                continue
            recipients = [(credential.profile.user, True)] + [
                (admin, False) for admin in admins.get(program.pk, []) if admin.pk != credential.profile.user_id
            ]
            for person, for_peer in recipients:
                if not person.email or not person.is_active:
                    continue
                subject, body = _profiles_reminder_email(credential, lead=lead, recipient=person, for_peer=for_peer)
                accounts_services.email_queue(
                    to=person.email,
                    subject=subject,
                    body_text=body,
                    key=f"credential-expiry:{credential.pk}:{credential.expires_on:%Y%m%d}:{lead}:{person.pk}",
                )
        sent += 1
    return sent


# === work ============================================================================

if TYPE_CHECKING:
    from django.db.models import Model

SUPERVISION_TOPIC_VALUES = frozenset(value for value, _label in SUPERVISION_TOPICS)
ENCOUNTER_TOPIC_VALUES = frozenset(value for value, _label in ENCOUNTER_TOPICS)
#: A contact logged a little ahead of the server's clock (a phone running fast) is fine.
CLOCK_SLACK = dt.timedelta(minutes=10)
PHONE_DIGITS = (7, 15)


def _work_role(program: Program, user: User) -> str | None:
    return Membership.objects.filter(program=program, user=user).values_list("role", flat=True).first()


def _work_require_role(program: Program, user: User, *roles: str) -> None:
    if _work_role(program, user) not in roles:
        raise PermissionDenied


def _work_walks_with(program: Program, peer: User, member: User) -> bool:
    return CareTeamLink.objects.filter(
        program=program, member=member, supporter=peer, relation=CareRelation.PEER, ended_at__isnull=True
    ).exists()


def _work_full_clean(instance: Model, exclude: Sequence[str] = ()) -> None:
    instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)


def _work_send(*, to: User, subject: str, template: str, context: dict, key: str) -> None:
    """Queue one email once the surrounding write has committed."""

    def send() -> None:
        with translation.override(to.preferred_language or "en"):
            body = render_to_string(template, context)
            accounts_services.email_queue(to=to.email, subject=str(subject), body_text=body, key=key)

    transaction.on_commit(send)


# --- program settings ----------------------------------------------------------------------


def peer_settings_update(
    *,
    program: Program,
    actor: User,
    supervision_minutes: int,
    supervision_every_days: int,
    credentials_required: bool,
    match_max_distance_km: int,
    missed_calls_alert_after: int,
) -> PeerProgramSettings:
    _work_require_role(program, actor, Role.ADMIN)
    with transaction.atomic():
        row = peer_settings_for(program)
        row.supervision_minutes = supervision_minutes
        row.supervision_every_days = supervision_every_days
        row.credentials_required = credentials_required
        row.match_max_distance_km = match_max_distance_km
        row.missed_calls_alert_after = missed_calls_alert_after
        _work_full_clean(row, exclude=["program"])
        row.save(
            update_fields=[
                "supervision_minutes",
                "supervision_every_days",
                "credentials_required",
                "match_max_distance_km",
                "missed_calls_alert_after",
            ]
        )
    return row


# --- supervision ---------------------------------------------------------------------------


def _supervision_clean(
    *,
    program: Program,
    peer_ids: Sequence[int],
    held_on: dt.date,
    duration_minutes: int,
    format: str,
    topics: Sequence[str],
    notes: str,
    follow_ups: str,
    now: dt.datetime,
) -> list[int]:
    errors: dict[str, str] = {}
    ids = sorted(set(peer_ids))
    if not ids:
        errors["peers"] = _("Choose who took part.")
    elif Membership.objects.filter(program=program, role=Role.PEER, user_id__in=ids).count() != len(ids):
        errors["peers"] = _("Choose peers of this program from the list.")
    if format not in SupervisionFormat.values:
        errors["format"] = _("Choose individual or group.")
    elif format == SupervisionFormat.INDIVIDUAL and len(ids) > 1:
        errors["peers"] = _("An individual session is with one peer. Choose one, or mark it as a group session.")
    today = local_date(now, zone_named(program.time_zone))
    if held_on > today:
        errors["held_on"] = _("The session cannot be in the future. Log it once it has happened.")
    elif held_on < today - dt.timedelta(days=2 * 366):
        errors["held_on"] = _("That date is more than two years ago. Check the year.")
    if not 5 <= duration_minutes <= 600:
        errors["duration_minutes"] = _("Give the length in minutes, from 5 to 600.")
    if not set(topics) <= SUPERVISION_TOPIC_VALUES:
        errors["topics"] = _("Choose topics from the list.")
    if len(notes) > 4000:
        errors["notes"] = _("Keep the notes to 4000 characters or fewer.")
    if len(follow_ups) > 2000:
        errors["follow_ups"] = _("Keep the follow-ups to 2000 characters or fewer.")
    if errors:
        raise ValidationError(errors)
    return ids


def supervision_log(
    *,
    program: Program,
    supervisor: User,
    peer_ids: Sequence[int],
    held_on: dt.date,
    duration_minutes: int,
    format: str,
    topics: Sequence[str] = (),
    notes: str = "",
    follow_ups: str = "",
    now: dt.datetime | None = None,
) -> SupervisionSession:
    """Log a session. It answers any "I need supervision" flag of the peers who attended."""
    _work_require_role(program, supervisor, Role.SUPERVISOR)
    now = now or timezone.now()
    notes, follow_ups = notes.strip(), follow_ups.strip()
    ids = _supervision_clean(
        program=program,
        peer_ids=peer_ids,
        held_on=held_on,
        duration_minutes=duration_minutes,
        format=format,
        topics=topics,
        notes=notes,
        follow_ups=follow_ups,
        now=now,
    )
    with transaction.atomic():
        session = SupervisionSession.objects.create(
            program=program,
            supervisor=supervisor,
            held_on=held_on,
            duration_minutes=duration_minutes,
            format=format,
            topics=[value for value, _label in SUPERVISION_TOPICS if value in set(topics)],
            notes=notes,
            follow_ups=follow_ups,
            created_at=now,
        )
        session.peers.set(ids)
        PeerProfile.objects.filter(program=program, user_id__in=ids, needs_supervision_since__isnull=False).update(
            needs_supervision_since=None, updated_at=now
        )
    return session


def supervision_request(*, program: Program, peer: User, now: dt.datetime | None = None) -> PeerProfile:
    """A peer asks for supervision. Their supervisor(s) hear by email, once per request."""
    _work_require_role(program, peer, Role.PEER)
    now = now or timezone.now()
    with transaction.atomic():
        profile = peer_profile_get_or_create(program=program, user=peer)
        profile = PeerProfile.objects.select_for_update().get(pk=profile.pk)
        if profile.needs_supervision_since is not None:
            return profile
        profile.needs_supervision_since = now
        profile.updated_at = now
        profile.save(update_fields=["needs_supervision_since", "updated_at"])
        link = settings.SITE_URL + reverse("supervision", kwargs={"slug": program.slug})
        stamp = int(now.timestamp())
        for supervisor in selectors.work_supervisors_of(program, peer):
            with translation.override(supervisor.preferred_language or program.default_language):
                subject = _("%(peer)s would like supervision") % {"peer": peer.display_name}
            _work_send(
                to=supervisor,
                subject=subject,
                template="peers/work/email/supervision_request.txt",
                context={"peer": peer.display_name, "program": program.name, "link": link},
                key=f"supervision-request:{profile.pk}:{stamp}:{supervisor.pk}",
            )
    return profile


def supervision_request_clear(
    *, program: Program, supervisor: User, peer: User, now: dt.datetime | None = None
) -> bool:
    """A supervisor answers a request another way (a call, a hallway talk). True when a
    flag was up."""
    _work_require_role(program, supervisor, Role.SUPERVISOR)
    if peer.pk not in selectors.work_team_peer_ids(program, supervisor):
        raise PermissionDenied
    with transaction.atomic():
        cleared = PeerProfile.objects.filter(program=program, user=peer, needs_supervision_since__isnull=False).update(
            needs_supervision_since=None, updated_at=now or timezone.now()
        )
    return bool(cleared)


def self_care_record(
    *,
    program: Program,
    peer: User,
    energy: int,
    stress: int,
    note: str = "",
    shared_with_supervisor: bool = False,
    now: dt.datetime | None = None,
) -> SelfCareCheck:
    _work_require_role(program, peer, Role.PEER)
    errors = {}
    if not 1 <= energy <= 5:
        errors["energy"] = _("Choose your energy from 1 to 5.")
    if not 1 <= stress <= 5:
        errors["stress"] = _("Choose your stress from 1 to 5.")
    note = note.strip()
    if len(note) > 500:
        errors["note"] = _("Keep the note to 500 characters or fewer.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return SelfCareCheck.objects.create(
            program=program,
            peer=peer,
            energy=energy,
            stress=stress,
            note=note,
            shared_with_supervisor=shared_with_supervisor,
            created_at=now or timezone.now(),
        )


# --- contact notes ---------------------------------------------------------------------------


def _encounter_clean(
    *,
    member: User,
    occurred_at: dt.datetime,
    duration_minutes: int,
    mode: str,
    topics: Sequence[str],
    goal_ids: Sequence[int],
    referrals: str,
    summary: str,
    next_step: str,
    follow_up_on: dt.date | None,
    zone: dt.tzinfo,
    now: dt.datetime,
) -> list[Goal]:
    errors: dict[str, str] = {}
    if occurred_at.tzinfo is None or occurred_at.utcoffset() is None:
        raise ValueError("occurred_at must be an aware datetime")
    if occurred_at > now + CLOCK_SLACK:
        errors["occurred_at"] = _("The contact cannot be in the future. Log it once it has happened.")
    elif occurred_at < now - dt.timedelta(days=2 * 366):
        errors["occurred_at"] = _("That date is more than two years ago. Check the year.")
    if not 1 <= duration_minutes <= 600:
        errors["duration_minutes"] = _("Give the length in minutes, from 1 to 600.")
    if mode not in EncounterMode.values:
        errors["mode"] = _("Choose how you were in touch.")
    if not set(topics) <= ENCOUNTER_TOPIC_VALUES:
        errors["topics"] = _("Choose topics from the list.")
    for name, value, limit in (
        ("referrals", referrals, 500),
        ("summary", summary, 2000),
        ("next_step", next_step, 300),
    ):
        if len(value) > limit:
            errors[name] = _("Keep this to %(limit)s characters or fewer.") % {"limit": limit}
    goals = list(Goal.objects.filter(user=member, shared_with_peer=True, pk__in=set(goal_ids)))
    if len(goals) != len(set(goal_ids)):
        errors["goals"] = _("Choose from the goals they share with you.")
    if follow_up_on is not None and follow_up_on < local_date(occurred_at, zone):
        errors["follow_up_on"] = _("The follow-up cannot be before the contact itself.")
    if errors:
        raise ValidationError(errors)
    return goals


def encounter_log(
    *,
    program: Program,
    peer: User,
    member: User,
    occurred_at: dt.datetime,
    duration_minutes: int,
    mode: str,
    topics: Sequence[str] = (),
    goal_ids: Sequence[int] = (),
    referrals: str = "",
    summary: str = "",
    next_step: str = "",
    follow_up_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Encounter:
    """A peer notes a contact with a member they walk with."""
    _work_require_role(program, peer, Role.PEER)
    if not _work_walks_with(program, peer, member):
        raise PermissionDenied
    now = now or timezone.now()
    referrals, summary, next_step = referrals.strip(), summary.strip(), next_step.strip()
    goals = _encounter_clean(
        member=member,
        occurred_at=occurred_at,
        duration_minutes=duration_minutes,
        mode=mode,
        topics=topics,
        goal_ids=goal_ids,
        referrals=referrals,
        summary=summary,
        next_step=next_step,
        follow_up_on=follow_up_on,
        zone=zone_of(peer),
        now=now,
    )
    with transaction.atomic():
        note = Encounter.objects.create(
            program=program,
            peer=peer,
            member=member,
            occurred_at=occurred_at,
            duration_minutes=duration_minutes,
            mode=mode,
            topics=[value for value, _label in ENCOUNTER_TOPICS if value in set(topics)],
            referrals=referrals,
            summary=summary,
            next_step=next_step,
            follow_up_on=follow_up_on,
            created_at=now,
            updated_at=now,
        )
        note.goals_touched.set(goals)
    return note


def encounter_update(
    *,
    encounter: Encounter,
    editor: User,
    occurred_at: dt.datetime,
    duration_minutes: int,
    mode: str,
    topics: Sequence[str],
    goal_ids: Sequence[int],
    referrals: str,
    summary: str,
    next_step: str,
    follow_up_on: dt.date | None,
    now: dt.datetime | None = None,
) -> Encounter:
    """Only the peer who wrote a note edits it. A new follow-up date is a new reminder."""
    if encounter.peer_id != editor.pk:
        raise PermissionDenied
    now = now or timezone.now()
    referrals, summary, next_step = referrals.strip(), summary.strip(), next_step.strip()
    goals = _encounter_clean(
        member=encounter.member,
        occurred_at=occurred_at,
        duration_minutes=duration_minutes,
        mode=mode,
        topics=topics,
        goal_ids=goal_ids,
        referrals=referrals,
        summary=summary,
        next_step=next_step,
        follow_up_on=follow_up_on,
        zone=zone_of(editor),
        now=now,
    )
    fields = ["occurred_at", "duration_minutes", "mode", "topics", "referrals", "summary", "next_step", "updated_at"]
    with transaction.atomic():
        if follow_up_on != encounter.follow_up_on:
            encounter.follow_up_on = follow_up_on
            encounter.follow_up_reminded_at = None
            encounter.follow_up_done_at = None
            fields += ["follow_up_on", "follow_up_reminded_at", "follow_up_done_at"]
        encounter.occurred_at = occurred_at
        encounter.duration_minutes = duration_minutes
        encounter.mode = mode
        encounter.topics = [value for value, _label in ENCOUNTER_TOPICS if value in set(topics)]
        encounter.referrals = referrals
        encounter.summary = summary
        encounter.next_step = next_step
        encounter.updated_at = now
        encounter.save(update_fields=fields)
        encounter.goals_touched.set(goals)
    return encounter


def encounter_follow_up_done(*, encounter: Encounter, actor: User, now: dt.datetime | None = None) -> Encounter:
    if encounter.peer_id != actor.pk:
        raise PermissionDenied
    if encounter.follow_up_on is None:
        raise ValidationError(_("This note has no follow-up to mark as done."))
    if encounter.follow_up_done_at is None:
        with transaction.atomic():
            encounter.follow_up_done_at = now or timezone.now()
            encounter.save(update_fields=["follow_up_done_at"])
    return encounter


def encounter_followups_send(*, now: dt.datetime | None = None) -> int:
    """Email each peer on the morning their follow-up falls due (in the peer's own day).

    Safe to run as often as a sweep likes: a note is reminded once per follow-up date
    (``follow_up_reminded_at``, and the email's key names the date too).
    """
    now = now or timezone.now()
    # No zone on Earth is more than a day ahead of UTC: anything later is not due anywhere.
    horizon = now.astimezone(dt.UTC).date() + dt.timedelta(days=1)
    candidates = (
        Encounter.objects.filter(
            follow_up_on__lte=horizon,
            follow_up_done_at__isnull=True,
            follow_up_reminded_at__isnull=True,
            peer__isnull=False,
            peer__is_active=True,
        )
        .select_related("peer", "member", "program")
        .order_by("pk")
    )
    sent = 0
    for note in candidates:
        peer = note.peer
        assert peer is not None  # noqa: S101 - filtered above
        if note.follow_up_on is None or note.follow_up_on > local_date(now, zone_of(peer)):
            continue
        with transaction.atomic():
            claimed = Encounter.objects.filter(pk=note.pk, follow_up_reminded_at__isnull=True).update(
                follow_up_reminded_at=now
            )
            if not claimed:
                continue  # another sweep got here first
            link = settings.SITE_URL + reverse(
                "member_contacts", kwargs={"slug": note.program.slug, "user_id": note.member_id}
            )
            with translation.override(peer.preferred_language or note.program.default_language):
                subject = _("Follow up with %(member)s today") % {"member": note.member.display_name}
            _work_send(
                to=peer,
                subject=subject,
                template="peers/work/email/follow_up.txt",
                context={
                    "member": note.member.display_name,
                    "next_step": note.next_step,
                    "contact_on": local_date(note.occurred_at, zone_of(peer)),
                    "link": link,
                },
                key=f"encounter-follow-up:{note.pk}:{note.follow_up_on.isoformat()}",
            )
        sent += 1
    return sent


# --- scheduled calls ---------------------------------------------------------------------------


def _clean_phone(phone: str) -> str:
    phone = phone.strip()
    digits = sum(ch.isdigit() for ch in phone)
    allowed = set("0123456789+-(). ")
    if not phone or any(ch not in allowed for ch in phone) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
        raise ValidationError(
            {"phone": _("Enter a phone number with 7 to 15 digits, like 714-555-0142 or +1 714 555 0142.")}
        )
    return phone[:40]


def call_plan_save(
    *,
    program: Program,
    member: User,
    weekday: int,
    call_time: dt.time,
    phone: str,
    voicemail_ok: bool,
    now: dt.datetime | None = None,
) -> CallPlan:
    """Start or change the member's weekly call; starting again reuses their last plan."""
    _work_require_role(program, member, Role.MEMBER)
    if not 0 <= weekday <= 6:
        raise ValidationError({"weekday": _("Choose a day of the week.")})
    phone = _clean_phone(phone)
    now = now or timezone.now()
    with transaction.atomic():
        plan = selectors.my_call_plan(member, program)
        if plan is None:
            try:
                with transaction.atomic():
                    return CallPlan.objects.create(
                        program=program,
                        member=member,
                        weekday=weekday,
                        call_time=call_time,
                        phone=phone,
                        voicemail_ok=voicemail_ok,
                        created_at=now,
                        updated_at=now,
                    )
            except IntegrityError:
                # A second tab saved first; change that one instead.
                plan = CallPlan.objects.get(program=program, member=member, active=True)
        plan.weekday = weekday
        plan.call_time = call_time
        plan.phone = phone
        plan.voicemail_ok = voicemail_ok
        plan.active = True
        plan.updated_at = now
        plan.save(update_fields=["weekday", "call_time", "phone", "voicemail_ok", "active", "updated_at"])
    return plan


def call_plan_pause(*, program: Program, member: User, now: dt.datetime | None = None) -> bool:
    """Pause (or stop) the member's calls. True when there was an active plan."""
    _work_require_role(program, member, Role.MEMBER)
    with transaction.atomic():
        changed = CallPlan.objects.filter(program=program, member=member, active=True).update(
            active=False, updated_at=now or timezone.now()
        )
    return bool(changed)


class AlreadyRecorded(ValidationError):
    """This week's call of the plan already has an outcome."""


def call_attempt_record(
    *,
    plan: CallPlan,
    peer: User,
    outcome: str,
    note: str = "",
    now: dt.datetime | None = None,
) -> CallAttempt:
    """Record how this week's call went. Voicemail only when the member allowed it."""
    program = plan.program
    _work_require_role(program, peer, Role.PEER)
    if not _work_walks_with(program, peer, plan.member):
        raise PermissionDenied
    now = now or timezone.now()
    if not plan.active:
        raise ValidationError(_("These calls are paused by the member, so there is nothing to record."))
    if outcome not in CallOutcome.values:
        raise ValidationError({"outcome": _("Choose reached, voicemail or no answer.")})
    if outcome == CallOutcome.VOICEMAIL and not plan.voicemail_ok:
        raise ValidationError(
            {
                "outcome": _(
                    "This member has not allowed voicemails. Record no answer instead, and do not leave a message."
                )
            }
        )
    note = note.strip()
    if len(note) > 300:
        raise ValidationError({"note": _("Keep the note to 300 characters or fewer.")})
    due_on = selectors.call_due_on(plan.weekday, local_date(now, zone_of(plan.member)))
    with transaction.atomic():
        try:
            with transaction.atomic():
                attempt = CallAttempt.objects.create(
                    plan=plan, due_on=due_on, outcome=outcome, note=note, recorded_by=peer, recorded_at=now
                )
        except IntegrityError:
            raise AlreadyRecorded(_("This week's call is already recorded.")) from None
        _call_streak_check(plan, now)
    return attempt


def _call_streak_check(plan: CallPlan, now: dt.datetime) -> None:
    threshold = selectors.work_settings_of(plan.program).missed_calls_alert_after
    last_reached = (
        plan.attempts.filter(outcome=CallOutcome.REACHED).order_by("-due_on").values_list("due_on", flat=True).first()
    )
    misses = plan.attempts.exclude(outcome=CallOutcome.REACHED)
    if last_reached is not None:
        misses = misses.filter(due_on__gt=last_reached)
    dates = list(misses.order_by("due_on").values_list("due_on", flat=True))
    if len(dates) < threshold:
        return
    member = plan.member
    with translation.override(plan.program.default_language):
        label = ngettext(
            "%(count)s weekly call in a row not reached",
            "%(count)s weekly calls in a row not reached",
            len(dates),
        ) % {"count": len(dates)}
    safety_services.alert_raise(
        program=plan.program,
        subject=member,
        kind=AlertKind.MISSED_CALLS,
        severity=Severity.CONCERN,
        source_label=label,
        source_url=reverse("program_person", kwargs={"slug": plan.program.slug, "user_id": member.pk}),
        source_key=f"missed-calls:{plan.pk}:{dates[0].isoformat()}",
        message=label,
        reasons=[{"rule": "missed_calls", "phrase": f"{len(dates)} calls in a row not reached since {dates[0]}"}],
        now=now,
    )


# === matching ========================================================================

#: Genders a member may ask for in a peer ("" is anyone).
PEER_GENDER_CHOICES = ("", Gender.WOMAN.value, Gender.MAN.value, Gender.NON_BINARY.value)
LIVED_EXPERIENCE_KEYS = tuple(key for key, _label in LIVED_EXPERIENCE)


# --- preferences ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PreferencesSaved:
    preferences: MatchPreferences
    located: bool  # False when a city was given but the gazetteer does not know it


def _matching_check_choices(values: Sequence[str], allowed: Sequence[str], field: str) -> list[str]:
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValidationError({field: _("Choose from the list (not “%(value)s”).") % {"value": unknown[0][:40]}})
    return sorted(set(values), key=list(allowed).index)


def match_preferences_save(
    *,
    user: User,
    looking: bool,
    gender: str,
    peer_gender_preference: str,
    age_range: str,
    lived_experience_wanted: Sequence[str],
    city: str,
    remote_ok: bool,
    availability: Sequence[str],
) -> PreferencesSaved:
    """Save what a member would like in a peer. An unknown city is kept without coordinates
    (only peers who meet by phone or video can then be suggested)."""
    errors: dict[str, str] = {}
    if gender not in ("", *Gender.values):
        errors["gender"] = _("Choose one of the options, or leave it empty.")
    if peer_gender_preference not in PEER_GENDER_CHOICES:
        errors["peer_gender_preference"] = _("Choose “anyone”, woman, man or non-binary.")
    if age_range not in ("", *AgeRange.values):
        errors["age_range"] = _("Choose one of the age ranges, or leave it empty.")
    city = (city or "").strip()
    if len(city) > 120:
        errors["city"] = _("Keep the city under 120 characters.")
    if errors:
        raise ValidationError(errors)
    lived = _matching_check_choices(lived_experience_wanted, LIVED_EXPERIENCE_KEYS, "lived_experience_wanted")
    slots = _matching_check_choices(availability, AVAILABILITY_SLOTS, "availability")
    places = gazetteer.find_places(city, limit=1) if city else []
    latitude = places[0].latitude if places else None
    longitude = places[0].longitude if places else None
    with transaction.atomic():
        preferences, _created = MatchPreferences.objects.select_for_update().get_or_create(user=user)
        preferences.looking = looking
        preferences.gender = gender
        preferences.peer_gender_preference = peer_gender_preference
        preferences.age_range = age_range
        preferences.lived_experience_wanted = lived
        preferences.city = city
        preferences.latitude = latitude
        preferences.longitude = longitude
        preferences.remote_ok = remote_ok
        preferences.availability = slots
        preferences.updated_at = timezone.now()
        preferences.save(
            update_fields=[
                "looking",
                "gender",
                "peer_gender_preference",
                "age_range",
                "lived_experience_wanted",
                "city",
                "latitude",
                "longitude",
                "remote_ok",
                "availability",
                "updated_at",
            ]
        )
    return PreferencesSaved(preferences, located=not city or bool(places))


# --- requests -------------------------------------------------------------------------------


def _matching_url(name: str, *args: object) -> str:
    return settings.SITE_URL + reverse(name, args=list(args))


def _matching_language(person: User, program: Program) -> str:
    return person.preferred_language or program.default_language or "en"


def _matching_role(program: Program, user: User) -> str | None:
    return Membership.objects.filter(program=program, user=user).values_list("role", flat=True).first()


def _matching_email_peer_asked(match_request: MatchRequest) -> None:
    peer, program = match_request.peer, match_request.program
    with translation.override(_matching_language(peer, program)):
        accounts_services.email_queue(
            to=peer.email,
            subject=_("Someone would like you to walk alongside them"),
            body_text=_(
                "%(handle)s, a member of %(program)s, asked whether you could be their peer supporter.\n\n"
                "You can say yes, or “not this time”, here: %(url)s\n\nEither answer is fine."
            )
            % {
                "handle": match_request.member.display_name,
                "program": program.name,
                "url": _matching_url("match_requests_inbox", program.slug),
            },
            key=f"match-request:{match_request.pk}",
        )


def match_request_create(
    *,
    program: Program,
    member: User,
    peer: User,
    requested_by: User,
    message: str = "",
    replace: bool = False,
    today: dt.date | None = None,
) -> MatchRequest:
    """Ask a peer to walk with a member. The pair must pass every hard rule. A member has
    at most one request waiting: a new one replaces the old only with ``replace=True``
    (the page asks first). The member's current peer stays until the new one says yes."""
    message = (message or "").strip()
    if len(message) > 500:
        raise ValidationError({"message": _("Keep the note under 500 characters.")})
    if _matching_role(program, member) != Role.MEMBER:
        raise ValidationError({"member": _("Only a member of this program can ask for a peer supporter.")})
    if requested_by.pk != member.pk and _matching_role(program, requested_by) != Role.ADMIN:
        raise ValidationError(_("Only the member or a program admin can ask for a peer."))
    today = today or selectors.program_today(program)
    found = selectors.peer_offer_of(program, peer.pk, today)
    if found is None:
        raise ValidationError({"peer": _("That person is not a peer supporter in this program.")})
    blocked = selectors.blocked_peer_ids(program, member)
    why = blocked.get(peer.pk)
    if why == "current_peer":
        raise ValidationError({"peer": _("This peer already walks alongside this member.")})
    if why == "pending":
        raise ValidationError({"peer": _("This peer has already been asked and has not answered yet.")})
    if why == "declined_recently":
        raise ValidationError({"peer": _("This peer said “not this time” lately. Choose another peer for now.")})
    if not found.accepting_new:
        raise ValidationError({"peer": _("They are not taking on someone new right now.")})
    needs = selectors.member_needs_of(member)
    max_km = float(selectors.program_peer_settings(program).match_max_distance_km)
    broken = matching.why_not(needs, found.offer, excluded=why == "known prior relationship", max_distance_km=max_km)
    if broken is not None:
        raise ValidationError({"peer": _("This peer cannot be matched: %(why)s.") % {"why": reasons.rule_text(broken)}})
    score, why_fit, _km = matching.score_pair(needs, found.offer, max_distance_km=max_km)
    with transaction.atomic():
        waiting = (
            MatchRequest.objects.select_for_update()
            .filter(program=program, member=member, status=MatchRequestStatus.PENDING)
            .select_related("peer")
            .first()
        )
        if waiting is not None:
            if waiting.peer_id == peer.pk:
                raise ValidationError({"peer": _("This peer has already been asked and has not answered yet.")})
            if not replace:
                raise ValidationError(
                    _("There is already a request waiting. Confirm that the new one should replace it."),
                    code="pending_exists",
                )
            waiting.status = MatchRequestStatus.WITHDRAWN
            waiting.decided_at = timezone.now()
            waiting.save(update_fields=["status", "decided_at"])
        try:
            with transaction.atomic():
                created = MatchRequest.objects.create(
                    program=program,
                    member=member,
                    peer=peer,
                    requested_by=requested_by,
                    message=message,
                    score=score,
                    reasons=reasons.reasons_to_json(why_fit),
                )
        except IntegrityError as error:
            # Another request arrived at the same moment; the member sees it and decides.
            raise ValidationError(
                _("There is already a request waiting. Confirm that the new one should replace it."),
                code="pending_exists",
            ) from error
        _matching_email_peer_asked(created)
    return created


def _matching_require_pending(match_request: MatchRequest) -> MatchRequest:
    fresh = (
        MatchRequest.objects.select_for_update().select_related("member", "peer", "program").get(pk=match_request.pk)
    )
    if fresh.status != MatchRequestStatus.PENDING:
        raise ValidationError(_("This request has already been answered or withdrawn."), code="not_pending")
    return fresh


def match_request_accept(*, match_request: MatchRequest, peer: User, today: dt.date | None = None) -> CareTeamLink:
    """The peer says yes: they join the member's care team, and any previous peer's link
    ends (the previous peer is told kindly, without reasons)."""
    with transaction.atomic():
        fresh = _matching_require_pending(match_request)
        if fresh.peer_id != peer.pk:
            raise ValidationError(_("Only the peer who was asked can answer."))
        program, member = fresh.program, fresh.member
        today = today or selectors.program_today(program)
        found = selectors.peer_offer_of(program, peer.pk, today)
        if found is None:
            raise ValidationError(_("You need a peer profile in this program before you take someone on."))
        if not found.offer.credential_valid:
            raise ValidationError(
                _(
                    "Your credential needs to be verified and current before you take someone new on. Talk to your admin."
                )
            )
        walking_with = selectors.active_peer_counts(program, [peer.pk]).get(peer.pk, 0)
        if walking_with >= found.offer.capacity:
            raise ValidationError(
                _(
                    "You walk with %(count)s people, the most you said you can. Raise your capacity on your "
                    "profile first, or say “not this time”."
                )
                % {"count": walking_with}
            )
        previous = list(
            CareTeamLink.objects.select_for_update()
            .filter(program=program, member=member, relation=CareRelation.PEER, ended_at__isnull=True)
            .exclude(supporter=peer)
            .select_related("supporter")
        )
        link = accounts_services.care_team_link(
            program=program, member=member, supporter=peer, relation=CareRelation.PEER
        )
        for old in previous:
            accounts_services.care_team_end(link=old)
            _matching_email_moved_on(old, program)
        fresh.status = MatchRequestStatus.ACCEPTED
        fresh.decided_at = timezone.now()
        fresh.save(update_fields=["status", "decided_at"])
        with translation.override(_matching_language(member, program)):
            accounts_services.email_queue(
                to=member.email,
                subject=_("A peer supporter said yes"),
                body_text=_(
                    "Good news: %(peer)s said yes and will walk alongside you in %(program)s.\n\n"
                    "They will be in touch. You can see your care team here: %(url)s"
                )
                % {
                    "peer": _matching_peer_name(program, peer),
                    "program": program.name,
                    "url": _matching_url("match_find"),
                },
                key=f"match-accepted:{fresh.pk}",
            )
    return link


def _matching_peer_name(program: Program, peer: User) -> str:
    return selectors.profile_names(program, [peer.pk]).get(peer.pk) or peer.display_name


def _matching_email_moved_on(link: CareTeamLink, program: Program) -> None:
    peer = link.supporter
    with translation.override(_matching_language(peer, program)):
        accounts_services.email_queue(
            to=peer.email,
            subject=_("%(handle)s has moved on to another peer") % {"handle": link.member.display_name},
            body_text=_(
                "%(handle)s is now walking with another peer supporter in %(program)s. This happens, and it is "
                "nobody's fault. Thank you for the time you walked together.\n\nThere is nothing you need to do."
            )
            % {"handle": link.member.display_name, "program": program.name},
            key=f"match-moved-on:{link.pk}",
        )


def match_request_decline(*, match_request: MatchRequest, peer: User, note: str = "") -> MatchRequest:
    """The peer says "not this time". The note stays with the peer and the admins; the
    member hears kindly, and is pointed to other peers."""
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"note": _("Keep the note under 500 characters.")})
    with transaction.atomic():
        fresh = _matching_require_pending(match_request)
        if fresh.peer_id != peer.pk:
            raise ValidationError(_("Only the peer who was asked can answer."))
        fresh.status = MatchRequestStatus.DECLINED
        fresh.decline_note = note
        fresh.decided_at = timezone.now()
        fresh.save(update_fields=["status", "decline_note", "decided_at"])
        member, program = fresh.member, fresh.program
        with translation.override(_matching_language(member, program)):
            accounts_services.email_queue(
                to=member.email,
                subject=_("About your request for a peer supporter"),
                body_text=_(
                    "The peer you asked can't take this on right now. A “not this time” is about their time, "
                    "never a judgement of you.\n\nOther peers could be a good fit; you can ask one here: %(url)s"
                )
                % {"url": _matching_url("match_find")},
                key=f"match-declined:{fresh.pk}",
            )
    return fresh


def match_request_withdraw(*, match_request: MatchRequest, by: User) -> MatchRequest:
    """The member (or an admin) takes a waiting request back."""
    with transaction.atomic():
        fresh = _matching_require_pending(match_request)
        if by.pk != fresh.member_id and _matching_role(fresh.program, by) != Role.ADMIN:
            raise ValidationError(_("Only the member or a program admin can withdraw this request."))
        fresh.status = MatchRequestStatus.WITHDRAWN
        fresh.decided_at = timezone.now()
        fresh.save(update_fields=["status", "decided_at"])
    return fresh


# --- exclusions ----------------------------------------------------------------------------


def match_exclusion_add(*, program: Program, member: User, peer: User, reason: str, created_by: User) -> MatchExclusion:
    """Never match this pair (a known prior relationship). A request waiting between them
    is withdrawn; a care team link they already have is left to the admin."""
    reason = (reason or "").strip()
    if len(reason) > 200:
        raise ValidationError({"reason": _("Keep the reason under 200 characters.")})
    if _matching_role(program, member) != Role.MEMBER:
        raise ValidationError({"member": _("That person is not a member of this program.")})
    if _matching_role(program, peer) != Role.PEER:
        raise ValidationError({"peer": _("That person is not a peer supporter in this program.")})
    with transaction.atomic():
        try:
            with transaction.atomic():
                exclusion = MatchExclusion.objects.create(
                    program=program, member=member, peer=peer, reason=reason, created_by=created_by
                )
        except IntegrityError as error:
            raise ValidationError(_("This pair is already excluded.")) from error
        MatchRequest.objects.filter(
            program=program, member=member, peer=peer, status=MatchRequestStatus.PENDING
        ).update(status=MatchRequestStatus.WITHDRAWN, decided_at=timezone.now())
    return exclusion


def match_exclusion_remove(*, exclusion: MatchExclusion) -> None:
    with transaction.atomic():
        exclusion.delete()


# --- rounds ---------------------------------------------------------------------------------


def match_round_run(*, program: Program, admin: User, today: dt.date | None = None) -> MatchRound:
    """Propose peers for every waiting member at once (the most members matched, then the
    best total fit). Nothing changes for anyone until an admin applies the proposal."""
    if selectors.proposed_round(program) is not None:
        raise ValidationError(_("A proposed round is waiting. Apply it or discard it before running another."))
    today = today or selectors.program_today(program)
    waiting = selectors.waiting_members(program)
    pool = selectors.match_pool(program, today)
    blocked = selectors.blocked_pairs(program, [int(n.id) for n in waiting.needs])
    max_km = float(selectors.program_peer_settings(program).match_max_distance_km)
    result = matching.assign(waiting.needs, pool, exclusions=blocked, max_distance_km=max_km)
    with transaction.atomic():
        try:
            with transaction.atomic():
                matching_round = MatchRound.objects.create(
                    program=program,
                    created_by=admin,
                    members_waiting=len(waiting.needs),
                    members_matched=len(result.assignments),
                    objective=result.objective,
                    unassigned=[
                        {"member": member_id, "handle": waiting.handles.get(int(member_id), ""), "reason": why}
                        for member_id, why in result.unassigned
                    ],
                )
        except IntegrityError as error:
            raise ValidationError(
                _("A proposed round is waiting. Apply it or discard it before running another.")
            ) from error
        MatchProposal.objects.bulk_create(
            [
                MatchProposal(
                    round=matching_round,
                    member_id=int(a.member_id),
                    peer_id=int(a.peer_id),
                    score=a.score,
                    reasons=reasons.reasons_to_json(a.reasons),
                )
                for a in result.assignments
            ]
        )
    return matching_round


@dataclass(frozen=True)
class RoundApplied:
    requested: int
    skipped: int


def _matching_require_proposed(matching_round: MatchRound) -> MatchRound:
    fresh = MatchRound.objects.select_for_update().select_related("program").get(pk=matching_round.pk)
    if fresh.status != MatchRoundStatus.PROPOSED:
        raise ValidationError(_("This round has already been applied or discarded."), code="not_proposed")
    return fresh


def match_round_apply(*, matching_round: MatchRound, admin: User, today: dt.date | None = None) -> RoundApplied:
    """Send each proposal to its peer as a request from the admin; skip, with a note, the
    ones that no longer hold."""
    with transaction.atomic():
        fresh = _matching_require_proposed(matching_round)
        program = fresh.program
        today = today or selectors.program_today(program)
        proposals = list(fresh.proposals.select_related("member", "peer"))
        still_waiting = {int(n.id): n for n in selectors.waiting_members(program).needs}
        pool = {int(p.offer.id): p for p in selectors.peer_pool(program, today, include_closed=True)}
        blocked = selectors.blocked_pairs(program, [p.member_id for p in proposals])
        places = {peer_id: p.offer.free_places for peer_id, p in pool.items()}
        max_km = float(selectors.program_peer_settings(program).match_max_distance_km)
        requested = skipped = 0
        for proposal in sorted(proposals, key=lambda p: (-p.score, p.pk)):
            needs = still_waiting.get(proposal.member_id)
            peer = pool.get(proposal.peer_id)
            note = ""
            if needs is None:
                note = "member_not_waiting"
            elif peer is None:
                note = "no_profile"
            elif not peer.accepting_new:
                note = "not_accepting"
            else:
                offer = peer.offer
                # places already given to earlier proposals of this round count as taken
                taken = offer.capacity - places.get(proposal.peer_id, 0)
                offer = dataclasses.replace(offer, current_caseload=taken)
                note = (
                    matching.why_not(
                        needs,
                        offer,
                        excluded=(proposal.member_id, proposal.peer_id) in blocked,
                        max_distance_km=max_km,
                    )
                    or ""
                )
            if note:
                proposal.outcome, proposal.note = "skipped", note
                proposal.save(update_fields=["outcome", "note"])
                skipped += 1
                continue
            assert needs is not None and peer is not None  # noqa: S101 - both checked above
            score, why_fit, _km = matching.score_pair(needs, peer.offer, max_distance_km=max_km)
            created = MatchRequest.objects.create(
                program=program,
                member=proposal.member,
                peer=proposal.peer,
                requested_by=admin,
                score=score,
                reasons=reasons.reasons_to_json(why_fit),
            )
            _matching_email_peer_asked(created)
            places[proposal.peer_id] = places.get(proposal.peer_id, 0) - 1
            still_waiting.pop(proposal.member_id, None)
            proposal.outcome = "requested"
            proposal.save(update_fields=["outcome"])
            requested += 1
        fresh.status = MatchRoundStatus.APPLIED
        fresh.decided_by = admin
        fresh.decided_at = timezone.now()
        fresh.save(update_fields=["status", "decided_by", "decided_at"])
    return RoundApplied(requested, skipped)


def match_round_discard(*, matching_round: MatchRound, admin: User) -> MatchRound:
    with transaction.atomic():
        fresh = _matching_require_proposed(matching_round)
        fresh.status = MatchRoundStatus.DISCARDED
        fresh.decided_by = admin
        fresh.decided_at = timezone.now()
        fresh.save(update_fields=["status", "decided_by", "decided_at"])
    return fresh
