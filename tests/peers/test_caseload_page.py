"""The caseload as pages show it: facts gathered from the database, consent, a
supervisor's view, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt

from allauth.mfa.totp.internal.auth import TOTP
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.accounts.demo import DEMO_TOTP_SECRET
from alongside.accounts.models import AuditEvent, ConsentScope, User
from alongside.accounts.services import care_team_link, consent_set, membership_add
from alongside.lib.tz import local_date, start_of_day, zone_of
from alongside.peers import caseload, selectors
from alongside.peers.models import Encounter
from alongside.recovery.models import CheckIn, Clock
from alongside.safety import services as safety_services
from alongside.safety.models import AlertKind, Severity


def _membership(cast, user):
    return user.memberships.get(program=cast.harbor)


def _checkins(user: User, cravings: dict[int, int]) -> None:
    today = local_date(timezone.now(), zone_of(user))
    CheckIn.objects.bulk_create(
        CheckIn(user=user, local_date=today - dt.timedelta(days=back), mood=3, craving=craving)
        for back, craving in cravings.items()
    )


def test_an_open_alert_puts_a_member_first_with_the_reason(cast, client_as):
    avery = User.objects.get(handle="avery.r")
    safety_services.alert_raise(
        program=cast.harbor, subject=avery, kind=AlertKind.CHECKIN_RISK, severity=Severity.CONCERN
    )
    response = client_as("sam").get("/p/harbor/caseload/")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert rows[0].row.handle == "avery.r"
    assert rows[0].urgent == ["1 open alert"]


def test_checkin_details_show_only_with_consent(cast, client_as):
    avery = User.objects.get(handle="avery.r")  # has not chosen to share check-ins
    _checkins(avery, {0: 9, 1: 9, 2: 9})
    rows = {r.row.handle: r for r in client_as("sam").get("/p/harbor/caseload/").context["rows"]}
    assert "Check-ins not shared" in rows["avery.r"].notes
    assert not any("craving" in text.lower() for text in rows["avery.r"].urgent)
    assert rows["avery.r"].row.latest_checkin is None
    consent_set(member=avery, program=cast.harbor, scope=ConsentScope.CHECKINS_PEER, granted=True)
    rows = {r.row.handle: r for r in client_as("sam").get("/p/harbor/caseload/").context["rows"]}
    assert "A strong craving this week (9 out of 10)" in rows["avery.r"].urgent
    assert rows["avery.r"].row.latest_checkin.craving == 9


def test_riley_usually_checks_in_so_a_gap_shows_as_missed(cast):
    CheckIn.objects.filter(
        user=cast.riley, local_date__gte=local_date(timezone.now(), zone_of(cast.riley)) - dt.timedelta(days=3)
    ).delete()
    rows = {r.handle: r for r in selectors.caseload_for(cast.sam, _membership(cast, cast.sam))}
    assert caseload.MISSED_CHECKINS in [reason.code for reason in rows["riley"].reasons]


def test_a_shared_milestone_within_a_week_shows_and_an_unshared_one_does_not(cast):
    zone = zone_of(cast.riley)
    today = local_date(timezone.now(), zone)
    Clock.objects.filter(user=cast.riley).delete()
    Clock.objects.create(
        user=cast.riley,
        label="Alcohol",
        started_at=start_of_day(today - dt.timedelta(days=27), zone),
        share_milestones=True,
    )
    morgan = User.objects.get(handle="morgan_k")
    Clock.objects.create(user=morgan, label="Gambling", started_at=start_of_day(today - dt.timedelta(days=27), zone))
    rows = {r.handle: r for r in selectors.caseload_for(cast.sam, _membership(cast, cast.sam))}
    (milestone,) = [r for r in rows["riley"].reasons if r.code == caseload.MILESTONE_SOON]
    assert milestone.values["key"] == "30d" and milestone.values["days"] == 3
    assert caseload.MILESTONE_SOON not in [r.code for r in rows["morgan_k"].reasons]


def test_days_since_last_contact_come_from_the_latest_note(cast):
    rows = {r.handle: r for r in selectors.caseload_for(cast.sam, _membership(cast, cast.sam))}
    assert rows["riley"].days_since_contact == 3  # the demo's note, three days ago
    assert rows["morgan_k"].days_since_contact is None


def test_caseload_queries_do_not_grow_with_the_caseload(cast):
    peer = User.objects.create_user(email="peer@example.org", handle="peer_q", time_zone="America/Los_Angeles")
    membership_add(user=peer, program=cast.harbor, role="peer")
    TOTP.activate(peer, DEMO_TOTP_SECRET)
    membership = peer.memberships.select_related("program").get(program=cast.harbor)
    zone = zone_of(peer)
    today = local_date(timezone.now(), zone)

    def add_members(count: int, start: int) -> None:
        for n in range(start, start + count):
            member = User.objects.create_user(email=f"m{n}@example.org", handle=f"member_{n}")
            membership_add(user=member, program=cast.harbor, role="member")
            care_team_link(program=cast.harbor, member=member, supporter=peer, relation="peer")
            consent_set(member=member, program=cast.harbor, scope=ConsentScope.CHECKINS_PEER, granted=n % 2 == 0)
            _checkins(member, {1: 3, 2: 4, 9: 1})
            Clock.objects.create(
                user=member,
                label="Alcohol",
                started_at=start_of_day(today - dt.timedelta(days=28), zone),
                share_milestones=True,
            )
            Encounter.objects.create(
                program=cast.harbor,
                peer=peer,
                member=member,
                occurred_at=timezone.now() - dt.timedelta(days=n),
                duration_minutes=10,
                mode="phone",
            )
            safety_services.alert_raise(
                program=cast.harbor, subject=member, kind=AlertKind.CHECKIN_RISK, severity=Severity.CONCERN
            )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            rows = selectors.caseload_for(peer, membership)
        return len(queries), len(rows)

    add_members(3, 0)
    small, rows_small = count()
    add_members(12, 3)
    large, rows_large = count()
    assert (rows_small, rows_large) == (3, 15)
    assert small == large, (small, large)


def test_supervisor_sees_a_team_peers_caseload_without_checkin_values_and_is_audited(cast, client_as):
    avery = User.objects.get(handle="avery.r")
    consent_set(member=avery, program=cast.harbor, scope=ConsentScope.CHECKINS_PEER, granted=True)
    _checkins(avery, {0: 9})
    response = client_as("dana").get(f"/p/harbor/peers/{cast.sam.pk}/caseload/")
    assert response.status_code == 200
    body = response.content.decode()
    rows = {r.row.handle: r for r in response.context["rows"]}
    assert "A strong craving this week" in rows["avery.r"].urgent
    assert "9 out of 10" not in body and "Latest check-in" not in body
    audited = set(
        AuditEvent.objects.filter(actor=cast.dana, action="viewed_caseload").values_list("subject__handle", flat=True)
    )
    assert audited == {"riley", "morgan_k", "avery.r"}


def test_only_the_peers_supervisor_opens_their_caseload(cast, client_as):
    url = f"/p/harbor/peers/{cast.sam.pk}/caseload/"
    for persona in ("sam", "alex", "riley", "jordan"):
        assert client_as(persona).get(url).status_code == 403
    assert client_as("casey").get(url).status_code == 404
    assert client_as("dana").get(f"/p/harbor/peers/{cast.riley.pk}/caseload/").status_code == 403  # not a peer
    other = User.objects.create_user(email="robin@example.org", handle="robin")
    membership_add(user=other, program=cast.harbor, role="supervisor")
    TOTP.activate(other, DEMO_TOTP_SECRET)
    robin = client_as("dana")
    robin.force_login(other)
    assert robin.get(url).status_code == 403  # Sam names Dana


def test_caseload_page_lists_todays_calls_and_follow_ups(cast, client_as):
    response = client_as("sam").get("/p/harbor/caseload/")
    assert "Today's calls" in response.content.decode()
    assert "Follow-ups due" in response.content.decode()
