"""Access-matrix rows for moving to a new place: plain tuples
``(key, url, expect, method, data, program_scoped)``, wrapped in ``Row`` by the matrix."""

from __future__ import annotations

import datetime as dt

LOGIN = "login"
SIGNED_IN = ["riley", "sam", "dana", "alex", "jordan", "casey"]


def _rileys_move(cast, *, consent: bool = False) -> int:
    from alongside.lib import gazetteer
    from alongside.meetings import services

    place = gazetteer.find_places("Edmonton", limit=1)[0]
    move_on = dt.date.today() + dt.timedelta(days=30)  # noqa: DTZ011 - a day with slack
    return services.relocation_plan(user=cast.riley, place=place, move_on=move_on, handoff_consent=consent).pk


def _owner_only(status: int) -> dict[str, int | str]:
    return {"anonymous": LOGIN, "riley": status, **{p: 404 for p in SIGNED_IN if p != "riley"}}


PAGE_ROWS = [
    (
        "relocation",
        lambda c: "/meetings/moving/",
        {"anonymous": LOGIN, **dict.fromkeys(SIGNED_IN, 200)},
        "get",
        {},
        False,
    ),
    (
        "relocation_check",
        lambda c: f"/meetings/moving/{_rileys_move(c)}/check/",
        _owner_only(302),
        "post",
        {"item": "meetings_found", "done": "1"},
        False,
    ),
    ("relocation_cancel", lambda c: f"/meetings/moving/{_rileys_move(c)}/close/", _owner_only(302), "post", {}, False),
    (
        "relocation_handoff",
        lambda c: (_rileys_move(c, consent=True), f"/p/harbor/people/{c.riley.pk}/moving/")[1],
        {"anonymous": LOGIN, "sam": 200, "dana": 403, "alex": 403, "riley": 403, "jordan": 403, "casey": 404},
        "get",
        {},
        True,
    ),
]

PAGE_ROWS.append(
    (
        "member_meetings",
        lambda c: f"/p/harbor/people/{c.riley.pk}/meetings/",
        {"anonymous": LOGIN, "sam": 200, "dana": 403, "alex": 403, "riley": 403, "jordan": 403, "casey": 404},
        "get",
        {},
        True,
    )
)
