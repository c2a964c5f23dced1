"""The peers API: public cards, a peer's own profile, credentials, verification and CE hours."""

from __future__ import annotations

import json

import pytest

from alongside.accounts.models import User
from alongside.peers.models import ContinuingEducation, Credential, PeerProfile

V = "/api/v1"


def send(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def error_of(response, status):
    assert response.status_code == status, response.content[:400]
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    return error


# --- cards -------------------------------------------------------------------------------------


def test_a_member_lists_the_programs_peer_cards_without_private_fields(cast, client_as):
    response = client_as("riley").get(f"{V}/peers?program=harbor")
    assert response.status_code == 200
    cards = {card["display_name"]: card for card in response.json()["results"]}
    assert set(cards) == {"Sam O.", "Luz H.", "Jamie P."}
    sam = cards["Sam O."]
    assert sam["verified_credential"] is True
    assert cards["Jamie P."]["verified_credential"] is False
    for private in ("gender", "age_range", "latitude", "longitude", "supervisor", "substances"):
        assert private not in sam


def test_one_card_and_a_non_peer_is_404(cast, client_as):
    client = client_as("riley")
    assert client.get(f"{V}/peers/{cast.sam.pk}?program=harbor").json()["city"] == "Costa Mesa, California"
    error_of(client.get(f"{V}/peers/{cast.dana.pk}?program=harbor"), 404)


def test_cards_need_the_program_and_refuse_allies_and_outsiders(cast, client_as):
    error_of(client_as("riley").get(f"{V}/peers"), 422)
    error_of(client_as("jordan").get(f"{V}/peers?program=harbor"), 403)
    error_of(client_as("casey").get(f"{V}/peers?program=harbor"), 404)


# --- my profile --------------------------------------------------------------------------------


def test_peer_reads_and_replaces_their_profile(cast, client_as):
    client = client_as("sam")
    assert client.get(f"{V}/me/peer-profile?program=harbor").json()["gender"] == "man"
    response = send(
        client,
        "put",
        f"{V}/me/peer-profile?program=harbor",
        {
            "display_name": "Sam Ortiz",
            "languages": ["en", "es"],
            "pathways": ["smart"],
            "lived_experience": ["Parenting", "night shifts"],
            "city": "Long Beach, CA",
            "availability": ["mon-evening"],
            "capacity": 5,
            "gender": None,
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["display_name"] == "Sam Ortiz"
    assert body["lived_experience"] == ["parenting", "night shifts"]
    assert body["city_found"] is True
    assert body["gender"] == ""
    profile = PeerProfile.objects.get(program=cast.harbor, user=cast.sam)
    assert profile.latitude == pytest.approx(33.77, abs=0.05)


def test_an_unknown_city_is_saved_and_reported_not_found(cast, client_as):
    body = send(
        client_as("sam"),
        "put",
        f"{V}/me/peer-profile?program=harbor",
        {"display_name": "Sam O.", "city": "Nowhere Creek Hollow"},
    ).json()
    assert body["city"] == "Nowhere Creek Hollow"
    assert body["city_found"] is False


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"display_name": ""}, "display_name"),
        ({"display_name": "Sam", "availability": ["someday-evening"]}, "availability"),
        ({"display_name": "Sam", "capacity": 99}, "capacity"),
        ({"display_name": "Sam", "gender": "robot"}, "gender"),
        ({"display_name": "Sam", "meets_in_person": False, "meets_remotely": False}, "meets_remotely"),
        ({"display_name": "Sam", "colour": "blue"}, "colour"),
    ],
)
def test_bad_profile_input_is_a_422_naming_the_field(cast, client_as, body, field):
    error = error_of(send(client_as("sam"), "put", f"{V}/me/peer-profile?program=harbor", body), 422)
    assert field in error["fields"]


def test_a_body_that_is_not_an_object_is_a_422_not_a_500(cast, client_as):
    error_of(send(client_as("sam"), "put", f"{V}/me/peer-profile?program=harbor", "a string"), 422)


def test_only_peers_have_a_profile_of_their_own(cast, client_as):
    error_of(client_as("riley").get(f"{V}/me/peer-profile?program=harbor"), 403)
    error_of(client_as("alex").get(f"{V}/me/peer-profile?program=harbor"), 403)


# --- credentials ------------------------------------------------------------------------------


def _sam_credential(cast) -> Credential:
    return Credential.objects.get(profile__user=cast.sam)


def test_peer_lists_only_their_own_credentials_and_admin_filters_by_peer(cast, client_as):
    mine = client_as("sam").get(f"{V}/credentials?program=harbor").json()["results"]
    assert [c["peer_id"] for c in mine] == [cast.sam.pk]
    assert mine[0]["state"] == "expiring"
    assert mine[0]["verified_by"] == "alex"
    assert float(mine[0]["ce_progress"]["hours"]) == 18
    everyone = client_as("alex").get(f"{V}/credentials?program=harbor").json()["results"]
    assert len(everyone) == 3
    luz = User.objects.get(handle="luz")
    only_luz = client_as("alex").get(f"{V}/credentials?program=harbor&peer={luz.pk}").json()["results"]
    assert [c["peer_id"] for c in only_luz] == [luz.pk]
    error_of(client_as("dana").get(f"{V}/credentials?program=harbor"), 403)


def test_peer_adds_a_credential_and_bad_dates_are_422(cast, client_as):
    client = client_as("sam")
    created = send(
        client,
        "post",
        f"{V}/credentials?program=harbor",
        {"kind": "ncprss", "issuer": "NAADAC", "issued_on": "2023-05-01", "expires_on": "2025-05-01"},
    )
    assert created.status_code == 201
    assert created.json()["state"] in ("expired", "unverified")
    error = error_of(
        send(
            client,
            "post",
            f"{V}/credentials?program=harbor",
            {"kind": "ncprss", "issuer": "NAADAC", "issued_on": "2023-05-01", "expires_on": "2022-05-01"},
        ),
        422,
    )
    assert "expires_on" in error["fields"]
    error = error_of(
        send(
            client,
            "post",
            f"{V}/credentials?program=harbor",
            {
                "kind": "cprs",
                "issuer": "B",
                "issued_on": "2023-05-01",
                "ce_hours_required": 5,
                "ce_ethics_hours_required": 6,
            },
        ),
        422,
    )
    assert "ce_ethics_hours_required" in error["fields"]


def test_patching_the_expiry_of_a_verified_credential_clears_verification(cast, client_as):
    credential = _sam_credential(cast)
    later = credential.expires_on.replace(year=credential.expires_on.year + 2)
    body = send(client_as("sam"), "patch", f"{V}/credentials/{credential.pk}", {"expires_on": later.isoformat()}).json()
    assert body["verified"] is False
    assert body["state"] == "unverified"
    body = send(client_as("sam"), "patch", f"{V}/credentials/{credential.pk}", {"jurisdiction": "CA"}).json()
    assert body["jurisdiction"] == "CA"
    error_of(send(client_as("sam"), "patch", f"{V}/credentials/{credential.pk}", {"issuer": None}), 422)


def test_admin_verifies_and_unverifies_through_the_api(cast, client_as):
    credential = Credential.objects.get(profile__user__handle="jamie.p")
    client = client_as("alex")
    # No body at all means "verify".
    body = client.post(f"{V}/credentials/{credential.pk}/verify", data="", content_type="application/json").json()
    assert body["verified"] is True
    assert body["verified_by"] == "alex"
    body = send(client, "post", f"{V}/credentials/{credential.pk}/verify", {"verified": False}).json()
    assert body["verified"] is False
    error_of(send(client_as("sam"), "post", f"{V}/credentials/{_sam_credential(cast).pk}/verify", {}), 403)


def test_peer_logs_ce_hours_and_ethics_cannot_exceed_hours(cast, client_as):
    credential = _sam_credential(cast)
    client = client_as("sam")
    response = send(
        client,
        "post",
        f"{V}/credentials/{credential.pk}/ce",
        {"title": "Ethics refresher", "completed_on": "2024-05-01", "hours": 2, "ethics_hours": 2},
    )
    assert response.status_code == 201
    assert float(response.json()["credential"]["ce_progress"]["hours"]) == 20
    error = error_of(
        send(
            client,
            "post",
            f"{V}/credentials/{credential.pk}/ce",
            {"title": "Too much ethics", "completed_on": "2024-05-01", "hours": 1, "ethics_hours": 2},
        ),
        422,
    )
    assert "ethics_hours" in error["fields"]
    assert not ContinuingEducation.objects.filter(title="Too much ethics").exists()
    error_of(
        send(
            client_as("alex"),
            "post",
            f"{V}/credentials/{credential.pk}/ce",
            {"title": "x", "completed_on": "2024-05-01", "hours": 1},
        ),
        403,
    )


def test_credential_ids_of_another_program_are_404_and_unknown_ids_too(cast, client_as):
    credential = _sam_credential(cast)
    error_of(client_as("casey").get(f"{V}/credentials/{credential.pk}"), 404)
    error_of(client_as("sam").get(f"{V}/credentials/999999"), 404)
    error_of(client_as("riley").get(f"{V}/credentials/{credential.pk}"), 403)


def test_holder_deletes_a_credential(cast, client_as):
    credential = _sam_credential(cast)
    assert client_as("sam").delete(f"{V}/credentials/{credential.pk}").status_code == 204
    assert not Credential.objects.filter(pk=credential.pk).exists()
