"""A peer sees the meetings a member goes to only when the member says yes; every look is
audited, and nobody else gets in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from alongside.accounts import services as accounts_services
from alongside.accounts.models import AuditEvent, ConsentScope
from alongside.meetings.models import AttendanceRecord, Meeting


@pytest.fixture
def went(cast) -> AttendanceRecord:
    meeting = Meeting.objects.create(
        program=cast.harbor,
        slug="tuesday-hope",
        name="Tuesday Hope",
        day=2,
        start_time=dt.time(19, 0),
        start_minute=19 * 60,
        time_zone="America/Los_Angeles",
    )
    return AttendanceRecord.objects.create(
        user=cast.riley,
        meeting=meeting,
        occurrence=timezone.now().date() - dt.timedelta(days=3),
        recorded_by=cast.riley,
    )


def _url(cast) -> str:
    return f"/p/harbor/people/{cast.riley.pk}/meetings/"


def test_without_the_members_yes_the_peer_sees_nothing(cast, client_as, went):
    body = client_as("sam").get(_url(cast)).content.decode()
    assert "Tuesday Hope" not in body
    assert "have not chosen to share" in body
    assert not AuditEvent.objects.filter(subject=cast.riley, action="viewed_attendance").exists()


def test_with_the_members_yes_the_peer_sees_the_meetings_and_it_is_logged(cast, client_as, went):
    accounts_services.consent_set(
        member=cast.riley, program=cast.harbor, scope=ConsentScope.ATTENDANCE_PEER, granted=True
    )
    body = client_as("sam").get(_url(cast)).content.decode()
    assert "Tuesday Hope" in body
    assert AuditEvent.objects.filter(subject=cast.riley, actor=cast.sam, action="viewed_attendance").exists()


@pytest.mark.parametrize(("who", "status"), [("dana", 403), ("alex", 403), ("jordan", 403), ("casey", 404)])
def test_nobody_else_gets_in(cast, client_as, went, who, status):
    accounts_services.consent_set(
        member=cast.riley, program=cast.harbor, scope=ConsentScope.ATTENDANCE_PEER, granted=True
    )
    assert client_as(who).get(_url(cast)).status_code == status
