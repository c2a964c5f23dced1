"""Access-matrix rows for the recovery core pages (profile, clocks, check-ins, peer view,
settings), to be added to ``PAGE_ROWS`` in ``test_access_matrix.py``.

Each row is ``(key, url_callable, expect, method, data, program_scoped)``. A member's own
pages (clocks, check-ins, profile) are open to anyone signed in, each person seeing only
their own records; someone else's clock is a 404 for everyone but its owner.
"""

from __future__ import annotations

LOGIN = "login"
SIGNED_IN = ["riley", "sam", "dana", "alex", "jordan", "casey"]


def _signed_in(status: int) -> dict[str, int | str]:
    return {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN, status)}


def _owner_only(status: int) -> dict[str, int | str]:
    """Riley's own record: she gets ``status``, everyone else 404 (not even 403: no leak)."""
    return {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN, 404), "riley": status}


def _peer_only(status: int) -> dict[str, int | str]:
    """A member's recovery, for the peer who walks with them."""
    return {
        "anonymous": LOGIN,
        "casey": 404,
        "riley": 403,
        "jordan": 403,
        "dana": 403,
        "alex": 403,
        "sam": status,
    }


def riley_clock(cast):
    from alongside.recovery.models import Clock

    return Clock.objects.get(user=cast.riley, label="Alcohol", ended_at__isnull=True)


def riley_shared_goal(cast):
    from alongside.recovery.models import Goal

    return Goal.objects.filter(user=cast.riley, shared_with_peer=True).first()


PAGE_ROWS = [
    ("recovery_onboarding", lambda c: "/welcome/recovery/", _signed_in(200), "get", {}, False),
    ("recovery_profile", lambda c: "/recovery/profile/", _signed_in(200), "get", {}, False),
    ("clocks", lambda c: "/clocks/", _signed_in(200), "get", {}, False),
    ("clock_detail", lambda c: f"/clocks/{riley_clock(c).pk}/", _owner_only(200), "get", {}, False),
    ("clock_return", lambda c: f"/clocks/{riley_clock(c).pk}/return/", _owner_only(200), "get", {}, False),
    ("clock_archive", lambda c: f"/clocks/{riley_clock(c).pk}/put-away/", _owner_only(302), "post", {}, False),
    (
        "milestone_mark",
        lambda c: f"/clocks/{riley_clock(c).pk}/milestones/90d/",
        _owner_only(302),
        "post",
        {"share": "0", "next": "home"},
        False,
    ),
    ("checkin", lambda c: "/checkin/", _signed_in(200), "get", {}, False),
    ("checkin_history", lambda c: "/checkins/", _signed_in(200), "get", {}, False),
    (
        "member_recovery",
        lambda c: f"/p/harbor/people/{c.riley.pk}/recovery/",
        _peer_only(200),
        "get",
        {},
        True,
    ),
    (
        "member_goal_comment",
        lambda c: f"/p/harbor/people/{c.riley.pk}/goals/{riley_shared_goal(c).pk}/comment/",
        _peer_only(302),
        "post",
        {"text": "Proud of you."},
        True,
    ),
    (
        "recovery_settings",
        lambda c: "/p/harbor/recovery/settings/",
        {"anonymous": LOGIN, "casey": 404, "riley": 403, "jordan": 403, "sam": 403, "dana": 403, "alex": 200},
        "get",
        {},
        True,
    ),
]
