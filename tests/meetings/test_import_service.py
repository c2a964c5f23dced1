"""The importer (services.meetings_import) on the three real feeds and on small hand-made ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alongside.accounts.models import Program
from alongside.meetings import feed, selectors, services
from alongside.meetings.models import Attendance, FeedSource, ImportRun, ImportStatus, Meeting

FEEDS = Path(__file__).resolve().parent / "feeds"  # real intergroup feeds; see feeds/README.md

OC_TOTAL = 1967
OC_INACTIVE = 2  # attendance_option "inactive" in the feed
EDMONTON_TOTAL = 315
EDMONTON_UNLOCATED = 24  # cities the offline gazetteer does not know: one warning each


def raw(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


@pytest.fixture
def oc(db) -> Program:
    return Program.objects.create(slug="oc", name="Orange County", time_zone="America/Los_Angeles")


@pytest.fixture
def edmonton(db) -> Program:
    return Program.objects.create(slug="edmonton", name="Edmonton", time_zone="America/Edmonton")


def exported(program: Program) -> list[dict]:
    meetings = selectors.program_meetings(program).select_related("group")
    return feed.to_feed(services.as_feed_meeting(m) for m in meetings)


def test_orange_county_imports_every_meeting(oc):
    summary = services.meetings_import(program=oc, raw=raw("orange-county-ca.json"), label="oc.json")
    assert summary.error == ""
    assert (summary.imported, summary.updated, summary.unchanged, summary.skipped, summary.withdrawn) == (
        OC_TOTAL, 0, 0, 0, 0,
    )  # fmt: skip
    assert summary.warnings == []
    assert summary.line() == "imported 1967 · updated 0 · unchanged 0 · skipped 0 · withdrawn 0 · warnings 0"
    assert Meeting.objects.filter(program=oc).count() == OC_TOTAL
    assert Meeting.objects.filter(program=oc, attendance_option=Attendance.INACTIVE).count() == OC_INACTIVE
    # The one meeting "by appointment" keeps no day or time.
    assert Meeting.objects.filter(program=oc, day__isnull=True).count() == 1
    run = summary.run
    assert run is not None and run.status == ImportStatus.DONE
    assert (run.imported, run.total, run.done, run.percent) == (OC_TOTAL, OC_TOTAL, OC_TOTAL, 100)


def test_reimporting_the_same_feed_changes_nothing(oc):
    services.meetings_import(program=oc, raw=raw("orange-county-ca.json"), label="oc.json")
    before = dict(Meeting.objects.filter(program=oc).values_list("slug", "updated_at"))
    again = services.meetings_import(program=oc, raw=raw("orange-county-ca.json"), label="oc.json")
    assert (again.imported, again.updated, again.unchanged, again.skipped) == (0, 0, OC_TOTAL, 0)
    assert dict(Meeting.objects.filter(program=oc).values_list("slug", "updated_at")) == before
    assert again.run is not None and again.run.total == 0 and again.run.percent == 100


def test_a_changed_meeting_is_updated_and_only_it(oc):
    services.meetings_import(program=oc, raw=raw("orange-county-ca.json"), label="oc.json")
    items = json.loads(raw("orange-county-ca.json"))
    items[10]["name"] = "Renamed Meeting"
    summary = services.meetings_import(program=oc, raw=json.dumps(items), label="oc.json")
    assert (summary.imported, summary.updated, summary.unchanged) == (0, 1, OC_TOTAL - 1)
    assert Meeting.objects.get(program=oc, slug=items[10]["slug"]).name == "Renamed Meeting"


def test_round_trip_export_import_export_is_identical(oc, db):
    services.meetings_import(program=oc, raw=raw("orange-county-ca.json"), label="oc.json")
    first = exported(oc)
    assert len(first) == OC_TOTAL - OC_INACTIVE
    assert all(set(entry) <= set(feed.FEED_FIELDS) for entry in first)
    mirror = Program.objects.create(slug="oc-mirror", name="Mirror", time_zone="America/Los_Angeles")
    summary = services.meetings_import(program=mirror, raw=json.dumps(first), label="export")
    assert (summary.imported, summary.skipped, len(summary.warnings)) == (OC_TOTAL - OC_INACTIVE, 0, 0)
    assert exported(mirror) == first
    # ... and importing the export into the program it came from changes nothing.
    back = services.meetings_import(program=oc, raw=json.dumps(first), label="export")
    assert (back.imported, back.updated, back.unchanged) == (0, 0, OC_TOTAL - OC_INACTIVE)


def test_edmonton_nonconformant_feed(edmonton):
    summary = services.meetings_import(program=edmonton, raw=raw("edmonton-nonconformant.json"), label="edm.json")
    assert (summary.imported, summary.updated, summary.unchanged, summary.skipped) == (EDMONTON_TOTAL, 0, 0, 0)
    assert len(summary.warnings) == EDMONTON_UNLOCATED
    assert all("gazetteer" in w["reason"] and w["slug"] for w in summary.warnings)
    meetings = Meeting.objects.filter(program=edmonton)
    # "11:00 AM" style times became real times; every meeting has its day.
    assert not meetings.filter(start_time__isnull=True).exists()
    assert not meetings.filter(day__isnull=True).exists()
    assert meetings.get(slug="6").start_time.strftime("%H:%M") == "11:00"  # "11:00 AM"
    assert meetings.get(slug="11").start_time.strftime("%H:%M") == "12:00"  # "12:00 PM"
    # No coordinates in the feed: the gazetteer fills them from the address's city,
    # flagged approximate; the 24 unknown places (Beaumont, Onoway, ...) stay without.
    located = meetings.filter(latitude__isnull=False)
    assert located.count() == EDMONTON_TOTAL - EDMONTON_UNLOCATED
    assert not located.filter(approximate=False).exists()
    in_edmonton = located.filter(formatted_address__contains=", Edmonton,")
    assert in_edmonton.count() == 185
    for meeting in in_edmonton:
        assert meeting.latitude == pytest.approx(53.55, abs=0.1)
        assert meeting.longitude == pytest.approx(-113.47, abs=0.1)
    assert meetings.get(slug="23").latitude is None  # Beaumont, AB: not in the gazetteer
    assert set(meetings.values_list("time_zone", flat=True)) == {"America/Edmonton"}


def test_malformed_feed_fails_and_changes_nothing(oc):
    summary = services.meetings_import(program=oc, raw=raw("malformed.json"), label="bad.json")
    assert summary.error.startswith("The feed is not valid JSON")
    assert "line 80" in summary.error
    assert not Meeting.objects.exists()
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED and run.error == summary.error and run.finished_at is not None
    assert run.percent == 100


def test_malformed_feed_leaves_earlier_meetings_alone(oc):
    services.meetings_import(program=oc, raw=raw("orange-county-ca.json"), label="oc.json")
    source = FeedSource.objects.create(program=oc, name="OC")
    summary = services.meetings_import(program=oc, raw=raw("malformed.json"), label="bad.json", source=source)
    assert summary.error
    assert Meeting.objects.filter(program=oc).exclude(attendance_option=Attendance.INACTIVE).count() == (
        OC_TOTAL - OC_INACTIVE
    )


def test_dry_run_writes_nothing(oc):
    summary = services.meetings_import(program=oc, raw=raw("orange-county-ca.json"), label="oc.json", dry_run=True)
    assert summary.imported == OC_TOTAL
    assert summary.run is None
    assert not Meeting.objects.exists()
    assert not ImportRun.objects.exists()


def _tiny(*slugs: str) -> str:
    return json.dumps(
        [{"name": f"Meeting {s}", "slug": s, "day": 1, "time": "19:00", "city": "Edmonton"} for s in slugs]
    )


def test_a_meeting_that_leaves_its_sources_feed_is_withdrawn(edmonton):
    source = FeedSource.objects.create(program=edmonton, name="Intergroup", url="https://example.org/feed.json")
    services.meetings_import(program=edmonton, raw=_tiny("a", "b", "c"), label="feed", source=source)
    # A meeting of the program's own (no source) is never withdrawn by a feed.
    services.meetings_import(program=edmonton, raw=_tiny("own"), label="own")
    summary = services.meetings_import(program=edmonton, raw=_tiny("a", "c"), label="feed", source=source)
    assert (summary.imported, summary.updated, summary.unchanged, summary.withdrawn) == (0, 0, 2, 1)
    assert "withdrawn 1" in summary.line()
    gone = Meeting.objects.get(slug="b")
    assert gone.attendance_option == Attendance.INACTIVE  # kept: people follow and attended it
    assert Meeting.objects.get(slug="own").attendance_option == Attendance.IN_PERSON
    assert summary.run is not None and summary.run.total == 1
    source.refresh_from_db()
    assert source.last_imported_at == summary.run.finished_at
    # When it comes back, it is active again.
    back = services.meetings_import(program=edmonton, raw=_tiny("a", "b", "c"), label="feed", source=source)
    assert (back.updated, back.withdrawn) == (1, 0)
    assert Meeting.objects.get(slug="b").attendance_option == Attendance.IN_PERSON


def test_skipped_meetings_each_have_a_warning_naming_them(edmonton):
    items = [
        {"name": "No slug", "day": 1, "time": "19:00"},
        {"name": "Twice", "slug": "twice", "day": 2, "time": "7 pm"},
        {"name": "Twice again", "slug": "twice", "day": 3, "time": "19:00"},
        {"name": "Bad time", "slug": "bad-time", "day": 3, "time": "whenever"},
        {"name": "Fine", "slug": "fine", "day": [1, 3], "time": "6:30 pm", "types": ["O", "C", "ZZZ"]},
    ]
    summary = services.meetings_import(program=edmonton, raw=json.dumps(items), label="hand-made")
    assert summary.skipped == 3
    assert summary.imported == 3  # "twice", and "fine" once per day
    slugs = [w["slug"] for w in summary.warnings]
    assert "twice" in slugs and "bad-time" in slugs and "" in slugs
    fine = Meeting.objects.get(slug="fine-1")
    assert fine.start_time.strftime("%H:%M") == "18:30" and fine.types == ["C"]
    assert Meeting.objects.filter(slug__startswith="fine-").count() == 2
