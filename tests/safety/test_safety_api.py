from __future__ import annotations

import json

from alongside.safety.models import Alert, AlertStatus


def _json(client, method, path, body=None):
    return getattr(client, method)(path, data=json.dumps(body or {}), content_type="application/json")


def test_member_asks_for_support_through_the_api_and_gets_crisis_lines(cast, client_as):
    response = _json(
        client_as("riley"), "post", "/api/v1/help-requests", {"message": "need to talk", "contact_preference": "call"}
    )
    assert response.status_code == 201
    data = response.json()
    alert = Alert.objects.get(pk=data["alert_id"])
    assert alert.contact_preference == "call"
    assert any(line["phone"] == "988" for line in data["resources"])


def test_member_of_several_programs_must_say_which(cast, client_as):
    from alongside.accounts.services import membership_add

    membership_add(user=cast.riley, program=cast.desert, role="member")
    response = _json(client_as("riley"), "post", "/api/v1/help-requests", {})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "program_required"


def test_bad_contact_preference_is_a_clear_422(cast, client_as):
    response = _json(client_as("riley"), "post", "/api/v1/help-requests", {"contact_preference": "carrier pigeon"})
    assert response.status_code == 422
    assert "contact_preference" in response.json()["error"]["fields"]


def test_staff_work_an_alert_through_the_api(cast, client_as):
    alert_id = _json(client_as("riley"), "post", "/api/v1/help-requests", {}).json()["alert_id"]
    sam = client_as("sam")
    listed = sam.get("/api/v1/alerts?program=harbor&status=open").json()["results"]
    assert alert_id in [a["id"] for a in listed]
    assert _json(sam, "post", f"/api/v1/alerts/{alert_id}/acknowledge").json()["status"] == "acknowledged"
    note = _json(sam, "post", f"/api/v1/alerts/{alert_id}/notes", {"note": "Called; talking now", "contacted": True})
    assert note.status_code == 201
    empty = _json(sam, "post", f"/api/v1/alerts/{alert_id}/resolve", {"outcome_note": ""})
    assert empty.status_code == 422
    done = _json(sam, "post", f"/api/v1/alerts/{alert_id}/resolve", {"outcome_note": "Safe; meeting tonight."})
    assert done.json()["status"] == AlertStatus.RESOLVED
    kinds = [e["kind"] for e in sam.get(f"/api/v1/alerts/{alert_id}").json()["events"]]
    assert kinds[0] == "raised"
    assert kinds[-1] == "resolved"


def test_outsider_gets_404_for_an_alert_id(cast, client_as):
    alert = Alert.objects.filter(subject=cast.riley).first()
    assert client_as("casey").get(f"/api/v1/alerts/{alert.pk}").status_code == 404
    assert client_as("casey").get("/api/v1/alerts/999999").status_code == 404


def test_member_reads_their_own_history_with_timeline(cast, client_as):
    results = client_as("riley").get("/api/v1/me/alerts").json()["results"]
    assert results[0]["status"] == "resolved"
    assert results[0]["events"][0]["kind"] == "raised"
    assert client_as("sam").get("/api/v1/me/alerts").json()["results"] == []
