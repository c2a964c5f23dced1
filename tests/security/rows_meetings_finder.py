"""Access-matrix rows for the meeting finder, a meeting's page, following, attendance, the
roster, change requests, my meetings and the meetings API.

Plain tuples ``(key, url_callable, expect, method, data, json)`` for
``tests/security/test_access_matrix.py`` to wrap in its ``Row``. Keys are the URL name
(pages) or ``"METHOD /api/v1/path"`` exactly as the OpenAPI schema spells it.

Meeting listings are public (intergroups publish them): the finder, a meeting's page, its
PDF list, the place lookup and change requests are open to everyone, Casey included, and
anyone signed in may follow a meeting or record their own attendance. The roster is the
one staff page: the facilitator of the meeting's own group (Sam here) or a program admin;
everyone else signed in gets 403 (the meeting itself is public, so there is no existence
to hide with a 404).
"""

from __future__ import annotations

import datetime as dt

LOGIN = "login"
PERSONAS = ["anonymous", "riley", "sam", "dana", "alex", "jordan", "casey"]
SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]


def public(status: int = 200) -> dict[str, int | str]:
    return dict.fromkeys(PERSONAS, status)


def signed_in_page(status: int = 200) -> dict[str, int | str]:
    return {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN, status)}


def signed_in_api(status: int = 200) -> dict[str, int | str]:
    return {"anonymous": 401, **dict.fromkeys(SIGNED_IN, status)}


def facilitator_only(status: int) -> dict[str, int | str]:
    return {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN, 403), "sam": status, "alex": status}


def harbor_meeting(cast):
    """A weekly Harbor meeting near Costa Mesa, kept by Harbor's own group with Sam facilitating."""
    from alongside.meetings.models import GroupMember, Meeting, MeetingGroup

    group, _created = MeetingGroup.objects.get_or_create(
        program=cast.harbor, name="Matrix Peer Circle", defaults={"kind": "peer_led"}
    )
    GroupMember.objects.get_or_create(group=group, user=cast.sam, defaults={"role": "facilitator"})
    GroupMember.objects.get_or_create(group=group, user=cast.riley, defaults={"role": "member"})
    meeting, _created = Meeting.objects.get_or_create(
        program=cast.harbor,
        slug="matrix-peer-circle",
        defaults={
            "name": "Matrix Peer Circle",
            "group": group,
            "day": 1,
            "start_time": dt.time(19, 0),
            "start_minute": 19 * 60,
            "time_zone": "America/Los_Angeles",
            "latitude": 33.6411,
            "longitude": -117.9187,
            "types": ["O"],
        },
    )
    return meeting


def _meeting_url(suffix: str = ""):
    return lambda c: f"/meetings/{harbor_meeting(c).pk}/{suffix}"


def _api_url(suffix: str = ""):
    return lambda c: f"/api/v1/meetings/{harbor_meeting(c).pk}{suffix}"


PAGE_ROWS = [
    ("meeting_finder", lambda c: "/meetings/?place=Costa+Mesa%2C+CA&radius=25", public(), "get", {}, False),
    ("meeting_list_pdf", lambda c: "/meetings/print.pdf?place=Costa+Mesa%2C+CA", public(), "get", {}, False),
    ("meeting_detail", _meeting_url(), public(), "get", {}, False),
    ("meeting_follow", _meeting_url("follow/"), signed_in_page(302), "post", {"remind_minutes_before": "30"}, False),
    # No day sent: "I was there" means the meeting's latest day (and the roster's too).
    ("meeting_attend", _meeting_url("attended/"), signed_in_page(302), "post", {}, False),
    ("meeting_roster", _meeting_url("roster/"), facilitator_only(200), "get", {}, False),
    ("meeting_roster", _meeting_url("roster/"), facilitator_only(302), "post", {"present": []}, False),
    ("meeting_change_request", _meeting_url("suggest-change/"), public(), "get", {}, False),
    (
        "meeting_change_request",
        _meeting_url("suggest-change/"),
        public(302),
        "post",
        {"message": "It moved to 7:30 pm"},
        False,
    ),
    ("my_meetings", lambda c: "/meetings/mine/", signed_in_page(), "get", {}, False),
]

API_ROWS = [
    ("GET /api/v1/meetings", lambda c: "/api/v1/meetings?near=Costa+Mesa%2C+CA", public(), "get", {}, False),
    ("GET /api/v1/meetings/{meeting_id}", _api_url(), public(), "get", {}, False),
    (
        "POST /api/v1/meetings/{meeting_id}/follow",
        _api_url("/follow"),
        signed_in_api(200),
        "post",
        {"remind_minutes_before": 30},
        True,
    ),
    ("DELETE /api/v1/meetings/{meeting_id}/follow", _api_url("/follow"), signed_in_api(204), "delete", {}, False),
    ("GET /api/v1/me/meetings", lambda c: "/api/v1/me/meetings", signed_in_api(200), "get", {}, False),
    ("POST /api/v1/meetings/{meeting_id}/attendance", _api_url("/attendance"), signed_in_api(201), "post", {}, True),
    ("GET /api/v1/me/attendance", lambda c: "/api/v1/me/attendance", signed_in_api(200), "get", {}, False),
    (
        "POST /api/v1/meetings/{meeting_id}/change-requests",
        _api_url("/change-requests"),
        public(201),
        "post",
        {"message": "It moved to 7:30 pm"},
        True,
    ),
    ("GET /api/v1/places", lambda c: "/api/v1/places?q=Edmonton", public(), "get", {}, False),
]
