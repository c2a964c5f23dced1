"""Scheduled check-in calls: the member's plan, the peer's list, outcomes and the
missed-calls alert."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alongside.accounts.models import User
from alongside.lib.tz import zone_named
from alongside.peers import selectors, services
from alongside.peers.models import CallAttempt, CallPlan, PeerProgramSettings
from alongside.safety.models import Alert, AlertKind

LA = zone_named("America/Los_Angeles")
# Thursday 5 March 2026, 19:00 in Los Angeles (Riley's plan is Thursdays at 18:30).
THURSDAY = dt.datetime(2026, 3, 5, 19, 0, tzinfo=LA)


def _week(n: int) -> dt.datetime:
    return THURSDAY + dt.timedelta(weeks=n)


def _plan(cast) -> CallPlan:
    return CallPlan.objects.get(member=cast.riley, active=True)


def _record(cast, outcome: str, week: int) -> CallAttempt:
    return services.call_attempt_record(plan=_plan(cast), peer=cast.sam, outcome=outcome, now=_week(week))


def _membership(cast, user):
    return user.memberships.get(program=cast.harbor)


def test_the_call_list_has_todays_calls_in_the_members_zone(cast):
    rows = selectors.calls_today_for(cast.sam, _membership(cast, cast.sam), now=THURSDAY)
    assert [row.member for row in rows] == [cast.riley]
    assert rows[0].due_on == dt.date(2026, 3, 5) and rows[0].attempt is None
    # 02:00 UTC on Friday is still Thursday evening in Los Angeles.
    late = dt.datetime(2026, 3, 6, 2, 0, tzinfo=dt.UTC)
    assert len(selectors.calls_today_for(cast.sam, _membership(cast, cast.sam), now=late)) == 1
    wednesday = THURSDAY - dt.timedelta(days=1)
    assert selectors.calls_today_for(cast.sam, _membership(cast, cast.sam), now=wednesday) == []


def test_a_recorded_call_shows_its_outcome_and_cannot_be_recorded_twice(cast):
    _record(cast, "reached", 0)
    (row,) = selectors.calls_today_for(cast.sam, _membership(cast, cast.sam), now=THURSDAY)
    assert row.attempt is not None and row.attempt.outcome == "reached"
    with pytest.raises(services.AlreadyRecorded):
        _record(cast, "no_answer", 0)


def test_a_call_made_a_day_late_counts_for_the_day_it_was_due(cast):
    attempt = services.call_attempt_record(
        plan=_plan(cast), peer=cast.sam, outcome="reached", now=THURSDAY + dt.timedelta(days=1)
    )
    assert attempt.due_on == dt.date(2026, 3, 5)


def test_voicemail_is_refused_when_the_member_did_not_allow_it(cast):
    morgan = User.objects.get(handle="morgan_k")
    plan = services.call_plan_save(
        program=cast.harbor,
        member=morgan,
        weekday=3,
        call_time=dt.time(10, 0),
        phone="714-555-0100",
        voicemail_ok=False,
    )
    with pytest.raises(ValidationError) as error:
        services.call_attempt_record(plan=plan, peer=cast.sam, outcome="voicemail", now=THURSDAY)
    assert "outcome" in error.value.message_dict
    assert not CallAttempt.objects.filter(plan=plan).exists()


def test_the_voicemail_button_is_offered_only_when_allowed(cast, client_as):
    morgan = User.objects.get(handle="morgan_k")
    services.call_plan_save(
        program=cast.harbor,
        member=morgan,
        weekday=3,
        call_time=dt.time(10, 0),
        phone="714-555-0100",
        voicemail_ok=False,
    )
    rows = selectors.calls_today_for(cast.sam, _membership(cast, cast.sam), now=THURSDAY)
    assert {row.member.handle: row.plan.voicemail_ok for row in rows} == {"riley": True, "morgan_k": False}


def test_three_missed_calls_in_a_row_raise_one_concern_alert(cast):
    _record(cast, "no_answer", 0)
    _record(cast, "voicemail", 1)  # voicemail: not reached, so missed
    assert not Alert.objects.filter(kind=AlertKind.MISSED_CALLS).exists()
    _record(cast, "no_answer", 2)
    alerts = Alert.objects.filter(kind=AlertKind.MISSED_CALLS, subject=cast.riley)
    assert alerts.count() == 1
    assert alerts.get().severity == 1
    _record(cast, "no_answer", 3)  # the same streak goes on: no second alert
    assert alerts.count() == 1


def test_a_reached_call_resets_the_streak(cast):
    _record(cast, "no_answer", 0)
    _record(cast, "no_answer", 1)
    _record(cast, "reached", 2)
    _record(cast, "no_answer", 3)
    _record(cast, "no_answer", 4)
    assert not Alert.objects.filter(kind=AlertKind.MISSED_CALLS).exists()
    _record(cast, "no_answer", 5)  # a new streak of three: a new alert
    assert Alert.objects.filter(kind=AlertKind.MISSED_CALLS).count() == 1


def test_the_threshold_is_the_programs(cast):
    PeerProgramSettings.objects.filter(program=cast.harbor).update(missed_calls_alert_after=2)
    _record(cast, "no_answer", 0)
    _record(cast, "no_answer", 1)
    assert Alert.objects.filter(kind=AlertKind.MISSED_CALLS).count() == 1


def test_only_the_members_peer_records_calls(cast):
    luz = User.objects.get(handle="luz")
    with pytest.raises(PermissionDenied):
        services.call_attempt_record(plan=_plan(cast), peer=luz, outcome="reached", now=THURSDAY)


def test_member_sets_pauses_and_restarts_their_calls(cast, client_as):
    client = client_as("riley")
    page = client.get("/peer/calls/")
    assert page.status_code == 200 and "Thursday" in page.content.decode()
    response = client.post(
        "/peer/calls/", {"weekday": "1", "call_time": "17:45", "phone": "714 555 0142", "voicemail_ok": ""}
    )
    assert response.status_code == 302
    plan = CallPlan.objects.get(member=cast.riley, active=True)
    assert (plan.weekday, plan.call_time, plan.voicemail_ok) == (1, dt.time(17, 45), False)
    assert client.post("/peer/calls/pause/").status_code == 302
    assert not CallPlan.objects.filter(member=cast.riley, active=True).exists()
    client.post("/peer/calls/", {"weekday": "4", "call_time": "09:00", "phone": "714 555 0142"})
    assert CallPlan.objects.filter(member=cast.riley).count() == 1  # the same plan, started again
    assert CallPlan.objects.get(member=cast.riley).active


def test_a_bad_phone_number_is_explained_and_the_form_keeps_what_was_typed(cast, client_as):
    response = client_as("riley").post("/peer/calls/", {"weekday": "2", "call_time": "08:00", "phone": "call me"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "7 to 15 digits" in body and 'value="call me"' in body


def test_the_phone_defaults_to_the_one_on_the_account(cast, client_as):
    CallPlan.objects.filter(member=cast.riley).delete()
    User.objects.filter(pk=cast.riley.pk).update(phone="714-555-0177")
    page = client_as("riley").get("/peer/calls/")
    assert page.context["form"].initial["phone"] == "714-555-0177"


def test_peer_records_a_call_from_the_caseload_page(cast, client_as):
    plan = _plan(cast)
    response = client_as("sam").post(f"/p/harbor/calls/{plan.pk}/record/", {"outcome": "reached", "note": "Good talk"})
    assert response.status_code == 302
    assert CallAttempt.objects.get(plan=plan).note == "Good talk"
