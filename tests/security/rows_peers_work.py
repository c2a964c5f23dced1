"""Access-matrix rows for peer work (caseload, supervision, self-care, contact notes,
calls, settings): ``(key, url_callable, expect, method, data, json, program_scoped)``.

Who may do what: Sam is a peer (his caseload, notes, calls, self-care); Dana supervises
Sam (sessions, team caseload, team notes, shared self-care); Alex is the admin (settings
only; admins do not read contact or supervision notes); Riley and Jordan are a member
and an ally of Harbor (403 on staff work); Casey is the outsider (404 on Harbor's
things). A member's own call plan is theirs: Casey, a member elsewhere, gets her own.
"""

from __future__ import annotations

import datetime as dt

LOGIN = "login"
V = "/api/v1"
# A day in the past in every zone (two days' slack for any UTC offset).
RECENTLY = (dt.date.today() - dt.timedelta(days=2)).isoformat()  # noqa: DTZ011 - a date with two days' slack


def _roles(ok: dict[str, int], *, api: bool = False) -> dict[str, int | str]:
    """Harbor's roles: those in ``ok`` get their status, the other roles 403, Casey 404."""
    expect: dict[str, int | str] = {
        "anonymous": 401 if api else LOGIN,
        "casey": 404,
        **dict.fromkeys(["riley", "sam", "dana", "alex", "jordan"], 403),
    }
    expect.update(ok)
    return expect


def _members_own(status: int, *, api: bool = False) -> dict[str, int | str]:
    """A member's own call plan: members (Riley, and Casey in her program) get ``status``."""
    return {
        "anonymous": 401 if api else LOGIN,
        "riley": status,
        "casey": status,
        "sam": 403,
        "dana": 403,
        "alex": 403,
        "jordan": 403,
    }


def sam_note(cast):
    from alongside.peers.models import Encounter

    return Encounter.objects.filter(peer=cast.sam, member=cast.riley).order_by("pk").first()


def riley_plan(cast):
    from alongside.peers.models import CallPlan

    return CallPlan.objects.get(member=cast.riley, active=True)


def harbor_session(cast):
    from alongside.peers.models import SupervisionSession

    return SupervisionSession.objects.filter(program=cast.harbor).order_by("pk").first()


# Bodies that name people by id: ids differ from one test database to the next, so the
# row's url callable (run with the cast just before the request) writes them into the
# same dict the row sends.
SUPERVISION_BODY: dict = {"program": "harbor", "duration_minutes": 60, "format": "individual"}
ENCOUNTER_BODY: dict = {
    "program": "harbor",
    "duration_minutes": 20,
    "mode": "phone",
    "topics": ["cravings"],
    "summary": "Talked about the weekend.",
}


def _fill(body: dict, ids: dict, url: str) -> str:
    body.update(ids)
    return url


PAGE_ROWS = [
    ("caseload", lambda c: "/p/harbor/caseload/", _roles({"sam": 200}), "get", {}, False, True),
    (
        "team_caseload",
        lambda c: f"/p/harbor/peers/{c.sam.pk}/caseload/",
        _roles({"dana": 200}),
        "get",
        {},
        False,
        True,
    ),
    (
        "supervision",
        lambda c: "/p/harbor/peers/supervision/",
        _roles({"sam": 200, "dana": 200}),
        "get",
        {},
        False,
        True,
    ),
    ("supervision_new", lambda c: "/p/harbor/peers/supervision/new/", _roles({"dana": 200}), "get", {}, False, True),
    (
        "supervision_detail",
        lambda c: f"/p/harbor/peers/supervision/{harbor_session(c).pk}/",
        _roles({"sam": 200, "dana": 200}),
        "get",
        {},
        False,
        True,
    ),
    (
        "supervision_request",
        lambda c: "/p/harbor/peers/supervision/request/",
        _roles({"sam": 302}),
        "post",
        {},
        False,
        True,
    ),
    (
        "supervision_request_clear",
        lambda c: f"/p/harbor/peers/{c.sam.pk}/supervision/answered/",
        _roles({"dana": 302}),
        "post",
        {},
        False,
        True,
    ),
    ("self_care", lambda c: "/p/harbor/peers/self-care/", _roles({"sam": 200}), "get", {}, False, True),
    (
        "peer_program_settings",
        lambda c: "/p/harbor/peers/settings/",
        _roles({"alex": 200}),
        "get",
        {},
        False,
        True,
    ),
    (
        "member_contacts",
        lambda c: f"/p/harbor/people/{c.riley.pk}/contacts/",
        _roles({"sam": 200, "dana": 200}),
        "get",
        {},
        False,
        True,
    ),
    (
        "contact_new",
        lambda c: f"/p/harbor/people/{c.riley.pk}/contacts/new/",
        _roles({"sam": 200}),
        "get",
        {},
        False,
        True,
    ),
    (
        "contact_edit",
        lambda c: f"/p/harbor/contacts/{sam_note(c).pk}/edit/",
        _roles({"sam": 200}),
        "get",
        {},
        False,
        True,
    ),
    (
        "contact_follow_up_done",
        lambda c: f"/p/harbor/contacts/{sam_note(c).pk}/follow-up-done/",
        _roles({"sam": 302}),
        "post",
        {},
        False,
        True,
    ),
    ("call_plan", lambda c: "/peer/calls/", _members_own(200), "get", {}, False, False),
    ("call_plan_pause", lambda c: "/peer/calls/pause/", _members_own(302), "post", {}, False, False),
    (
        "call_record",
        lambda c: f"/p/harbor/calls/{riley_plan(c).pk}/record/",
        _roles({"sam": 302}),
        "post",
        {"outcome": "no_answer"},
        False,
        True,
    ),
]

API_ROWS = [
    (
        "GET /api/v1/supervision",
        lambda c: f"{V}/supervision?program=harbor",
        _roles({"sam": 200, "dana": 200}, api=True),
        "get",
        {},
        False,
        True,
    ),
    (
        "POST /api/v1/supervision",
        lambda c: _fill(SUPERVISION_BODY, {"peer_ids": [c.sam.pk], "held_on": RECENTLY}, f"{V}/supervision"),
        _roles({"dana": 201}, api=True),
        "post",
        SUPERVISION_BODY,
        True,
        True,
    ),
    (
        "POST /api/v1/supervision/requests",
        lambda c: f"{V}/supervision/requests",
        _roles({"sam": 200}, api=True),
        "post",
        {"program": "harbor"},
        True,
        True,
    ),
    (
        "GET /api/v1/encounters",
        lambda c: f"{V}/encounters?program=harbor&member={c.riley.pk}",
        _roles({"sam": 200, "dana": 200}, api=True),
        "get",
        {},
        False,
        True,
    ),
    (
        "POST /api/v1/encounters",
        lambda c: _fill(
            ENCOUNTER_BODY, {"member_id": c.riley.pk, "occurred_at": f"{RECENTLY}T10:00:00-08:00"}, f"{V}/encounters"
        ),
        _roles({"sam": 201}, api=True),
        "post",
        ENCOUNTER_BODY,
        True,
        True,
    ),
    (
        "GET /api/v1/encounters/{encounter_id}",
        lambda c: f"{V}/encounters/{sam_note(c).pk}",
        _roles({"sam": 200, "dana": 200}, api=True),
        "get",
        {},
        False,
        True,
    ),
    (
        "PATCH /api/v1/encounters/{encounter_id}",
        lambda c: f"{V}/encounters/{sam_note(c).pk}",
        _roles({"sam": 200}, api=True),
        "patch",
        {"next_step": "Call on Friday.", "follow_up_done": True},
        True,
        True,
    ),
    (
        "GET /api/v1/caseload",
        lambda c: f"{V}/caseload?program=harbor",
        _roles({"sam": 200}, api=True),
        "get",
        {},
        False,
        True,
    ),
    (
        "GET /api/v1/calls/today",
        lambda c: f"{V}/calls/today?program=harbor",
        _roles({"sam": 200}, api=True),
        "get",
        {},
        False,
        True,
    ),
    (
        "POST /api/v1/calls/{plan_id}/attempts",
        lambda c: f"{V}/calls/{riley_plan(c).pk}/attempts",
        _roles({"sam": 201}, api=True),
        "post",
        {"outcome": "voicemail", "note": "Left a short message."},
        True,
        True,
    ),
    ("GET /api/v1/me/call-plan", lambda c: f"{V}/me/call-plan", _members_own(200, api=True), "get", {}, False, False),
    (
        "PUT /api/v1/me/call-plan",
        lambda c: f"{V}/me/call-plan",
        _members_own(200, api=True),
        "put",
        {"weekday": 1, "call_time": "18:00", "phone": "714-555-0199", "voicemail_ok": False},
        True,
        False,
    ),
    (
        "DELETE /api/v1/me/call-plan",
        lambda c: f"{V}/me/call-plan",
        _members_own(200, api=True),
        "delete",
        {},
        False,
        False,
    ),
]
