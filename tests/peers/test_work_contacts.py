"""Contact notes (encounters): who logs, who reads, audit, follow-up reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from alongside.accounts.demo import DEMO_TOTP_SECRET
from alongside.accounts.models import AuditEvent, OutboundEmail, User
from alongside.accounts.services import care_team_link, membership_add
from alongside.lib.tz import local_date, zone_of
from alongside.peers import selectors, services
from alongside.peers.models import Encounter, PeerProfile
from alongside.recovery.models import Goal


def _log(cast, **kw):
    defaults = {
        "program": cast.harbor,
        "peer": cast.sam,
        "member": cast.riley,
        "occurred_at": timezone.now() - dt.timedelta(hours=2),
        "duration_minutes": 25,
        "mode": "phone",
        "topics": ["cravings"],
        "summary": "Talked through the weekend plan.",
    }
    return services.encounter_log(**{**defaults, **kw})


def _membership(cast, user):
    return user.memberships.get(program=cast.harbor)


def test_peer_logs_a_contact_with_a_shared_goal(cast):
    goal = Goal.objects.get(user=cast.riley, shared_with_peer=True)
    note = _log(cast, goal_ids=[goal.pk], follow_up_on=local_date(timezone.now(), zone_of(cast.sam)))
    assert list(note.goals_touched.all()) == [goal]


def test_a_goal_the_member_keeps_private_cannot_be_touched(cast):
    private = Goal.objects.create(user=cast.riley, title="Private goal", shared_with_peer=False)
    with pytest.raises(ValidationError) as error:
        _log(cast, goal_ids=[private.pk])
    assert "goals" in error.value.message_dict


def test_contact_in_the_future_or_with_a_follow_up_before_it_is_refused(cast):
    with pytest.raises(ValidationError) as error:
        _log(cast, occurred_at=timezone.now() + dt.timedelta(days=1))
    assert "occurred_at" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _log(cast, occurred_at=timezone.now() - dt.timedelta(days=5), follow_up_on=dt.date(2000, 1, 1))
    assert "follow_up_on" in error.value.message_dict


def test_a_peer_cannot_log_a_contact_with_someone_they_do_not_walk_with(cast):
    luz = User.objects.get(handle="luz")
    with pytest.raises(PermissionDenied):
        _log(cast, peer=luz)


def test_peer_sees_only_their_own_notes(cast):
    luz = User.objects.get(handle="luz")
    care_team_link(program=cast.harbor, member=cast.riley, supporter=luz, relation="peer")
    _log(cast, peer=luz, summary="Luz's note")
    mine = selectors.encounters_for_member(cast.sam, _membership(cast, cast.sam), cast.riley.pk).notes
    assert {n.peer for n in mine} == {cast.sam}
    luz_sees = selectors.encounters_for_member(luz, _membership(cast, luz), cast.riley.pk).notes
    assert [n.summary for n in luz_sees] == ["Luz's note"]


def test_supervisor_sees_only_their_teams_contact_notes(cast):
    other = User.objects.create_user(email="robin@example.org", handle="robin")
    membership_add(user=other, program=cast.harbor, role="supervisor")
    TOTP.activate(other, DEMO_TOTP_SECRET)  # staff read member data only with two-factor sign-in
    jamie = User.objects.get(handle="jamie.p")
    PeerProfile.objects.filter(program=cast.harbor, user=jamie).update(supervisor=other)
    care_team_link(program=cast.harbor, member=cast.riley, supporter=jamie, relation="peer")
    _log(cast, peer=jamie, summary="Jamie's note")
    dana_sees = selectors.encounters_for_member(cast.dana, _membership(cast, cast.dana), cast.riley.pk).notes
    assert "Jamie's note" not in {n.summary for n in dana_sees}
    assert {n.peer for n in dana_sees} == {cast.sam}
    robin_sees = selectors.encounters_for_member(other, _membership(cast, other), cast.riley.pk).notes
    assert [n.summary for n in robin_sees] == ["Jamie's note"]


def test_every_read_of_a_members_notes_is_audited(cast, client_as):
    before = AuditEvent.objects.filter(subject=cast.riley, action="viewed_contact_notes").count()
    assert client_as("sam").get(f"/p/harbor/people/{cast.riley.pk}/contacts/").status_code == 200
    assert client_as("dana").get(f"/p/harbor/people/{cast.riley.pk}/contacts/").status_code == 200
    events = AuditEvent.objects.filter(subject=cast.riley, action="viewed_contact_notes")
    assert events.count() == before + 2
    assert {e.actor_id for e in events} >= {cast.sam.pk, cast.dana.pk}


def test_admins_members_and_allies_do_not_read_contact_notes(cast, client_as):
    for persona in ("alex", "riley", "jordan"):
        assert client_as(persona).get(f"/p/harbor/people/{cast.riley.pk}/contacts/").status_code == 403
    assert client_as("casey").get(f"/p/harbor/people/{cast.riley.pk}/contacts/").status_code == 404
    assert not AuditEvent.objects.filter(actor=cast.alex, action="viewed_contact_notes").exists()


def test_only_the_author_edits_a_note(cast):
    note = _log(cast)
    luz = User.objects.get(handle="luz")
    with pytest.raises(PermissionDenied):
        services.encounter_update(
            encounter=note,
            editor=luz,
            occurred_at=note.occurred_at,
            duration_minutes=10,
            mode="video",
            topics=[],
            goal_ids=[],
            referrals="",
            summary="",
            next_step="",
            follow_up_on=None,
        )
    with pytest.raises(PermissionDenied):
        selectors.get_encounter_for(cast.dana, _membership(cast, cast.dana), note.pk, editing=True)


def test_contact_page_reads_date_and_time_in_the_peers_zone_and_keeps_input_on_errors(cast, client_as):
    client = client_as("sam")
    day = local_date(timezone.now(), zone_of(cast.sam)) - dt.timedelta(days=1)
    bad = client.post(
        f"/p/harbor/people/{cast.riley.pk}/contacts/new/",
        {
            "occurred_on": (day + dt.timedelta(days=5)).isoformat(),
            "occurred_time": "09:15",
            "duration_minutes": "30",
            "mode": "in_person",
            "summary": "Coffee and a walk",
        },
    )
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "cannot be in the future" in body and "Coffee and a walk" in body
    good = client.post(
        f"/p/harbor/people/{cast.riley.pk}/contacts/new/",
        {
            "occurred_on": day.isoformat(),
            "occurred_time": "09:15",
            "duration_minutes": "30",
            "mode": "in_person",
            "summary": "Coffee and a walk",
        },
    )
    assert good.status_code == 302
    note = Encounter.objects.get(summary="Coffee and a walk")
    local = note.occurred_at.astimezone(zone_of(cast.sam))
    assert (local.date(), local.hour, local.minute) == (day, 9, 15)


def test_the_form_says_notes_are_non_clinical(cast, client_as):
    page = client_as("sam").get(f"/p/harbor/people/{cast.riley.pk}/contacts/new/")
    assert "No diagnoses" in page.content.decode() or "no diagnoses" in page.content.decode().lower()


def test_follow_up_reminders_go_out_once_on_the_day_in_the_peers_zone(cast, django_capture_on_commit_callbacks):
    Encounter.objects.all().delete()
    zone = zone_of(cast.sam)  # America/Los_Angeles
    now = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)  # 05:00 in Los Angeles on 10 March
    note = _log(cast, occurred_at=now - dt.timedelta(days=2), follow_up_on=dt.date(2026, 3, 11), now=now)
    with django_capture_on_commit_callbacks(execute=True):
        # 02:00 UTC on the 11th is still the 10th in Los Angeles: not yet.
        assert services.encounter_followups_send(now=dt.datetime(2026, 3, 11, 2, 0, tzinfo=dt.UTC)) == 0
        morning = dt.datetime(2026, 3, 11, 8, 0, tzinfo=zone)
        assert services.encounter_followups_send(now=morning) == 1
        assert services.encounter_followups_send(now=morning + dt.timedelta(hours=3)) == 0
    note.refresh_from_db()
    assert note.follow_up_reminded_at is not None
    emails = OutboundEmail.objects.filter(idempotency_key__startswith="encounter-follow-up:")
    assert [e.to for e in emails] == [cast.sam.email]


def test_a_done_follow_up_is_not_reminded_and_a_new_date_is(cast, django_capture_on_commit_callbacks):
    Encounter.objects.all().delete()
    now = dt.datetime(2026, 3, 10, 20, 0, tzinfo=dt.UTC)
    note = _log(cast, occurred_at=now - dt.timedelta(days=1), follow_up_on=dt.date(2026, 3, 10), now=now)
    services.encounter_follow_up_done(encounter=note, actor=cast.sam, now=now)
    assert services.encounter_followups_send(now=now) == 0
    services.encounter_update(
        encounter=note,
        editor=cast.sam,
        occurred_at=note.occurred_at,
        duration_minutes=note.duration_minutes,
        mode=note.mode,
        topics=note.topics,
        goal_ids=[],
        referrals="",
        summary=note.summary,
        next_step="Check in after court",
        follow_up_on=dt.date(2026, 3, 12),
        now=now,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.encounter_followups_send(now=dt.datetime(2026, 3, 12, 18, 0, tzinfo=dt.UTC)) == 1


def test_mark_follow_up_done_from_the_caseload(cast, client_as):
    note = _log(cast, follow_up_on=local_date(timezone.now(), zone_of(cast.sam)))
    caseload = client_as("sam").get("/p/harbor/caseload/")
    assert note in caseload.context["follow_ups"]
    response = client_as("sam").post(f"/p/harbor/contacts/{note.pk}/follow-up-done/", {"next": "caseload"})
    assert response.status_code == 302 and response["Location"] == "/p/harbor/caseload/"
    note.refresh_from_db()
    assert note.follow_up_done_at is not None
