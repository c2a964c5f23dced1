"""Every read a person sees about people and programs, scoped to the viewer.

The rules (ARCHITECTURE.md §3):
- another program's objects do not exist for you (404);
- inside your program, a role that may not see a thing gets 403;
- peers, supervisors and admins must have two-factor sign-in before any member data;
- reading a member's record as someone else writes an ``AuditEvent``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from alongside.accounts import services
from alongside.accounts.models import (
    STAFF_ROLES,
    ApiToken,
    AuditEvent,
    CareRelation,
    CareTeamLink,
    Consent,
    ConsentScope,
    Invitation,
    Membership,
    Program,
    Role,
    User,
)
from alongside.lib.tokens import secret_hash


class TwoFactorRequired(PermissionDenied):
    """Staff without two-factor sign-in asked for member data."""

    def __init__(self) -> None:
        super().__init__("two_factor_required")


def user_has_two_factor(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def second_factors_of(user: User) -> dict[str, Authenticator]:
    return {a.type: a for a in Authenticator.objects.filter(user=user)}


def email_is_verified(user: User) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def user_needs_two_factor(user: User) -> bool:
    """Anyone who is a peer, supervisor or admin anywhere must set up two-factor sign-in."""
    return Membership.objects.filter(user=user, role__in=STAFF_ROLES).exists() and not user_has_two_factor(user)


def memberships_of(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("program").order_by("program__name")


def get_membership(user: User, program: Program) -> Membership | None:
    return Membership.objects.filter(user=user, program=program).select_related("program").first()


def get_program_for(viewer: User, slug: str) -> tuple[Program, Membership]:
    """The program and the viewer's membership in it; 404 when they are not in it."""
    membership = Membership.objects.filter(user=viewer, program__slug=slug).select_related("program").first()
    if membership is None:
        raise Http404
    return membership.program, membership


def require_role(membership: Membership, *roles: str) -> None:
    if membership.role not in roles:
        raise PermissionDenied


def require_member_data_access(viewer: User, membership: Membership) -> None:
    if membership.role in STAFF_ROLES and not user_has_two_factor(viewer):
        raise TwoFactorRequired


def viewer_can_create_programs(viewer: User) -> bool:
    return viewer.is_staff or Membership.objects.filter(user=viewer, role=Role.ADMIN).exists()


# --- people --------------------------------------------------------------------------


def people_visible_to(viewer: User, membership: Membership) -> QuerySet[Membership]:
    """Admins and supervisors see everyone in the program; a peer sees the members they
    walk with (and the program's staff); members and allies have no people list."""
    require_role(membership, Role.ADMIN, Role.SUPERVISOR, Role.PEER)
    require_member_data_access(viewer, membership)
    people = (
        Membership.objects.filter(program=membership.program).select_related("user").order_by("role", "user__handle")
    )
    if membership.role == Role.PEER:
        walked_with = CareTeamLink.objects.filter(
            program=membership.program, supporter=viewer, relation=CareRelation.PEER, ended_at__isnull=True
        ).values("member_id")
        people = people.filter(user_id__in=walked_with) | people.filter(role__in=STAFF_ROLES)
    return people


@dataclass(frozen=True)
class PersonRecord:
    membership: Membership
    care_team: list[CareTeamLink]
    consents: dict[str, bool]


def require_can_open_member(viewer: User, viewer_membership: Membership, user_id: int) -> Membership:
    """The target's membership when the viewer may open their records: 404 outside the
    program, 403 for a wrong role or a peer who does not walk with that member."""
    program = viewer_membership.program
    target = Membership.objects.filter(program=program, user_id=user_id).select_related("user", "program").first()
    if target is None:
        raise Http404
    if target.user_id != viewer.pk:
        require_role(viewer_membership, Role.ADMIN, Role.SUPERVISOR, Role.PEER)
        require_member_data_access(viewer, viewer_membership)
        if viewer_membership.role == Role.PEER and target.role == Role.MEMBER:
            walks_with = CareTeamLink.objects.filter(
                program=program, member_id=user_id, supporter=viewer, relation=CareRelation.PEER, ended_at__isnull=True
            ).exists()
            if not walks_with:
                raise PermissionDenied
    return target


def get_person_record_for(viewer: User, viewer_membership: Membership, user_id: int) -> PersonRecord:
    """One person's program record, as the viewer may see it. Audited for members."""
    program = viewer_membership.program
    target = require_can_open_member(viewer, viewer_membership, user_id)
    care_team = list(
        CareTeamLink.objects.filter(program=program, member_id=user_id, ended_at__isnull=True).select_related(
            "supporter"
        )
    )
    consents = consent_choices(target.user, program)
    if target.role == Role.MEMBER:
        services.audit_record(actor=viewer, subject=target.user, program=program, action="viewed_record")
    return PersonRecord(membership=target, care_team=care_team, consents=consents)


def invitations_for_admin(viewer: User, membership: Membership) -> QuerySet[Invitation]:
    require_role(membership, Role.ADMIN)
    require_member_data_access(viewer, membership)
    return Invitation.objects.filter(program=membership.program).select_related("invited_by", "accepted_by")


def get_invitation_for_admin(viewer: User, membership: Membership, invitation_id: int) -> Invitation:
    invitation = Invitation.objects.filter(program=membership.program, pk=invitation_id).first()
    if invitation is None:
        raise Http404
    require_role(membership, Role.ADMIN)
    require_member_data_access(viewer, membership)
    return invitation


# --- a member's own privacy -----------------------------------------------------------


def consent_choices(member: User, program: Program) -> dict[str, bool]:
    """Every consent scope with the member's current answer (no answer means no)."""
    given = dict(
        Consent.objects.filter(member=member, program=program, grantee__isnull=True).values_list("scope", "granted")
    )
    return {scope: given.get(scope, False) for scope in ConsentScope.values}


def access_events_for(member: User) -> QuerySet[AuditEvent]:
    """Who opened this member's records; only the member reads their own log."""
    return AuditEvent.objects.filter(subject=member).select_related("program")


def care_team_of(member: User, program: Program) -> list[CareTeamLink]:
    return list(
        CareTeamLink.objects.filter(member=member, program=program, ended_at__isnull=True).select_related("supporter")
    )


def export_for(user: User) -> dict:
    """Everything Alongside holds about a person, for their own download."""
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("program")
        .prefetch_related(
            Prefetch(
                "program__care_links",
                queryset=CareTeamLink.objects.filter(member=user).select_related("supporter"),
                to_attr="my_links",
            )
        )
    )
    consents = Consent.objects.filter(member=user).select_related("program", "grantee")
    return {
        "format": "alongside-export",
        "version": 1,
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "handle": user.handle,
            "name": user.real_name,
            "phone": user.phone,
            "preferred_language": user.preferred_language,
            "time_zone": user.time_zone,
            "joined_at": user.date_joined.isoformat(),
            "two_factor_enabled": user_has_two_factor(user),
        },
        "memberships": [
            {
                "program": m.program.name,
                "program_slug": m.program.slug,
                "role": m.role,
                "joined_at": m.joined_at.isoformat(),
                "care_team": [
                    {
                        "handle": link.supporter.display_name,
                        "relation": link.relation,
                        "started_at": link.started_at.isoformat(),
                        "ended_at": link.ended_at.isoformat() if link.ended_at else None,
                    }
                    for link in m.program.my_links  # type: ignore[attr-defined]
                ],
            }
            for m in memberships
        ],
        "consents": [
            {
                "program_slug": c.program.slug,
                "scope": c.scope,
                "grantee": c.grantee.display_name if c.grantee else None,
                "granted": c.granted,
                "updated_at": c.updated_at.isoformat(),
            }
            for c in consents
        ],
        "access_log": [
            {
                "who": e.actor_label,
                "role": e.actor_role,
                "program_slug": e.program.slug if e.program else None,
                "what": e.action,
                "detail": e.detail,
                "at": e.created_at.isoformat(),
            }
            for e in AuditEvent.objects.filter(subject=user).select_related("program")
        ],
        **export_sections_for(user),
    }


# --- API tokens -----------------------------------------------------------------------


def get_active_token(raw: str) -> ApiToken | None:
    token = ApiToken.objects.select_related("user").filter(key_hash=secret_hash(raw)).first()
    if token is None or token.revoked_at is not None or token.expires_at <= timezone.now():
        return None
    if not token.user.is_active:
        return None
    return token


# --- what each role sees of a member (the Privacy page) --------------------------------


@dataclass(frozen=True)
class RoleView:
    role: str
    sees: list[str]
    never: list[str]


def visibility_for(member: User, program: Program) -> list[RoleView]:
    """What each role in the program can see of this member, given their current choices.

    Kept beside the selectors that enforce it, so the page and the rules change together.
    """
    from django.utils.translation import gettext as _

    consents = consent_choices(member, program)
    peer_sees = [
        _("Your handle and the date you joined"),
        _("Alerts you raise when you ask for help"),
        _("Goals you choose to share, and milestones you choose to share"),
    ]
    never_peer = [_("Your journal"), _("Your email, name and phone")]
    for scope, yes, no in (
        (
            ConsentScope.CHECKINS_PEER,
            _("Your daily check-ins and trends (you said yes)"),
            _("Your daily check-ins and trends (you said no)"),
        ),
        (
            ConsentScope.PLAN_PEER,
            _("Your relapse-prevention plan (you said yes)"),
            _("Your relapse-prevention plan (you said no)"),
        ),
        (
            ConsentScope.ASSESSMENTS_PEER,
            _("Your assessment scores (you said yes)"),
            _("Your assessment scores (you said no)"),
        ),
        (
            ConsentScope.ATTENDANCE_PEER,
            _("The meetings you go to (you said yes)"),
            _("The meetings you go to (you said no)"),
        ),
    ):
        if consents[scope]:
            peer_sees.append(yes)
        else:
            never_peer.insert(0, no)
    admin_sees = [_("Your handle, role and the date you joined")]
    if consents[ConsentScope.OUTCOMES_DEIDENTIFIED]:
        admin_sees.append(_("Program totals that include your data with your identity removed (you said yes)"))
    return [
        RoleView(str(Role.PEER.label), peer_sees, never_peer),
        RoleView(
            str(Role.SUPERVISOR.label),
            [_("Your handle and the date you joined"), _("Alerts about your safety that reach them")],
            [_("Your journal"), _("Your daily check-ins"), _("Your email, name and phone")],
        ),
        RoleView(str(Role.ADMIN.label), admin_sees, [_("Your journal"), _("Your daily check-ins")]),
        RoleView(
            str(Role.ALLY.label),
            [_("Only what you choose to share with each ally")],
            [_("Everything else")],
        ),
        RoleView(
            str(Role.MEMBER.label),
            [_("Your handle and what you post in shared spaces")],
            [_("Everything else")],
        ),
    ]


# --- export sections from other apps ----------------------------------------------------

# Apps above accounts (recovery, safety, ...) add their part of a person's export here from
# their AppConfig.ready, so accounts never imports them and the export misses nothing.
ExportSection = Callable[[User], object]
_EXPORT_SECTIONS: dict[str, ExportSection] = {}


def register_export_section(name: str, build: ExportSection) -> None:
    _EXPORT_SECTIONS[name] = build


def export_sections_for(user: User) -> dict[str, object]:
    return {name: build(user) for name, build in sorted(_EXPORT_SECTIONS.items())}
