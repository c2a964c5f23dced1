"""The compliance page and the admin's peer supporters list: what they show, in what
order, to whom, and in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from alongside.accounts.models import Membership, User
from alongside.accounts.services import membership_add
from alongside.lib.tz import local_date, zone_named
from alongside.peers import selectors
from alongside.peers.models import (
    ContinuingEducation,
    Credential,
    PeerProfile,
    SupervisionSession,
)

COMPLIANCE = "/p/harbor/peers/compliance/"
PEERS = "/p/harbor/peers/"


def _today():
    return local_date(timezone.now(), zone_named("America/Los_Angeles"))


def _add_peers(cast, n: int) -> None:
    """n more peers, each with a credential, CE hours and a supervision session."""
    today = _today()
    for i in range(n):
        user = User.objects.create_user(email=f"peer{i}@example.org", password="x" * 12, handle=f"peer{i}")
        membership_add(user=user, program=cast.harbor, role="peer")
        profile = PeerProfile.objects.create(program=cast.harbor, user=user, display_name=f"Peer {i}")
        credential = Credential.objects.create(
            profile=profile,
            kind="cprs",
            issuer="Board",
            issued_on=today - dt.timedelta(days=100),
            expires_on=today + dt.timedelta(days=10 + i),
            ce_hours_required=Decimal(10),
            verified_by=cast.alex if i % 2 else None,
            verified_at=timezone.now() if i % 2 else None,
        )
        ContinuingEducation.objects.create(
            credential=credential, title="Course", completed_on=today, hours=Decimal(2), ethics_hours=Decimal(1)
        )
        session = SupervisionSession.objects.create(
            program=cast.harbor, supervisor=cast.dana, held_on=today, duration_minutes=30, format="individual"
        )
        session.peers.set([user])


def test_admin_sees_sams_expiring_credential_ce_progress_and_supervision(cast, client_as):
    page = client_as("alex").get(COMPLIANCE).content.decode()
    assert "Sam O." in page
    assert "Expires in 45 days" in page
    assert "18 of 40 hours (6 of 6 ethics)" in page
    assert "Not verified yet" in page  # Jamie
    assert "60 of 60 minutes in this period" in page  # Sam and Luz's group session 9 days ago


def test_peers_are_ordered_most_urgent_first(cast):
    membership = Membership.objects.get(program=cast.harbor, user=cast.alex)
    roster = selectors.compliance_for(cast.alex, membership)
    names = [row.name for row in roster.rows]
    # Sam's credential expires in 45 days; Jamie has none that counts; Luz is fine.
    assert names == ["Sam O.", "Jamie P.", "Luz H."]


def test_an_expired_credential_comes_first_and_says_since_when(cast, client_as):
    jamie_credential = Credential.objects.get(profile__user__handle="jamie.p")
    Credential.objects.filter(pk=jamie_credential.pk).update(
        issued_on=_today() - dt.timedelta(days=800), expires_on=_today() - dt.timedelta(days=3)
    )
    membership = Membership.objects.get(program=cast.harbor, user=cast.alex)
    roster = selectors.compliance_for(cast.alex, membership)
    assert roster.rows[0].name == "Jamie P."
    assert roster.expired == 1
    assert "Expired on" in client_as("alex").get(COMPLIANCE).content.decode()


def test_overdue_supervision_shows_since_when(cast, client_as):
    SupervisionSession.objects.all().delete()
    Membership.objects.filter(program=cast.harbor, role="peer").update(
        joined_at=timezone.now() - dt.timedelta(days=100)
    )
    page = client_as("alex").get(COMPLIANCE).content.decode()
    assert "Overdue since" in page
    membership = Membership.objects.get(program=cast.harbor, user=cast.alex)
    assert selectors.compliance_for(cast.alex, membership).overdue == 3


def test_a_new_peer_in_their_first_period_shows_due_by(cast, client_as):
    page = client_as("alex").get(COMPLIANCE).content.decode()
    assert "Due by" in page


def test_an_open_i_need_supervision_flag_is_listed(cast, client_as):
    PeerProfile.objects.filter(user__handle="luz").update(needs_supervision_since=timezone.now())
    page = client_as("dana").get(COMPLIANCE).content.decode()
    assert "Asked for supervision" in page
    assert "Luz H." in page


def test_supervisors_read_the_page_without_admin_links(cast, client_as):
    page = client_as("dana").get(COMPLIANCE).content.decode()
    assert "Sam O." in page
    assert "/manage/" not in page
    assert "/peers/credentials/" not in page


@pytest.mark.parametrize("persona", ["riley", "sam", "jordan"])
def test_members_peers_and_allies_cannot_open_the_compliance_page(cast, client_as, persona):
    assert client_as(persona).get(COMPLIANCE).status_code == 403


def test_outsiders_get_404(cast, client_as):
    assert client_as("casey").get(COMPLIANCE).status_code == 404


def _count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", [COMPLIANCE, PEERS])
def test_the_page_takes_the_same_number_of_queries_for_3_or_20_peers(cast, client_as, url):
    client = client_as("alex")
    client.get(url)  # the first request of a session does some one-off work
    with_three = _count_queries(client, url)
    _add_peers(cast, 17)
    with_twenty = _count_queries(client, url)
    assert with_twenty == with_three
    assert "Peer 16" in client.get(url).content.decode()


def test_peers_list_shows_caseload_against_capacity(cast, client_as):
    page = client_as("alex").get(PEERS).content.decode()
    # Sam walks with Riley, Morgan and Avery; capacity 6.
    assert "3 of 6" in page
    assert "Manage Sam O." in page
    assert "Manage" not in client_as("dana").get(PEERS).content.decode()
