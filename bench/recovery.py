"""Member home and check-in at scale: 10,000 members with a year of daily check-ins each.

    .venv/bin/python bench/recovery.py [--members 10000] [--days 365] [--requests 200]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alongside_bench .venv/bin/python bench/recovery.py

Seeds one program (about 3.65 million check-ins at the defaults) into a fresh database: a
throwaway SQLite file by default, or the PostgreSQL database in ``DATABASE_URL`` (created if
missing, emptied first). Then prints, for the member home page and for recording a
check-in, p50/p95 server time (Django test client, so no network) and the SQL queries per
request for a member with a full year of history and for a brand-new member: the counts
must be equal (constant, not growing with history).

Targets on both databases: home page p95 <= 50 ms and <= 10 queries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import setup_django, timed

TARGET_HOME_P95_MS = 50.0
TARGET_HOME_QUERIES = 10
TRIGGERS = ["stress", "people", "sleep", "money", "boredom", "places", "pain", "conflict"]

setup_django()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from alongside.accounts.models import CareRelation, CareTeamLink, Membership, Program, Role, User  # noqa: E402
from alongside.recovery.models import CheckIn, Clock, RecoveryProfile  # noqa: E402


def seed(members: int, days: int) -> tuple[Program, list[int]]:
    rng = random.Random(2026)  # noqa: S311 - benchmark data
    now = timezone.now()
    today = now.date()
    program = Program.objects.create(name="Bench", slug="bench", time_zone="UTC")
    peer = User.objects.create_user("peer@bench.example", handle="bench-peer")
    Membership.objects.create(user=peer, program=program, role=Role.PEER)
    # "!" is Django's marker for an unusable password: these members never sign in.
    unusable = "!"
    users = User.objects.bulk_create(
        User(email=f"m{i}@bench.example", handle=f"member{i}", password=unusable, time_zone="UTC")
        for i in range(members)
    )
    ids = [u.pk for u in users]
    Membership.objects.bulk_create(Membership(user_id=uid, program=program, role=Role.MEMBER) for uid in ids)
    CareTeamLink.objects.bulk_create(
        CareTeamLink(program=program, member_id=uid, supporter=peer, relation=CareRelation.PEER) for uid in ids[:500]
    )
    RecoveryProfile.objects.bulk_create(RecoveryProfile(user_id=uid, onboarded_at=now) for uid in ids)
    Clock.objects.bulk_create(
        Clock(user_id=uid, label="Alcohol", started_at=now - dt.timedelta(days=rng.randint(1, 900))) for uid in ids
    )
    started = time.perf_counter()
    columns = (
        "user_id",
        "local_date",
        "mood",
        "craving",
        "triggers",
        "used_today",
        "used_what",
        "sleep_quality",
        "note",
        "wants_outreach",
        "created_at",
        "updated_at",
    )
    table = CheckIn._meta.db_table

    def rows():
        for uid in ids:
            for back in range(1, days + 1):
                day = today - dt.timedelta(days=back)
                moment = now - dt.timedelta(days=back)
                triggers = '["' + rng.choice(TRIGGERS) + '"]' if back % 3 == 0 else "[]"
                yield (
                    uid,
                    day,
                    rng.randint(2, 5),
                    rng.randint(0, 6),
                    triggers,
                    False,
                    "",
                    3,
                    "",
                    False,
                    moment,
                    moment,
                )

    with transaction.atomic():
        if connection.vendor == "postgresql":
            raw = connection.connection
            with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[union-attr]
                for row in rows():
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            with connection.cursor() as cursor:
                batch: list[tuple] = []
                for row in rows():
                    batch.append(row)
                    if len(batch) >= 20_000:
                        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", batch)  # noqa: S608 - fixed names
                        batch.clear()
                if batch:
                    cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", batch)  # noqa: S608
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    total = CheckIn.objects.count()
    print(
        f"seeded {members:,} members, {total:,} check-ins in {time.perf_counter() - started:.0f} s ({connection.vendor})"
    )
    return program, ids


def queries_of(send) -> int:
    with CaptureQueriesContext(connection) as captured:
        send()
    return len(captured)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    program, ids = seed(args.members, args.days)
    rng = random.Random(1)  # noqa: S311

    veteran = User.objects.get(pk=ids[len(ids) // 2])
    newcomer = User.objects.create_user("new@bench.example", handle="newcomer")
    Membership.objects.create(user=newcomer, program=program, role=Role.MEMBER)
    RecoveryProfile.objects.create(user=newcomer, onboarded_at=timezone.now())
    Clock.objects.create(user=newcomer, label="Alcohol", started_at=timezone.now() - dt.timedelta(days=3))

    clients = {}
    for who, user in (("year of history", veteran), ("new member", newcomer)):
        client = Client()
        client.force_login(user)
        clients[who] = client

    # Home pages of many different members, so no one row stays hot in a cache.
    sample = [User.objects.get(pk=pk) for pk in rng.sample(ids, min(50, len(ids)))]
    sample_clients = []
    for user in sample:
        client = Client()
        client.force_login(user)
        sample_clients.append(client)
    turn = iter(range(10**9))

    def home_many():
        response = sample_clients[next(turn) % len(sample_clients)].get("/")
        assert response.status_code == 200, response.status_code  # noqa: S101

    def checkin_many():
        client = sample_clients[next(turn) % len(sample_clients)]
        response = client.post(
            "/checkin/", {"mood": rng.randint(2, 5), "craving": rng.randint(0, 5), "triggers": ["stress"]}
        )
        assert response.status_code == 200, response.status_code  # noqa: S101

    home_p50, home_p95 = timed(home_many, args.requests)
    checkin_p50, checkin_p95 = timed(checkin_many, args.requests)

    print()
    print(f"{'operation':<22} {'p50 ms':>8} {'p95 ms':>8} {'target':>8} {'p95/target':>10}")
    print(
        f"{'member home GET /':<22} {home_p50:8.1f} {home_p95:8.1f} {TARGET_HOME_P95_MS:8.0f} {home_p95 / TARGET_HOME_P95_MS:10.2f}"
    )
    print(f"{'check-in POST':<22} {checkin_p50:8.1f} {checkin_p95:8.1f} {'-':>8} {'-':>10}")
    print()
    print(f"{'queries per request':<22} {'home':>8} {'check-in':>9}")
    for who, client in clients.items():
        client.get("/")  # the first request of a sign-in refreshes the session row; count a steady one
        home_q = queries_of(lambda c=client: c.get("/"))
        checkin_q = queries_of(lambda c=client: c.post("/checkin/", {"mood": 3, "craving": 2}))
        print(f"{who:<22} {home_q:8d} {checkin_q:9d}")
    print(f"target: home <= {TARGET_HOME_QUERIES} queries, the same with and without history")


if __name__ == "__main__":
    main()
