"""The member home's "next meeting" card.

The home page belongs to ``recovery``, which sits below ``meetings`` and may not import
it; so the card's data arrives through this context processor instead. It runs only for a
signed-in member on the home path, so no other page pays for the query.
"""

from __future__ import annotations

from django.http import HttpRequest

from alongside.accounts.models import Role
from alongside.meetings.selectors import next_followed_meeting


def next_meeting(request: HttpRequest) -> dict:
    if request.path != "/" or not request.user.is_authenticated:
        return {}
    membership = getattr(request, "membership", None)
    if membership is None or membership.role != Role.MEMBER:
        return {}
    return {"next_meeting": next_followed_meeting(request.user)}
