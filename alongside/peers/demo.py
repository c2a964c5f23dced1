"""Peer-work demo content: the program's settings, three peer profiles (Sam, Luz, Jamie)
with credentials, training and a reference, a supervision session, a contact note with
a follow-up, Riley's weekly call, and match preferences for the two members still
waiting for a peer (Drew and Kai).

Sam's credential expires in 45 days so the admin's compliance page has something to
show; Jamie's is not verified yet. Rows are written directly, like the other demos, so
that seeding sends no emails and raises no alerts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from alongside.accounts.models import Membership, Program, Role, User
from alongside.lib.tz import local_date, zone_named
from alongside.peers.models import (
    CallPlan,
    ContinuingEducation,
    Credential,
    CredentialKind,
    Encounter,
    EncounterMode,
    MatchPreferences,
    PeerProfile,
    PeerProgramSettings,
    PeerReference,
    SupervisionFormat,
    SupervisionSession,
    TrainingRecord,
)
from alongside.recovery.models import RecoveryProfile

# Costa Mesa, Santa Ana and Long Beach (CA).
COSTA_MESA = (33.6411, -117.9187)
SANTA_ANA = (33.7455, -117.8677)
LONG_BEACH = (33.7701, -118.1937)


def seed_peers_demo(people: dict[str, User], harbor: Program) -> None:
    sam = people["sam"]
    if PeerProfile.objects.filter(program=harbor, user=sam).exists():
        return
    now = timezone.now()
    today = local_date(now, zone_named(harbor.time_zone))
    dana = people["dana"]
    alex = people["alex"]
    PeerProgramSettings.objects.get_or_create(program=harbor)
    # Peers who joined two months ago are past their first supervision period, so the
    # compliance page shows who is on track (Sam, Luz) and who is overdue (Jamie).
    Membership.objects.filter(program=harbor, role=Role.PEER).update(joined_at=now - dt.timedelta(days=60))

    sam_profile = PeerProfile.objects.create(
        program=harbor,
        user=sam,
        display_name="Sam O.",
        story=(
            "I found recovery at 31 through SMART meetings and a peer who never gave up on me. "
            "Nine years on, I walk with people through the first hard months, and I still go to "
            "a meeting every week."
        ),
        lived_experience=["parenting", "criminal_legal", "co_occurring"],
        substances=["alcohol", "stimulants"],
        pathways=["smart", "twelve_step"],
        languages=["en", "es"],
        gender="man",
        age_range="35-44",
        city="Costa Mesa, California",
        latitude=COSTA_MESA[0],
        longitude=COSTA_MESA[1],
        availability=["mon-evening", "tue-evening", "thu-evening", "sat-morning"],
        capacity=6,
        supervisor=dana,
    )
    luz_profile = PeerProfile.objects.create(
        program=harbor,
        user=people["luz"],
        display_name="Luz H.",
        story=(
            "Soy mamá de dos y llevo seis años en recuperación con medicación y mucho apoyo. "
            "I know how hard it is to ask for help when you are raising kids; I am here for that."
        ),
        lived_experience=["parenting", "pregnancy", "trauma"],
        substances=["opioids"],
        pathways=["medication", "harm_reduction"],
        languages=["es", "en"],
        gender="woman",
        age_range="25-34",
        city="Santa Ana, California",
        latitude=SANTA_ANA[0],
        longitude=SANTA_ANA[1],
        availability=["tue-morning", "wed-afternoon", "fri-morning"],
        capacity=5,
        supervisor=dana,
    )
    jamie_profile = PeerProfile.objects.create(
        program=harbor,
        user=people["jamie.p"],
        display_name="Jamie P.",
        story="Army veteran, twelve-step, four years sober. I meet people where they are.",
        lived_experience=["veteran", "chronic_pain"],
        substances=["alcohol", "opioids"],
        pathways=["twelve_step"],
        languages=["en"],
        gender="non_binary",
        age_range="45-54",
        city="Long Beach, California",
        latitude=LONG_BEACH[0],
        longitude=LONG_BEACH[1],
        meets_in_person=False,
        availability=["mon-morning", "wed-evening", "sun-afternoon"],
        capacity=4,
    )

    sam_cred = Credential.objects.create(
        profile=sam_profile,
        kind=CredentialKind.CPRS,
        issuer="California Consortium of Addiction Programs and Professionals",
        jurisdiction="California",
        number="CPRS-20417",
        issued_on=today - dt.timedelta(days=2 * 365 - 45),
        expires_on=today + dt.timedelta(days=45),
        ce_hours_required=Decimal(40),
        ce_ethics_hours_required=Decimal(6),
        verified_by=alex,
        verified_at=now - dt.timedelta(days=300),
    )
    ContinuingEducation.objects.create(
        credential=sam_cred,
        title="Motivational interviewing refresher",
        completed_on=today - dt.timedelta(days=200),
        hours=Decimal(12),
    )
    ContinuingEducation.objects.create(
        credential=sam_cred,
        title="Ethics and boundaries in peer work",
        completed_on=today - dt.timedelta(days=90),
        hours=Decimal(6),
        ethics_hours=Decimal(6),
    )
    Credential.objects.create(
        profile=luz_profile,
        kind=CredentialKind.CCAR,
        issuer="CCAR",
        jurisdiction="National",
        issued_on=today - dt.timedelta(days=400),
        expires_on=today + dt.timedelta(days=330),
        ce_hours_required=Decimal(20),
        ce_ethics_hours_required=Decimal(3),
        verified_by=alex,
        verified_at=now - dt.timedelta(days=380),
    )
    Credential.objects.create(
        profile=jamie_profile,
        kind=CredentialKind.STATE,
        title="California Peer Support Specialist",
        issuer="CalMHSA",
        jurisdiction="California",
        number="PSS-88231",
        issued_on=today - dt.timedelta(days=20),
        expires_on=today + dt.timedelta(days=710),
    )
    TrainingRecord.objects.create(
        profile=sam_profile,
        course="Naloxone training",
        provider="Harbor Recovery Community",
        hours=Decimal(2),
        completed_on=today - dt.timedelta(days=60),
    )
    TrainingRecord.objects.create(
        profile=luz_profile,
        course="Recovery Coach Academy",
        provider="CCAR",
        hours=Decimal(30),
        completed_on=today - dt.timedelta(days=420),
    )
    PeerReference.objects.create(
        profile=sam_profile,
        name="Pat Moreno",
        relationship="Former supervisor at Bayview Treatment",
        contact="pat.moreno@example.org",
        checked_by=alex,
        checked_at=now - dt.timedelta(days=700),
    )

    session = SupervisionSession.objects.create(
        program=harbor,
        supervisor=dana,
        held_on=today - dt.timedelta(days=9),
        duration_minutes=60,
        format=SupervisionFormat.GROUP,
        topics=["boundaries", "self_care", "caseload"],
        notes="Talked through holiday-season stress and saying no kindly.",
        follow_ups="Luz to try the 10-minute wind-down after evening calls.",
    )
    session.peers.set([sam, people["luz"]])

    riley = people["riley"]
    Encounter.objects.create(
        program=harbor,
        peer=sam,
        member=riley,
        occurred_at=now - dt.timedelta(days=3),
        duration_minutes=30,
        mode=EncounterMode.PHONE,
        topics=["cravings", "goals"],
        summary="Payday weekend coming up; went over the plan and who to call.",
        next_step="Riley to try the Saturday morning SMART meeting.",
        follow_up_on=today + dt.timedelta(days=1),
    )
    CallPlan.objects.create(
        program=harbor,
        member=riley,
        weekday=3,
        call_time=dt.time(18, 30),
        phone="1-714-555-0142",
        voicemail_ok=True,
    )

    MatchPreferences.objects.get_or_create(
        user=riley,
        defaults={
            "looking": False,
            "gender": "woman",
            "city": "Costa Mesa, California",
            "latitude": COSTA_MESA[0],
            "longitude": COSTA_MESA[1],
            "availability": ["tue-evening", "thu-evening"],
            "lived_experience_wanted": ["parenting"],
        },
    )
    MatchPreferences.objects.get_or_create(
        user=people["drew"],
        defaults={
            "gender": "man",
            "age_range": "25-34",
            "city": "Santa Ana, California",
            "latitude": SANTA_ANA[0],
            "longitude": SANTA_ANA[1],
            "remote_ok": False,
            "availability": ["tue-morning", "fri-morning"],
            "lived_experience_wanted": ["parenting"],
        },
    )
    MatchPreferences.objects.get_or_create(
        user=people["kai"],
        defaults={
            "gender": "non_binary",
            "peer_gender_preference": "",
            "age_range": "45-54",
            "city": "Long Beach, California",
            "latitude": LONG_BEACH[0],
            "longitude": LONG_BEACH[1],
            "availability": ["wed-evening"],
            "lived_experience_wanted": ["veteran"],
        },
    )
    for handle, languages, pathways, substances in (
        ("drew", ["es", "en"], ["medication"], ["opioids"]),
        ("kai", ["en"], ["twelve_step"], ["alcohol"]),
    ):
        RecoveryProfile.objects.get_or_create(
            user=people[handle],
            defaults={
                "languages": languages,
                "pathways": pathways,
                "substances": substances,
                "support_wanted": ["peer"],
                "onboarded_at": now - dt.timedelta(days=5),
            },
        )
