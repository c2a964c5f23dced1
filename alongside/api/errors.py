"""The one error shape of the API: ``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from alongside.accounts.selectors import TwoFactorRequired

logger = logging.getLogger(__name__)

STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    429: "rate_limited",
}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, fields: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}


def error_response(
    api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str, fields: dict | None = None
) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": message, "fields": fields or {}}}, status=status
    )


def _field_name(loc: list | tuple) -> str:
    # ninja prefixes locations with where the value came from ("body", "query", ...)
    # and the parameter name; a client only cares about the field itself.
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form", "file"):
        parts = parts[1:]
        # ...then the view's parameter name (``payload``), when the value sits inside it.
        if len(parts) > 1:
            parts = parts[1:]
    return ".".join(parts) or "request"


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(api, request, exc.status, exc.code, exc.message, exc.fields)

    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields: dict[str, str] = {}
        for item in exc.errors:
            fields.setdefault(_field_name(item.get("loc", ())), str(item.get("msg", "invalid")))
        return error_response(api, request, 422, "invalid", "Some fields are missing or not valid; see fields.", fields)

    @api.exception_handler(DjangoValidationError)
    def _django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        fields = {k: " ".join(v) for k, v in exc.message_dict.items()} if hasattr(exc, "error_dict") else {}
        return error_response(api, request, 422, "invalid", " ".join(exc.messages), fields)

    @api.exception_handler(AuthenticationError)
    def _auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(
            api, request, 401, "not_authenticated", "Sign in: send a session cookie or 'Authorization: Bearer <token>'."
        )

    @api.exception_handler(AuthorizationError)
    def _authz(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        return error_response(api, request, 403, "forbidden", "Your role does not allow this.")

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = STATUS_CODES.get(exc.status_code, "error")
        return error_response(api, request, exc.status_code, code, str(exc))

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404, "not_found", "Not found.")

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        if isinstance(exc, TwoFactorRequired):
            return error_response(
                api, request, 403, "two_factor_required", "Set up two-factor sign-in before opening member data."
            )
        return error_response(api, request, 403, "forbidden", "Your role does not allow this.")

    @api.exception_handler(Exception)
    def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("unhandled API error on %s %s", request.method, request.path)
        return error_response(api, request, 500, "server_error", "Something went wrong on our side; it was logged.")
