"""What every benchmark does first: a throwaway database and Django, and a timer.

The embedded default is a fresh SQLite file in a temporary folder; with ``DATABASE_URL``
pointing at PostgreSQL, that database is dropped and created again (never point it at a
database you need).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _prepare_postgres(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="alongside-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        _prepare_postgres(os.environ["DATABASE_URL"])
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def timed(run: Callable[[], object], n: int) -> tuple[float, float]:
    """p50 and p95 milliseconds of ``n`` calls, after one warm-up call."""
    run()
    timings = []
    for _ in range(n):
        start = time.perf_counter()
        run()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[max(0, int(len(timings) * 0.95) - 1)]
