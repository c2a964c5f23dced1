"""Access-matrix rows for peers (matching): see rows_recovery_api.py for the tuple shape,
here ``(key, url_callable, expect, method, data, json, program_scoped)``.

Who may do what:
- a member's own pages and preferences: any member (Riley, and Casey in her own program);
  staff and allies who are nobody's member get 403;
- a member asks Harbor's peers: Casey (another program) gets 404 for a Harbor peer;
- a peer's inbox and answers: the peer who was asked (Sam); admins see the inbox and may
  withdraw; everyone else in Harbor 403;
- an admin's matching pages (a member's match page, exclusions, rounds): Alex only.

The demo cast: Drew and Kai are waiting members; Riley walks with Sam; Luz (Spanish,
verified) and Jamie (unverified credential) are the other peers. Each persona runs in a
fresh database, so rows that write are independent.
"""

from __future__ import annotations

LOGIN = "login"
PERSONAS = ["anonymous", "riley", "sam", "dana", "alex", "jordan", "casey"]


def _user(handle: str):
    from alongside.accounts.models import User

    return User.objects.get(handle=handle)


def _kai_asks_sam(c) -> int:
    """A request waiting for Sam's answer."""
    from alongside.peers import services

    kai = _user("kai")
    return services.match_request_create(program=c.harbor, member=kai, peer=c.sam, requested_by=kai).pk


def _riley_asks_luz(c) -> int:
    """Riley would like a different peer: a request waiting for Luz."""
    from alongside.peers import services

    return services.match_request_create(program=c.harbor, member=c.riley, peer=_user("luz"), requested_by=c.riley).pk


def _exclusion(c) -> int:
    from alongside.peers import services

    return services.match_exclusion_add(
        program=c.harbor, member=_user("drew"), peer=_user("jamie.p"), reason="family", created_by=c.alex
    ).pk


def _round(c) -> int:
    from alongside.peers import services

    return services.match_round_run(program=c.harbor, admin=c.alex).pk


def _with_luz(data: dict, field: str, url: str):
    """Fill in Luz's id when the row runs: ids differ between databases (PostgreSQL's
    sequences do not roll back), and the matrix sends ``data`` as it is after the URL is
    built, so the URL callable completes it."""

    def build(c) -> str:
        data[field] = _user("luz").pk
        return url

    return build


ADMIN_ASKS_LUZ: dict = {"message": "From the round"}
MEMBER_ASKS_LUZ: dict = {"program": "harbor", "message": "Hola"}


def _members(ok, *, casey: int | str | None = None, anonymous: int | str = LOGIN) -> dict[str, int | str]:
    """A member's own page: members get ``ok``; staff and allies (nobody's member) 403."""
    return {
        "anonymous": anonymous,
        "riley": ok,
        "casey": ok if casey is None else casey,
        "sam": 403,
        "dana": 403,
        "alex": 403,
        "jordan": 403,
    }


def _admin_only(ok, *, anonymous: int | str = LOGIN) -> dict[str, int | str]:
    return {"anonymous": anonymous, "casey": 404, "riley": 403, "sam": 403, "dana": 403, "jordan": 403, "alex": ok}


def _inbox(ok, *, admin: int, anonymous: int | str = LOGIN) -> dict[str, int | str]:
    return {"anonymous": anonymous, "casey": 404, "riley": 403, "dana": 403, "jordan": 403, "sam": ok, "alex": admin}


PREFERENCES = {
    "looking": "on",
    "peer_gender_preference": "",
    "gender": "",
    "age_range": "25-34",
    "city": "Costa Mesa, CA",
    "remote_ok": "on",
    "availability": ["tue-evening"],
}

PAGE_ROWS = [
    ("match_preferences", lambda c: "/peer/preferences/", _members(200), "get", {}, False, False),
    ("match_preferences", lambda c: "/peer/preferences/", _members(302), "post", PREFERENCES, False, False),
    ("match_find", lambda c: "/peer/find/", _members(200), "get", {}, False, False),
    (
        "match_request_new",
        lambda c: f"/peer/find/{_user('luz').pk}/request/",
        _members(200, casey=404),
        "get",
        {},
        False,
        True,
    ),
    (
        "match_request_new",
        lambda c: f"/peer/find/{_user('luz').pk}/request/",
        _members(302, casey=404),
        "post",
        {"message": "Hola"},
        False,
        True,
    ),
    # Riley's own request: Alex withdraws it from the admin's inbox, not from here.
    (
        "match_request_withdraw",
        lambda c: f"/peer/requests/{_riley_asks_luz(c)}/withdraw/",
        {"anonymous": LOGIN, "riley": 302, "casey": 404, "sam": 404, "dana": 404, "alex": 404, "jordan": 404},
        "post",
        {},
        False,
        False,
    ),
    (
        "match_requests_inbox",
        lambda c: "/p/harbor/matches/requests/",
        _inbox(200, admin=200),
        "get",
        {},
        False,
        True,
    ),
    (
        "match_request_accept",
        lambda c: f"/p/harbor/matches/requests/{_kai_asks_sam(c)}/accept/",
        _inbox(302, admin=403),
        "post",
        {},
        False,
        True,
    ),
    (
        "match_request_decline",
        lambda c: f"/p/harbor/matches/requests/{_kai_asks_sam(c)}/decline/",
        _inbox(302, admin=403),
        "post",
        {"note": "Full this month"},
        False,
        True,
    ),
    (
        "match_request_withdraw_admin",
        lambda c: f"/p/harbor/matches/requests/{_kai_asks_sam(c)}/withdraw/",
        _admin_only(302),
        "post",
        {},
        False,
        True,
    ),
    (
        "match_for_member",
        lambda c: f"/p/harbor/people/{_user('drew').pk}/match/?why=1",
        _admin_only(200),
        "get",
        {},
        False,
        True,
    ),
    (
        "match_for_member",
        lambda c: _with_luz(ADMIN_ASKS_LUZ, "peer", f"/p/harbor/people/{_user('drew').pk}/match/")(c),
        _admin_only(302),
        "post",
        ADMIN_ASKS_LUZ,
        False,
        True,
    ),
    ("match_exclusions", lambda c: "/p/harbor/matches/exclusions/", _admin_only(200), "get", {}, False, True),
    (
        "match_exclusions",
        lambda c: "/p/harbor/matches/exclusions/",
        _admin_only(302),
        "post",
        {"member": "kai", "peer": "luz", "reason": "neighbours"},
        False,
        True,
    ),
    (
        "match_exclusion_remove",
        lambda c: f"/p/harbor/matches/exclusions/{_exclusion(c)}/remove/",
        _admin_only(302),
        "post",
        {},
        False,
        True,
    ),
    ("match_rounds", lambda c: "/p/harbor/matches/rounds/", _admin_only(200), "get", {}, False, True),
    ("match_rounds", lambda c: "/p/harbor/matches/rounds/", _admin_only(302), "post", {}, False, True),
    ("match_round", lambda c: f"/p/harbor/matches/rounds/{_round(c)}/", _admin_only(200), "get", {}, False, True),
    (
        "match_round_apply",
        lambda c: f"/p/harbor/matches/rounds/{_round(c)}/apply/",
        _admin_only(302),
        "post",
        {},
        False,
        True,
    ),
    (
        "match_round_discard",
        lambda c: f"/p/harbor/matches/rounds/{_round(c)}/discard/",
        _admin_only(302),
        "post",
        {},
        False,
        True,
    ),
]

API_ROWS = [
    (
        "GET /api/v1/matches/suggestions",
        lambda c: "/api/v1/matches/suggestions",
        _members(200, anonymous=401),
        "get",
        {},
        False,
        False,
    ),
    (
        "GET /api/v1/matches/suggestions",
        lambda c: f"/api/v1/matches/suggestions?program=harbor&member={_user('drew').pk}",
        _admin_only(200, anonymous=401),
        "get",
        {},
        False,
        True,
    ),
    (
        "POST /api/v1/matches",
        _with_luz(MEMBER_ASKS_LUZ, "peer_id", "/api/v1/matches"),
        _members(201, casey=404, anonymous=401),
        "post",
        MEMBER_ASKS_LUZ,
        True,
        True,
    ),
    (
        "GET /api/v1/matches",
        lambda c: "/api/v1/matches?program=harbor",
        {"anonymous": 401, "casey": 404, "riley": 200, "sam": 200, "alex": 200, "dana": 403, "jordan": 403},
        "get",
        {},
        False,
        True,
    ),
    (
        "POST /api/v1/matches/{request_id}/accept",
        lambda c: f"/api/v1/matches/{_kai_asks_sam(c)}/accept",
        _inbox(200, admin=403, anonymous=401),
        "post",
        {},
        False,
        True,
    ),
    (
        "POST /api/v1/matches/{request_id}/decline",
        lambda c: f"/api/v1/matches/{_kai_asks_sam(c)}/decline",
        _inbox(200, admin=403, anonymous=401),
        "post",
        {"note": "Full this month"},
        True,
        True,
    ),
    (
        "POST /api/v1/matches/{request_id}/withdraw",
        lambda c: f"/api/v1/matches/{_riley_asks_luz(c)}/withdraw",
        {"anonymous": 401, "casey": 404, "riley": 200, "alex": 200, "sam": 403, "dana": 403, "jordan": 403},
        "post",
        {},
        False,
        True,
    ),
    (
        "GET /api/v1/me/match-preferences",
        lambda c: "/api/v1/me/match-preferences",
        _members(200, anonymous=401),
        "get",
        {},
        False,
        False,
    ),
    (
        "PUT /api/v1/me/match-preferences",
        lambda c: "/api/v1/me/match-preferences",
        _members(200, anonymous=401),
        "put",
        {"looking": True, "city": "Costa Mesa, CA", "availability": ["tue-evening"], "lived_experience_wanted": []},
        True,
        False,
    ),
    (
        "POST /api/v1/matches/rounds",
        lambda c: "/api/v1/matches/rounds",
        _admin_only(201, anonymous=401),
        "post",
        {"program": "harbor"},
        True,
        True,
    ),
    (
        "GET /api/v1/matches/rounds/{round_id}",
        lambda c: f"/api/v1/matches/rounds/{_round(c)}",
        _admin_only(200, anonymous=401),
        "get",
        {},
        False,
        True,
    ),
    (
        "POST /api/v1/matches/rounds/{round_id}/apply",
        lambda c: f"/api/v1/matches/rounds/{_round(c)}/apply",
        _admin_only(200, anonymous=401),
        "post",
        {},
        False,
        True,
    ),
    (
        "POST /api/v1/matches/rounds/{round_id}/discard",
        lambda c: f"/api/v1/matches/rounds/{_round(c)}/discard",
        _admin_only(200, anonymous=401),
        "post",
        {},
        False,
        True,
    ),
]
