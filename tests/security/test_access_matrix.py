"""Who may reach what: one row per URL pattern and per API operation.

Each row says what every persona gets:
- ``anonymous``: the public gets the page, is sent to sign in (pages), or gets 401 (API);
- ``casey`` (another program's member) gets 404 for anything of Harbor's;
- a wrong role inside Harbor gets 403;
- the right roles get a success.
The gate tests at the bottom fail when a URL pattern or API operation has no row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from alongside.accounts.models import Invitation
from alongside.api.api import api
from tests.security import (
    rows_meetings_admin,
    rows_meetings_finder,
    rows_meetings_relocation,
    rows_peers_matching,
    rows_peers_profiles,
    rows_peers_work,
    rows_recovery_api,
    rows_recovery_core,
    rows_recovery_personal,
)

LOGIN = "login"  # 302 to the sign-in page
PERSONAS = ["anonymous", "riley", "sam", "dana", "alex", "jordan", "casey"]
STAFF = {"sam": 200, "dana": 200, "alex": 200}
EVERYONE_SIGNED_IN = {p: 200 for p in PERSONAS if p != "anonymous"}


@dataclass(frozen=True)
class Row:
    key: str  # URL name for pages, "METHOD /api/v1/path" for API operations
    url: Callable[..., str]
    expect: dict[str, int | str]
    method: str = "get"
    data: dict = field(default_factory=dict)
    json: bool = False
    program_scoped: bool = False


def open_invitation(cast) -> Invitation:
    return Invitation.objects.get(program=cast.harbor, email="taylor@example.org", accepted_at__isnull=True)


def _invite_token(cast) -> str:
    # Only a hash of a token is stored, so the matrix makes an invitation whose raw token it knows.
    import datetime as dt

    from django.utils import timezone

    from alongside.lib.tokens import secret_hash

    Invitation.objects.get_or_create(
        token_hash=secret_hash("matrix-token"),
        defaults={
            "program": cast.harbor,
            "email": "matrix@example.org",
            "role": "member",
            "invited_by": cast.alex,
            "expires_at": timezone.now() + dt.timedelta(days=1),
        },
    )
    return "matrix-token"


def riley_alert(cast):
    from alongside.safety.models import Alert

    return Alert.objects.filter(subject=cast.riley).first()


def harbor_resource(cast):
    from alongside.safety.models import CrisisResource

    return CrisisResource.objects.filter(program=cast.harbor).first()


def harbor_shift(cast):
    from alongside.safety.models import OnCallShift

    return OnCallShift.objects.filter(program=cast.harbor).first()


def harbor_staff(ok, admin_only: bool = False) -> dict[str, int | str]:
    """Harbor's staff pages: outsider 404, member and ally 403, staff ``ok``."""
    expect: dict[str, int | str] = {"anonymous": LOGIN, "casey": 404, "riley": 403, "jordan": 403}
    expect.update({"sam": 403, "dana": 403, "alex": ok} if admin_only else {"sam": ok, "dana": ok, "alex": ok})
    return expect


def public(*, status: int = 200) -> dict[str, int | str]:
    return dict.fromkeys(PERSONAS, status)


def signed_in_only(status: int = 200, **overrides: int) -> dict[str, int | str]:
    return {"anonymous": LOGIN, **{p: status for p in PERSONAS if p != "anonymous"}, **overrides}


PAGE_ROWS = [
    # Casey, a member who has not set up a recovery profile yet, is sent to do that first.
    Row("home", lambda c: "/", {**public(), "casey": 302}),
    Row("help_now", lambda c: "/help/", public()),
    Row("healthz", lambda c: "/healthz", public()),
    Row("set_language", lambda c: "/i18n/setlang/", public(status=302), method="post", data={"language": "es"}),
    # allauth: the sign-in, sign-up and recovery pages are public; account pages need a session.
    Row("account_login", lambda c: "/accounts/login/", {"anonymous": 200, **dict.fromkeys(PERSONAS[1:], 302)}),
    Row("account_signup", lambda c: "/accounts/signup/", {"anonymous": 200, **dict.fromkeys(PERSONAS[1:], 302)}),
    Row("account_logout", lambda c: "/accounts/logout/", {"anonymous": 302, **dict.fromkeys(PERSONAS[1:], 200)}),
    Row("account_inactive", lambda c: "/accounts/inactive/", public()),
    Row("account_email_verification_sent", lambda c: "/accounts/confirm-email/", public()),
    Row("account_confirm_email", lambda c: "/accounts/confirm-email/not-a-key/", public()),
    Row("account_reset_password", lambda c: "/accounts/password/reset/", public()),
    Row("account_reset_password_done", lambda c: "/accounts/password/reset/done/", public()),
    Row("account_reset_password_from_key", lambda c: "/accounts/password/reset/key/1-bad-key/", public()),
    Row("account_reset_password_from_key_done", lambda c: "/accounts/password/reset/key/done/", public()),
    Row("account_confirm_login_code", lambda c: "/accounts/login/code/confirm/", public(status=302)),
    Row("account_reauthenticate", lambda c: "/accounts/reauthenticate/", signed_in_only()),
    Row("account_email", lambda c: "/accounts/email/", signed_in_only()),
    Row("account_change_password", lambda c: "/accounts/password/change/", signed_in_only()),
    Row("account_set_password", lambda c: "/accounts/password/set/", signed_in_only(302)),
    Row("mfa_index", lambda c: "/accounts/2fa/", signed_in_only()),
    Row(
        "mfa_authenticate",
        lambda c: "/accounts/2fa/authenticate/",
        {"anonymous": 302, **dict.fromkeys(PERSONAS[1:], 302)},
    ),
    Row(
        "mfa_reauthenticate",
        lambda c: "/accounts/2fa/reauthenticate/",
        signed_in_only(riley=302, jordan=302, casey=302),
    ),
    # Staff already have an authenticator (activate is done); members have none (deactivate is not possible).
    # A member may add an authenticator after confirming their password again (reauthenticate).
    Row("mfa_activate_totp", lambda c: "/accounts/2fa/totp/activate/", signed_in_only(302)),
    # Changing or reading second factors asks staff to confirm who they are again first.
    Row(
        "mfa_deactivate_totp",
        lambda c: "/accounts/2fa/totp/deactivate/",
        signed_in_only(302, riley=404, jordan=404, casey=404),
    ),
    Row(
        "mfa_view_recovery_codes",
        lambda c: "/accounts/2fa/recovery-codes/",
        signed_in_only(302, riley=404, jordan=404, casey=404),
    ),
    Row("mfa_generate_recovery_codes", lambda c: "/accounts/2fa/recovery-codes/generate/", signed_in_only(302)),
    Row(
        "mfa_download_recovery_codes",
        lambda c: "/accounts/2fa/recovery-codes/download/",
        signed_in_only(302, riley=404, jordan=404, casey=404),
    ),
    # Alongside's own pages.
    Row("welcome_handle", lambda c: "/welcome/handle/", signed_in_only()),
    Row("welcome_two_factor", lambda c: "/welcome/two-factor/", signed_in_only(302)),
    Row("programs", lambda c: "/programs/", signed_in_only()),
    Row("program_create", lambda c: "/programs/new/", signed_in_only(403, alex=200)),
    Row(
        "program_people",
        lambda c: "/p/harbor/people/",
        {"anonymous": LOGIN, "casey": 404, "riley": 403, "jordan": 403, **STAFF},
        program_scoped=True,
    ),
    Row(
        "program_person",
        lambda c: f"/p/harbor/people/{c.riley.pk}/",
        {"anonymous": LOGIN, "casey": 404, "jordan": 403, "riley": 200, **STAFF},
        program_scoped=True,
    ),
    Row(
        "program_invitations",
        lambda c: "/p/harbor/invitations/",
        {"anonymous": LOGIN, "casey": 404, "riley": 403, "jordan": 403, "sam": 403, "dana": 403, "alex": 200},
        program_scoped=True,
    ),
    Row(
        "program_invitation_revoke",
        lambda c: f"/p/harbor/invitations/{open_invitation(c).pk}/revoke/",
        {"anonymous": LOGIN, "casey": 404, "riley": 403, "jordan": 403, "sam": 403, "dana": 403, "alex": 302},
        method="post",
        program_scoped=True,
    ),
    # Safety net.
    Row("help_for_program", lambda c: "/help/harbor/", public()),
    Row(
        "support_now",
        lambda c: "/support/",
        {"anonymous": LOGIN, "riley": 302, "casey": 302, "sam": 403, "dana": 403, "alex": 403, "jordan": 403},
        method="post",
    ),
    # A member's own request page: nobody else's business, so 404 for everyone else.
    Row(
        "support_sent",
        lambda c: f"/support/{riley_alert(c).pk}/",
        {"anonymous": LOGIN, "riley": 200, "casey": 404, "sam": 404, "dana": 404, "alex": 404, "jordan": 404},
    ),
    Row("my_safety_history", lambda c: "/safety/history/", signed_in_only()),
    Row(
        "member_safety_history",
        lambda c: f"/p/harbor/people/{c.riley.pk}/safety/",
        {**harbor_staff(200), "riley": 200},
        program_scoped=True,
    ),
    Row("alert_queue", lambda c: "/p/harbor/alerts/", harbor_staff(200), program_scoped=True),
    Row("alert_detail", lambda c: f"/p/harbor/alerts/{riley_alert(c).pk}/", harbor_staff(200), program_scoped=True),
    Row(
        "alert_acknowledge",
        lambda c: f"/p/harbor/alerts/{riley_alert(c).pk}/acknowledge/",
        harbor_staff(302),
        method="post",
        program_scoped=True,
    ),
    Row(
        "alert_note",
        lambda c: f"/p/harbor/alerts/{riley_alert(c).pk}/note/",
        harbor_staff(302),
        method="post",
        data={"note": "Called, no answer; texted."},
        program_scoped=True,
    ),
    Row(
        "alert_resolve",
        lambda c: f"/p/harbor/alerts/{riley_alert(c).pk}/resolve/",
        harbor_staff(302),
        method="post",
        data={"outcome_note": "Safe with family."},
        program_scoped=True,
    ),
    Row(
        "safety_resources",
        lambda c: "/p/harbor/safety/resources/",
        harbor_staff(200, admin_only=True),
        program_scoped=True,
    ),
    Row(
        "safety_resources_reset",
        lambda c: "/p/harbor/safety/resources/reset/",
        harbor_staff(302, admin_only=True),
        method="post",
        program_scoped=True,
    ),
    Row(
        "safety_resource_edit",
        lambda c: f"/p/harbor/safety/resources/{harbor_resource(c).pk}/",
        harbor_staff(200, admin_only=True),
        program_scoped=True,
    ),
    Row(
        "safety_resource_delete",
        lambda c: f"/p/harbor/safety/resources/{harbor_resource(c).pk}/delete/",
        harbor_staff(302, admin_only=True),
        method="post",
        program_scoped=True,
    ),
    Row(
        "safety_settings",
        lambda c: "/p/harbor/safety/settings/",
        harbor_staff(302, admin_only=True),
        method="post",
        data={"crisis_window_minutes": "10", "concern_window_minutes": "600"},
        program_scoped=True,
    ),
    Row(
        "safety_on_call", lambda c: "/p/harbor/safety/on-call/", harbor_staff(200, admin_only=True), program_scoped=True
    ),
    Row(
        "safety_on_call_delete",
        lambda c: f"/p/harbor/safety/on-call/{harbor_shift(c).pk}/delete/",
        harbor_staff(302, admin_only=True),
        method="post",
        program_scoped=True,
    ),
    Row("invitation_accept", lambda c: f"/invitations/{_invite_token(c)}/", public()),
    Row("privacy", lambda c: "/privacy/", signed_in_only()),
    Row("privacy_export", lambda c: "/privacy/export.json", signed_in_only()),
    Row("account_delete", lambda c: "/privacy/delete-account/", signed_in_only()),
]

API_ROWS = [
    Row("GET /api/v1/openapi.json", lambda c: "/api/v1/openapi.json", public()),
    Row("GET /api/v1/docs", lambda c: "/api/v1/docs", public()),
    Row(
        "POST /api/v1/auth/token",
        lambda c: "/api/v1/auth/token",
        public(status=401),  # right shape, wrong password: a 401 in the one error shape
        method="post",
        data={"email": "riley@example.org", "password": "not-the-password"},
        json=True,
    ),
    # Session-authenticated calls carry no bearer token, so there is nothing to revoke (400);
    # bearer revocation is covered in tests/api/test_auth_token.py.
    Row(
        "DELETE /api/v1/auth/token",
        lambda c: "/api/v1/auth/token",
        {"anonymous": 401, **dict.fromkeys(PERSONAS[1:], 400)},
        method="delete",
    ),
    Row("GET /api/v1/me", lambda c: "/api/v1/me", {"anonymous": 401, **EVERYONE_SIGNED_IN}),
    Row("GET /api/v1/me/consents", lambda c: "/api/v1/me/consents", {"anonymous": 401, **EVERYONE_SIGNED_IN}),
    Row(
        "PUT /api/v1/me/consents",
        lambda c: "/api/v1/me/consents",
        {"anonymous": 401, "casey": 404, "sam": 403, "dana": 403, "alex": 403, "jordan": 403, "riley": 200},
        method="put",
        data={"program_slug": "harbor", "checkins_peer": True},
        json=True,
        program_scoped=True,
    ),
    Row("GET /api/v1/me/access-log", lambda c: "/api/v1/me/access-log", {"anonymous": 401, **EVERYONE_SIGNED_IN}),
    Row("GET /api/v1/me/export", lambda c: "/api/v1/me/export", {"anonymous": 401, **EVERYONE_SIGNED_IN}),
    Row(
        "GET /api/v1/programs/{slug}/people",
        lambda c: "/api/v1/programs/harbor/people",
        {"anonymous": 401, "casey": 404, "riley": 403, "jordan": 403, **STAFF},
        program_scoped=True,
    ),
]

PAGE_ROWS += [
    Row(key, url, expect, method, data, json=js)
    for key, url, expect, method, data, js in rows_meetings_finder.PAGE_ROWS
]
API_ROWS += [
    Row(key, url, expect, method, data, json=js) for key, url, expect, method, data, js in rows_meetings_finder.API_ROWS
]
API_ROWS += [
    Row("GET /api/v1/help-resources", lambda c: "/api/v1/help-resources?program=harbor", public()),
    Row(
        "POST /api/v1/help-requests",
        lambda c: "/api/v1/help-requests",
        {"anonymous": 401, "casey": 404, "sam": 403, "dana": 403, "alex": 403, "jordan": 403, "riley": 201},
        method="post",
        data={"program_slug": "harbor", "message": "struggling tonight"},
        json=True,
        program_scoped=True,
    ),
    Row("GET /api/v1/me/alerts", lambda c: "/api/v1/me/alerts", {"anonymous": 401, **EVERYONE_SIGNED_IN}),
    Row(
        "GET /api/v1/alerts",
        lambda c: "/api/v1/alerts?program=harbor",
        {**harbor_staff(200), "anonymous": 401},
        program_scoped=True,
    ),
    Row(
        "GET /api/v1/alerts/{alert_id}",
        lambda c: f"/api/v1/alerts/{riley_alert(c).pk}",
        {**harbor_staff(200), "anonymous": 401},
        program_scoped=True,
    ),
    Row(
        "POST /api/v1/alerts/{alert_id}/acknowledge",
        lambda c: f"/api/v1/alerts/{riley_alert(c).pk}/acknowledge",
        {**harbor_staff(200), "anonymous": 401},
        method="post",
        program_scoped=True,
    ),
    Row(
        "POST /api/v1/alerts/{alert_id}/notes",
        lambda c: f"/api/v1/alerts/{riley_alert(c).pk}/notes",
        {**harbor_staff(201), "anonymous": 401},
        method="post",
        data={"note": "Left a voicemail", "contacted": False},
        json=True,
        program_scoped=True,
    ),
    Row(
        "POST /api/v1/alerts/{alert_id}/resolve",
        lambda c: f"/api/v1/alerts/{riley_alert(c).pk}/resolve",
        {**harbor_staff(200), "anonymous": 401},
        method="post",
        data={"outcome_note": "Talked; safe."},
        json=True,
        program_scoped=True,
    ),
]

# The recovery app's rows live beside this file as plain tuples (they import services to
# make the objects they open, which this module should not need to know about).
PAGE_ROWS += [
    Row(key, url, expect, method, data) for key, url, expect, method, data in rows_recovery_personal.PAGE_ROWS
]
PAGE_ROWS += [
    Row(key, url, expect, method, data, program_scoped=scoped)
    for key, url, expect, method, data, scoped in (
        *rows_recovery_core.PAGE_ROWS,
        *rows_meetings_relocation.PAGE_ROWS,
        *rows_meetings_admin.PAGE_ROWS,
    )
]
PAGE_ROWS += [
    Row(key, url, expect, method, data, json=js) for key, url, expect, method, data, js in rows_recovery_api.PAGE_ROWS
]
API_ROWS += [
    Row(key, url, expect, method, data, json=js) for key, url, expect, method, data, js in rows_recovery_api.API_ROWS
]

# Peer work: (key, url, expect, method, data, json, program_scoped) tuples.
for _rows in (rows_peers_profiles, rows_peers_work, rows_peers_matching):
    PAGE_ROWS += [
        Row(key, url, expect, method, data, json=js, program_scoped=scoped)
        for key, url, expect, method, data, js, scoped in _rows.PAGE_ROWS
    ]
    API_ROWS += [
        Row(key, url, expect, method, data, json=js, program_scoped=scoped)
        for key, url, expect, method, data, js, scoped in _rows.API_ROWS
    ]

ROWS = PAGE_ROWS + API_ROWS
CASES = [
    pytest.param(row, persona, id=f"{row.key}-{row.method}-{persona}")
    for row in ROWS
    for persona in PERSONAS
    if persona in row.expect
]


def _request(client: Client, row: Row, url: str):
    send = getattr(client, row.method)
    if row.json:
        import json

        return send(url, data=json.dumps(row.data), content_type="application/json")
    if row.method == "get":
        return send(url)
    return send(url, data=row.data)


@pytest.mark.parametrize(("row", "persona"), CASES)
def test_access(row: Row, persona: str, cast, client_as):
    client = Client() if persona == "anonymous" else client_as(persona)
    url = row.url(cast)
    response = _request(client, row, url)
    expected = row.expect[persona]
    if expected == LOGIN:
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"].startswith("/accounts/login/"), response["Location"]
    else:
        assert response.status_code == expected, (url, persona, response.status_code, response.content[:300])
    if (
        row.key.startswith(("GET /api", "PUT /api", "PATCH /api", "POST /api", "DELETE /api"))
        and response.status_code >= 400
    ):
        error = response.json()["error"]
        assert set(error) == {"code", "message", "fields"}


# --- the gate ------------------------------------------------------------------------


def _url_names(patterns, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith("api/"):
                continue  # API operations are gated by the OpenAPI schema below
            names |= _url_names(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and not str(pattern.pattern).startswith("api/"):
            names.add(pattern.name or prefix + str(pattern.pattern))
    return names


def test_every_url_pattern_has_a_row():
    missing = _url_names(get_resolver().url_patterns) - {row.key for row in PAGE_ROWS}
    assert not missing, f"URL patterns without a row in the access matrix: {sorted(missing)}"


def test_every_api_operation_has_a_row():
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    operations = {
        f"{method.upper()} {path}"
        for path, methods in schema["paths"].items()
        for method in methods
        if method in {"get", "post", "put", "patch", "delete"}
    }
    operations |= {"GET /api/v1/openapi.json", "GET /api/v1/docs"}
    missing = operations - {row.key for row in API_ROWS}
    assert not missing, f"API operations without a row in the access matrix: {sorted(missing)}"


def test_program_scoped_rows_cover_outsider_and_wrong_role():
    for row in ROWS:
        if row.program_scoped:
            assert row.expect.get("casey") == 404, row.key
            assert 403 in row.expect.values(), row.key
            assert any(isinstance(v, int) and 200 <= v < 400 for k, v in row.expect.items() if k != "anonymous"), (
                row.key
            )
