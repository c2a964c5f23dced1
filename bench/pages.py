"""Server time and queries for the pages a person opens most, on the embedded default.

    .venv/bin/python bench/pages.py [--requests 200]

Prints p50/p95 milliseconds and SQL queries per page, and the ratio of p95 to the target
(a ratio under 1.0 meets it). Targets: the help page must be fast on a weak connection
(server time p95 < 30 ms); other pages p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="alongside-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

TARGETS_MS = {"/help/": 30.0}
DEFAULT_TARGET_MS = 100.0


def measure(client: Client, path: str, n: int) -> tuple[float, float, int]:
    client.get(path)  # warm templates and caches
    timings = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}; the benchmark needs a 200")
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from alongside.demo import seed_demo

    people = seed_demo()
    anonymous = Client()
    riley = Client()
    riley.force_login(people["riley"])
    alex = Client()
    alex.force_login(people["alex"])
    pages = [
        ("anonymous", anonymous, "/help/"),
        ("anonymous", anonymous, "/"),
        ("riley", riley, "/"),
        ("riley", riley, "/privacy/"),
        ("riley", riley, "/api/v1/me"),
        ("alex", alex, "/p/harbor/people/"),
        ("alex", alex, f"/p/harbor/people/{people['riley'].pk}/"),
    ]
    print(f"{'who':<10} {'page':<28} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'target':>7} {'p95/target':>10}")
    for who, client, path in pages:
        p50, p95, queries = measure(client, path, args.requests)
        target = TARGETS_MS.get(path, DEFAULT_TARGET_MS)
        print(f"{who:<10} {path:<28} {p50:8.1f} {p95:8.1f} {queries:8d} {target:7.0f} {p95 / target:10.2f}")


if __name__ == "__main__":
    main()
