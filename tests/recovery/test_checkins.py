"""Daily check-ins: one per local day, risk rules that raise alerts, note screening,
missed check-ins and reminders."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from alongside.accounts.models import Membership, OutboundEmail
from alongside.recovery import selectors, services
from alongside.recovery.models import CheckIn, RecoveryProfile, ReminderSent
from alongside.safety.models import Alert, AlertKind, Severity
from alongside.safety.selectors import alert_queue_for

LA = ZoneInfo("America/Los_Angeles")
NOW = dt.datetime(2025, 6, 15, 18, 0, tzinfo=LA)  # before any of the demo's check-ins
CRISIS_NOTE = "I want to kill myself tonight"


def record(user, now=NOW, **values):
    values = {"mood": 3, "craving": 2, **values}
    return services.checkin_record(user=user, now=now, **values)


def risk_alerts(user):
    return Alert.objects.filter(subject=user, kind=AlertKind.CHECKIN_RISK)


# --- one per local day ------------------------------------------------------------------------------


def test_second_checkin_same_day_edits_the_first(cast):
    first = record(cast.riley, mood=2, craving=3, note="Long shift.")
    second = record(cast.riley, now=NOW + dt.timedelta(hours=3), mood=4, craving=1, triggers=["stress"])
    assert first.created is True
    assert second.created is False
    assert second.checkin.pk == first.checkin.pk
    stored = CheckIn.objects.get(pk=first.checkin.pk)
    assert (stored.mood, stored.craving, stored.triggers, stored.note) == (4, 1, ["stress"], "")
    assert stored.created_at == NOW
    assert CheckIn.objects.filter(user=cast.riley, local_date=dt.date(2025, 6, 15)).count() == 1


@pytest.mark.parametrize(
    ("zone", "expected_days"),
    [
        # 09:00 and 10:30 UTC are 23:00 on the 15th and 00:30 on the 16th in Kiritimati (UTC+14)...
        ("Pacific/Kiritimati", [dt.date(2025, 6, 16), dt.date(2025, 6, 15)]),
        # ...and 22:00 and 23:30 on the 14th in Pago Pago (UTC-11): the same day.
        ("Pacific/Pago_Pago", [dt.date(2025, 6, 14)]),
    ],
)
def test_the_day_boundary_is_the_members_local_midnight(cast, zone, expected_days):
    riley = cast.riley
    riley.time_zone = zone
    riley.save(update_fields=["time_zone"])
    record(riley, now=dt.datetime(2025, 6, 15, 9, 0, tzinfo=dt.UTC), mood=2)
    record(riley, now=dt.datetime(2025, 6, 15, 10, 30, tzinfo=dt.UTC), mood=4)
    days = list(CheckIn.objects.filter(user=riley, local_date__year=2025).values_list("local_date", flat=True))
    assert days == expected_days


def test_triggers_are_kept_once_in_list_order(cast):
    result = record(cast.riley, triggers=["sleep", "stress", "sleep", "people"])
    assert result.checkin.triggers == ["people", "stress", "sleep"]


# --- validation -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"mood": 0}, "mood"),
        ({"mood": 6}, "mood"),
        ({"craving": -1}, "craving"),
        ({"craving": 11}, "craving"),
        ({"sleep_quality": 0}, "sleep_quality"),
        ({"triggers": ["weather"]}, "triggers"),
        ({"used_what": "beer"}, "used_what"),
    ],
)
def test_out_of_range_values_are_refused_with_a_message_for_the_field(cast, values, field):
    with pytest.raises(ValidationError) as error:
        record(cast.riley, **values)
    assert set(error.value.message_dict) == {field}
    assert not CheckIn.objects.filter(user=cast.riley, local_date=dt.date(2025, 6, 15)).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"mood": "9", "craving": "2"}, "mood"),
        ({"mood": "abc", "craving": "2"}, "mood"),
        ({"mood": "3", "craving": "11"}, "craving"),
        ({"mood": "3", "craving": "-1"}, "craving"),
        ({"mood": "3", "craving": "2", "sleep_quality": "7"}, "sleep_quality"),
        ({"mood": "3", "craving": "2", "triggers": ["weather"]}, "triggers"),
        ({"mood": "3", "craving": "2", "used_what": "beer"}, "used_what"),
        ({"craving": "2"}, "mood"),
    ],
)
def test_a_rejected_checkin_page_keeps_the_input_and_shows_the_error(cast, client_as, data, field):
    before = CheckIn.objects.filter(user=cast.riley).count()
    response = client_as("riley").post("/checkin/", {**data, "note": "my own words"})
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    html = response.content.decode()
    assert 'class="error"' in html
    assert 'value="my own words"' in html
    assert CheckIn.objects.filter(user=cast.riley).count() == before


def test_the_checkin_page_prefills_todays_checkin_to_edit(cast, client_as):
    riley = client_as("riley")
    assert riley.post("/checkin/", {"mood": "4", "craving": "1", "note": "Good meeting."}).status_code == 200
    page = riley.get("/checkin/")
    assert page.context["editing"] is True
    assert page.context["form"].initial["note"] == "Good meeting."


# --- risk rules raise alerts ----------------------------------------------------------------------------


def test_an_ordinary_checkin_raises_no_alert(cast):
    before = Alert.objects.count()
    result = record(cast.riley, mood=3, craving=4, note="Long shift, tired.")
    assert result.alerts == []
    assert result.reasons == []
    assert result.show_crisis_lines is False
    assert Alert.objects.count() == before


def test_reported_use_raises_a_concern_with_the_reason(cast):
    result = record(cast.riley, used_today=True, used_what="beer")
    [alert] = result.alerts
    assert (alert.kind, alert.severity, alert.program) == (AlertKind.CHECKIN_RISK, Severity.CONCERN, cast.harbor)
    assert alert.reasons == [{"rule": "use_reported", "phrase": "used today (beer)"}]
    assert alert.source_url == f"/p/harbor/people/{cast.riley.pk}/recovery/"


def test_craving_at_the_programs_threshold_raises_an_alert(cast):
    assert [r.rule for r in record(cast.riley, craving=8).reasons] == ["craving_high"]
    assert risk_alerts(cast.riley).count() == 1


def test_a_changed_craving_threshold_is_obeyed(cast):
    assert record(cast.riley, craving=6).alerts == []
    services.recovery_settings_update(program=cast.harbor, craving_alert_at=6)
    later = record(cast.riley, now=NOW + dt.timedelta(days=1), craving=6)
    assert [a.reasons for a in later.alerts] == [[{"rule": "craving_high", "phrase": "craving 6 of 10"}]]
    services.recovery_settings_update(program=cast.harbor, craving_alert_at=10)
    assert record(cast.riley, now=NOW + dt.timedelta(days=2), craving=9).alerts == []


def test_asking_for_outreach_raises_an_alert_that_asks_for_a_message(cast):
    [alert] = record(cast.riley, wants_outreach=True).alerts
    assert alert.reasons == [{"rule": "asked_for_outreach", "phrase": "asked their peer to reach out"}]
    assert alert.contact_preference == "message"


def test_mood_1_two_days_running_raises_an_alert(cast):
    assert record(cast.riley, now=NOW - dt.timedelta(days=1), mood=1).alerts == []
    [alert] = record(cast.riley, mood=1).alerts
    assert alert.reasons[0]["rule"] == "low_mood_run"


def test_mood_1_with_a_day_between_raises_no_alert(cast):
    record(cast.riley, now=NOW - dt.timedelta(days=2), mood=1)
    assert record(cast.riley, mood=1).alerts == []


def test_resubmitting_the_same_risky_checkin_raises_one_alert(cast):
    record(cast.riley, craving=9)
    again = record(cast.riley, now=NOW + dt.timedelta(minutes=5), craving=9)
    assert len(again.alerts) == 1
    assert risk_alerts(cast.riley).count() == 1


def test_the_alert_reaches_sams_queue(cast):
    [alert] = record(cast.riley, used_today=True).alerts
    sam_membership = Membership.objects.get(user=cast.sam, program=cast.harbor)
    assert alert in alert_queue_for(cast.sam, sam_membership)


def test_a_member_in_no_program_is_never_alerted_about(cast):
    Membership.objects.filter(user=cast.riley).delete()
    result = record(cast.riley, craving=10, used_today=True)
    assert result.alerts == []
    assert not risk_alerts(cast.riley).exists()


# --- what the person wrote ----------------------------------------------------------------------------------


def test_a_crisis_note_raises_a_crisis_alert_for_sam(cast):
    result = record(cast.riley, note=CRISIS_NOTE)
    assert result.show_crisis_lines
    crisis = [a for a in result.alerts if a.kind == AlertKind.CRISIS_TEXT]
    assert len(crisis) == 1 and crisis[0].severity == Severity.CRISIS
    sam_membership = Membership.objects.get(user=cast.sam, program=cast.harbor)
    assert crisis[0] in alert_queue_for(cast.sam, sam_membership)


def test_a_crisis_note_shows_the_crisis_lines_on_the_done_page(cast, client_as):
    response = client_as("riley").post("/checkin/", {"mood": "1", "craving": "3", "note": CRISIS_NOTE})
    assert response.status_code == 200
    html = response.content.decode()
    assert "We are here with you" in html
    assert "988" in html
    assert Alert.objects.filter(subject=cast.riley, kind=AlertKind.CRISIS_TEXT).count() == 1


def test_an_ordinary_note_shows_no_crisis_lines(cast, client_as):
    response = client_as("riley").post("/checkin/", {"mood": "4", "craving": "1", "note": "Good meeting tonight."})
    assert response.status_code == 200
    assert "Thank you for checking in" in response.content.decode()
    assert response.context["result"].show_crisis_lines is False


def test_screening_a_resubmitted_note_raises_one_alert(cast):
    record(cast.riley, note=CRISIS_NOTE)
    again = record(cast.riley, now=NOW + dt.timedelta(minutes=2), note=CRISIS_NOTE)
    assert again.show_crisis_lines
    assert Alert.objects.filter(subject=cast.riley, kind=AlertKind.CRISIS_TEXT).count() == 1


# --- missed check-ins ------------------------------------------------------------------------------------------


def _history(user, last: dt.date, days: list[int]) -> None:
    CheckIn.objects.filter(user=user).delete()
    CheckIn.objects.bulk_create(
        CheckIn(user=user, local_date=last - dt.timedelta(days=back), mood=3, craving=2) for back in days
    )


def _missed(user):
    return Alert.objects.filter(subject=user, source_key__startswith="missed-checkins:")


def test_a_member_with_a_habit_gets_one_alert_for_a_gap(cast):
    last = dt.date(2025, 6, 10)
    _history(cast.riley, last, list(range(14)))
    # 11, 12, 13 June missed; it is the 14th, which is not over yet.
    assert services.missed_checkins_scan(now=dt.datetime(2025, 6, 14, 9, 0, tzinfo=LA)) == 1
    [alert] = _missed(cast.riley)
    assert (alert.kind, alert.severity, alert.program) == (AlertKind.CHECKIN_RISK, Severity.CONCERN, cast.harbor)
    assert alert.reasons == [{"rule": "missed_checkins", "phrase": "no check-in for 3 days"}]


def test_two_missed_days_are_not_yet_a_gap(cast):
    _history(cast.riley, dt.date(2025, 6, 10), list(range(14)))
    assert services.missed_checkins_scan(now=dt.datetime(2025, 6, 13, 23, 0, tzinfo=LA)) == 0
    assert not _missed(cast.riley).exists()


def test_scanning_twice_still_raises_one_alert(cast):
    _history(cast.riley, dt.date(2025, 6, 10), list(range(14)))
    services.missed_checkins_scan(now=dt.datetime(2025, 6, 14, 9, 0, tzinfo=LA))
    assert services.missed_checkins_scan(now=dt.datetime(2025, 6, 15, 9, 0, tzinfo=LA)) == 0
    assert _missed(cast.riley).count() == 1


def test_a_new_gap_after_checking_in_again_is_a_new_alert(cast):
    _history(cast.riley, dt.date(2025, 6, 10), list(range(14)))
    services.missed_checkins_scan(now=dt.datetime(2025, 6, 14, 9, 0, tzinfo=LA))
    record(cast.riley, now=dt.datetime(2025, 6, 14, 10, 0, tzinfo=LA))
    assert services.missed_checkins_scan(now=dt.datetime(2025, 6, 16, 9, 0, tzinfo=LA)) == 0
    assert services.missed_checkins_scan(now=dt.datetime(2025, 6, 18, 9, 0, tzinfo=LA)) == 1
    assert _missed(cast.riley).count() == 2


def test_a_member_who_checks_in_now_and_then_gets_no_alert(cast):
    _history(cast.riley, dt.date(2025, 6, 10), [0, 4, 9, 13, 20])
    assert services.missed_checkins_scan(now=dt.datetime(2025, 6, 20, 9, 0, tzinfo=LA)) == 0
    assert not _missed(cast.riley).exists()


def test_the_missed_run_is_counted_in_the_members_own_days(cast):
    riley = cast.riley
    riley.time_zone = "Pacific/Kiritimati"
    riley.save(update_fields=["time_zone"])
    _history(riley, dt.date(2025, 6, 10), list(range(14)))
    # 13 June 11:00 UTC is already 14 June 01:00 in Kiritimati: 11, 12, 13 June are missed.
    assert services.missed_checkins_scan(now=dt.datetime(2025, 6, 13, 11, 0, tzinfo=dt.UTC)) == 1


# --- reminders ---------------------------------------------------------------------------------------------------


def _reminders(user):
    return OutboundEmail.objects.filter(idempotency_key__startswith=f"checkin-reminder:{user.pk}:")


def test_a_reminder_goes_at_the_chosen_local_time_not_before(cast):
    # Riley's demo profile asks for a reminder at 20:00.
    assert RecoveryProfile.objects.get(user=cast.riley).reminder_time == dt.time(20, 0)
    assert services.checkin_reminders_send(now=dt.datetime(2025, 6, 15, 19, 59, tzinfo=LA)) == 0
    assert not _reminders(cast.riley).exists()
    assert services.checkin_reminders_send(now=dt.datetime(2025, 6, 15, 20, 0, tzinfo=LA)) == 1
    [email] = _reminders(cast.riley)
    assert email.to == "riley@example.org"
    assert email.subject == "How is today going?"
    assert "/checkin/" in email.body_text
    assert "/help/" in email.body_text


def test_a_reminder_goes_once_a_day(cast):
    services.checkin_reminders_send(now=dt.datetime(2025, 6, 15, 20, 0, tzinfo=LA))
    assert services.checkin_reminders_send(now=dt.datetime(2025, 6, 15, 22, 30, tzinfo=LA)) == 0
    assert _reminders(cast.riley).count() == 1
    assert ReminderSent.objects.filter(user=cast.riley).count() == 1
    assert services.checkin_reminders_send(now=dt.datetime(2025, 6, 16, 20, 5, tzinfo=LA)) == 1
    assert _reminders(cast.riley).count() == 2


def test_no_reminder_after_checking_in(cast):
    record(cast.riley, now=dt.datetime(2025, 6, 15, 8, 0, tzinfo=LA))
    assert services.checkin_reminders_send(now=dt.datetime(2025, 6, 15, 20, 30, tzinfo=LA)) == 0
    assert not _reminders(cast.riley).exists()


def test_no_reminder_without_a_reminder_time(cast):
    RecoveryProfile.objects.filter(user=cast.riley).update(reminder_time=None)
    assert services.checkin_reminders_send(now=dt.datetime(2025, 6, 15, 21, 0, tzinfo=LA)) == 0


def test_the_reminder_time_is_the_members_local_time(cast):
    riley = cast.riley
    riley.time_zone = "Pacific/Kiritimati"
    riley.save(update_fields=["time_zone"])
    # 06:00 UTC is 20:00 in Kiritimati, 23:00 the day before in Los Angeles.
    assert services.checkin_reminders_send(now=dt.datetime(2025, 6, 15, 5, 59, tzinfo=dt.UTC)) == 0
    assert services.checkin_reminders_send(now=dt.datetime(2025, 6, 15, 6, 0, tzinfo=dt.UTC)) == 1
    assert _reminders(riley).get().idempotency_key.endswith(":2025-06-15")


def test_a_spanish_speaking_member_gets_the_reminder_in_spanish(cast):
    cast.riley.preferred_language = "es"
    cast.riley.save(update_fields=["preferred_language"])
    services.checkin_reminders_send(now=dt.datetime(2025, 6, 15, 20, 0, tzinfo=LA))
    with translation.override("es"):
        expected = gettext("How is today going?")
    assert _reminders(cast.riley).get().subject == expected
    assert translation.get_language() != "es"  # the override did not leak


def test_the_spanish_reminder_subject_is_translated(cast):
    cast.riley.preferred_language = "es"
    cast.riley.save(update_fields=["preferred_language"])
    services.checkin_reminders_send(now=dt.datetime(2025, 6, 15, 20, 0, tzinfo=LA))
    assert _reminders(cast.riley).get().subject != "How is today going?"


# --- the home page stays fast ------------------------------------------------------------------------------------


def _home_queries(client_as, user, days: int) -> int:
    today = selectors.local_date(selectors.timezone.now(), selectors.zone_of(user))
    CheckIn.objects.filter(user=user).delete()
    CheckIn.objects.bulk_create(
        CheckIn(user=user, local_date=today - dt.timedelta(days=back), mood=3, craving=2) for back in range(days)
    )
    client = client_as("riley")
    client.get("/")  # warm up: sessions, caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries)


def test_home_page_queries_do_not_grow_with_history(cast, client_as):
    one_day = _home_queries(client_as, cast.riley, 1)
    long_history = _home_queries(client_as, cast.riley, 200)
    assert one_day == long_history


def test_history_page_works_with_a_long_streak(cast, client_as):
    today = selectors.local_date(selectors.timezone.now(), selectors.zone_of(cast.riley))
    CheckIn.objects.filter(user=cast.riley).delete()
    CheckIn.objects.bulk_create(
        CheckIn(user=cast.riley, local_date=today - dt.timedelta(days=back), mood=3, craving=2) for back in range(200)
    )
    response = client_as("riley").get("/checkins/?days=90")
    assert response.status_code == 200
    assert response.context["trends"].streak == 200
    assert response.context["trends"].checkin_count == 90


@pytest.mark.parametrize("days", ["7", "30", "90", "abc", "-1", "31"])
def test_history_page_accepts_any_window_and_falls_back_to_30(cast, client_as, days):
    response = client_as("riley").get(f"/checkins/?days={days}")
    assert response.status_code == 200
    assert response.context["trends"].days == (int(days) if days in ("7", "30", "90") else 30)


@pytest.mark.parametrize("who", ["sam", "jordan"])
def test_a_crisis_note_shows_crisis_lines_even_to_someone_who_is_not_a_member(cast, client_as, who):
    # Only members are screened into alerts, but anyone who writes this sees where help is.
    response = client_as(who).post("/checkin/", {"mood": "1", "craving": "0", "note": CRISIS_NOTE})
    assert response.status_code == 200
    assert response.context["result"].show_crisis_lines is True
    assert "We are here with you" in response.content.decode()
    assert not Alert.objects.filter(subject=cast.by_name(who)).exists()
