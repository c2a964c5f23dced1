"""Request types for views that run only for a signed-in person (for the type checker)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from alongside.accounts.models import Membership, User


class AuthedHttpRequest(HttpRequest):
    user: User
    membership: Membership | None
