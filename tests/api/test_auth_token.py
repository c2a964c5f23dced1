from __future__ import annotations

import json

import pyotp
from django.test import Client

from alongside.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from alongside.accounts.models import ApiToken


def _post(client: Client, path: str, body: dict):
    return client.post(path, data=json.dumps(body), content_type="application/json")


def test_member_gets_a_token_and_uses_it(cast, client):
    response = _post(client, "/api/v1/auth/token", {"email": "Riley@Example.org", "password": DEMO_PASSWORD})
    assert response.status_code == 201
    token = response.json()["token"]
    me = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200
    assert me.json()["handle"] == "riley"
    assert me.json()["memberships"] == [
        {"program_slug": "harbor", "program_name": "Harbor Recovery Community", "role": "member"}
    ]
    # Only a hash is stored.
    assert not ApiToken.objects.filter(key_hash=token).exists()


def test_wrong_password_and_unknown_email_get_the_same_answer(cast, client):
    wrong = _post(client, "/api/v1/auth/token", {"email": "riley@example.org", "password": "nope"})
    unknown = _post(client, "/api/v1/auth/token", {"email": "nobody@example.org", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"]["code"] == "invalid_credentials"


def test_account_with_two_factor_needs_the_code(cast, client):
    response = _post(client, "/api/v1/auth/token", {"email": "sam@example.org", "password": DEMO_PASSWORD})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "otp_required"
    bad = _post(client, "/api/v1/auth/token", {"email": "sam@example.org", "password": DEMO_PASSWORD, "otp": "000000"})
    assert bad.json()["error"]["code"] == "otp_invalid"
    code = pyotp.TOTP(DEMO_TOTP_SECRET).now()
    good = _post(client, "/api/v1/auth/token", {"email": "sam@example.org", "password": DEMO_PASSWORD, "otp": code})
    assert good.status_code == 201


def test_revoked_token_stops_working(cast, client):
    token = _post(client, "/api/v1/auth/token", {"email": "riley@example.org", "password": DEMO_PASSWORD}).json()[
        "token"
    ]
    bearer = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert bearer.delete("/api/v1/auth/token").status_code == 204
    response = bearer.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_token_endpoint_is_rate_limited(cast, client):
    for _ in range(5):
        _post(client, "/api/v1/auth/token", {"email": "riley@example.org", "password": "nope"})
    response = _post(client, "/api/v1/auth/token", {"email": "riley@example.org", "password": DEMO_PASSWORD})
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"


def test_unverified_email_cannot_get_a_token(db, client, django_user_model):
    django_user_model.objects.create_user(email="fresh@example.org", password="a-long-password-1", handle="fresh")
    response = _post(client, "/api/v1/auth/token", {"email": "fresh@example.org", "password": "a-long-password-1"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "email_unverified"
