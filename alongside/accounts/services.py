"""Every write about people, programs, consent and audit goes through here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alongside.accounts.models import (
    ApiToken,
    AuditEvent,
    CareRelation,
    CareTeamLink,
    Consent,
    ConsentScope,
    Invitation,
    Membership,
    OutboundEmail,
    Program,
    Role,
    User,
)
from alongside.lib.tokens import new_secret, secret_hash

if TYPE_CHECKING:
    from collections.abc import Iterable


# --- email -----------------------------------------------------------------------------


def email_queue(*, to: str, subject: str, body_text: str, body_html: str = "", key: str) -> OutboundEmail:
    """Store an email and hand it to the task worker once the surrounding write commits."""
    from alongside.accounts.tasks import deliver_email

    with transaction.atomic():
        email, created = OutboundEmail.objects.get_or_create(
            idempotency_key=key[:120],
            defaults={"to": to, "subject": subject[:255], "body_text": body_text, "body_html": body_html},
        )
        if created:
            transaction.on_commit(lambda: deliver_email.enqueue(email.pk))
    return email


# --- profile ---------------------------------------------------------------------------


def user_set_handle(*, user: User, handle: str) -> User:
    user.handle = handle.strip()
    user.full_clean(validate_unique=False, exclude=["password", "email"])
    if User.objects.filter(handle__iexact=user.handle).exclude(pk=user.pk).exists():
        raise ValidationError({"handle": _("Someone already uses that handle. Please choose another one.")})
    try:
        with transaction.atomic():
            user.save(update_fields=["handle"])
    except IntegrityError:
        raise ValidationError({"handle": _("Someone already uses that handle. Please choose another one.")}) from None
    return user


def user_set_language(*, user: User, language: str) -> None:
    if language in dict(settings.LANGUAGES) and user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


# --- programs and memberships -----------------------------------------------------------


def program_create(*, creator: User, name: str, slug: str, time_zone: str, description: str = "") -> Program:
    program = Program(name=name.strip(), slug=slug, time_zone=time_zone, description=description)
    program.full_clean()
    with transaction.atomic():
        program.save()
        Membership.objects.create(user=creator, program=program, role=Role.ADMIN)
    return program


def membership_add(*, user: User, program: Program, role: str) -> Membership:
    membership, created = Membership.objects.get_or_create(user=user, program=program, defaults={"role": role})
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def invitation_send(*, program: Program, inviter: User, email: str, role: str) -> Invitation:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the listed roles.")})
    email = email.strip().lower()
    if Membership.objects.filter(program=program, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already in the program.")})
    raw = new_secret()
    now = timezone.now()
    with transaction.atomic():
        # A new invitation replaces an open one, so the newest link is the one that works.
        Invitation.objects.filter(
            program=program, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        invitation = Invitation.objects.create(
            program=program,
            email=email,
            role=role,
            token_hash=secret_hash(raw),
            invited_by=inviter,
            expires_at=now + dt.timedelta(days=settings.INVITATION_DAYS),
        )
        link = settings.SITE_URL + reverse("invitation_accept", args=[raw])
        context = {
            "program": program,
            "role_label": Role(role).label,
            "inviter": inviter.display_name,
            "link": link,
            "days": settings.INVITATION_DAYS,
        }
        with translation.override(program.default_language):
            subject = _("You are invited to join %(program)s on Alongside") % {"program": program.name}
            body = render_to_string("accounts/email/invitation.txt", context)
        email_queue(to=email, subject=subject, body_text=body, key=f"invitation:{invitation.pk}")
    return invitation


def invitation_find_open(raw_token: str) -> Invitation | None:
    invitation = Invitation.objects.select_related("program").filter(token_hash=secret_hash(raw_token)).first()
    return invitation


def invitation_accept(*, raw_token: str, user: User) -> Membership:
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("program")
            .filter(token_hash=secret_hash(raw_token))
            .first()
        )
        if invitation is None or not invitation.is_open:
            raise ValidationError(_("This invitation link is no longer valid. Ask your program for a new one."))
        if invitation.email.lower() != user.email.lower():
            raise PermissionDenied(
                _("This invitation was sent to a different email address. Sign in with that address to accept it.")
            )
        if Membership.objects.filter(user=user, program=invitation.program).exists():
            raise ValidationError(_("You are already in this program."))
        membership = Membership.objects.create(user=user, program=invitation.program, role=invitation.role)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def invitation_revoke(*, invitation: Invitation) -> None:
    if invitation.revoked_at is None and invitation.accepted_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


def care_team_link(*, program: Program, member: User, supporter: User, relation: str) -> CareTeamLink:
    """Start a peer or ally relation (peers app and allies app call this; it owns the rule)."""
    if relation not in CareRelation.values:
        raise ValidationError(_("Unknown relation."))
    memberships = {m.user_id: m.role for m in Membership.objects.filter(program=program, user__in=[member, supporter])}
    if memberships.get(member.pk) != Role.MEMBER:
        raise ValidationError(_("Only a member of this program can have a care team."))
    expected = Role.PEER if relation == CareRelation.PEER else Role.ALLY
    if memberships.get(supporter.pk) != expected:
        raise ValidationError(_("That person does not hold the right role in this program."))
    link, _created = CareTeamLink.objects.get_or_create(
        program=program, member=member, supporter=supporter, relation=relation, ended_at=None
    )
    return link


def care_team_end(*, link: CareTeamLink) -> None:
    if link.ended_at is None:
        link.ended_at = timezone.now()
        link.save(update_fields=["ended_at"])


# --- consent ----------------------------------------------------------------------------


def consent_set(*, member: User, program: Program, scope: str, granted: bool) -> Consent:
    if scope not in ConsentScope.values:
        raise ValidationError(_("Unknown kind of consent."))
    if not Membership.objects.filter(user=member, program=program, role=Role.MEMBER).exists():
        raise PermissionDenied(_("Only members of this program set these choices."))
    with transaction.atomic():
        consent, created = Consent.objects.get_or_create(
            member=member, program=program, scope=scope, grantee=None, defaults={"granted": granted}
        )
        if not created and consent.granted != granted:
            consent.granted = granted
            consent.updated_at = timezone.now()
            consent.save(update_fields=["granted", "updated_at"])
    return consent


# --- audit ------------------------------------------------------------------------------


def audit_record(*, actor: User, subject: User, program: Program | None, action: str, detail: str = "") -> None:
    """Note that someone other than the member opened the member's record."""
    if actor.pk == subject.pk:
        return
    role = ""
    if program is not None:
        role = Membership.objects.filter(user=actor, program=program).values_list("role", flat=True).first() or ""
    AuditEvent.objects.create(
        actor=actor,
        actor_label=actor.display_name[:60],
        actor_role=role,
        subject=subject,
        program=program,
        action=action,
        detail=detail[:200],
    )


# --- API tokens -------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    raw: str


def api_token_issue(*, user: User, name: str = "") -> IssuedToken:
    raw = new_secret("alg_")
    token = ApiToken.objects.create(
        user=user,
        name=name[:80],
        key_hash=secret_hash(raw),
        expires_at=timezone.now() + dt.timedelta(days=settings.API_TOKEN_DAYS),
    )
    return IssuedToken(token=token, raw=raw)


def api_token_touch(*, token: ApiToken) -> None:
    now = timezone.now()
    # Writing on every request would turn reads into writes; once a minute is enough.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        token.last_used_at = now
        token.save(update_fields=["last_used_at"])


def api_tokens_revoke(*, tokens: Iterable[ApiToken]) -> int:
    ids = [t.pk for t in tokens]
    return ApiToken.objects.filter(pk__in=ids, revoked_at__isnull=True).update(revoked_at=timezone.now())


# --- leaving ----------------------------------------------------------------------------


def account_delete(*, user: User) -> None:
    """Delete a person and everything that is theirs.

    Audit entries where they were the one who looked keep their handle (``actor_label``)
    so the members they looked at still see who it was.
    """
    admin_of = Membership.objects.filter(user=user, role=Role.ADMIN).values_list("program_id", flat=True)
    shared = Membership.objects.filter(program_id__in=admin_of, role=Role.ADMIN).exclude(user=user)
    sole_admin_of = list(
        Program.objects.filter(pk__in=admin_of)
        .exclude(pk__in=shared.values_list("program_id", flat=True))
        .values_list("name", flat=True)
    )
    if sole_admin_of:
        raise ValidationError(
            _("You are the only admin of %(programs)s. Invite another admin first, then delete your account.")
            % {"programs": ", ".join(sole_admin_of)}
        )
    with transaction.atomic():
        user.delete()
