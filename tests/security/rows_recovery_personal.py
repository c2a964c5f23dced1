"""Access-matrix rows for a member's own goals, plan and journal.

Plain tuples ``(key, url, expect, method, data)`` so this module needs nothing from
``test_access_matrix`` (which imports it); wrap each in ``Row(*row)`` there.

Anyone signed in may open the list pages: they see only their own. An object of Riley's
is Riley's alone: everyone else gets 404, never 403, so nobody learns it exists.
"""

from __future__ import annotations

from alongside.recovery import services

LOGIN = "login"  # 302 to the sign-in page
PERSONAS = ["anonymous", "riley", "sam", "dana", "alex", "jordan", "casey"]


def signed_in_only(status: int = 200, **overrides: int) -> dict[str, int | str]:
    return {"anonymous": LOGIN, **{p: status for p in PERSONAS if p != "anonymous"}, **overrides}


def riley_only(status: int) -> dict[str, int | str]:
    return {"anonymous": LOGIN, "riley": status, **{p: 404 for p in PERSONAS if p not in ("anonymous", "riley")}}


def _goal(c, steps: tuple[str, ...] = ()):
    return services.goal_create(user=c.riley, title="x", steps=steps, shared_with_peer=True)


def _step_url(c) -> str:
    goal = _goal(c, steps=("a",))
    return f"/goals/{goal.pk}/steps/{goal.steps.get().pk}/"


def _entry_id(c) -> int:
    return services.journal_write(user=c.riley, body="only mine").pk


PAGE_ROWS = [
    ("goals", lambda c: "/goals/", signed_in_only(), "get", {}),
    ("goal_new", lambda c: "/goals/new/", signed_in_only(), "get", {}),
    ("goal_new", lambda c: "/goals/new/", signed_in_only(302), "post", {"title": "Walk every day"}),
    ("goal_detail", lambda c: f"/goals/{_goal(c).pk}/", riley_only(200), "get", {}),
    (
        "goal_detail",
        lambda c: f"/goals/{_goal(c).pk}/",
        riley_only(302),
        "post",
        {"title": "y", "status": "active", "progress": "10"},
    ),
    ("goal_step_add", lambda c: f"/goals/{_goal(c).pk}/steps/", riley_only(302), "post", {"text": "a step"}),
    ("goal_step_set", _step_url, riley_only(302), "post", {"done": "1"}),
    ("goal_comment", lambda c: f"/goals/{_goal(c).pk}/comment/", riley_only(302), "post", {"text": "note"}),
    ("plan", lambda c: "/plan/", signed_in_only(), "get", {}),
    ("plan_edit", lambda c: "/plan/edit/", signed_in_only(), "get", {}),
    (
        "plan_edit",
        lambda c: "/plan/edit/",
        signed_in_only(302),
        "post",
        {"reasons": "My kids", "people-TOTAL_FORMS": "0", "people-INITIAL_FORMS": "0"},
    ),
    ("plan_history", lambda c: "/plan/history/", signed_in_only(), "get", {}),
    ("plan_pdf", lambda c: "/plan.pdf?size=phone", signed_in_only(), "get", {}),
    ("journal", lambda c: "/journal/", signed_in_only(), "get", {}),
    ("journal_new", lambda c: "/journal/new/", signed_in_only(), "get", {}),
    ("journal_new", lambda c: "/journal/new/", signed_in_only(302), "post", {"body": "today"}),
    ("journal_entry", lambda c: f"/journal/{_entry_id(c)}/", riley_only(200), "get", {}),
    ("journal_entry", lambda c: f"/journal/{_entry_id(c)}/", riley_only(302), "post", {"body": "changed"}),
    ("journal_delete", lambda c: f"/journal/{_entry_id(c)}/delete/", riley_only(200), "get", {}),
    ("journal_delete", lambda c: f"/journal/{_entry_id(c)}/delete/", riley_only(302), "post", {}),
]
