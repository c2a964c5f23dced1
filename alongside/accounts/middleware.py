"""Per-request context: which program a person is acting in, and onboarding gates."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from alongside.accounts import selectors

ACTIVE_PROGRAM_SESSION_KEY = "active_program_id"

# Paths a signed-in person may always reach, even before finishing onboarding: help
# must never sit behind a gate.
ALWAYS_OPEN_PREFIXES = (
    "/help",
    "/support/",
    "/accounts/",
    "/static/",
    "/i18n/",
    "/api/",
    "/healthz",
    "/welcome/",
    "/invitations/",
)


def _active_membership(request: HttpRequest):
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = list(selectors.memberships_of(user))
    if not memberships:
        return None
    wanted = request.session.get(ACTIVE_PROGRAM_SESSION_KEY)
    for membership in memberships:
        if membership.program_id == wanted:
            return membership
    return memberships[0]


class ActiveMembershipMiddleware:
    """Sets ``request.membership``: the person's role in the program they switched to."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Computed eagerly (one query, signed-in requests only): a lazy proxy around None
        # is truthy and not None, a trap for every view that checks it.
        request.membership = _active_membership(request)  # type: ignore[attr-defined]
        return self.get_response(request)


class OnboardingGateMiddleware:
    """Send a signed-in person to choose a handle, and staff to set up two-factor sign-in,
    before anything else (except help, which is never gated)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith(ALWAYS_OPEN_PREFIXES):
            if not user.handle:
                return redirect("welcome_handle")
            if selectors.user_needs_two_factor(user):
                return redirect("welcome_two_factor")
        return self.get_response(request)
