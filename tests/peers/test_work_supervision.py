"""Supervision, the "I need supervision" flag, self-care checks and the program settings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from alongside.accounts.models import OutboundEmail, User
from alongside.accounts.services import membership_add
from alongside.lib.tz import local_date, zone_named
from alongside.peers import selectors, services
from alongside.peers.models import PeerProfile, PeerProgramSettings, SelfCareCheck, SupervisionSession


def _today():
    # Harbor's day (Los Angeles), which is the one a session date is checked against.
    return local_date(timezone.now(), zone_named("America/Los_Angeles"))


def _log(cast, peers, **kw):
    defaults = {
        "program": cast.harbor,
        "supervisor": cast.dana,
        "peer_ids": [p.pk for p in peers],
        "held_on": _today() - dt.timedelta(days=1),
        "duration_minutes": 60,
        "format": "individual" if len(peers) == 1 else "group",
        "topics": ["boundaries", "self_care"],
        "notes": "Talked about saying no kindly.",
    }
    return services.supervision_log(**{**defaults, **kw})


def test_supervisor_logs_an_individual_session_with_one_peer(cast):
    session = _log(cast, [cast.sam])
    assert list(session.peers.all()) == [cast.sam]
    assert session.topics == ["boundaries", "self_care"]


def test_an_individual_session_with_two_peers_is_refused(cast):
    luz = User.objects.get(handle="luz")
    with pytest.raises(ValidationError) as error:
        _log(cast, [cast.sam, luz], format="individual")
    assert "peers" in error.value.message_dict


def test_a_session_lists_only_peers_of_the_program(cast):
    quinn = User.objects.get(handle="quinn")  # a peer of another program
    with pytest.raises(ValidationError) as error:
        _log(cast, [quinn])
    assert "peers" in error.value.message_dict
    with pytest.raises(ValidationError):
        _log(cast, [cast.riley])  # a member, not a peer


def test_a_session_in_the_future_or_with_unknown_topics_is_refused(cast):
    with pytest.raises(ValidationError) as error:
        _log(cast, [cast.sam], held_on=_today() + dt.timedelta(days=3), topics=["gossip"])
    assert {"held_on", "topics"} <= set(error.value.message_dict)


def test_only_supervisors_log_sessions(cast):
    with pytest.raises(PermissionDenied):
        _log(cast, [cast.sam], supervisor=cast.alex)


def test_a_peer_asking_for_supervision_emails_their_supervisor_once(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.supervision_request(program=cast.harbor, peer=cast.sam)
        services.supervision_request(program=cast.harbor, peer=cast.sam)
    profile = PeerProfile.objects.get(program=cast.harbor, user=cast.sam)
    assert profile.needs_supervision_since is not None
    emails = OutboundEmail.objects.filter(idempotency_key__startswith="supervision-request:")
    assert [e.to for e in emails] == [cast.dana.email]
    assert "sam" in emails[0].subject


def test_a_peer_with_no_named_supervisor_reaches_every_supervisor(cast, django_capture_on_commit_callbacks):
    jamie = User.objects.get(handle="jamie.p")
    other = User.objects.create_user(email="robin@example.org", handle="robin")
    membership_add(user=other, program=cast.harbor, role="supervisor")
    with django_capture_on_commit_callbacks(execute=True):
        services.supervision_request(program=cast.harbor, peer=jamie)
    emails = OutboundEmail.objects.filter(idempotency_key__startswith="supervision-request:")
    assert sorted(e.to for e in emails) == sorted([cast.dana.email, other.email])


def test_a_peer_without_a_profile_gets_one_when_they_ask(cast):
    newcomer = User.objects.create_user(email="nova@example.org", handle="nova")
    membership_add(user=newcomer, program=cast.harbor, role="peer")
    profile = services.supervision_request(program=cast.harbor, peer=newcomer)
    assert profile.display_name == "nova"
    assert profile.needs_supervision_since is not None


def test_logging_a_session_with_the_peer_clears_their_request(cast):
    services.supervision_request(program=cast.harbor, peer=cast.sam)
    _log(cast, [cast.sam])
    assert PeerProfile.objects.get(program=cast.harbor, user=cast.sam).needs_supervision_since is None


def test_a_supervisor_can_mark_a_request_answered_only_for_their_team(cast):
    services.supervision_request(program=cast.harbor, peer=cast.sam)
    assert services.supervision_request_clear(program=cast.harbor, supervisor=cast.dana, peer=cast.sam)
    other = User.objects.create_user(email="robin@example.org", handle="robin")
    membership_add(user=other, program=cast.harbor, role="supervisor")
    with pytest.raises(PermissionDenied):  # Sam names Dana: not Robin's team
        services.supervision_request_clear(program=cast.harbor, supervisor=other, peer=cast.sam)


def test_team_is_named_peers_plus_peers_nobody_supervises(cast):
    luz, jamie = User.objects.get(handle="luz"), User.objects.get(handle="jamie.p")
    other = User.objects.create_user(email="robin@example.org", handle="robin")
    membership_add(user=other, program=cast.harbor, role="supervisor")
    assert selectors.work_team_peer_ids(cast.harbor, cast.dana) == {cast.sam.pk, luz.pk, jamie.pk}
    assert selectors.work_team_peer_ids(cast.harbor, other) == {jamie.pk}


def test_a_peer_sees_the_sessions_they_attended_and_group_notes(cast, client_as):
    jamie = User.objects.get(handle="jamie.p")
    _log(cast, [jamie], notes="Jamie's own session.")
    response = client_as("sam").get("/p/harbor/peers/supervision/")
    assert response.status_code == 200
    sessions = list(response.context["sessions"])
    assert len(sessions) == 1 and sessions[0].format == "group"
    assert "jamie.p" not in response.content.decode()
    detail = client_as("sam").get(f"/p/harbor/peers/supervision/{sessions[0].pk}/")
    assert "holiday-season stress" in detail.content.decode()


def test_a_peer_cannot_open_a_session_they_did_not_attend(cast, client_as):
    jamie = User.objects.get(handle="jamie.p")
    session = _log(cast, [jamie])
    assert client_as("sam").get(f"/p/harbor/peers/supervision/{session.pk}/").status_code == 403


def test_supervisor_logs_a_session_on_the_page_and_keeps_input_on_errors(cast, client_as):
    client = client_as("dana")
    luz = User.objects.get(handle="luz")
    bad = client.post(
        "/p/harbor/peers/supervision/new/",
        {
            "peers": [cast.sam.pk, luz.pk],
            "held_on": _today().isoformat(),
            "duration_minutes": "45",
            "format": "individual",
            "topics": ["boundaries"],
            "notes": "Kept notes",
        },
    )
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "An individual session is with one peer" in body
    assert "Kept notes" in body and 'value="45"' in body
    good = client.post(
        "/p/harbor/peers/supervision/new/",
        {
            "peers": [cast.sam.pk],
            "held_on": _today().isoformat(),
            "duration_minutes": "45",
            "format": "individual",
            "topics": ["boundaries"],
        },
    )
    assert good.status_code == 302
    assert SupervisionSession.objects.filter(program=cast.harbor, duration_minutes=45).exists()


def test_peer_asks_for_supervision_from_the_page(cast, client_as):
    response = client_as("sam").post("/p/harbor/peers/supervision/request/")
    assert response.status_code == 302
    page = client_as("dana").get("/p/harbor/peers/supervision/")
    assert [p.user for p in page.context["needs"]] == [cast.sam]


def test_self_care_checks_are_private_unless_shared(cast, client_as):
    services.self_care_record(program=cast.harbor, peer=cast.sam, energy=2, stress=4, note="Heavy week")
    services.self_care_record(
        program=cast.harbor, peer=cast.sam, energy=3, stress=3, note="Better", shared_with_supervisor=True
    )
    mine = client_as("sam").get("/p/harbor/peers/self-care/")
    assert len(mine.context["history"]) == 2
    shared = client_as("dana").get("/p/harbor/peers/supervision/").context["shared_checks"]
    assert [c.note for c in shared] == ["Better"]


def test_self_care_check_out_of_range_is_refused_and_keeps_the_note(cast, client_as):
    with pytest.raises(ValidationError):
        services.self_care_record(program=cast.harbor, peer=cast.sam, energy=0, stress=6)
    response = client_as("sam").post("/p/harbor/peers/self-care/", {"energy": "9", "stress": "2", "note": "Tired"})
    assert response.status_code == 200
    assert "Tired" in response.content.decode()
    assert not SelfCareCheck.objects.exists()


def test_admin_saves_program_settings_and_bad_values_are_explained(cast, client_as):
    client = client_as("alex")
    bad = client.post(
        "/p/harbor/peers/settings/",
        {
            "supervision_minutes": "5",
            "supervision_every_days": "14",
            "match_max_distance_km": "40",
            "missed_calls_alert_after": "3",
        },
    )
    assert bad.status_code == 200 and bad.context["form"].errors
    good = client.post(
        "/p/harbor/peers/settings/",
        {
            "supervision_minutes": "90",
            "supervision_every_days": "30",
            "credentials_required": "on",
            "match_max_distance_km": "25",
            "missed_calls_alert_after": "4",
        },
    )
    assert good.status_code == 302
    saved = PeerProgramSettings.objects.get(program=cast.harbor)
    assert (saved.supervision_minutes, saved.supervision_every_days, saved.missed_calls_alert_after) == (90, 30, 4)


def test_settings_are_made_on_first_use(cast):
    PeerProgramSettings.objects.filter(program=cast.harbor).delete()
    row = services.peer_settings_for(cast.harbor)
    assert row.pk and row.supervision_minutes == 60
