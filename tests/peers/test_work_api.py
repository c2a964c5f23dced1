"""The peer-work API: shapes, scoping and bad input (never a 500)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from alongside.accounts.models import AuditEvent, User
from alongside.peers.models import CallPlan, Encounter, SupervisionSession

V = "/api/v1"


def _post(client, url, body, method="post"):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def _error(response, status):
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    return error


def _encounter_body(cast, **kw):
    return {
        "program": "harbor",
        "member_id": cast.riley.pk,
        "occurred_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
        "duration_minutes": 15,
        "mode": "video",
        "topics": ["goals"],
        "summary": "Went over the week.",
        **kw,
    }


def test_peer_reads_their_caseload_with_reasons_in_words(cast, client_as):
    body = client_as("sam").get(f"{V}/caseload?program=harbor").json()
    handles = [row["member"]["handle"] for row in body["rows"]]
    assert sorted(handles) == ["avery.r", "morgan_k", "riley"]
    riley = next(row for row in body["rows"] if row["member"]["handle"] == "riley")
    assert riley["latest_checkin"] is not None
    assert any(reason["code"] == "last_contact" and reason["text"] for reason in riley["reasons"])
    avery = next(row for row in body["rows"] if row["member"]["handle"] == "avery.r")
    assert avery["latest_checkin"] is None
    assert "checkins_not_shared" in [reason["code"] for reason in avery["reasons"]]


def test_peer_logs_and_edits_a_contact_through_the_api(cast, client_as):
    client = client_as("sam")
    created = _post(client, f"{V}/encounters", _encounter_body(cast, follow_up_on=None))
    assert created.status_code == 201, created.content
    note_id = created.json()["id"]
    patched = _post(client, f"{V}/encounters/{note_id}", {"next_step": "Meeting on Saturday"}, method="patch")
    assert patched.status_code == 200
    assert patched.json()["next_step"] == "Meeting on Saturday"
    assert patched.json()["summary"] == "Went over the week."


def test_a_naive_time_is_read_in_the_peers_zone(cast, client_as):
    local = (timezone.now() - dt.timedelta(days=1)).astimezone(dt.timezone(dt.timedelta(hours=-8)))
    naive = local.replace(tzinfo=None, minute=0, second=0, microsecond=0)
    response = _post(client_as("sam"), f"{V}/encounters", _encounter_body(cast, occurred_at=naive.isoformat()))
    assert response.status_code == 201, response.content
    note = Encounter.objects.get(pk=response.json()["id"])
    assert note.occurred_at.tzinfo is not None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"mode": "teleport"}, "mode"),
        ({"topics": ["diagnosis"]}, "topics"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"occurred_at": "not a date"}, "occurred_at"),
        ({"goal_ids": [999999]}, "goals"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_bad_contact_input_is_a_422_naming_the_field(cast, client_as, change, field):
    error = _error(_post(client_as("sam"), f"{V}/encounters", _encounter_body(cast, **change)), 422)
    assert field in error["fields"]


def test_a_body_that_is_not_an_object_is_a_422(cast, client_as):
    response = client_as("sam").post(f"{V}/encounters", data='"a string"', content_type="application/json")
    _error(response, 422)


def test_contact_with_someone_not_walked_with_is_403_and_an_unknown_member_404(cast, client_as):
    drew = User.objects.get(handle="drew")
    _error(_post(client_as("sam"), f"{V}/encounters", _encounter_body(cast, member_id=drew.pk)), 403)
    _error(_post(client_as("sam"), f"{V}/encounters", _encounter_body(cast, member_id=10**9)), 404)


def test_supervisor_lists_team_notes_and_each_member_is_audited(cast, client_as):
    response = client_as("dana").get(f"{V}/encounters?program=harbor")
    assert response.status_code == 200
    assert [n["member"]["handle"] for n in response.json()["results"]] == ["riley"]
    assert AuditEvent.objects.filter(actor=cast.dana, subject=cast.riley, action="viewed_contact_notes").exists()


def test_supervisor_cannot_edit_a_peers_note_and_admin_cannot_read_it(cast, client_as):
    note = Encounter.objects.filter(peer=cast.sam).first()
    _error(_post(client_as("dana"), f"{V}/encounters/{note.pk}", {"summary": "x"}, method="patch"), 403)
    _error(client_as("alex").get(f"{V}/encounters/{note.pk}"), 403)
    _error(client_as("casey").get(f"{V}/encounters/{note.pk}"), 404)
    _error(client_as("sam").get(f"{V}/encounters/{10**9}"), 404)


def test_call_attempts_refuse_voicemail_when_not_allowed_and_a_second_record_is_409(cast, client_as):
    plan = CallPlan.objects.get(member=cast.riley, active=True)
    CallPlan.objects.filter(pk=plan.pk).update(voicemail_ok=False)
    client = client_as("sam")
    error = _error(_post(client, f"{V}/calls/{plan.pk}/attempts", {"outcome": "voicemail"}), 422)
    assert "outcome" in error["fields"]
    assert _post(client, f"{V}/calls/{plan.pk}/attempts", {"outcome": "no_answer"}).status_code == 201
    _error(_post(client, f"{V}/calls/{plan.pk}/attempts", {"outcome": "reached"}), 409)
    _error(_post(client, f"{V}/calls/{plan.pk}/attempts", {"outcome": "maybe"}), 422)


def test_calls_today_is_a_list(cast, client_as):
    response = client_as("sam").get(f"{V}/calls/today?program=harbor")
    assert response.status_code == 200
    assert isinstance(response.json(), list)


def test_member_manages_their_call_plan(cast, client_as):
    client = client_as("riley")
    assert client.get(f"{V}/me/call-plan").json()["plan"]["weekday"] == 3
    put = _post(client, f"{V}/me/call-plan", {"weekday": 0, "call_time": "08:30", "voicemail_ok": True}, method="put")
    assert put.status_code == 422  # Riley has no phone on her account and sent none
    put = _post(
        client,
        f"{V}/me/call-plan",
        {"weekday": 0, "call_time": "08:30", "phone": "+1 714 555 0142", "voicemail_ok": True},
        method="put",
    )
    assert put.status_code == 200 and put.json()["plan"]["weekday"] == 0
    _error(_post(client, f"{V}/me/call-plan", {"weekday": 9, "call_time": "08:30"}, method="put"), 422)
    deleted = client.delete(f"{V}/me/call-plan")
    assert deleted.status_code == 200 and deleted.json()["plan"]["active"] is False
    _error(client_as("sam").get(f"{V}/me/call-plan"), 403)
    _error(client_as("riley").get(f"{V}/me/call-plan?program=desert-bloom"), 404)


def test_supervision_api_logs_and_lists_and_refuses_an_individual_group(cast, client_as):
    luz = User.objects.get(handle="luz")
    today = timezone.now().date() - dt.timedelta(days=2)
    body = {
        "program": "harbor",
        "peer_ids": [cast.sam.pk, luz.pk],
        "held_on": today.isoformat(),
        "duration_minutes": 30,
        "format": "individual",
    }
    error = _error(_post(client_as("dana"), f"{V}/supervision", body), 422)
    assert "peers" in error["fields"]
    created = _post(client_as("dana"), f"{V}/supervision", {**body, "format": "group", "topics": ["boundaries"]})
    assert created.status_code == 201
    assert {p["handle"] for p in created.json()["peers"]} == {"sam", "luz"}
    listed = client_as("sam").get(f"{V}/supervision?program=harbor").json()["results"]
    assert len(listed) == SupervisionSession.objects.filter(peers=cast.sam).count() == 2
    _error(_post(client_as("sam"), f"{V}/supervision", body), 403)
    _error(client_as("alex").get(f"{V}/supervision?program=harbor"), 403)


def test_supervision_request_through_the_api_is_idempotent(cast, client_as):
    first = _post(client_as("sam"), f"{V}/supervision/requests", {"program": "harbor"}).json()
    second = _post(client_as("sam"), f"{V}/supervision/requests", {"program": "harbor"}).json()
    assert first["needs_supervision_since"] == second["needs_supervision_since"] is not None
