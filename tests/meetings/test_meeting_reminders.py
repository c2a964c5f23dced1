"""Reminders before followed meetings: at the chosen lead time, once per meeting day, in
the follower's language, never for a meeting that is not meeting."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.management import call_command

from alongside.accounts.models import OutboundEmail
from alongside.meetings import services
from alongside.meetings.models import Meeting

LA = zoneinfo.ZoneInfo("America/Los_Angeles")
# A Thursday (Meeting Guide day 4).
THURSDAY_6PM = dt.datetime(2026, 11, 26, 18, 0, tzinfo=LA)


@pytest.fixture
def circle(cast) -> Meeting:
    return Meeting.objects.create(
        program=cast.harbor,
        slug="thursday-circle",
        name="Thursday circle",
        day=4,
        start_time=dt.time(18, 30),
        start_minute=18 * 60 + 30,
        time_zone="America/Los_Angeles",
        attendance_option="in_person",
    )


def _reminders(user) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(to=user.email, idempotency_key__startswith="meeting-reminder:"))


def test_a_reminder_goes_out_within_the_lead_time_and_only_once(cast, circle):
    services.meeting_follow(user=cast.riley, meeting=circle, remind_minutes_before=60)
    assert services.meeting_reminders_send(now=THURSDAY_6PM - dt.timedelta(minutes=45)) == 0  # 75 min before
    assert services.meeting_reminders_send(now=THURSDAY_6PM) == 1  # 30 min before
    assert services.meeting_reminders_send(now=THURSDAY_6PM + dt.timedelta(minutes=10)) == 0
    [mail] = _reminders(cast.riley)
    assert "Thursday circle starts at 18:30" in mail.subject
    assert f"/meetings/{circle.pk}/" in mail.body_text


def test_no_reminder_without_asking_or_after_the_start(cast, circle):
    services.meeting_follow(user=cast.riley, meeting=circle)
    assert services.meeting_reminders_send(now=THURSDAY_6PM) == 0
    services.meeting_follow(user=cast.riley, meeting=circle, remind_minutes_before=30)
    assert services.meeting_reminders_send(now=THURSDAY_6PM + dt.timedelta(minutes=45)) == 0


def test_a_meeting_that_is_not_meeting_sends_nothing(cast, circle):
    services.meeting_follow(user=cast.riley, meeting=circle, remind_minutes_before=60)
    circle.attendance_option = "inactive"
    circle.save(update_fields=["attendance_option"])
    assert services.meeting_reminders_send(now=THURSDAY_6PM) == 0


def test_the_reminder_speaks_the_followers_language(cast, circle):
    cast.riley.preferred_language = "es"
    cast.riley.save(update_fields=["preferred_language"])
    services.meeting_follow(user=cast.riley, meeting=circle, remind_minutes_before=60)
    services.meeting_reminders_send(now=THURSDAY_6PM)
    [mail] = _reminders(cast.riley)
    assert "empieza" in mail.subject


def test_the_sweep_command_reports_what_it_sent(cast, circle, capsys):
    call_command("meetings_sweep")
    assert "meeting reminder(s)" in capsys.readouterr().out
