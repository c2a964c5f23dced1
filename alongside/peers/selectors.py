"""Every read about peer supporters' profiles, credentials, training and references, scoped
to the viewer.

Who sees what (decisions written down where the issue was silent):
- the public card (display name, photo, story, lived experience, pathways, languages,
  city, how and when they meet, and a plain "verified credential" badge) is for the
  program's members, peers, supervisors and admins; allies get 403 (a peer is a member's
  relationship, not their family's), outsiders 404;
- gender, age range, coordinates, supervisor and credential details never reach the card;
- credentials, their evidence, CE hours and training are the peer's own and the program
  admins'. Supervisors see credential *states* on the compliance page, not the documents
  (evidence can carry licence numbers and ID photos); a supervisor opening a credential
  gets 403;
- references are the admins' alone: the peer never sees them (there is no selector that
  would give them one).

Reads of peer work (supervision, self-care, contact notes, calls, caseload), scoped
to the viewer.

Who sees what (decisions written down where the issue was silent):

- **A supervisor's team** is the program's peers whose profile names them, plus peers
  with no named supervisor (no profile yet, an empty supervisor, or one who no longer
  supervises in this program), so nobody falls through the gaps. Two supervisors both
  see an unassigned peer.
- **Supervision sessions**: a supervisor sees the sessions they logged and any session a
  peer of their team attended; a peer sees the sessions they attended, notes included —
  the notes of a group session are shared with everyone who attended it, so supervisors
  write group notes for the group. Admins run the cadence (settings, compliance) but do
  not read supervision notes: 403.
- **Self-care checks** are the peer's own; their supervisor sees only the ones shared.
- **Contact notes** are about members: a peer reads their own notes about members they
  walk with now; a supervisor reads the notes their team wrote; admins, members and
  allies get 403. Every read by someone other than the member is audited.
- **Caseload**: the peer's own, with check-in numbers for members who share check-ins
  with their peer. A supervisor may open a team peer's caseload and sees the same order
  and the same reasons, but never check-in values (the member shared those with their
  peer, not the supervisor); each member shown is audited.

Every read of matching that a person sees, scoped to the viewer.

Who may see what:
- a member sees their own preferences, suggestions and requests (in the program they are a
  member of: the one they act in, else their first, as for the recovery journey);
- a peer sees the requests sent to them;
- an admin (with two-factor sign-in) sees any member's suggestions, every request,
  exclusions and rounds of their program; opening a member's suggestions is audited;
- everyone else in the program gets 403, anyone outside it 404.

The pool of peers is read in a fixed number of queries whatever its size (one for the
profiles, one per count, one for credentials), turned into the core's ``PeerOffer``s, and
ranked by ``matching.suggest``: that is the whole cost of a suggestion page.

Caseload, for matching, is a peer's active peer links **plus the requests waiting for
their answer**: a pending request holds a place, so a peer with one place left is not
sent five requests at once and then forced to turn four people away.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    DateTimeField,
    DecimalField,
    Exists,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from alongside.accounts import selectors as accounts_selectors
from alongside.accounts import services as accounts_services
from alongside.accounts.models import (
    CareRelation,
    CareTeamLink,
    Consent,
    ConsentScope,
    Membership,
    Program,
    Role,
    User,
)
from alongside.lib.tz import local_date, zone_named, zone_of
from alongside.peers import caseload, compliance, matching, reasons
from alongside.peers.models import (
    AgeRange,
    CallAttempt,
    CallPlan,
    ContinuingEducation,
    Credential,
    Encounter,
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
    SupervisionSession,
    TrainingRecord,
)
from alongside.recovery import milestones
from alongside.recovery import selectors as recovery_selectors
from alongside.recovery.models import CheckIn, Clock, Goal, RecoveryProfile, SupportWanted
from alongside.safety.models import Alert, AlertStatus, Severity

# === profiles ========================================================================

CARD_ROLES = (Role.MEMBER, Role.PEER, Role.SUPERVISOR, Role.ADMIN)
STAFF_READ_ROLES = (Role.ADMIN, Role.SUPERVISOR)
_ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=7, decimal_places=1))


def _profiles_require(membership: Membership, *roles: str) -> None:
    if membership.role not in roles:
        raise PermissionDenied


def program_peer_settings(program: Program) -> PeerProgramSettings:
    """The program's rules without writing (an unsaved default until an admin saves them)."""
    return PeerProgramSettings.objects.filter(program=program).first() or PeerProgramSettings(program=program)


def _profiles_is_peer(program: Program | int) -> Exists:
    return Exists(Membership.objects.filter(program=program, user=OuterRef("user"), role=Role.PEER))


def _profiles_counting_credential(today: dt.date) -> Q:
    """Credentials that count for matching: verified and not expired (compliance.credential_counts)."""
    return Q(verified_at__isnull=False) & (Q(expires_on__isnull=True) | Q(expires_on__gte=today))


def eligible_peer_ids(program: Program, today: dt.date) -> set[int]:
    """User ids of the program's peers who may take on new members, as far as credentials go.

    Where the program requires credentials, a peer needs at least one verified credential
    that has not expired (the same rule as ``compliance.peer_eligible``); otherwise every
    peer with a profile is eligible. Capacity and "accepting new" are the matcher's business.
    Two queries whatever the number of peers.
    """
    profiles = PeerProfile.objects.filter(program=program).filter(_profiles_is_peer(program))
    if program_peer_settings(program).credentials_required:
        counting = Credential.objects.filter(_profiles_counting_credential(today), profile=OuterRef("pk"))
        profiles = profiles.filter(Exists(counting))
    return set(profiles.values_list("user_id", flat=True))


# --- profiles and cards ----------------------------------------------------------------------


def peer_profile_of(program: Program, user: User) -> PeerProfile | None:
    return PeerProfile.objects.filter(program=program, user=user).select_related("supervisor").first()


def require_own_profile_access(membership: Membership) -> None:
    """Only peers have a profile of their own to edit."""
    _profiles_require(membership, Role.PEER)


def peer_cards_for(viewer: User, membership: Membership) -> QuerySet[PeerProfile]:
    """The public cards of the program's peers, for its members and staff."""
    _profiles_require(membership, *CARD_ROLES)
    program = membership.program
    today = program_today(program)
    verified = Credential.objects.filter(_profiles_counting_credential(today), profile=OuterRef("pk"))
    return (
        PeerProfile.objects.filter(program=program)
        .filter(_profiles_is_peer(program))
        .annotate(has_verified_credential=Exists(verified))
        .order_by("display_name", "id")
    )


def get_peer_card_for(viewer: User, membership: Membership, user_id: int) -> PeerProfile:
    """One peer's public card: 403 for allies, 404 when that person is not a peer here."""
    card = peer_cards_for(viewer, membership).filter(user_id=user_id).first()
    if card is None:
        raise Http404
    return card


def supervisors_of(program: Program) -> QuerySet[User]:
    return User.objects.filter(memberships__program=program, memberships__role=Role.SUPERVISOR).order_by("handle")


def get_profile_for_admin(viewer: User, membership: Membership, user_id: int) -> PeerProfile:
    """A peer's full profile for the program's admins (404 when not a peer here)."""
    _profiles_require(membership, Role.ADMIN)
    profile = (
        PeerProfile.objects.filter(program=membership.program, user_id=user_id)
        .filter(_profiles_is_peer(membership.program))
        .select_related("user", "supervisor")
        .first()
    )
    if profile is None:
        raise Http404
    return profile


def peer_membership_for_admin(viewer: User, membership: Membership, user_id: int) -> Membership:
    """The peer's membership (they may not have opened their profile yet)."""
    _profiles_require(membership, Role.ADMIN)
    target = (
        Membership.objects.filter(program=membership.program, user_id=user_id, role=Role.PEER)
        .select_related("user")
        .first()
    )
    if target is None:
        raise Http404
    return target


# --- credentials ---------------------------------------------------------------------------


def _profiles_credentials() -> QuerySet[Credential]:
    return (
        Credential.objects.select_related("profile__user", "profile__program", "verified_by")
        .annotate(
            ce_hours=Coalesce(Sum("ce_entries__hours"), _ZERO),
            ce_ethics_hours=Coalesce(Sum("ce_entries__ethics_hours"), _ZERO),
        )
        .order_by("expires_on", "pk")
    )


def credential_program_of(credential_id: int) -> Program | None:
    """The program a credential belongs to, for API paths that carry only its id (the
    caller then checks the viewer's membership there, so an outsider still gets 404)."""
    credential = Credential.objects.filter(pk=credential_id).select_related("profile__program").first()
    return credential.profile.program if credential else None


def credentials_visible_to(viewer: User, membership: Membership, *, peer_id: int | None = None) -> QuerySet[Credential]:
    """A peer's own credentials; an admin's view of every peer's (optionally one peer's)."""
    _profiles_require(membership, Role.PEER, Role.ADMIN)
    credentials = _profiles_credentials().filter(profile__program=membership.program)
    if membership.role == Role.PEER:
        return credentials.filter(profile__user=viewer)
    if peer_id is not None:
        credentials = credentials.filter(profile__user_id=peer_id)
    return credentials


def get_credential_for(viewer: User, membership: Membership, credential_id: int, *, write: bool = False) -> Credential:
    """One credential: 404 outside the program; the peer who holds it, or (to read, verify
    or remove) an admin; anyone else in the program 403."""
    credential = (
        _profiles_credentials()
        .filter(profile__program=membership.program, pk=credential_id)
        .prefetch_related("ce_entries")
        .first()
    )
    if credential is None:
        raise Http404
    owner = credential.profile.user_id == viewer.pk and membership.role == Role.PEER
    if write and not owner:
        raise PermissionDenied
    if not owner and membership.role != Role.ADMIN:
        raise PermissionDenied
    return credential


def get_ce_entry_for(viewer: User, membership: Membership, credential_id: int, entry_id: int) -> ContinuingEducation:
    credential = get_credential_for(viewer, membership, credential_id, write=True)
    entry = ContinuingEducation.objects.filter(credential=credential, pk=entry_id).first()
    if entry is None:
        raise Http404
    return entry


def ce_progress_of(credential: Credential) -> compliance.CEProgress:
    """Progress from the annotated sums of ``credentials_visible_to``/``get_credential_for``."""
    return compliance.ce_progress(
        [(getattr(credential, "ce_hours", Decimal(0)), getattr(credential, "ce_ethics_hours", Decimal(0)))],
        hours_required=credential.ce_hours_required,
        ethics_required=credential.ce_ethics_hours_required,
    )


def credential_state_of(credential: Credential, today: dt.date) -> str:
    return compliance.credential_state(
        expires_on=credential.expires_on, verified=credential.verified_at is not None, today=today
    )


# --- training ------------------------------------------------------------------------------


def training_of(profile: PeerProfile) -> QuerySet[TrainingRecord]:
    return TrainingRecord.objects.filter(profile=profile)


def get_training_for(viewer: User, membership: Membership, record_id: int, *, write: bool = False) -> TrainingRecord:
    """A training record: the peer's own (read and write) or, to read, an admin's."""
    record = (
        TrainingRecord.objects.filter(profile__program=membership.program, pk=record_id)
        .select_related("profile__user")
        .first()
    )
    if record is None:
        raise Http404
    owner = record.profile.user_id == viewer.pk and membership.role == Role.PEER
    if (write or membership.role != Role.ADMIN) and not owner:
        raise PermissionDenied
    return record


# --- references (admins only) --------------------------------------------------------------


def references_for_admin(viewer: User, membership: Membership, profile: PeerProfile) -> QuerySet[PeerReference]:
    _profiles_require(membership, Role.ADMIN)
    return PeerReference.objects.filter(profile=profile).select_related("checked_by").order_by("created_at", "pk")


def get_reference_for_admin(viewer: User, membership: Membership, reference_id: int) -> PeerReference:
    _profiles_require(membership, Role.ADMIN)
    reference = (
        PeerReference.objects.filter(profile__program=membership.program, pk=reference_id)
        .select_related("profile__user", "checked_by")
        .first()
    )
    if reference is None:
        raise Http404
    return reference


# --- the peers list and the compliance page ------------------------------------------------


@dataclass
class CredentialLine:
    credential: Credential
    state: str
    days_left: int | None
    progress: compliance.CEProgress


@dataclass
class PeerRow:
    membership: Membership
    profile: PeerProfile | None
    caseload: int
    credentials: list[CredentialLine]
    supervision: compliance.SupervisionStatus
    eligible: bool
    needs_supervision_since: dt.datetime | None
    states: dict[str, int] = field(default_factory=dict)

    @property
    def user(self) -> User:
        return self.membership.user

    @property
    def name(self) -> str:
        return self.profile.display_name if self.profile else self.membership.user.display_name

    @property
    def capacity(self) -> int | None:
        return self.profile.capacity if self.profile else None

    @property
    def soonest(self) -> dt.date | None:
        dates = [line.credential.expires_on for line in self.credentials if line.credential.expires_on]
        return min(dates) if dates else None

    @property
    def credential_summary(self) -> str:
        """The best state the peer holds: what decides whether they may take new members."""
        for state in (compliance.CURRENT, compliance.EXPIRING, compliance.UNVERIFIED, compliance.EXPIRED):
            if self.states.get(state):
                return state
        return "none"

    @property
    def attention(self) -> bool:
        return bool(
            self.states.get(compliance.EXPIRED)
            or self.states.get(compliance.EXPIRING)
            or self.states.get(compliance.UNVERIFIED)
            or not self.credentials
            or self.supervision.overdue
            or self.needs_supervision_since
        )


@dataclass
class PeerRoster:
    program: Program
    settings: PeerProgramSettings
    today: dt.date
    rows: list[PeerRow]

    def count(self, state: str) -> int:
        return sum(1 for row in self.rows if row.states.get(state))

    @property
    def expired(self) -> int:
        return self.count(compliance.EXPIRED)

    @property
    def expiring(self) -> int:
        return self.count(compliance.EXPIRING)

    @property
    def unverified(self) -> int:
        return self.count(compliance.UNVERIFIED)

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.rows if row.supervision.overdue)

    @property
    def flags(self) -> list[PeerRow]:
        return [row for row in self.rows if row.needs_supervision_since]


def credential_lines(credentials: Iterable[Credential], today: dt.date) -> list[CredentialLine]:
    """State, days left and CE progress of annotated credentials (no further queries)."""
    return [
        CredentialLine(
            credential=credential,
            state=credential_state_of(credential, today),
            days_left=(credential.expires_on - today).days if credential.expires_on else None,
            progress=ce_progress_of(credential),
        )
        for credential in credentials
    ]


def _profiles_roster(program: Program, today: dt.date) -> PeerRoster:
    """Every peer of the program with credentials, CE progress, caseload and supervision,
    in a fixed number of queries (no per-peer query)."""
    rules = program_peer_settings(program)
    zone = zone_named(program.time_zone)
    memberships = list(
        Membership.objects.filter(program=program, role=Role.PEER).select_related("user").order_by("user__handle")
    )
    user_ids = [m.user_id for m in memberships]
    profiles = {
        p.user_id: p
        for p in PeerProfile.objects.filter(program=program, user_id__in=user_ids)
        .select_related("supervisor")
        .prefetch_related(Prefetch("credentials", queryset=_profiles_credentials(), to_attr="_profiles_credentials"))
    }
    caseloads = dict(
        CareTeamLink.objects.filter(
            program=program, relation=CareRelation.PEER, ended_at__isnull=True, supporter_id__in=user_ids
        )
        .values("supporter_id")
        .annotate(n=Count("id"))
        .values_list("supporter_id", "n")
    )
    sessions: dict[int, list[tuple[dt.date, int]]] = {}
    attended = SupervisionSession.peers.through.objects.filter(
        supervisionsession__program=program, user_id__in=user_ids
    ).values_list("user_id", "supervisionsession__held_on", "supervisionsession__duration_minutes")
    for user_id, held_on, minutes in attended:
        sessions.setdefault(user_id, []).append((held_on, minutes))

    rows = []
    for membership in memberships:
        profile = profiles.get(membership.user_id)
        lines = credential_lines(getattr(profile, "_profiles_credentials", []), today)
        states: dict[str, int] = {}
        for line in lines:
            states[line.state] = states.get(line.state, 0) + 1
        supervision = compliance.supervision_status(
            sessions.get(membership.user_id, []),
            required_minutes=rules.supervision_minutes,
            every_days=rules.supervision_every_days,
            today=today,
            peer_since=local_date(membership.joined_at, zone),
        )
        eligible = profile is not None and compliance.peer_eligible(
            [(line.credential.expires_on, line.credential.verified_at is not None) for line in lines],
            today=today,
            credentials_required=rules.credentials_required,
        )
        rows.append(
            PeerRow(
                membership=membership,
                profile=profile,
                caseload=caseloads.get(membership.user_id, 0),
                credentials=lines,
                supervision=supervision,
                eligible=eligible,
                needs_supervision_since=profile.needs_supervision_since if profile else None,
                states=states,
            )
        )
    return PeerRoster(program=program, settings=rules, today=today, rows=rows)


def peers_roster_for(viewer: User, membership: Membership) -> PeerRoster:
    """The admin's "peer supporters" list (supervisors may read it too), by name."""
    _profiles_require(membership, *STAFF_READ_ROLES)
    roster = _profiles_roster(membership.program, program_today(membership.program))
    roster.rows.sort(key=lambda row: row.name.lower())
    return roster


def _profiles_urgency(row: PeerRow) -> tuple:
    # Soonest trouble first: an expired or soon-expiring credential by date, then peers
    # with nothing that counts (unverified or none), then overdue supervision, then the rest.
    soonest = row.soonest
    if row.states.get(compliance.EXPIRED) or row.states.get(compliance.EXPIRING):
        return (0, soonest or dt.date.max, row.name.lower())
    if not row.eligible:
        return (1, soonest or dt.date.max, row.name.lower())
    if row.supervision.overdue or row.needs_supervision_since:
        return (2, row.supervision.overdue_since or dt.date.max, row.name.lower())
    return (3, soonest or dt.date.max, row.name.lower())


def compliance_for(viewer: User, membership: Membership, *, today: dt.date | None = None) -> PeerRoster:
    """The compliance page: admins, and supervisors read-only; most urgent first."""
    _profiles_require(membership, *STAFF_READ_ROLES)
    roster = _profiles_roster(membership.program, today or program_today(membership.program))
    roster.rows.sort(key=_profiles_urgency)
    return roster


# === work ============================================================================

# --- roles --------------------------------------------------------------------------------


def work_require_peer(viewer: User, membership: Membership) -> None:
    accounts_selectors.require_role(membership, Role.PEER)
    accounts_selectors.require_member_data_access(viewer, membership)


def work_require_supervisor(viewer: User, membership: Membership) -> None:
    accounts_selectors.require_role(membership, Role.SUPERVISOR)
    accounts_selectors.require_member_data_access(viewer, membership)


def work_require_admin(viewer: User, membership: Membership) -> None:
    accounts_selectors.require_role(membership, Role.ADMIN)
    accounts_selectors.require_member_data_access(viewer, membership)


def work_settings_of(program: Program) -> PeerProgramSettings:
    """The program's peer settings, or the defaults (unsaved) before anyone saved them."""
    return PeerProgramSettings.objects.filter(program=program).first() or PeerProgramSettings(program=program)


# --- the team -----------------------------------------------------------------------------


def work_team_peer_ids(program: Program, supervisor: User) -> set[int]:
    """The supervisor's team: peers naming them, and peers no current supervisor claims."""
    current_supervisors = Membership.objects.filter(program=program, role=Role.SUPERVISOR).values("user_id")
    claimed_by_others = (
        PeerProfile.objects.filter(program=program, supervisor__in=current_supervisors)
        .exclude(supervisor=supervisor)
        .values("user_id")
    )
    return set(
        Membership.objects.filter(program=program, role=Role.PEER)
        .exclude(user_id__in=claimed_by_others)
        .values_list("user_id", flat=True)
    )


def work_supervisors_of(program: Program, peer: User) -> list[User]:
    """Who hears when a peer asks for supervision: their named supervisor while they
    supervise here, otherwise every supervisor of the program."""
    supervisors = list(
        User.objects.filter(memberships__program=program, memberships__role=Role.SUPERVISOR).order_by("pk")
    )
    named = PeerProfile.objects.filter(program=program, user=peer).values_list("supervisor_id", flat=True).first()
    chosen = [s for s in supervisors if s.pk == named]
    return chosen or supervisors


def work_program_peers(program: Program) -> list[tuple[int, str]]:
    """(user id, handle) of every peer in the program: whom a supervision session can list."""
    return [
        (m.user_id, m.user.display_name)
        for m in Membership.objects.filter(program=program, role=Role.PEER)
        .select_related("user")
        .order_by("user__handle")
    ]


def get_team_peer_for(viewer: User, membership: Membership, peer_id: int) -> Membership:
    """A peer of the program that this supervisor looks after: 404 outside, 403 otherwise."""
    target = Membership.objects.filter(program=membership.program, user_id=peer_id).select_related("user").first()
    if target is None:
        raise Http404
    work_require_supervisor(viewer, membership)
    if target.role != Role.PEER or peer_id not in work_team_peer_ids(membership.program, viewer):
        raise PermissionDenied
    return target


# --- supervision -------------------------------------------------------------------------


def supervision_sessions_for(viewer: User, membership: Membership) -> QuerySet[SupervisionSession]:
    accounts_selectors.require_role(membership, Role.SUPERVISOR, Role.PEER)
    accounts_selectors.require_member_data_access(viewer, membership)
    sessions = SupervisionSession.objects.filter(program=membership.program)
    if membership.role == Role.PEER:
        sessions = sessions.filter(peers=viewer)
    else:
        team = work_team_peer_ids(membership.program, viewer)
        sessions = sessions.filter(Q(supervisor=viewer) | Q(peers__in=team)).distinct()
    return sessions.select_related("supervisor").prefetch_related("peers").order_by("-held_on", "-pk")


def get_supervision_session_for(viewer: User, membership: Membership, session_id: int) -> SupervisionSession:
    if not SupervisionSession.objects.filter(program=membership.program, pk=session_id).exists():
        raise Http404
    session = supervision_sessions_for(viewer, membership).filter(pk=session_id).first()
    if session is None:
        raise PermissionDenied
    return session


def supervision_needs_for(viewer: User, membership: Membership) -> list[PeerProfile]:
    """Team peers who asked for supervision and have not had it since."""
    work_require_supervisor(viewer, membership)
    team = work_team_peer_ids(membership.program, viewer)
    return list(
        PeerProfile.objects.filter(program=membership.program, user_id__in=team, needs_supervision_since__isnull=False)
        .select_related("user")
        .order_by("needs_supervision_since")
    )


def my_supervision_flag(viewer: User, membership: Membership) -> dt.datetime | None:
    work_require_peer(viewer, membership)
    return (
        PeerProfile.objects.filter(program=membership.program, user=viewer)
        .values_list("needs_supervision_since", flat=True)
        .first()
    )


# --- self-care ----------------------------------------------------------------------------


def self_care_mine(viewer: User, membership: Membership) -> QuerySet[SelfCareCheck]:
    work_require_peer(viewer, membership)
    return SelfCareCheck.objects.filter(program=membership.program, peer=viewer).order_by("-created_at")


def self_care_shared_for(viewer: User, membership: Membership) -> QuerySet[SelfCareCheck]:
    """What the supervisor's team chose to share; never an unshared check."""
    work_require_supervisor(viewer, membership)
    team = work_team_peer_ids(membership.program, viewer)
    return (
        SelfCareCheck.objects.filter(program=membership.program, peer_id__in=team, shared_with_supervisor=True)
        .select_related("peer")
        .order_by("-created_at")
    )


# --- contact notes -------------------------------------------------------------------------


def _walks_with(program: Program, peer: User, member_id: int) -> bool:
    return CareTeamLink.objects.filter(
        program=program, member_id=member_id, supporter=peer, relation=CareRelation.PEER, ended_at__isnull=True
    ).exists()


def contact_member_for(viewer: User, membership: Membership, user_id: int, *, writing: bool = False) -> Membership:
    """The member whose contact notes the viewer opens (or writes, ``writing=True``):
    404 when they are not in the program; 403 for admins, members, allies, a peer who does
    not walk with them, and (for writing) anyone but a peer."""
    target = (
        Membership.objects.filter(program=membership.program, user_id=user_id).select_related("user", "program").first()
    )
    if target is None:
        raise Http404
    allowed = (Role.PEER,) if writing else (Role.PEER, Role.SUPERVISOR)
    accounts_selectors.require_role(membership, *allowed)
    accounts_selectors.require_member_data_access(viewer, membership)
    if target.role != Role.MEMBER:
        raise PermissionDenied
    if membership.role == Role.PEER and not _walks_with(membership.program, viewer, user_id):
        raise PermissionDenied
    return target


def _encounters_scope(viewer: User, membership: Membership) -> QuerySet[Encounter]:
    accounts_selectors.require_role(membership, Role.PEER, Role.SUPERVISOR)
    accounts_selectors.require_member_data_access(viewer, membership)
    notes = Encounter.objects.filter(program=membership.program)
    if membership.role == Role.PEER:
        walked_with = CareTeamLink.objects.filter(
            program=membership.program, supporter=viewer, relation=CareRelation.PEER, ended_at__isnull=True
        ).values("member_id")
        return notes.filter(peer=viewer, member_id__in=walked_with)
    return notes.filter(peer_id__in=work_team_peer_ids(membership.program, viewer))


def _with_detail(notes: QuerySet[Encounter]) -> QuerySet[Encounter]:
    return notes.select_related("peer", "member").prefetch_related("goals_touched").order_by("-occurred_at", "-pk")


@dataclass(frozen=True)
class MemberContacts:
    member: User
    notes: QuerySet[Encounter]


def encounters_for_member(viewer: User, membership: Membership, user_id: int) -> MemberContacts:
    """One member's contact notes as the viewer may read them. Audited."""
    target = contact_member_for(viewer, membership, user_id)
    notes = _with_detail(_encounters_scope(viewer, membership).filter(member_id=user_id))
    accounts_services.audit_record(
        actor=viewer, subject=target.user, program=membership.program, action="viewed_contact_notes"
    )
    return MemberContacts(member=target.user, notes=notes)


def encounters_visible_to(viewer: User, membership: Membership, member_id: int | None = None) -> QuerySet[Encounter]:
    """Every note the viewer may read (optionally one member's). Each member whose notes
    are in the answer gets one audit entry."""
    if member_id is not None:
        return encounters_for_member(viewer, membership, member_id).notes
    notes = _with_detail(_encounters_scope(viewer, membership))
    member_ids = set(notes.values_list("member_id", flat=True))
    for member in User.objects.filter(pk__in=member_ids):
        accounts_services.audit_record(
            actor=viewer, subject=member, program=membership.program, action="viewed_contact_notes"
        )
    return notes


def get_encounter_for(viewer: User, membership: Membership, encounter_id: int, *, editing: bool = False) -> Encounter:
    """One note: 404 outside the program; 403 for a note the viewer may not read, and
    (``editing``) for anyone but the peer who wrote it. Audited."""
    note = (
        Encounter.objects.filter(program=membership.program, pk=encounter_id)
        .select_related("peer", "member", "program")
        .prefetch_related("goals_touched")
        .first()
    )
    if note is None:
        raise Http404
    if not _encounters_scope(viewer, membership).filter(pk=encounter_id).exists():
        raise PermissionDenied
    if editing and note.peer_id != viewer.pk:
        raise PermissionDenied
    accounts_services.audit_record(
        actor=viewer, subject=note.member, program=membership.program, action="viewed_contact_note"
    )
    return note


def shared_goals_of(member: User) -> list[Goal]:
    """The member's goals they chose to share with their peer: the only ones a note may touch."""
    return list(Goal.objects.filter(user=member, shared_with_peer=True).order_by("title", "pk"))


def follow_ups_due_for(viewer: User, membership: Membership, *, now: dt.datetime | None = None) -> list[Encounter]:
    """The peer's open follow-ups due today or earlier (in the peer's own day)."""
    work_require_peer(viewer, membership)
    today = local_date(now or timezone.now(), zone_of(viewer))
    return list(
        Encounter.objects.filter(
            program=membership.program,
            peer=viewer,
            follow_up_on__lte=today,
            follow_up_done_at__isnull=True,
        )
        .select_related("member")
        .order_by("follow_up_on", "pk")
    )


# --- caseload ------------------------------------------------------------------------------


def _caseload_facts(program: Program, peer: User, now: dt.datetime) -> list[caseload.MemberFacts]:
    """Facts for every member the peer walks with, in a fixed number of queries (six)
    whatever the caseload size."""
    links = list(
        CareTeamLink.objects.filter(
            program=program, supporter=peer, relation=CareRelation.PEER, ended_at__isnull=True
        ).select_related("member")
    )
    members = {link.member_id: link.member for link in links}
    if not members:
        return []
    ids = list(members)
    shared = set(
        Consent.objects.filter(
            program=program,
            member_id__in=ids,
            scope=ConsentScope.CHECKINS_PEER,
            grantee__isnull=True,
            granted=True,
        ).values_list("member_id", flat=True)
    )
    alerts = {
        row["subject_id"]: row
        for row in Alert.objects.filter(program=program, subject_id__in=ids)
        .exclude(status=AlertStatus.RESOLVED)
        .values("subject_id")
        .annotate(count=Count("pk"), crisis=Count("pk", filter=Q(severity=Severity.CRISIS)))
    }
    today_of = {pk: local_date(now, zone_of(user)) for pk, user in members.items()}
    days: dict[int, list[caseload.CheckinDay]] = defaultdict(list)
    if shared:
        since = min(today_of.values()) - dt.timedelta(days=caseload.CHECKIN_LOOKBACK_DAYS)
        for user_id, day, mood, craving in CheckIn.objects.filter(
            user_id__in=shared, local_date__gte=since
        ).values_list("user_id", "local_date", "mood", "craving"):
            days[user_id].append(caseload.CheckinDay(local_date=day, mood=mood, craving=craving))
    upcoming: dict[int, list[caseload.UpcomingMilestone]] = defaultdict(list)
    for clock in Clock.objects.filter(
        user_id__in=ids, ended_at__isnull=True, archived_at__isnull=True, share_milestones=True
    ).only("user_id", "label", "started_at"):
        zone = zone_of(members[clock.user_id])
        nxt = milestones.next_milestone(clock.started_at, zone, now=now)
        upcoming[clock.user_id].append(
            caseload.UpcomingMilestone(clock_label=clock.label, key=nxt.key, due_on=local_date(nxt.due_at, zone))
        )
    last_contact = dict(
        Encounter.objects.filter(program=program, member_id__in=ids)
        .values("member_id")
        .annotate(last=Max("occurred_at"))
        .values_list("member_id", "last")
    )
    facts = []
    for pk, user in members.items():
        alert = alerts.get(pk, {})
        last = last_contact.get(pk)
        facts.append(
            caseload.MemberFacts(
                member_id=pk,
                handle=user.display_name,
                today=today_of[pk],
                open_alerts=alert.get("count", 0),
                crisis_alerts=alert.get("crisis", 0),
                checkins_shared=pk in shared,
                checkins=tuple(days.get(pk, ())),
                milestones=tuple(upcoming.get(pk, ())),
                last_contact_on=local_date(last, zone_of(user)) if last else None,
            )
        )
    return facts


def caseload_for(viewer: User, membership: Membership, *, now: dt.datetime | None = None) -> list[caseload.CaseloadRow]:
    """The peer's members, most in need first."""
    work_require_peer(viewer, membership)
    return caseload.order(_caseload_facts(membership.program, viewer, now or timezone.now()))


@dataclass(frozen=True)
class TeamCaseload:
    peer: User
    rows: list[caseload.CaseloadRow]


def team_caseload_for(
    viewer: User, membership: Membership, peer_id: int, *, now: dt.datetime | None = None
) -> TeamCaseload:
    """A team peer's caseload as their supervisor sees it (no check-in values). Each
    member on it is audited: the order itself says something about them."""
    target = get_team_peer_for(viewer, membership, peer_id)
    rows = caseload.order(_caseload_facts(membership.program, target.user, now or timezone.now()))
    members = {m.pk: m for m in User.objects.filter(pk__in=[row.member_id for row in rows])}
    for row in rows:
        accounts_services.audit_record(
            actor=viewer, subject=members[row.member_id], program=membership.program, action="viewed_caseload"
        )
    return TeamCaseload(peer=target.user, rows=rows)


def team_peers_for(viewer: User, membership: Membership) -> list[User]:
    """The supervisor's team, for links to each peer's caseload."""
    work_require_supervisor(viewer, membership)
    team = work_team_peer_ids(membership.program, viewer)
    return list(User.objects.filter(pk__in=team).order_by("handle"))


# --- calls ---------------------------------------------------------------------------------


def call_due_on(weekday: int, today: dt.date) -> dt.date:
    """This week's call day: the latest date on or before ``today`` that falls on ``weekday``,
    so a call made a day late still counts for the day it was due."""
    return today - dt.timedelta(days=(today.weekday() - weekday) % 7)


def call_member_program(user: User, active: Membership | None) -> Program:
    """The program whose calls a member sets up: the one they act in when they are a
    member there, else their first membership as a member. 403 for anyone who is not a
    member anywhere."""
    if active is not None and active.role == Role.MEMBER:
        return active.program
    found = Membership.objects.filter(user=user, role=Role.MEMBER).select_related("program").order_by("pk").first()
    if found is None:
        raise PermissionDenied
    return found.program


def my_call_plan(member: User, program: Program) -> CallPlan | None:
    """The member's active plan, or the last one they paused (to start it again)."""
    plans = CallPlan.objects.filter(program=program, member=member)
    return plans.filter(active=True).first() or plans.order_by("-updated_at", "-pk").first()


@dataclass(frozen=True)
class CallRow:
    plan: CallPlan
    member: User
    due_on: dt.date
    call_at: dt.datetime  # the member's chosen time, as an aware instant
    attempt: CallAttempt | None
    missed_in_a_row: int


def calls_today_for(viewer: User, membership: Membership, *, now: dt.datetime | None = None) -> list[CallRow]:
    """The peer's call list for today: members they walk with whose weekly call falls on
    today in the member's own zone, recorded or not (recorded ones show their outcome)."""
    work_require_peer(viewer, membership)
    now = now or timezone.now()
    walked_with = CareTeamLink.objects.filter(
        program=membership.program, supporter=viewer, relation=CareRelation.PEER, ended_at__isnull=True
    ).values("member_id")
    plans = list(
        CallPlan.objects.filter(program=membership.program, member_id__in=walked_with, active=True).select_related(
            "member"
        )
    )
    due: list[tuple[CallPlan, dt.date]] = []
    for plan in plans:
        today = local_date(now, zone_of(plan.member))
        if today.weekday() == plan.weekday:
            due.append((plan, today))
    if not due:
        return []
    attempts = list(CallAttempt.objects.filter(plan_id__in=[plan.pk for plan, _d in due]).order_by("-due_on", "-pk"))
    by_plan: dict[int, list[CallAttempt]] = defaultdict(list)
    for attempt in attempts:
        by_plan[attempt.plan_id].append(attempt)
    rows = []
    for plan, today in due:
        history = by_plan.get(plan.pk, [])
        todays = next((a for a in history if a.due_on == today), None)
        missed = 0
        for attempt in history:
            if attempt.outcome == "reached":
                break
            missed += 1
        zone = zone_of(plan.member)
        call_at = dt.datetime.combine(today, plan.call_time).replace(tzinfo=zone)
        rows.append(CallRow(plan, plan.member, today, call_at, todays, missed))
    rows.sort(key=lambda row: (row.attempt is not None, row.call_at, row.member.display_name))
    return rows


def get_call_plan_for_peer(viewer: User, membership: Membership, plan_id: int) -> CallPlan:
    plan = CallPlan.objects.filter(program=membership.program, pk=plan_id).select_related("member", "program").first()
    if plan is None:
        raise Http404
    work_require_peer(viewer, membership)
    if not _walks_with(membership.program, viewer, plan.member_id):
        raise PermissionDenied
    return plan


def program_zone(program: Program) -> dt.tzinfo:
    return zone_named(program.time_zone)


# --- reasons in words ------------------------------------------------------------------------


def describe_reason(reason: caseload.Reason, *, hide_values: bool = False) -> str:
    """One caseload reason in the reader's language. ``hide_values`` (a supervisor's view)
    keeps what the reason is about and drops the check-in numbers behind it."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from alongside.recovery.templatetags.recovery_tags import milestone_key_label

    values = reason.values
    hide = hide_values and reason.from_checkins
    if reason.code == caseload.OPEN_ALERTS:
        count, crisis = int(values["count"]), int(values["crisis"])  # type: ignore[call-overload]
        text = ngettext("%(count)s open alert", "%(count)s open alerts", count) % {"count": count}
        if crisis:
            text += " " + ngettext("(%(crisis)s crisis)", "(%(crisis)s crisis)", crisis) % {"crisis": crisis}
        return text
    if reason.code == caseload.MISSED_CHECKINS:
        if hide:
            return _("Has stopped checking in lately")
        days = int(values["days"])  # type: ignore[call-overload]
        return ngettext(
            "Last check-in %(days)s day ago; they usually check in most days",
            "Last check-in %(days)s days ago; they usually check in most days",
            days,
        ) % {"days": days}
    if reason.code == caseload.CRAVINGS_RISING:
        if hide:
            return _("Cravings rising")
        return _("Cravings rising: %(recent)s on average this week, %(before)s the week before") % {
            "recent": values["recent"],
            "before": values["before"],
        }
    if reason.code == caseload.CRAVING_HIGH_CODE:
        if hide:
            return _("A strong craving this week")
        return _("A strong craving this week (%(highest)s out of 10)") % {"highest": values["highest"]}
    if reason.code == caseload.MILESTONE_SOON:
        days = int(values["days"])  # type: ignore[call-overload]
        when = _("today") if days == 0 else ngettext("in %(days)s day", "in %(days)s days", days) % {"days": days}
        if hide_values:
            return _("A milestone %(when)s") % {"when": when}
        return _("%(milestone)s on “%(clock)s” %(when)s") % {
            "milestone": milestone_key_label(str(values["key"])),
            "clock": values["clock"],
            "when": when,
        }
    if reason.code == caseload.CHECKINS_NOT_SHARED:
        return _("Check-ins not shared")
    if reason.code == caseload.NO_CONTACT:
        return _("No contact logged yet")
    if reason.code == caseload.LAST_CONTACT:
        days = int(values["days"])  # type: ignore[call-overload]
        if days == 0:
            return _("Last contact today")
        return ngettext("Last contact %(days)s day ago", "Last contact %(days)s days ago", days) % {"days": days}
    return reason.code


# --- which program an id belongs to (the API's answer when no ?program= was sent) ------------


def encounter_program_slug(encounter_id: int) -> str:
    """The program of a note, to resolve the reader's membership there; 404 when there is
    no such note. Says nothing to an outsider: their membership lookup is a 404 too."""
    slug = Encounter.objects.filter(pk=encounter_id).values_list("program__slug", flat=True).first()
    if slug is None:
        raise Http404
    return slug


def call_plan_program_slug(plan_id: int) -> str:
    slug = CallPlan.objects.filter(pk=plan_id).values_list("program__slug", flat=True).first()
    if slug is None:
        raise Http404
    return slug


# === matching ========================================================================

#: A peer who said "not this time" to a member is not suggested to them again for this long.
DECLINE_QUIET_DAYS = 90
#: How much of a peer's story a suggestion card shows.
STORY_EXCERPT_CHARS = 240
#: Score bands for the gentle label on a card (see matching.py for the points).
STRONG_FIT = 35.0
GOOD_FIT = 15.0

# The core wants an age; people give a range. The middle of it is as close as we can be.
AGE_MIDPOINTS = {
    AgeRange.A18.value: 21,
    AgeRange.A25.value: 30,
    AgeRange.A35.value: 40,
    AgeRange.A45.value: 50,
    AgeRange.A55.value: 60,
    AgeRange.A65.value: 70,
}


def age_of(age_range: str | None) -> int | None:
    return AGE_MIDPOINTS.get(age_range or "")


# --- who is asking ------------------------------------------------------------------------


def member_program_for(user: User, active: Membership | None) -> Program:
    """The program a member looks for a peer in; 403 for someone who is nobody's member."""
    program = recovery_selectors.journey_program_for(user, active)
    if program is None:
        raise PermissionDenied
    return program


def require_matching_admin(viewer: User, membership: Membership) -> None:
    accounts_selectors.require_role(membership, Role.ADMIN)
    accounts_selectors.require_member_data_access(viewer, membership)


def require_matching_staff(viewer: User, membership: Membership) -> None:
    """Peers (their own inbox) and admins (everything)."""
    accounts_selectors.require_role(membership, Role.PEER, Role.ADMIN)
    accounts_selectors.require_member_data_access(viewer, membership)


def member_of_program(program: Program, user_id: int) -> User:
    """A member of this program, or 404 (someone else, or nobody)."""
    found = Membership.objects.filter(program=program, user_id=user_id, role=Role.MEMBER).select_related("user").first()
    if found is None:
        raise Http404
    return found.user


def peer_user_of(program: Program, peer_id: int) -> User:
    """A peer supporter of this program (with a profile here), or 404."""
    found = _peer_profiles(program).filter(user_id=peer_id).select_related("user").first()
    if found is None:
        raise Http404
    return found.user


def program_today(program: Program) -> dt.date:
    return local_date(timezone.now(), zone_named(program.time_zone))


# --- the member's side ----------------------------------------------------------------------


def match_preferences_of(user: User) -> MatchPreferences:
    """The member's preferences, or an unsaved default before they choose."""
    return MatchPreferences.objects.filter(user=user).first() or MatchPreferences(user=user)


@dataclass(frozen=True)
class MemberMatchView:
    needs: matching.MemberNeeds
    preferences: MatchPreferences | None  # None until the member saves the form
    languages: list[str]
    pathways: list[str]
    substances: list[str]
    support_wanted: list[str]


def member_match_view(user: User) -> MemberMatchView:
    """The member's needs, from their preferences and their recovery profile: two reads."""
    preferences = MatchPreferences.objects.filter(user=user).first()
    profile = RecoveryProfile.objects.filter(user=user).first()
    languages = list(profile.languages) if profile and profile.languages else []
    pathways = list(profile.pathways) if profile else []
    substances = list(profile.substances) if profile else []
    prefs = preferences or MatchPreferences(user=user)
    location = None
    if prefs.latitude is not None and prefs.longitude is not None:
        location = (prefs.latitude, prefs.longitude)
    needs = matching.MemberNeeds(
        id=user.pk,
        # Nobody is matched without a language; before they say, the one they use here counts.
        languages=frozenset(languages or [user.preferred_language or "en"]),
        pathways=frozenset(pathways),
        substances=frozenset(substances),
        gender=prefs.gender or None,
        peer_gender_preference=prefs.peer_gender_preference or None,
        age=age_of(prefs.age_range),
        lived_experience_wanted=frozenset(prefs.lived_experience_wanted or []),
        location=location,
        remote_ok=prefs.remote_ok,
        availability=frozenset(prefs.availability or []),
    )
    return MemberMatchView(
        needs=needs,
        preferences=preferences,
        languages=languages,
        pathways=pathways,
        substances=substances,
        support_wanted=list(profile.support_wanted) if profile else [],
    )


def member_needs_of(user: User) -> matching.MemberNeeds:
    return member_match_view(user).needs


_BLOCK_ORDER = ("known prior relationship", "current_peer", "pending", "declined_recently")


def blocked_peer_ids(program: Program, member: User, *, now: dt.datetime | None = None) -> dict[int, str]:
    """Peers never suggested to this member, each with why (a ``reasons.RULES`` key or
    "pending"): a recorded exclusion, the peer they already walk with, the one they are
    waiting to hear from, one who said "not this time" lately. One query."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=DECLINE_QUIET_DAYS)
    exclusions = (
        MatchExclusion.objects.filter(program=program, member=member)
        .annotate(why=Value(_BLOCK_ORDER[0]))
        .order_by()
        .values_list("peer_id", "why")
    )
    current = (
        CareTeamLink.objects.filter(program=program, member=member, relation=CareRelation.PEER, ended_at__isnull=True)
        .annotate(why=Value(_BLOCK_ORDER[1]))
        .order_by()
        .values_list("supporter_id", "why")
    )
    pending = (
        MatchRequest.objects.filter(program=program, member=member, status=MatchRequestStatus.PENDING)
        .annotate(why=Value(_BLOCK_ORDER[2]))
        .order_by()
        .values_list("peer_id", "why")
    )
    declined = (
        MatchRequest.objects.filter(
            program=program, member=member, status=MatchRequestStatus.DECLINED, decided_at__gte=since
        )
        .annotate(why=Value(_BLOCK_ORDER[3]))
        .order_by()
        .values_list("peer_id", "why")
    )
    blocked: dict[int, str] = {}
    for peer_id, why in exclusions.union(current, pending, declined, all=True):
        if peer_id not in blocked or _BLOCK_ORDER.index(why) < _BLOCK_ORDER.index(blocked[peer_id]):
            blocked[peer_id] = why
    return blocked


# --- the pool of peers ------------------------------------------------------------------------

_POOL_FIELDS = (
    "user_id",
    "languages",
    "pathways",
    "substances",
    "gender",
    "age_range",
    "lived_experience",
    "latitude",
    "longitude",
    "meets_in_person",
    "meets_remotely",
    "availability",
    "capacity",
    "accepting_new",
)


def caseloads(program: Program, peer_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Places taken per peer: active peer links plus requests waiting for an answer. One
    aggregated query."""
    links = CareTeamLink.objects.filter(program=program, relation=CareRelation.PEER, ended_at__isnull=True).order_by()
    waiting = MatchRequest.objects.filter(program=program, status=MatchRequestStatus.PENDING).order_by()
    if peer_ids is not None:
        ids = list(peer_ids)
        links = links.filter(supporter_id__in=ids)
        waiting = waiting.filter(peer_id__in=ids)
    taken: dict[int, int] = defaultdict(int)
    rows = (
        links.values("supporter_id")
        .annotate(n=Count("id"))
        .values_list("supporter_id", "n")
        .union(waiting.values("peer_id").annotate(n=Count("id")).values_list("peer_id", "n"), all=True)
    )
    for peer_id, n in rows:
        taken[peer_id] += n
    return taken


def active_peer_counts(program: Program, peer_ids: Iterable[int]) -> dict[int, int]:
    """Members each peer walks with now (without waiting requests)."""
    return dict(
        CareTeamLink.objects.filter(
            program=program, relation=CareRelation.PEER, ended_at__isnull=True, supporter_id__in=list(peer_ids)
        )
        .values("supporter_id")
        .annotate(n=Count("id"))
        .values_list("supporter_id", "n")
    )


def credential_ok_ids(program: Program, today: dt.date, peer_ids: Iterable[int] | None = None) -> set[int] | None:
    """Peers whose credentials let them take someone new (the rule of ``eligible_peer_ids``),
    or ``None`` when the program does not require credentials (everyone may). One query."""
    if not program_peer_settings(program).credentials_required:
        return None
    rows = Credential.objects.filter(_profiles_counting_credential(today), profile__program=program)
    if peer_ids is not None:
        rows = rows.filter(profile__user_id__in=list(peer_ids))
    return set(rows.values_list("profile__user_id", flat=True).distinct())


def _peer_profiles(program: Program) -> QuerySet[PeerProfile]:
    # A profile counts only while its person still holds the peer role in the program.
    return PeerProfile.objects.filter(
        program=program, user__memberships__program=program, user__memberships__role=Role.PEER
    )


def _offer(row: tuple[Any, ...], taken: int, eligible: set[int] | None) -> matching.PeerOffer:
    (user_id, languages, pathways, substances, gender, age_range, lived, lat, lon, in_person, remote) = row[:11]
    availability, capacity = row[11], row[12]
    # Someone who does not meet in person has no location for matching: only remote pairs.
    location = (lat, lon) if in_person and lat is not None and lon is not None else None
    return matching.PeerOffer(
        id=user_id,
        languages=frozenset(languages or ()),
        pathways=frozenset(pathways or ()),
        substances=frozenset(substances or ()),
        gender=gender or None,
        age=AGE_MIDPOINTS.get(age_range or ""),
        lived_experience=frozenset(lived or ()),
        location=location,
        remote_ok=remote,
        availability=frozenset(availability or ()),
        capacity=capacity,
        current_caseload=taken,
        credential_valid=eligible is None or user_id in eligible,
    )


@dataclass(frozen=True)
class PoolPeer:
    offer: matching.PeerOffer
    accepting_new: bool


def _matching_rows_to_pool(
    rows: Iterable[tuple[Any, ...]], taken: dict[int, int], eligible: set[int] | None
) -> list[PoolPeer]:
    return [PoolPeer(_offer(row, taken.get(row[0], 0), eligible), row[13]) for row in rows]


# --- the pool cache ------------------------------------------------------------------------------
#
# Reading 5,000 profiles (five JSON lists each) and building their PeerOffers takes far
# longer than a suggestion page may (50 ms), and almost none of it changes between two
# page views. So each process keeps, per program, the peers' *static* features (with
# credential eligibility for one day) and checks them against a fingerprint of the rows
# they came from before every use: one aggregate query (counts, id sums, the latest
# ``updated_at``/``verified_at``). The snapshot also holds, built on first use, the open
# peers as a ``matching.PeerIndex`` (arrays), which is what ranks one member's
# suggestions. Caseloads change all the time and are never cached.
# Contract for writers: every change to a PeerProfile or a Credential sets ``updated_at``
# (verification sets ``verified_at``), as the services do.


@dataclass(frozen=True)
class _PoolSnapshot:
    fingerprint: tuple[Any, ...]
    peers: list[PoolPeer]  # every profile, caseload 0

    @functools.cached_property
    def open_index(self) -> _OpenIndex:
        """The peers a member may be offered (taking someone new, credential eligible),
        as arrays for ``matching.suggest_indexed``: built once per snapshot, on first use."""
        offers = [peer.offer for peer in self.peers if peer.accepting_new and peer.offer.credential_valid]
        ids = np.array([int(offer.id) for offer in offers], dtype=np.int64)
        order = np.argsort(ids, kind="stable")
        return _OpenIndex(matching.PeerIndex(offers), ids[order], order)


@dataclass(frozen=True)
class _OpenIndex:
    index: matching.PeerIndex
    sorted_ids: np.ndarray  # the index's peer ids, ascending
    order: np.ndarray  # position in the index of each of sorted_ids

    def caseloads(self, taken: dict[int, int]) -> np.ndarray:
        """``taken`` (peer id -> places taken) as an array aligned to the index."""
        load = np.zeros(len(self.index), dtype=np.int64)
        if taken and len(self.sorted_ids):
            ids = np.fromiter(taken.keys(), dtype=np.int64, count=len(taken))
            counts = np.fromiter(taken.values(), dtype=np.int64, count=len(taken))
            at = np.minimum(np.searchsorted(self.sorted_ids, ids), len(self.sorted_ids) - 1)
            known = self.sorted_ids[at] == ids
            load[self.order[at[known]]] = counts[known]
        return load


_POOL_CACHE: dict[int, _PoolSnapshot] = {}


def pool_cache_clear() -> None:
    _POOL_CACHE.clear()


def _pool_fingerprint(program: Program, today: dt.date, credentials_required: bool) -> tuple[Any, ...]:
    # Over the same joined rows the pool is read from, so a peer who loses the peer role
    # changes it too. Capacity and "accepting" are summed as well: they matter most. The
    # credentials' figures come in the same query (UNION ALL of two one-row aggregates).
    no_time = Value(None, output_field=DateTimeField())
    profiles = (
        _peer_profiles(program)
        .order_by()
        .annotate(part=Value(0))
        .values("part")  # a constant: no GROUP BY, one row over every profile
        .annotate(
            n=Count("id"),
            ids=Sum("id"),
            counted=Count("id", filter=Q(accepting_new=True)),
            summed=Sum("capacity"),
            latest=Max("updated_at"),
            latest_other=no_time,
        )
        .values_list("part", "n", "ids", "counted", "summed", "latest", "latest_other")
    )
    if credentials_required:
        credentials = (
            Credential.objects.filter(profile__program=program)
            .order_by()
            .annotate(part=Value(1))
            .values("part")
            .annotate(
                n=Count("id"),
                ids=Sum("id"),
                counted=Count("id", filter=Q(verified_at__isnull=False)),
                summed=Value(0),
                latest=Max("updated_at"),
                latest_other=Max("verified_at"),
            )
            .values_list("part", "n", "ids", "counted", "summed", "latest", "latest_other")
        )
        profiles = profiles.union(credentials, all=True)
    return (today, credentials_required, tuple(sorted(profiles)))


def _snapshot(program: Program, today: dt.date, credentials_required: bool | None = None) -> _PoolSnapshot:
    """Every peer of the program (open or not) with caseload 0, from the cache when its
    fingerprint still holds (one query); otherwise one values_list query and one for
    credentials. ``credentials_required``: the program's setting, when the caller has it."""
    if credentials_required is None:
        credentials_required = program_peer_settings(program).credentials_required
    fingerprint = _pool_fingerprint(program, today, credentials_required)
    cached = _POOL_CACHE.get(program.pk)
    if cached is not None and cached.fingerprint == fingerprint:
        return cached
    rows = list(_peer_profiles(program).values_list(*_POOL_FIELDS))
    eligible = credential_ok_ids(program, today) if credentials_required else None
    snapshot = _PoolSnapshot(fingerprint, _matching_rows_to_pool(rows, {}, eligible))
    _POOL_CACHE[program.pk] = snapshot
    return snapshot


def _static_pool(program: Program, today: dt.date) -> list[PoolPeer]:
    return _snapshot(program, today).peers


def peer_pool(
    program: Program, today: dt.date, *, peer_ids: Iterable[int] | None = None, include_closed: bool = False
) -> list[PoolPeer]:
    """The program's peers as the core sees them, with their caseload now."""
    if peer_ids is not None:
        ids = list(peer_ids)
        profiles = _peer_profiles(program).filter(user_id__in=ids)
        if not include_closed:
            profiles = profiles.filter(accepting_new=True)
        rows = list(profiles.values_list(*_POOL_FIELDS))
        return _matching_rows_to_pool(rows, caseloads(program, ids), credential_ok_ids(program, today, ids))
    taken = caseloads(program)
    pool = []
    for peer in _static_pool(program, today):
        if not (include_closed or peer.accepting_new):
            continue
        n = taken.get(int(peer.offer.id), 0)
        pool.append(
            peer if n == 0 else PoolPeer(dataclasses.replace(peer.offer, current_caseload=n), peer.accepting_new)
        )
    return pool


def match_pool(program: Program, today: dt.date) -> list[matching.PeerOffer]:
    """Every peer of the program who is taking someone new, as the core sees them (with
    their caseload now): what a round and the bench use."""
    return [peer.offer for peer in peer_pool(program, today)]


def _suggestion_pool(
    program: Program, today: dt.date, credentials_required: bool | None = None
) -> tuple[matching.PeerIndex, np.ndarray]:
    """The open, credential-eligible peers as the cached index, and the places each has
    taken now (aligned to it): what ranking one member's suggestions needs. The index is
    rebuilt only when the pool's fingerprint changes; caseloads are never cached."""
    taken = caseloads(program)
    found = _snapshot(program, today, credentials_required).open_index
    return found.index, found.caseloads(taken)


def peer_offer_of(program: Program, peer_id: int, today: dt.date) -> PoolPeer | None:
    found = peer_pool(program, today, peer_ids=[peer_id], include_closed=True)
    return found[0] if found else None


# --- suggestions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeerCard:
    """What a member may see of a peer: the public card, never gender, age or coordinates."""

    user_id: int
    display_name: str
    story: str
    story_is_excerpt: bool
    city: str
    languages: list[str]
    pathways: list[str]
    meets_in_person: bool
    meets_remotely: bool


@dataclass(frozen=True)
class SuggestionView:
    card: PeerCard
    score: float
    reasons: tuple[matching.Reason, ...]
    distance_km: float | None

    @property
    def fit(self) -> str:
        if self.score >= STRONG_FIT:
            return "strong"
        if self.score >= GOOD_FIT:
            return "good"
        return "possible"

    @property
    def reason_texts(self) -> list[str]:
        return [reasons.reason_text(r) for r in self.reasons]


def _excerpt(story: str) -> tuple[str, bool]:
    if len(story) <= STORY_EXCERPT_CHARS:
        return story, False
    cut = story[:STORY_EXCERPT_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",.;: ") + "…", True


def peer_cards(program: Program, peer_ids: Iterable[int]) -> dict[int, PeerCard]:
    """Public cards of a few peers: one query."""
    cards = {}
    rows = PeerProfile.objects.filter(program=program, user_id__in=list(peer_ids)).values_list(
        "user_id", "display_name", "story", "city", "languages", "pathways", "meets_in_person", "meets_remotely"
    )
    for user_id, name, story, city, languages, pathways, in_person, remote in rows:
        excerpt, cut = _excerpt(story or "")
        cards[user_id] = PeerCard(
            user_id=user_id,
            display_name=name,
            story=excerpt,
            story_is_excerpt=cut,
            city=city,
            languages=[reasons.language_name(code) for code in languages or []],
            pathways=list(pathways or []),
            meets_in_person=in_person,
            meets_remotely=remote,
        )
    return cards


def _require_can_see_matching_of(viewer: User, member: User, program: Program) -> None:
    if viewer.pk == member.pk:
        return
    membership = accounts_selectors.get_membership(viewer, program)
    if membership is None:
        raise Http404
    require_matching_admin(viewer, membership)


def suggestions_for(viewer: User, member: User, program: Program, *, limit: int = 10) -> list[SuggestionView]:
    """The member's best peers, best first, honouring every hard rule. The member sees
    their own; an admin of the program sees any member's (audited). A fixed number of
    queries whatever the number of peers."""
    _require_can_see_matching_of(viewer, member, program)
    if viewer.pk != member.pk:
        accounts_services.audit_record(actor=viewer, subject=member, program=program, action="viewed_match_suggestions")
    settings = program_peer_settings(program)
    needs = member_needs_of(member)
    blocked = blocked_peer_ids(program, member)
    index, taken = _suggestion_pool(program, program_today(program), settings.credentials_required)
    found = matching.suggest_indexed(
        needs,
        index,
        caseloads=taken,
        excluded_ids=blocked.keys(),
        max_distance_km=float(settings.match_max_distance_km),
        limit=limit,
    )
    cards = peer_cards(program, [int(s.peer_id) for s in found]) if found else {}
    return [
        SuggestionView(card=cards[int(s.peer_id)], score=s.score, reasons=s.reasons, distance_km=s.distance_km)
        for s in found
        if int(s.peer_id) in cards
    ]


@dataclass(frozen=True)
class WhyNot:
    peer_id: int
    display_name: str
    reason: str  # lazy, translated


def why_not_for(viewer: User, member: User, program: Program) -> list[WhyNot]:
    """For an admin: every peer of the program this member is *not* suggested, and the
    first rule that rules them out."""
    _require_can_see_matching_of(viewer, member, program)
    settings = program_peer_settings(program)
    needs = member_needs_of(member)
    blocked = blocked_peer_ids(program, member)
    pool = peer_pool(program, program_today(program), include_closed=True)
    names = dict(_peer_profiles(program).values_list("user_id", "display_name"))
    max_km = float(settings.match_max_distance_km)
    found = []
    for peer in pool:
        why = _matching_rule_for(needs, peer, blocked, max_km)
        if why is not None:
            peer_id = int(peer.offer.id)
            found.append(WhyNot(peer_id, names.get(peer_id, ""), reasons.rule_text(why)))
    found.sort(key=lambda w: w.display_name.lower())
    return found


@dataclass(frozen=True)
class PeerFit:
    """One peer seen for one member: their card, and either the fit or why they cannot be asked."""

    card: PeerCard
    suggestion: SuggestionView | None
    why_not: str | None  # lazy, translated


def _matching_rule_for(
    needs: matching.MemberNeeds, peer: PoolPeer, blocked: dict[int, str], max_km: float
) -> str | None:
    peer_id = int(peer.offer.id)
    if not peer.accepting_new:
        return "not_accepting"
    if blocked.get(peer_id) in ("current_peer", "declined_recently", "pending"):
        return blocked[peer_id]
    return matching.why_not(needs, peer.offer, excluded=peer_id in blocked, max_distance_km=max_km)


def peer_fit_for(viewer: User, member: User, program: Program, peer_id: int) -> PeerFit:
    """How one peer fits one member (for the "ask this peer" page); 404 for someone who is
    not a peer of the program."""
    _require_can_see_matching_of(viewer, member, program)
    found = peer_offer_of(program, peer_id, program_today(program))
    cards = peer_cards(program, [peer_id]) if found else {}
    if found is None or peer_id not in cards:
        raise Http404
    needs = member_needs_of(member)
    max_km = float(program_peer_settings(program).match_max_distance_km)
    why = _matching_rule_for(needs, found, blocked_peer_ids(program, member), max_km)
    if why is not None:
        return PeerFit(cards[peer_id], None, reasons.rule_text(why))
    score, why_fit, km = matching.score_pair(needs, found.offer, max_distance_km=max_km)
    return PeerFit(cards[peer_id], SuggestionView(cards[peer_id], score, why_fit, km), None)


# --- requests ------------------------------------------------------------------------------------


def _requests() -> QuerySet[MatchRequest]:
    return MatchRequest.objects.select_related("member", "peer", "requested_by", "program")


@dataclass(frozen=True)
class MyMatching:
    """Everything the member's "find a peer" page says about where they stand."""

    program: Program
    current_peers: list[CareTeamLink]
    pending: MatchRequest | None
    recently_declined: MatchRequest | None
    peer_names: dict[int, str] = field(default_factory=dict)

    @property
    def current_names(self) -> list[str]:
        return [self.peer_names.get(link.supporter_id) or link.supporter.display_name for link in self.current_peers]

    @property
    def pending_name(self) -> str:
        if self.pending is None:
            return ""
        return self.peer_names.get(self.pending.peer_id) or self.pending.peer.display_name


def my_matching(member: User, program: Program) -> MyMatching:
    current = accounts_selectors.care_team_of(member, program)
    peers = [link for link in current if link.relation == CareRelation.PEER]
    requests = list(_requests().filter(program=program, member=member).order_by("-created_at")[:5])
    pending = next((r for r in requests if r.status == MatchRequestStatus.PENDING), None)
    since = timezone.now() - dt.timedelta(days=14)
    declined = next(
        (
            r
            for r in requests
            if r.status == MatchRequestStatus.DECLINED and r.decided_at is not None and r.decided_at >= since
        ),
        None,
    )
    # Only the newest answer counts: a later request (withdrawn or accepted) supersedes it.
    if declined is not None and requests and requests[0].pk != declined.pk:
        declined = None
    ids = {link.supporter_id for link in peers} | {r.peer_id for r in requests}
    return MyMatching(program, peers, pending, declined, profile_names(program, ids))


def my_match_requests(member: User, program: Program | None = None) -> QuerySet[MatchRequest]:
    found = _requests().filter(member=member)
    return found.filter(program=program) if program is not None else found


def get_my_match_request(member: User, request_id: int) -> MatchRequest:
    found = _requests().filter(member=member, pk=request_id).first()
    if found is None:
        raise Http404
    return found


def with_peer_names(found: QuerySet[MatchRequest]) -> QuerySet[MatchRequest]:
    """Each request with ``peer_display_name``, the peer's public name (no query per row)."""
    name = PeerProfile.objects.filter(program=OuterRef("program"), user=OuterRef("peer")).values("display_name")[:1]
    return found.annotate(peer_display_name=Subquery(name))


def match_request_with_names(request_id: int) -> MatchRequest | None:
    """For an API answer right after a write the caller was allowed to make."""
    return with_peer_names(_requests().filter(pk=request_id)).first()


def program_id_of_request(request_id: int) -> int | None:
    return MatchRequest.objects.filter(pk=request_id).values_list("program_id", flat=True).first()


def program_id_of_round(round_id: int) -> int | None:
    return MatchRound.objects.filter(pk=round_id).values_list("program_id", flat=True).first()


def requests_visible_to(viewer: User, membership: Membership) -> QuerySet[MatchRequest]:
    """Members: their own. Peers: the ones sent to them. Admins: the program's. Others: 403."""
    program = membership.program
    if membership.role == Role.MEMBER:
        return _requests().filter(program=program, member=viewer)
    require_matching_staff(viewer, membership)
    found = _requests().filter(program=program)
    if membership.role == Role.PEER:
        found = found.filter(peer=viewer)
    return found


def requests_inbox(viewer: User, membership: Membership) -> tuple[list[MatchRequest], list[MatchRequest]]:
    """(waiting, recently decided) for a peer's or an admin's inbox."""
    require_matching_staff(viewer, membership)
    found = requests_visible_to(viewer, membership)
    waiting = list(found.filter(status=MatchRequestStatus.PENDING).order_by("created_at")[:200])
    since = timezone.now() - dt.timedelta(days=30)
    decided = list(found.exclude(status=MatchRequestStatus.PENDING).filter(created_at__gte=since)[:50])
    return waiting, decided


@dataclass(frozen=True)
class RequestRow:
    item: MatchRequest
    peer_name: str
    reason_texts: list[str]


def request_rows(program: Program, requests: list[MatchRequest]) -> list[RequestRow]:
    """Requests with the peer's public name and the stored reasons in the reader's language."""
    names = profile_names(program, {r.peer_id for r in requests})
    return [
        RequestRow(
            item=r,
            peer_name=names.get(r.peer_id) or r.peer.display_name,
            reason_texts=[reasons.reason_text(x) for x in reasons.reasons_from_json(r.reasons)],
        )
        for r in requests
    ]


def profile_names(program: Program, user_ids: Iterable[int]) -> dict[int, str]:
    return dict(
        PeerProfile.objects.filter(program=program, user_id__in=list(user_ids)).values_list("user_id", "display_name")
    )


def get_request_for_action(viewer: User, membership: Membership, request_id: int, *, action: str) -> MatchRequest:
    """The request a person may act on: ``accept``/``decline`` for the peer it was sent to;
    ``withdraw`` for the member who is waiting or an admin. 404 for a request of another
    program or another person; 403 for a role that never may."""
    program = membership.program
    found = _requests().filter(program=program, pk=request_id).first()
    if action in ("accept", "decline"):
        accounts_selectors.require_role(membership, Role.PEER)
        accounts_selectors.require_member_data_access(viewer, membership)
        if found is None or found.peer_id != viewer.pk:
            raise Http404
        return found
    if membership.role == Role.MEMBER:
        if found is None or found.member_id != viewer.pk:
            raise Http404
        return found
    require_matching_admin(viewer, membership)
    if found is None:
        raise Http404
    return found


# --- exclusions --------------------------------------------------------------------------------


def exclusions_for_admin(viewer: User, membership: Membership) -> QuerySet[MatchExclusion]:
    require_matching_admin(viewer, membership)
    return (
        MatchExclusion.objects.filter(program=membership.program)
        .select_related("member", "peer", "created_by")
        .order_by("-created_at")
    )


def get_exclusion_for_admin(viewer: User, membership: Membership, exclusion_id: int) -> MatchExclusion:
    require_matching_admin(viewer, membership)
    found = MatchExclusion.objects.filter(program=membership.program, pk=exclusion_id).first()
    if found is None:
        raise Http404
    return found


def program_person_by_handle(program: Program, handle: str, role: str) -> User | None:
    found = (
        Membership.objects.filter(program=program, role=role, user__handle__iexact=handle.strip())
        .select_related("user")
        .first()
    )
    return found.user if found else None


# --- rounds ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Waiting:
    needs: list[matching.MemberNeeds]
    handles: dict[int, str]


_WAITING_FIELDS = (
    "user_id",
    "user__handle",
    "user__preferred_language",
    "user__match_preferences__id",
    "user__match_preferences__looking",
    "user__match_preferences__gender",
    "user__match_preferences__peer_gender_preference",
    "user__match_preferences__age_range",
    "user__match_preferences__lived_experience_wanted",
    "user__match_preferences__latitude",
    "user__match_preferences__longitude",
    "user__match_preferences__remote_ok",
    "user__match_preferences__availability",
    "user__recovery_profile__languages",
    "user__recovery_profile__pathways",
    "user__recovery_profile__substances",
    "user__recovery_profile__support_wanted",
)


def waiting_members(program: Program) -> Waiting:
    """Members waiting for a peer: a member of the program who asked for one (preferences
    saved with "I would like a peer supporter", or, before saving any, "someone with
    lived experience to talk to" in their recovery profile), who walks with no peer and
    has no request waiting for an answer. Someone who un-ticked "looking" is not waiting,
    whatever their recovery profile says. Three queries."""
    busy = CareTeamLink.objects.filter(program=program, relation=CareRelation.PEER, ended_at__isnull=True).values(
        "member_id"
    )
    asked = MatchRequest.objects.filter(program=program, status=MatchRequestStatus.PENDING).values("member_id")
    rows = (
        Membership.objects.filter(program=program, role=Role.MEMBER, user__is_active=True)
        .exclude(Q(user_id__in=busy) | Q(user_id__in=asked))
        .order_by("user_id")
        .values_list(*_WAITING_FIELDS)
    )
    needs: list[matching.MemberNeeds] = []
    handles: dict[int, str] = {}
    for row in rows:
        (user_id, handle, language, prefs_id, looking, gender, preference, age_range, lived, lat, lon, remote) = row[
            :12
        ]
        availability, languages, pathways, substances, support = row[12:]
        if prefs_id is not None:
            if not looking:
                continue
        elif SupportWanted.PEER.value not in (support or []):
            continue
        needs.append(
            matching.MemberNeeds(
                id=user_id,
                languages=frozenset(languages or [language or "en"]),
                pathways=frozenset(pathways or []),
                substances=frozenset(substances or []),
                gender=gender or None,
                peer_gender_preference=preference or None,
                age=age_of(age_range),
                lived_experience_wanted=frozenset(lived or []),
                location=(lat, lon) if lat is not None and lon is not None else None,
                # No preferences saved yet: the model's default (phone or video is fine).
                remote_ok=True if prefs_id is None else bool(remote),
                availability=frozenset(availability or []),
            )
        )
        handles[user_id] = handle or ""
    return Waiting(needs, handles)


def blocked_pairs(
    program: Program, member_ids: Iterable[int], *, now: dt.datetime | None = None
) -> set[tuple[int, int]]:
    """(member, peer) pairs a round must not propose: exclusions and recent "not this time"s."""
    now = now or timezone.now()
    ids = list(member_ids)
    since = now - dt.timedelta(days=DECLINE_QUIET_DAYS)
    excluded = (
        MatchExclusion.objects.filter(program=program, member_id__in=ids).order_by().values_list("member_id", "peer_id")
    )
    declined = (
        MatchRequest.objects.filter(
            program=program, member_id__in=ids, status=MatchRequestStatus.DECLINED, decided_at__gte=since
        )
        .order_by()
        .values_list("member_id", "peer_id")
    )
    return set(excluded.union(declined))


def rounds_for_admin(viewer: User, membership: Membership) -> QuerySet[MatchRound]:
    require_matching_admin(viewer, membership)
    return MatchRound.objects.filter(program=membership.program).select_related("created_by", "decided_by")


def proposed_round(program: Program) -> MatchRound | None:
    return MatchRound.objects.filter(program=program, status=MatchRoundStatus.PROPOSED).first()


def get_round_for_admin(viewer: User, membership: Membership, round_id: int) -> MatchRound:
    require_matching_admin(viewer, membership)
    found = (
        MatchRound.objects.filter(program=membership.program, pk=round_id)
        .select_related("created_by", "decided_by")
        .first()
    )
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class ProposalView:
    proposal: MatchProposal
    member_handle: str
    peer_name: str
    reason_texts: list[str]
    note_text: str


@dataclass(frozen=True)
class UnassignedView:
    member_id: int
    handle: str
    reason: str


def round_detail(matching_round: MatchRound) -> tuple[list[ProposalView], list[UnassignedView]]:
    """A round's proposals (member handle → peer, score, reasons) and who was left out, and why."""
    proposals = list(matching_round.proposals.select_related("member", "peer").order_by("-score", "member__handle"))
    names = profile_names(matching_round.program, {p.peer_id for p in proposals})
    views = [
        ProposalView(
            proposal=p,
            member_handle=p.member.display_name,
            peer_name=names.get(p.peer_id) or p.peer.display_name,
            reason_texts=[reasons.reason_text(r) for r in reasons.reasons_from_json(p.reasons)],
            note_text=reasons.rule_text(p.note) if p.note else "",
        )
        for p in proposals
    ]
    left_out = [
        UnassignedView(
            int(item.get("member", 0)), str(item.get("handle", "")), reasons.rule_text(item.get("reason", ""))
        )
        for item in matching_round.unassigned or []
        if isinstance(item, dict)
    ]
    return views, left_out
