from __future__ import annotations

import json

import pytest

from alongside.accounts.models import AuditEvent


@pytest.mark.parametrize(
    "body",
    [
        "not json at all",
        json.dumps({"email": "x"}),
        json.dumps({"email": ["list"], "password": 5}),
        json.dumps([1, 2, 3]),
        json.dumps({"email": "a" * 5000, "password": "x"}),
    ],
)
def test_bad_input_gets_the_one_error_shape_not_a_500(db, client, body):
    response = client.post("/api/v1/auth/token", data=body, content_type="application/json")
    assert 400 <= response.status_code < 500
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    assert error["message"]


def test_validation_errors_name_the_field(db, client):
    response = client.post("/api/v1/auth/token", data=json.dumps({"email": "x"}), content_type="application/json")
    assert response.status_code == 422
    assert "password" in response.json()["error"]["fields"]


def test_unknown_api_path_is_a_404(cast, client_as):
    assert client_as("riley").get("/api/v1/nothing-here").status_code == 404


def test_member_updates_consent_through_the_api(cast, client_as):
    client = client_as("riley")
    response = client.put(
        "/api/v1/me/consents",
        data=json.dumps({"program_slug": "harbor", "checkins_peer": False}),
        content_type="application/json",
    )
    assert response.status_code == 200
    # Only the sent choice changes; the demo's other answers stay as they were.
    assert response.json() == {
        "program_slug": "harbor",
        "checkins_peer": False,
        "plan_peer": True,
        "assessments_peer": False,
        "attendance_peer": False,
        "outcomes_deidentified": True,
    }


def test_access_log_is_paginated_by_cursor(cast, client_as):
    for n in range(60):
        AuditEvent.objects.create(
            actor=cast.dana, actor_label="dana", subject=cast.riley, action="viewed_record", detail=str(n)
        )
    client = client_as("riley")
    first = client.get("/api/v1/me/access-log").json()
    assert len(first["results"]) == 50
    assert first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 11
    seen = {item["id"] for item in first["results"]} | {item["id"] for item in second["results"]}
    assert len(seen) == 61


def test_staff_without_two_factor_are_refused_member_data_by_api(cast, client_as):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=cast.alex).delete()
    response = client_as("alex").get("/api/v1/programs/harbor/people")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "two_factor_required"


def test_openapi_schema_lists_bearer_auth(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "BearerToken" in schema["components"]["securitySchemes"]
