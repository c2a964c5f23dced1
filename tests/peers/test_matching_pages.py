"""Matching pages and API, end to end: what members, peers and admins see and do."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone, translation

from alongside.accounts.models import AuditEvent, CareTeamLink, User
from alongside.peers import selectors as sel
from alongside.peers import services as services
from alongside.peers.models import MatchExclusion, MatchPreferences, MatchRequest, MatchRequestStatus, MatchRound


@pytest.fixture(autouse=True)
def _fresh_pool_cache():
    sel.pool_cache_clear()
    yield
    sel.pool_cache_clear()


def person(handle: str) -> User:
    return User.objects.get(handle=handle)


@pytest.fixture
def signed_in(cast):
    def make(handle: str) -> Client:
        client = Client()
        client.force_login(person(handle))
        return client

    return make


def page(response) -> str:
    return response.content.decode()


# --- the member --------------------------------------------------------------------------------


def test_find_page_shows_ranked_peers_with_a_gentle_label_and_reasons(cast, signed_in):
    response = signed_in("drew").get("/peer/find/")
    assert response.status_code == 200
    html = page(response)
    assert html.index("Luz H.") < html.index("Sam O.")
    assert "Strong fit" in html
    assert "also on a medication-assisted path" in html
    assert "speaks Spanish" in html
    assert "Jamie P." not in html  # unverified credential
    # Public card only: never a peer's gender, age range or coordinates.
    assert "non_binary" not in html and "33.74" not in html


def test_a_member_with_a_peer_is_told_changing_is_ok(cast, client_as):
    html = page(client_as("riley").get("/peer/find/"))
    assert "Sam O." in html
    assert "Would you like a different peer? That's OK — it happens, and nobody is in trouble." in html
    assert "Ask Luz H." in html


def test_preferences_page_keeps_typed_input_on_errors(cast, signed_in):
    client = signed_in("kai")
    response = client.post(
        "/peer/preferences/",
        {
            "looking": "on",
            "peer_gender_preference": "robot",  # not a choice
            "gender": "non_binary",
            "age_range": "45-54",
            "lived_experience_wanted": ["veteran", "grief"],
            "city": "Long Beach, CA",
            "availability": ["wed-evening", "sat-morning"],
        },
    )
    assert response.status_code == 200
    html = page(response)
    assert 'class="error"' in html
    assert 'value="Long Beach, CA"' in html
    assert 'value="wed-evening" id="id_availability_wed_evening" checked' in html
    assert 'value="sat-morning" id="id_availability_sat_morning" checked' in html
    assert 'value="mon-morning" id="id_availability_mon_morning">' in html
    assert html.count("checked") >= 5  # two slots, two lived experiences, looking
    assert MatchPreferences.objects.get(user__handle="kai").availability == ["wed-evening"]


def test_preferences_page_saves_and_is_kind_about_an_unknown_city(cast, signed_in):
    client = signed_in("kai")
    response = client.post(
        "/peer/preferences/",
        {"looking": "on", "city": "Nowhereville Flats", "remote_ok": "on", "availability": ["tue-evening"]},
        follow=True,
    )
    html = page(response)
    assert "only suggest peers who meet by phone or video" in html
    saved = MatchPreferences.objects.get(user__handle="kai")
    assert saved.latitude is None and saved.availability == ["tue-evening"]
    assert "fieldset" in page(client.get("/peer/preferences/"))


def test_preferences_show_what_comes_from_the_recovery_profile(cast, signed_in):
    html = page(signed_in("drew").get("/peer/preferences/"))
    assert "medication" in html
    assert "/recovery/profile/" in html


def test_request_page_asks_before_replacing_a_waiting_request_and_keeps_the_note(cast, signed_in):
    drew, luz = person("drew"), person("luz")
    client = signed_in("drew")
    assert client.post(f"/peer/find/{luz.pk}/request/", {"message": "Hola"}).status_code == 302
    response = client.post(f"/peer/find/{cast.sam.pk}/request/", {"message": "Second thoughts"})
    assert response.status_code == 200
    html = page(response)
    assert "Second thoughts" in html
    assert "withdraw your waiting request" in html
    assert MatchRequest.objects.get(member=drew, status=MatchRequestStatus.PENDING).peer == luz
    response = client.post(f"/peer/find/{cast.sam.pk}/request/", {"message": "Second thoughts", "replace": "on"})
    assert response.status_code == 302
    assert MatchRequest.objects.get(member=drew, status=MatchRequestStatus.PENDING).peer == cast.sam


def test_a_member_cannot_ask_a_peer_the_rules_exclude(cast, signed_in):
    jamie = person("jamie.p")
    client = signed_in("kai")
    html = page(client.get(f"/peer/find/{jamie.pk}/request/"))
    assert "can't be asked right now" in html
    assert "Send my request" not in html
    response = client.post(f"/peer/find/{jamie.pk}/request/", {"message": "hi"})
    assert response.status_code == 200
    assert not MatchRequest.objects.exists()


def test_a_member_can_withdraw_their_request(cast, signed_in):
    drew = person("drew")
    ask = services.match_request_create(program=cast.harbor, member=drew, peer=person("luz"), requested_by=drew)
    client = signed_in("drew")
    assert client.post(f"/peer/requests/{ask.pk}/withdraw/").status_code == 302
    ask.refresh_from_db()
    assert ask.status == MatchRequestStatus.WITHDRAWN
    assert signed_in("kai").post(f"/peer/requests/{ask.pk}/withdraw/").status_code == 404


# --- the peer -----------------------------------------------------------------------------------


def test_peer_accepts_from_the_inbox_and_the_member_sees_their_new_peer(cast, signed_in, client_as):
    luz = person("luz")
    riley_page = client_as("riley")
    assert riley_page.post(f"/peer/find/{luz.pk}/request/", {"message": "Hoping for Spanish"}).status_code == 302
    inbox = signed_in("luz")
    html = page(inbox.get("/p/harbor/matches/requests/"))
    assert "riley" in html and "Hoping for Spanish" in html
    ask = MatchRequest.objects.get(member=cast.riley)
    assert inbox.post(f"/p/harbor/matches/requests/{ask.pk}/accept/").status_code == 302
    supporters = {link.supporter for link in CareTeamLink.objects.filter(member=cast.riley, ended_at__isnull=True)}
    assert luz in supporters and cast.sam not in supporters
    assert not CareTeamLink.objects.filter(member=cast.riley, supporter=cast.sam, ended_at__isnull=True).exists()
    assert "Luz H." in page(riley_page.get("/peer/find/"))
    # Sam's inbox never showed Luz's request.
    assert "Hoping for Spanish" not in page(client_as("sam").get("/p/harbor/matches/requests/"))


def test_decline_tells_the_member_kindly_and_shows_other_peers(cast, signed_in):
    drew, luz = person("drew"), person("luz")
    ask = services.match_request_create(program=cast.harbor, member=drew, peer=luz, requested_by=drew)
    response = signed_in("luz").post(f"/p/harbor/matches/requests/{ask.pk}/decline/", {"note": "Too far this month"})
    assert response.status_code == 302
    html = page(signed_in("drew").get("/peer/find/"))
    assert "never a judgement of you" in html
    assert "Too far this month" not in html
    assert "Ask Luz H." not in html
    assert "Ask Sam O." in html


def test_another_peer_cannot_answer_a_request(cast, signed_in, client_as):
    drew = person("drew")
    ask = services.match_request_create(program=cast.harbor, member=drew, peer=person("luz"), requested_by=drew)
    assert client_as("sam").post(f"/p/harbor/matches/requests/{ask.pk}/accept/").status_code == 404
    assert client_as("alex").post(f"/p/harbor/matches/requests/{ask.pk}/accept/").status_code == 403


# --- the admin ------------------------------------------------------------------------------------


def test_admin_requests_on_a_members_behalf_and_sees_why_others_are_not_suggested(cast, client_as):
    drew, luz = person("drew"), person("luz")
    admin = client_as("alex")
    html = page(admin.get(f"/p/harbor/people/{drew.pk}/match/"))
    assert "Luz H." in html and "Request Luz H." in html
    assert "their credential is not verified" not in html
    html = page(admin.get(f"/p/harbor/people/{drew.pk}/match/?why=1"))
    assert "Jamie P." in html and "their credential is not verified, or it has expired" in html
    assert AuditEvent.objects.filter(actor=cast.alex, subject=drew, action="viewed_match_suggestions").exists()
    response = admin.post(f"/p/harbor/people/{drew.pk}/match/", {"peer": str(luz.pk), "message": "From intake"})
    assert response.status_code == 302
    ask = MatchRequest.objects.get(member=drew)
    assert (ask.peer, ask.requested_by, ask.message) == (luz, cast.alex, "From intake")
    drew_client = Client()
    drew_client.force_login(drew)
    assert "Your program asked on your behalf." in page(drew_client.get("/peer/find/"))


def test_admin_request_errors_keep_the_note(cast, client_as):
    drew, jamie = person("drew"), person("jamie.p")
    admin = client_as("alex")
    refused = admin.post(f"/p/harbor/people/{drew.pk}/match/", {"peer": str(jamie.pk), "message": "Typed with care"})
    assert refused.status_code == 200
    assert "This peer cannot be matched" in page(refused)
    services.match_request_create(program=cast.harbor, member=drew, peer=person("luz"), requested_by=drew)
    waiting = admin.post(f"/p/harbor/people/{drew.pk}/match/", {"peer": str(cast.sam.pk), "message": "Typed with care"})
    assert waiting.status_code == 200
    html = page(waiting)
    assert "Confirm that the new one should replace it" in html
    assert ">Typed with care</textarea>" in html
    assert "Replace the member&#x27;s waiting request" in html


def test_exclusions_page_adds_removes_and_keeps_input_on_errors(cast, client_as):
    admin = client_as("alex")
    response = admin.post(
        "/p/harbor/matches/exclusions/", {"member": "nobody-here", "peer": "luz", "reason": "Cousins"}
    )
    assert response.status_code == 200
    html = page(response)
    assert "No member of this program has that handle" in html
    assert 'value="Cousins"' in html and 'value="nobody-here"' in html
    assert (
        admin.post("/p/harbor/matches/exclusions/", {"member": "drew", "peer": "luz", "reason": "Cousins"}).status_code
        == 302
    )
    exclusion = MatchExclusion.objects.get()
    assert "Cousins" in page(admin.get("/p/harbor/matches/exclusions/"))
    again = admin.post("/p/harbor/matches/exclusions/", {"member": "drew", "peer": "luz"})
    assert "already excluded" in page(again)
    assert admin.post(f"/p/harbor/matches/exclusions/{exclusion.pk}/remove/").status_code == 302
    assert not MatchExclusion.objects.exists()


def test_round_pages_propose_then_apply_on_approval(cast, client_as):
    admin = client_as("alex")
    html = page(admin.get("/p/harbor/matches/rounds/"))
    assert "2 members are waiting for a peer." in html
    response = admin.post("/p/harbor/matches/rounds/")
    assert response.status_code == 302
    html = page(admin.get(response["Location"]))
    assert "drew" in html and "Luz H." in html and "kai" in html
    assert not MatchRequest.objects.exists()
    matching_round = MatchRound.objects.get()
    # A second run while one is proposed is refused kindly.
    assert "Review the proposal" in page(admin.get("/p/harbor/matches/rounds/"))
    refused = admin.post("/p/harbor/matches/rounds/", follow=True)
    assert "Apply it or discard it" in page(refused)
    done = admin.post(f"/p/harbor/matches/rounds/{matching_round.pk}/apply/", follow=True)
    assert "2 requests went to peers" in page(done)
    assert MatchRequest.objects.filter(status=MatchRequestStatus.PENDING).count() == 2
    assert "Request sent" in page(done)


def test_round_page_shows_why_someone_was_left_out(cast, client_as):
    from alongside.peers.models import PeerProgramSettings

    MatchPreferences.objects.filter(user__handle="kai").update(remote_ok=False)
    PeerProgramSettings.objects.filter(program=cast.harbor).update(match_max_distance_km=5)
    admin = client_as("alex")
    location = admin.post("/p/harbor/matches/rounds/")["Location"]
    html = page(admin.get(location))
    assert "<strong>kai</strong>: no peer within 5 km, and phone or video does not suit them" in html
    assert "find a peer by hand" in html


# --- API ------------------------------------------------------------------------------------------


def api(client: Client, method: str, url: str, body=None):
    send = getattr(client, method)
    if body is None:
        return send(url)
    return send(url, data=json.dumps(body) if not isinstance(body, str) else body, content_type="application/json")


def test_api_member_suggests_requests_and_the_peer_accepts(cast, signed_in):
    drew, luz = person("drew"), person("luz")
    member = signed_in("drew")
    found = api(member, "get", "/api/v1/matches/suggestions").json()
    assert [s["display_name"] for s in found] == ["Luz H.", "Sam O."]
    assert {"code": "language", "value": "es", "text": "speaks Spanish"} in found[0]["reasons"]
    assert found[0]["fit"] == "strong"
    created = api(member, "post", "/api/v1/matches", {"peer_id": luz.pk, "message": "Hola"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "pending" and body["peer_name"] == "Luz H." and body["requested_by_member"] is True
    conflict = api(member, "post", "/api/v1/matches", {"peer_id": cast.sam.pk})
    assert conflict.status_code == 409 and conflict.json()["error"]["code"] == "pending_exists"
    peer = signed_in("luz")
    listed = api(peer, "get", "/api/v1/matches?program=harbor").json()["results"]
    assert [r["member_handle"] for r in listed] == ["drew"]
    accepted = api(peer, "post", f"/api/v1/matches/{body['id']}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    again = api(peer, "post", f"/api/v1/matches/{body['id']}/accept")
    assert again.status_code == 409
    assert CareTeamLink.objects.filter(member=drew, supporter=luz, ended_at__isnull=True).exists()


def test_api_decline_note_stays_private_to_the_peer_and_admins(cast, signed_in, client_as):
    drew, luz = person("drew"), person("luz")
    ask = services.match_request_create(program=cast.harbor, member=drew, peer=luz, requested_by=drew)
    declined = api(signed_in("luz"), "post", f"/api/v1/matches/{ask.pk}/decline", {"note": "Full"})
    assert declined.json()["decline_note"] == "Full"
    mine = api(signed_in("drew"), "get", "/api/v1/matches").json()["results"]
    assert mine[0]["status"] == "declined" and mine[0]["decline_note"] == ""
    everyone = api(client_as("alex"), "get", "/api/v1/matches?program=harbor").json()["results"]
    assert everyone[0]["decline_note"] == "Full"


def test_api_admin_suggestions_for_a_member_and_rounds(cast, client_as):
    admin = client_as("alex")
    drew = person("drew")
    found = api(admin, "get", f"/api/v1/matches/suggestions?program=harbor&member={drew.pk}")
    assert found.status_code == 200 and found.json()[0]["display_name"] == "Luz H."
    assert api(admin, "get", f"/api/v1/matches/suggestions?program=harbor&member={cast.sam.pk}").status_code == 404
    created = api(admin, "post", "/api/v1/matches/rounds", {"program": "harbor"})
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "proposed" and len(body["proposals"]) == 2
    assert api(admin, "post", "/api/v1/matches/rounds", {"program": "harbor"}).status_code == 409
    shown = api(admin, "get", f"/api/v1/matches/rounds/{body['id']}").json()
    assert shown["proposals"][0]["reasons"][0]["text"]
    applied = api(admin, "post", f"/api/v1/matches/rounds/{body['id']}/apply").json()
    assert applied["status"] == "applied" and applied["requested"] == 2
    assert {p["outcome"] for p in applied["proposals"]} == {"requested"}
    late = api(admin, "post", f"/api/v1/matches/rounds/{body['id']}/discard")
    assert late.status_code == 409


def test_api_preferences_round_trip_and_clear_errors(cast, signed_in):
    client = signed_in("kai")
    saved = api(
        client,
        "put",
        "/api/v1/me/match-preferences",
        {"looking": True, "city": "Nowhereville Flats", "availability": ["wed-evening"], "remote_ok": True},
    )
    assert saved.status_code == 200
    assert saved.json()["located"] is False and saved.json()["availability"] == ["wed-evening"]
    bad = api(client, "put", "/api/v1/me/match-preferences", {"availability": ["someday"], "gender": "robot"})
    assert bad.status_code == 422
    assert "gender" in bad.json()["error"]["fields"]
    bad_slot = api(client, "put", "/api/v1/me/match-preferences", {"availability": ["someday"]})
    assert bad_slot.status_code == 422 and "availability" in bad_slot.json()["error"]["fields"]
    assert api(client, "get", "/api/v1/me/match-preferences").json()["city"] == "Nowhereville Flats"


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("post", "/api/v1/matches", '"a string"'),
        ("post", "/api/v1/matches", {"peer_id": "luz"}),
        ("post", "/api/v1/matches", {"peer_id": 1, "surprise": True}),
        ("post", "/api/v1/matches", {"peer_id": 99999999}),
        ("post", "/api/v1/matches", {"peer_id": 1, "message": "x" * 600}),
        ("put", "/api/v1/me/match-preferences", "[]"),
        ("put", "/api/v1/me/match-preferences", {"lived_experience_wanted": "veteran"}),
        ("post", "/api/v1/matches/99999999/accept", None),
        ("post", "/api/v1/matches/rounds", {"program": "harbor"}),
        ("get", "/api/v1/matches/suggestions?member=abc", None),
        ("get", "/api/v1/matches/suggestions?program=nowhere", None),
    ],
)
def test_api_bad_input_gets_a_clear_error_never_a_500(cast, signed_in, method, url, body):
    response = api(signed_in("drew"), method, url, body)
    assert 400 <= response.status_code < 500, response.content
    assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_api_pending_request_holds_until_replaced(cast, signed_in):
    drew = person("drew")
    client = signed_in("drew")
    api(client, "post", "/api/v1/matches", {"peer_id": person("luz").pk})
    replaced = api(client, "post", "/api/v1/matches", {"peer_id": cast.sam.pk, "replace": True})
    assert replaced.status_code == 201
    assert MatchRequest.objects.filter(member=drew, status=MatchRequestStatus.WITHDRAWN).count() == 1
    withdrawn = api(client, "post", f"/api/v1/matches/{replaced.json()['id']}/withdraw")
    assert withdrawn.json()["status"] == "withdrawn"
    assert timezone.now() >= MatchRequest.objects.get(pk=replaced.json()["id"]).decided_at


def test_find_page_words_reasons_in_the_readers_language(cast, signed_in):
    client = signed_in("drew")
    client.cookies["django_language"] = "es"
    # The middleware activates Spanish on this thread; override puts English back after.
    with translation.override("en"):
        response = client.get("/peer/find/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert 'lang="es"' in page(response)
    # The catalogue comes later; Django's own already names the language and the weekday.
    reasons_html = page(response).split('class="reasons"')[1].split("</ul>")[0]
    assert "Español" in reasons_html
    assert "martes" in reasons_html
