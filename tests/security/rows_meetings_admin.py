"""Access-matrix rows for meeting imports (program admins only), the public feeds and
calendars, and a member's private calendar link, to be added to ``PAGE_ROWS`` in
``test_access_matrix.py``.

Each row is ``(key, url_callable, expect, method, data, program_scoped)``. Imports are for
Harbor's admin (Alex): other roles get 403, Casey (another program) 404. Meeting listings
are public, so the feed and a meeting's .ics are open to everyone; the private calendar
feed is opened by its secret (calendar apps cannot sign in), so anyone holding Riley's
link gets it and nobody needs a session.
"""

from __future__ import annotations

import datetime as dt

LOGIN = "login"
PERSONAS = ["anonymous", "riley", "sam", "dana", "alex", "jordan", "casey"]
# A host under .invalid never resolves, so no row can reach the network even if a task ran.
NOWHERE = "https://feed.invalid/meetings.json"


def _admin_only(ok: int) -> dict[str, int | str]:
    return {"anonymous": LOGIN, "casey": 404, "riley": 403, "sam": 403, "dana": 403, "jordan": 403, "alex": ok}


def _public(status: int = 200) -> dict[str, int | str]:
    return dict.fromkeys(PERSONAS, status)


def _signed_in(status: int = 200) -> dict[str, int | str]:
    return {"anonymous": LOGIN, **{p: status for p in PERSONAS if p != "anonymous"}}


def _run(c) -> int:
    from alongside.meetings.models import ImportRun

    return ImportRun.objects.create(program=c.harbor, label="matrix.json").pk


def _source(c) -> int:
    from alongside.meetings.models import FeedSource

    source, _created = FeedSource.objects.get_or_create(program=c.harbor, name="Matrix", defaults={"url": NOWHERE})
    return source.pk


def _meeting(c) -> int:
    from alongside.meetings.models import Meeting

    meeting, _created = Meeting.objects.get_or_create(
        program=c.harbor,
        slug="matrix-meeting",
        defaults={"name": "Matrix", "day": 2, "start_time": dt.time(19), "time_zone": "America/Los_Angeles"},
    )
    return meeting.pk


def _riley_calendar(c) -> str:
    from alongside.meetings import services

    services.meeting_follow(user=c.riley, meeting=_meeting_obj(c))
    return f"/calendar/{services.calendar_token_issue(user=c.riley)}.ics"


def _meeting_obj(c):
    from alongside.meetings.models import Meeting

    return Meeting.objects.get(pk=_meeting(c))


PAGE_ROWS = [
    ("meetings_import", lambda c: "/p/harbor/meetings/import/", _admin_only(200), "get", {}, True),
    ("meetings_import", lambda c: "/p/harbor/meetings/import/", _admin_only(302), "post", {"url": NOWHERE}, True),
    ("meetings_import_run", lambda c: f"/p/harbor/meetings/import/{_run(c)}/", _admin_only(200), "get", {}, True),
    (
        "meetings_source_refresh",
        lambda c: f"/p/harbor/meetings/sources/{_source(c)}/refresh/",
        _admin_only(302),
        "post",
        {},
        True,
    ),
    ("meetings_feed", lambda c: "/feeds/harbor/meetings.json", _public(), "get", {}, False),
    ("meeting_ics", lambda c: f"/meetings/{_meeting(c)}.ics", _public(), "get", {}, False),
    ("my_meetings_ics", _riley_calendar, _public(), "get", {}, False),
    ("my_calendar_link", lambda c: "/meetings/calendar/", _signed_in(), "get", {}, False),
    ("my_calendar_link", lambda c: "/meetings/calendar/", _signed_in(), "post", {}, False),
]
