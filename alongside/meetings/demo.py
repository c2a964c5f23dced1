"""Meetings demo content: Harbor mirrors two real intergroup feeds (a subset each), Riley
follows a Costa Mesa meeting and has been to it, and a Harbor peer group meets weekly."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

from django.utils import timezone

from alongside.accounts.models import Program, User
from alongside.meetings import schedule, services
from alongside.meetings.models import (
    AttendanceRecord,
    FeedSource,
    GroupKind,
    GroupMember,
    GroupRole,
    Meeting,
    MeetingGroup,
)

FEEDS = Path(__file__).with_name("demo_feeds")


def seed_meetings_demo(people: dict[str, User], harbor: Program) -> None:
    if Meeting.objects.filter(program=harbor).exists():
        return
    for name, filename, zone in (
        ("Orange County intergroup (demo subset)", "orange-county.json", "America/Los_Angeles"),
        ("Edmonton central office (demo subset)", "edmonton.json", "America/Edmonton"),
    ):
        source = FeedSource.objects.create(program=harbor, name=name, refresh_hours=0)
        raw = (FEEDS / filename).read_bytes()
        # The feeds name no time zone: each meeting keeps its own city's.
        services.meetings_import(program=harbor, raw=raw, label=filename, source=source, time_zone=zone)
    group = MeetingGroup.objects.create(
        program=harbor,
        name="Harbor Thursday peer circle",
        kind=GroupKind.PEER_LED,
        description="A peer-led circle for Harbor members, all pathways welcome.",
    )
    GroupMember.objects.create(group=group, user=people["sam"], role=GroupRole.FACILITATOR)
    GroupMember.objects.create(group=group, user=people["riley"], role=GroupRole.MEMBER)
    circle = Meeting.objects.create(
        program=harbor,
        group=group,
        slug="harbor-thursday-peer-circle",
        name="Harbor Thursday peer circle",
        day=4,
        start_time=dt.time(18, 30),
        end_time=dt.time(19, 30),
        start_minute=18 * 60 + 30,
        time_zone=harbor.time_zone,
        types=["O", "D"],
        location="Harbor drop-in centre",
        formatted_address="1835 Newport Blvd, Costa Mesa, CA 92627, USA",
        city="Costa Mesa",
        state="CA",
        latitude=33.6432,
        longitude=-117.9195,
        attendance_option="hybrid",
        conference_url="https://meet.example.org/harbor-circle",
    )
    services.meeting_follow(user=people["riley"], meeting=circle, remind_minutes_before=60)
    last = schedule.next_start(
        circle.day, circle.start_time, zoneinfo.ZoneInfo(harbor.time_zone), now=timezone.now() - dt.timedelta(days=7)
    )
    if last is not None:
        AttendanceRecord.objects.create(
            user=people["riley"], meeting=circle, occurrence=last.date(), recorded_by=people["sam"]
        )
