"""The JSON API at /api/v1/: one NinjaAPI, each app's router mounted under it."""

from __future__ import annotations

from ninja import NinjaAPI

from alongside.accounts.api import router as accounts_router
from alongside.api import errors
from alongside.api.auth import default_auth
from alongside.meetings.api import router as meetings_router
from alongside.peers.api import router as peers_router
from alongside.recovery.api import router as recovery_router
from alongside.safety.api import router as safety_router

api = NinjaAPI(
    title="Alongside API",
    version="1",
    description=(
        "Peer support in addiction recovery. Authenticate with a session cookie (same-origin "
        "pages, CSRF required for writes) or `Authorization: Bearer <token>` from "
        "`POST /api/v1/auth/token`. Errors always have the shape "
        '`{"error": {"code", "message", "fields"}}`.'
    ),
    auth=default_auth,
    urls_namespace="api-1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/", accounts_router)
api.add_router("/", safety_router)
api.add_router("/", recovery_router)
api.add_router("/", meetings_router)
api.add_router("/", peers_router)
