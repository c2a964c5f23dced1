"""API operations for a person's own account, tokens, privacy, and a program's people."""

from __future__ import annotations

import datetime as dt

from allauth.core import ratelimit
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import CursorPagination, paginate

from alongside.accounts import selectors, services
from alongside.accounts.http import AuthedHttpRequest
from alongside.accounts.models import ConsentScope, Role, User
from alongside.api.errors import ApiError

router = Router(tags=["accounts"])


class TokenIn(Schema):
    email: str = Field(..., max_length=254)
    password: str = Field(..., max_length=4096)
    otp: str | None = Field(None, max_length=64, description="TOTP or recovery code, for accounts with 2FA")
    name: str = Field("", max_length=80, description="A label for this device")


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime


class MembershipOut(Schema):
    program_slug: str
    program_name: str
    role: str


class MeOut(Schema):
    id: int
    email: str
    handle: str | None
    preferred_language: str
    time_zone: str
    two_factor_enabled: bool
    memberships: list[MembershipOut]


class ConsentOut(Schema):
    program_slug: str
    checkins_peer: bool
    plan_peer: bool
    assessments_peer: bool
    attendance_peer: bool
    outcomes_deidentified: bool


class ConsentIn(Schema):
    program_slug: str = Field(..., max_length=60)
    checkins_peer: bool | None = None
    plan_peer: bool | None = None
    assessments_peer: bool | None = None
    attendance_peer: bool | None = None
    outcomes_deidentified: bool | None = None


class AccessEventOut(Schema):
    id: int
    who: str = Field(..., alias="actor_label")
    role: str = Field(..., alias="actor_role")
    action: str
    detail: str
    at: dt.datetime = Field(..., alias="created_at")


class PersonOut(Schema):
    user_id: int
    handle: str | None = Field(None, alias="user.handle")
    role: str
    joined_at: dt.datetime


def _check_second_factor(user: User, otp: str | None) -> None:
    authenticators = selectors.second_factors_of(user)
    totp = authenticators.get(Authenticator.Type.TOTP)
    if totp is None:
        return
    if not otp:
        raise ApiError(401, "otp_required", "This account uses two-factor sign-in: send 'otp' as well.")
    code = otp.strip().replace(" ", "")
    if TOTP(totp).validate_code(code):
        return
    recovery = authenticators.get(Authenticator.Type.RECOVERY_CODES)
    if recovery is not None and RecoveryCodes(recovery).validate_code(code):
        return
    raise ApiError(401, "otp_invalid", "That code did not match. Use the current code from your app.")


@router.post("/auth/token", auth=None, response={201: TokenOut}, summary="Sign in and get a bearer token")
def token_create(request: HttpRequest, payload: TokenIn):
    email = payload.email.strip().lower()
    if not ratelimit.consume(request, action="login_failed", key=email, dry_run=True):
        raise ApiError(429, "rate_limited", "Too many failed sign-ins. Wait a few minutes and try again.")
    user = authenticate(request, email=email, password=payload.password)
    if user is None:
        ratelimit.consume(request, action="login_failed", key=email)
        # The same answer for an unknown email and a wrong password: no account discovery.
        raise ApiError(401, "invalid_credentials", "The email or password is not right.")
    if not selectors.email_is_verified(user):
        raise ApiError(403, "email_unverified", "Confirm your email address first (see the link we sent).")
    _check_second_factor(user, payload.otp)
    issued = services.api_token_issue(user=user, name=payload.name)
    return Status(201, {"token": issued.raw, "expires_at": issued.token.expires_at})


@router.delete("/auth/token", response={204: None}, summary="Revoke the token used for this request")
def token_revoke(request: AuthedHttpRequest):
    token = getattr(request, "api_token", None)
    if token is None:
        raise ApiError(400, "no_token", "This request was not made with a bearer token; nothing to revoke.")
    services.api_tokens_revoke(tokens=[token])
    return Status(204, None)


@router.get("/me", response=MeOut, summary="Who I am and where I belong")
def me(request: AuthedHttpRequest):
    user = request.user
    return {
        "id": user.pk,
        "email": user.email,
        "handle": user.handle,
        "preferred_language": user.preferred_language,
        "time_zone": user.time_zone,
        "two_factor_enabled": selectors.user_has_two_factor(user),
        "memberships": [
            {"program_slug": m.program.slug, "program_name": m.program.name, "role": m.role}
            for m in selectors.memberships_of(user)
        ],
    }


@router.get("/me/consents", response=list[ConsentOut], summary="My consent choices in each program I am a member of")
def consents_list(request: AuthedHttpRequest):
    return [
        {"program_slug": m.program.slug, **selectors.consent_choices(request.user, m.program)}
        for m in selectors.memberships_of(request.user)
        if m.role == Role.MEMBER
    ]


@router.put("/me/consents", response=ConsentOut, summary="Change my consent choices in one program")
def consents_update(request: AuthedHttpRequest, payload: ConsentIn):
    program, membership = selectors.get_program_for(request.user, payload.program_slug)
    if membership.role != Role.MEMBER:
        raise ApiError(403, "forbidden", "Only members of this program set these choices.")
    for scope in ConsentScope.values:
        value = getattr(payload, scope)
        if value is not None:
            services.consent_set(member=request.user, program=program, scope=scope, granted=value)
    return {"program_slug": program.slug, **selectors.consent_choices(request.user, program)}


@router.get("/me/access-log", response=list[AccessEventOut], summary="Who opened my records")
@paginate(CursorPagination, ordering=("-created_at", "-id"), page_size=50)
def access_log(request: AuthedHttpRequest):
    return selectors.access_events_for(request.user)


@router.get("/me/export", summary="Everything Alongside holds about me (JSON)")
def export(request: AuthedHttpRequest):
    return selectors.export_for(request.user)


@router.get("/programs/{slug}/people", response=list[PersonOut], summary="People in a program I may see")
@paginate(CursorPagination, ordering=("-joined_at", "-id"), page_size=50)
def program_people(request: AuthedHttpRequest, slug: str):
    _program, membership = selectors.get_program_for(request.user, slug)
    return selectors.people_visible_to(request.user, membership)
