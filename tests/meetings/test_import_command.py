"""``alongside import_meetings`` and ``alongside refresh_meeting_feeds``: output and exit codes."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from alongside.accounts.models import Program
from alongside.meetings import fetch, services
from alongside.meetings.models import Attendance, FeedSource, ImportRun, ImportStatus, Meeting

FEEDS = Path(__file__).resolve().parent / "feeds"  # real intergroup feeds; see feeds/README.md

OC = str(FEEDS / "orange-county-ca.json")
EDMONTON = str(FEEDS / "edmonton-nonconformant.json")


@pytest.fixture
def program(db) -> Program:
    return Program.objects.create(slug="edmonton", name="Edmonton", time_zone="America/Edmonton")


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_meetings", *args, stdout=out)
    return out.getvalue()


def fails(*args: str) -> CommandError:
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 2
    return caught.value


class _Feeds(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, bytes]] = {}

    def do_GET(self) -> None:
        status, body = self.routes.get(self.path, (404, b"not here"))
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def feed_server() -> Iterator[str]:
    """A real HTTP server on localhost (no internet needed)."""
    _Feeds.routes = {
        "/edmonton.json": (200, Path(EDMONTON).read_bytes()),
        "/broken.json": (200, (FEEDS / "malformed.json").read_bytes()),
        "/gone.json": (410, b"gone"),
    }
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Feeds)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_import_a_file_prints_warnings_and_the_summary(program):
    out = run(EDMONTON, "--program", "edmonton")
    lines = out.strip().splitlines()
    assert lines[-1] == "imported 315 · updated 0 · unchanged 0 · skipped 0 · withdrawn 0 · warnings 24"
    assert len(lines) == 25
    assert lines[0].startswith("23: ") and "gazetteer" in lines[0]
    assert Meeting.objects.filter(program=program).count() == 315
    assert run(EDMONTON, "--program", "edmonton").strip().splitlines()[-1] == (
        "imported 0 · updated 0 · unchanged 315 · skipped 0 · withdrawn 0 · warnings 24"
    )


def test_dry_run_writes_nothing(program):
    out = run(OC, "--program", "edmonton", "--dry-run", "--source", "OC intergroup")
    assert "dry run: nothing was written" in out
    assert out.strip().endswith("imported 1967 · updated 0 · unchanged 0 · skipped 0 · withdrawn 0 · warnings 0")
    assert not Meeting.objects.exists()
    assert not ImportRun.objects.exists()
    assert not FeedSource.objects.exists()


def test_unknown_program(db):
    error = fails(EDMONTON, "--program", "nowhere")
    assert "no program with the slug 'nowhere'" in str(error)


def test_unreadable_path(program):
    error = fails("/no/such/feed.json", "--program", "edmonton")
    assert "Could not read /no/such/feed.json" in str(error) and "Nothing was changed" in str(error)


def test_malformed_feed_exits_2_and_changes_nothing(program):
    run(EDMONTON, "--program", "edmonton")
    error = fails(str(FEEDS / "malformed.json"), "--program", "edmonton")
    assert "not valid JSON" in str(error) and "line 80" in str(error)
    assert Meeting.objects.count() == 315
    assert ImportRun.objects.filter(status=ImportStatus.FAILED).count() == 1


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://example.org/feed.json"])
def test_only_http_and_https_urls(program, target):
    assert "Only http and https" in str(fails(target, "--program", "edmonton"))


def test_import_from_a_url_with_a_source(program, feed_server):
    url = f"{feed_server}/edmonton.json"
    out = run(url, "--program", "edmonton", "--source", "Edmonton intergroup", "--refresh-hours", "12")
    assert out.strip().endswith("imported 315 · updated 0 · unchanged 0 · skipped 0 · withdrawn 0 · warnings 24")
    source = FeedSource.objects.get()
    assert (source.name, source.url, source.refresh_hours) == ("Edmonton intergroup", url, 12)
    assert source.last_imported_at is not None
    assert Meeting.objects.filter(source=source).count() == 315
    assert ImportRun.objects.get().label == url


def test_url_errors_exit_2(program, feed_server):
    assert "410" in str(fails(f"{feed_server}/gone.json", "--program", "edmonton"))
    assert "not valid JSON" in str(fails(f"{feed_server}/broken.json", "--program", "edmonton"))
    assert not Meeting.objects.exists()


def test_a_feed_over_the_size_cap_is_refused(program, feed_server, monkeypatch):
    monkeypatch.setattr(fetch, "MAX_FEED_BYTES", 1000)
    assert "larger than" in str(fails(f"{feed_server}/edmonton.json", "--program", "edmonton"))
    assert "larger than" in str(fails(EDMONTON, "--program", "edmonton"))


# --- scheduled re-import -------------------------------------------------------------------------


def test_refresh_imports_only_due_sources_and_not_private_addresses(program, feed_server, monkeypatch):
    now = timezone.now()
    due = FeedSource.objects.create(program=program, name="due", url=f"{feed_server}/edmonton.json", refresh_hours=24)
    FeedSource.objects.create(
        program=program, name="fresh", url=f"{feed_server}/edmonton.json", refresh_hours=24,
        last_imported_at=now - dt.timedelta(hours=2),
    )  # fmt: skip
    FeedSource.objects.create(program=program, name="never", url=f"{feed_server}/edmonton.json", refresh_hours=0)
    FeedSource.objects.create(program=program, name="file only", url="", refresh_hours=24)

    # Scheduled imports use admins' URLs, so localhost is refused ...
    out = StringIO()
    call_command("refresh_meeting_feeds", stdout=out)
    assert "edmonton / due: failed:" in out.getvalue() and "private or local address" in out.getvalue()
    assert out.getvalue().strip().endswith("refreshed 1 source(s)")
    assert not Meeting.objects.exists()
    # ... and a failed source is not tried again on every cron run.
    assert services.meetings_refresh_due() == []

    # With the check relaxed (as if the feed were public), the due source is imported.
    real_fetch = services.fetch_feed
    monkeypatch.setattr(services, "fetch_feed", lambda url, allow_private=False: real_fetch(url, allow_private=True))
    later = now + services.RETRY_AFTER + dt.timedelta(minutes=1)
    refreshed = services.meetings_refresh_due(later)
    assert [r.source.name for r in refreshed] == ["due"]
    assert refreshed[0].run.status == ImportStatus.DONE and refreshed[0].run.imported == 315
    due.refresh_from_db()
    assert due.last_imported_at is not None
    assert services.meetings_refresh_due(later + dt.timedelta(hours=2)) == []


def test_refresh_withdraws_meetings_that_left_the_feed(program, feed_server, monkeypatch):
    real_fetch = services.fetch_feed
    monkeypatch.setattr(services, "fetch_feed", lambda url, allow_private=False: real_fetch(url, allow_private=True))
    items = json.loads(Path(EDMONTON).read_bytes())
    _Feeds.routes["/shrinking.json"] = (200, json.dumps(items).encode())
    source = FeedSource.objects.create(program=program, name="s", url=f"{feed_server}/shrinking.json", refresh_hours=1)
    services.meetings_refresh_due()
    _Feeds.routes["/shrinking.json"] = (200, json.dumps(items[5:]).encode())
    refreshed = services.meetings_refresh_due(timezone.now() + dt.timedelta(hours=2))
    assert refreshed[0].outcome.endswith("withdrawn 5 · warnings 24")
    assert Meeting.objects.filter(source=source, attendance_option=Attendance.INACTIVE).count() == 5 + 21
