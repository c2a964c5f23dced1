from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from alongside.accounts import selectors, services


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = selectors.get_active_token(token)
        if api_token is None:
            return None
        services.api_token_touch(token=api_token)
        request.user = api_token.user
        request.api_token = api_token  # type: ignore[attr-defined]
        return api_token.user


#: Bearer tokens for mobile and other clients; the session cookie (with CSRF) for pages.
default_auth = [BearerToken(), SessionAuth(csrf=True)]
