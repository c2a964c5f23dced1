"""The demo cast (the same people the tests use), created idempotently."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction
from django.utils import timezone

from alongside.accounts import services
from alongside.accounts.models import (
    STAFF_ROLES,
    AuditEvent,
    CareRelation,
    CareTeamLink,
    ConsentScope,
    Invitation,
    Membership,
    Program,
    Role,
    User,
)

DEMO_PASSWORD = "walk-alongside-2026"  # noqa: S105 (published demo credential, demo data only)
# A fixed base32 secret so a demo operator can add staff accounts to an authenticator app.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 (demo data only)


@dataclass(frozen=True)
class Person:
    handle: str
    email: str
    role: str
    program: str
    real_name: str
    time_zone: str = "America/Los_Angeles"


CAST = [
    Person("riley", "riley@example.org", Role.MEMBER, "harbor", "Riley Morgan"),
    Person("sam", "sam@example.org", Role.PEER, "harbor", "Sam Ortiz"),
    Person("dana", "dana@example.org", Role.SUPERVISOR, "harbor", "Dana Whitfield"),
    Person("alex", "alex@example.org", Role.ADMIN, "harbor", "Alex Chen"),
    Person("jordan", "jordan@example.org", Role.ALLY, "harbor", "Jordan Morgan"),
    Person("casey", "casey@example.org", Role.MEMBER, "desert-bloom", "Casey Nguyen", "America/Phoenix"),
]
EXTRA_MEMBERS = [
    Person("morgan_k", "morgan@example.org", Role.MEMBER, "harbor", "Morgan Kelly"),
    Person("avery.r", "avery@example.org", Role.MEMBER, "harbor", "Avery Ramos"),
    # More peers and two members still waiting for one, so matching has a choice to make.
    Person("luz", "luz@example.org", Role.PEER, "harbor", "Luz Herrera"),
    Person("jamie.p", "jamie@example.org", Role.PEER, "harbor", "Jamie Powell"),
    Person("drew", "drew@example.org", Role.MEMBER, "harbor", "Drew Santos"),
    Person("kai", "kai@example.org", Role.MEMBER, "harbor", "Kai Brooks"),
    Person("quinn", "quinn@example.org", Role.PEER, "desert-bloom", "Quinn Harper", "America/Phoenix"),
    Person("lee_admin", "lee@example.org", Role.ADMIN, "desert-bloom", "Lee Park", "America/Phoenix"),
]
PROGRAMS = {
    "harbor": (
        "Harbor Recovery Community",
        "America/Los_Angeles",
        "A recovery community organisation in Costa Mesa offering peer coaching, all-pathways "
        "meetings and family support.",
    ),
    "desert-bloom": (
        "Desert Bloom Aftercare",
        "America/Phoenix",
        "Aftercare for people leaving residential treatment in the Phoenix area.",
    ),
}


def _person(spec: Person) -> User:
    user = User.objects.filter(email=spec.email).first()
    if user is None:
        user = User.objects.create_user(
            email=spec.email,
            password=DEMO_PASSWORD,
            handle=spec.handle,
            real_name=spec.real_name,
            time_zone=spec.time_zone,
        )
    EmailAddress.objects.get_or_create(user=user, email=spec.email, defaults={"verified": True, "primary": True})
    if spec.role in STAFF_ROLES and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
        RecoveryCodes.activate(user)
    return user


@transaction.atomic
def seed_people() -> dict[str, User]:
    programs = {}
    for slug, (name, tz, description) in PROGRAMS.items():
        programs[slug], _ = Program.objects.get_or_create(
            slug=slug, defaults={"name": name, "time_zone": tz, "description": description}
        )
    people: dict[str, User] = {}
    for spec in CAST + EXTRA_MEMBERS:
        user = _person(spec)
        people[spec.handle] = user
        services.membership_add(user=user, program=programs[spec.program], role=spec.role)
    harbor = programs["harbor"]
    joined = timezone.now() - dt.timedelta(days=120)
    Membership.objects.filter(program=harbor, user=people["riley"]).update(joined_at=joined)
    for member in ("riley", "morgan_k", "avery.r"):
        if not CareTeamLink.objects.filter(program=harbor, member=people[member], relation=CareRelation.PEER).exists():
            services.care_team_link(program=harbor, member=people[member], supporter=people["sam"], relation="peer")
    services.care_team_link(program=harbor, member=people["riley"], supporter=people["jordan"], relation="ally")
    services.care_team_link(
        program=programs["desert-bloom"], member=people["casey"], supporter=people["quinn"], relation="peer"
    )
    services.consent_set(member=people["riley"], program=harbor, scope=ConsentScope.CHECKINS_PEER, granted=True)
    services.consent_set(member=people["riley"], program=harbor, scope=ConsentScope.OUTCOMES_DEIDENTIFIED, granted=True)
    services.consent_set(member=people["morgan_k"], program=harbor, scope=ConsentScope.CHECKINS_PEER, granted=True)
    if not AuditEvent.objects.filter(subject=people["riley"]).exists():
        services.audit_record(actor=people["sam"], subject=people["riley"], program=harbor, action="viewed_record")
    if not Invitation.objects.filter(program=harbor, email="taylor@example.org").exists():
        services.invitation_send(program=harbor, inviter=people["alex"], email="taylor@example.org", role=Role.MEMBER)
    return people
