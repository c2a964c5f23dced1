"""Suggestions for one member through the database (issue 5), with 5,000 peers.

    .venv/bin/python bench/peers.py [--peers 5000] [--members 3000] [--n 200]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_peers .venv/bin/python bench/peers.py

``bench/matching.py`` times the pure core; this times what a member waits for: the
selector (`suggestions_for`: preferences, blocked peers, the pool with today's caseloads,
the core's ranking, the reasons in words) and the whole `/peer/find/` page, with the
number of queries each takes. Peers have realistic profiles, 95% hold a verified current
credential, and ``--members`` members already walk with one of them.

Target: suggestions for one member p95 <= 50 ms with 5,000 peers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import setup_django, timed

TARGET_MS = 50.0
CITIES = [
    ("Costa Mesa, California", 33.6411, -117.9187),
    ("Santa Ana, California", 33.7455, -117.8677),
    ("Long Beach, California", 33.7701, -118.1937),
    ("Phoenix, Arizona", 33.4484, -112.0740),
    ("Denver, Colorado", 39.7392, -104.9903),
    ("Chicago, Illinois", 41.8781, -87.6298),
]
PATHWAYS = ["twelve_step", "smart", "medication", "faith", "harm_reduction", "secular"]
SUBSTANCES = ["alcohol", "opioids", "stimulants", "cannabis", "benzodiazepines"]
LIVED = ["parenting", "criminal_legal", "homelessness", "veteran", "lgbtq", "co_occurring", "chronic_pain"]
SLOTS = [
    f"{d}-{p}" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun") for p in ("morning", "afternoon", "evening")
]


def seed(n_peers: int, n_members: int):
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from alongside.accounts.models import CareTeamLink, Membership, Program, User
    from alongside.peers.models import Credential, MatchPreferences, PeerProfile, PeerProgramSettings
    from alongside.recovery.models import RecoveryProfile

    rng = random.Random(7)  # noqa: S311 - benchmark data
    now = timezone.now()
    today = now.date()
    program = Program.objects.create(name="Bench", slug="bench", time_zone="America/Los_Angeles")
    PeerProgramSettings.objects.create(program=program)
    password = make_password("bench-password-1")
    peers = User.objects.bulk_create(
        [User(email=f"peer{i}@example.org", handle=f"peer{i}", password=password) for i in range(n_peers)]
    )
    members = User.objects.bulk_create(
        [User(email=f"member{i}@example.org", handle=f"member{i}", password=password) for i in range(n_members + 1)]
    )
    Membership.objects.bulk_create([Membership(user=u, program=program, role="peer") for u in peers])
    Membership.objects.bulk_create([Membership(user=u, program=program, role="member") for u in members])
    profiles = []
    for i, user in enumerate(peers):
        city, lat, lon = rng.choice(CITIES)
        languages = ["en"] if rng.random() < 0.75 else rng.choice([["es"], ["en", "es"], ["en", "vi"]])
        profiles.append(
            PeerProfile(
                program=program,
                user=user,
                display_name=f"Peer {i}",
                story="In recovery since 2015; I walk with people through the first months.",
                lived_experience=rng.sample(LIVED, rng.randint(0, 3)),
                substances=rng.sample(SUBSTANCES, rng.randint(1, 2)),
                pathways=rng.sample(PATHWAYS, rng.randint(1, 2)),
                languages=languages,
                gender=rng.choice(["woman", "man", "non_binary"]),
                age_range=rng.choice(["25-34", "35-44", "45-54", "55-64"]),
                city=city,
                latitude=lat + rng.uniform(-0.2, 0.2),
                longitude=lon + rng.uniform(-0.2, 0.2),
                meets_remotely=rng.random() < 0.6,
                availability=rng.sample(SLOTS, rng.randint(2, 6)),
                capacity=rng.randint(5, 15),
            )
        )
    profiles = PeerProfile.objects.bulk_create(profiles)
    Credential.objects.bulk_create(
        [
            Credential(
                profile=profile,
                kind="cprs",
                issuer="Board",
                issued_on=today - dt.timedelta(days=300),
                expires_on=today + dt.timedelta(days=rng.randint(-30, 700)),
                verified_at=now if rng.random() < 0.95 else None,
            )
            for profile in profiles
        ]
    )
    CareTeamLink.objects.bulk_create(
        [
            CareTeamLink(program=program, member=member, supporter=rng.choice(peers), relation="peer")
            for member in members[1:]
        ]
    )
    asking = members[0]
    RecoveryProfile.objects.create(
        user=asking, languages=["en", "es"], pathways=["medication"], substances=["opioids"], support_wanted=["peer"]
    )
    MatchPreferences.objects.create(
        user=asking,
        city="Santa Ana, California",
        latitude=33.7455,
        longitude=-117.8677,
        availability=["tue-evening", "thu-evening"],
        lived_experience_wanted=["parenting"],
    )
    return program, asking


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peers", type=int, default=5000)
    parser.add_argument("--members", type=int, default=3000)
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    setup_django()

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from alongside.peers import selectors

    program, member = seed(args.peers, args.members)
    print(f"{connection.vendor}: {args.peers:,} peers, {args.members:,} members already walked with")

    def suggest() -> object:
        return selectors.suggestions_for(member, member, program)

    found = suggest()
    with CaptureQueriesContext(connection) as queries:
        suggest()
    p50, p95 = timed(suggest, args.n)
    print(f"  top suggestion: score {found[0].score if found else '-'}; {len(found)} shown")
    print(f"{'operation':<34} {'p50 ms':>7} {'p95 ms':>7} {'queries':>8} {'target':>7} {'p95/target':>11}")
    print(
        f"{'suggestions_for (selector)':<34} {p50:7.1f} {p95:7.1f} {len(queries):8d} {TARGET_MS:7.0f} {p95 / TARGET_MS:11.2f}"
    )

    client = Client()
    client.force_login(member)

    def page() -> object:
        response = client.get("/peer/find/")
        if response.status_code != 200:
            raise SystemExit(f"/peer/find/ answered {response.status_code}")
        return response

    # Django empties the query log when a request starts, so count with a wrapper instead.
    executed: list[str] = []
    with connection.execute_wrapper(lambda execute, sql, *rest: (executed.append(sql), execute(sql, *rest))[1]):
        page()
    p50, p95 = timed(page, args.n)
    print(
        f"{'GET /peer/find/ (whole page)':<34} {p50:7.1f} {p95:7.1f} {len(executed):8d} {TARGET_MS:7.0f} {p95 / TARGET_MS:11.2f}"
    )


if __name__ == "__main__":
    main()
