"""Per-request context: which program a person is acting in, and onboarding gates."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone

from alongside.accounts import selectors
from alongside.accounts.models import STAFF_ROLES
from alongside.lib.tz import zone_of

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
    # Kept for the onboarding gate, which would otherwise ask the database again.
    request.all_memberships = memberships  # type: ignore[attr-defined]
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
            memberships = getattr(request, "all_memberships", None)
            needs_two_factor = (
                selectors.user_needs_two_factor(user)
                if memberships is None
                else any(m.role in STAFF_ROLES for m in memberships) and not selectors.user_has_two_factor(user)
            )
            if needs_two_factor:
                return redirect("welcome_two_factor")
        return self.get_response(request)


SESSION_REFRESHED_KEY = "_idle_refreshed_at"
SESSION_REFRESH_EVERY_SECONDS = 60


class SessionIdleRefreshMiddleware:
    """Keeps the session's expiry an inactivity timeout without writing the session on
    every request: at most once a minute, so a busy page costs no write transaction
    (which on SQLite would queue behind every other writer). The timeout is accurate to
    that minute."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - int(session.get(SESSION_REFRESHED_KEY, 0)) >= SESSION_REFRESH_EVERY_SECONDS:
                session[SESSION_REFRESHED_KEY] = now
        return response


class UserTimeZoneMiddleware:
    """Dates and times on pages are shown in the signed-in person's own time zone: a
    clock that started on 1 June in Tokyo says 1 June, not 31 May."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(zone_of(user))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


_HUGE_ID = re.compile(r"/\d{19,}(?=[/.]|$)")


class HugeIdNotFoundMiddleware:
    """An id in a URL longer than any row id (over 18 digits) is a 404 at once: SQLite
    cannot even compare such a number, which would otherwise surface as a server error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _HUGE_ID.search(request.path):
            if request.path.startswith("/api/"):
                error = {"code": "not_found", "message": "Not found.", "fields": {}}
                return JsonResponse({"error": error}, status=404)
            raise Http404
        return self.get_response(request)
