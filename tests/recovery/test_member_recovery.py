"""A member's recovery as their peer sees it (with the member's consent), peer comments on
shared goals, and the program's recovery settings page."""

from __future__ import annotations

import datetime as dt

import pytest

from alongside.accounts import services as accounts_services
from alongside.accounts.models import AuditEvent, ConsentScope
from alongside.recovery import services
from alongside.recovery.models import Clock, Goal, GoalComment, RecoverySettings


def url(cast) -> str:
    return f"/p/harbor/people/{cast.riley.pk}/recovery/"


def withdraw(cast, scope: str) -> None:
    accounts_services.consent_set(member=cast.riley, program=cast.harbor, scope=scope, granted=False)


@pytest.fixture
def private_goal(cast) -> Goal:
    return services.goal_create(user=cast.riley, title="Sleep before midnight", shared_with_peer=False)


@pytest.fixture
def shared_goal(cast) -> Goal:
    return Goal.objects.get(user=cast.riley, shared_with_peer=True)


# --- what Sam sees ---------------------------------------------------------------------------


def test_sam_sees_rileys_trends_with_her_consent(cast, client_as):
    response = client_as("sam").get(url(cast))
    assert response.status_code == 200
    view = response.context["view"]
    assert view.trends is not None
    assert view.trends.checkin_count > 0
    assert len(view.recent_checkins) == 14
    assert "Check-in streak" in response.content.decode()


def test_peer_without_consent_sees_no_checkins(cast, client_as):
    withdraw(cast, ConsentScope.CHECKINS_PEER)
    response = client_as("sam").get(url(cast))
    assert response.status_code == 200
    view = response.context["view"]
    assert view.trends is None
    assert view.recent_checkins == []
    html = response.content.decode()
    assert "They have not chosen to share check-ins with you." in html
    assert "Good meeting tonight." not in html and "Long shift." not in html


def test_peer_sees_the_plan_only_with_plan_consent(cast, client_as):
    sam = client_as("sam")
    assert sam.get(url(cast)).context["view"].plan.number == 2
    assert "Walk the dog around the block" in sam.get(url(cast)).content.decode()
    withdraw(cast, ConsentScope.PLAN_PEER)
    response = sam.get(url(cast))
    assert response.context["view"].plan is None
    assert "Walk the dog around the block" not in response.content.decode()


def test_peer_sees_assessments_only_with_consent(cast, client_as):
    sam = client_as("sam")
    assert sam.get(url(cast)).context["view"].assessments == []
    accounts_services.consent_set(
        member=cast.riley, program=cast.harbor, scope=ConsentScope.ASSESSMENTS_PEER, granted=True
    )
    assert [a.instrument for a in sam.get(url(cast)).context["view"].assessments] == ["barc10"]


def test_peer_sees_shared_goals_only(cast, client_as, private_goal, shared_goal):
    response = client_as("sam").get(url(cast))
    assert response.context["view"].goals == [shared_goal]
    html = response.content.decode()
    assert shared_goal.title in html
    assert private_goal.title not in html


def test_peer_sees_shared_milestones_only_while_the_clock_shares(cast, client_as):
    alcohol = Clock.objects.get(user=cast.riley, label="Alcohol", ended_at__isnull=True)
    cannabis = Clock.objects.get(user=cast.riley, label="Cannabis")
    services.milestone_mark(clock=alcohol, user=cast.riley, key="90d", share=True)
    services.milestone_mark(clock=cannabis, user=cast.riley, key="30d", share=True)  # sharing is off
    sam = client_as("sam")
    assert [(m.clock, m.key) for m in sam.get(url(cast)).context["view"].milestones] == [(alcohol, "90d")]
    services.clock_update(clock=alcohol, user=cast.riley, label="Alcohol", share_milestones=False)
    assert sam.get(url(cast)).context["view"].milestones == []


def test_opening_the_page_is_audited(cast, client_as):
    before = AuditEvent.objects.filter(subject=cast.riley, action="viewed_recovery").count()
    client_as("sam").get(url(cast))
    events = AuditEvent.objects.filter(subject=cast.riley, action="viewed_recovery")
    assert events.count() == before + 1
    event = events.first()
    assert (event.actor, event.actor_role, event.program) == (cast.sam, "peer", cast.harbor)


@pytest.mark.parametrize("who", ["dana", "alex", "jordan"])
def test_supervisor_admin_and_ally_get_403(cast, client_as, who):
    before = AuditEvent.objects.filter(action="viewed_recovery").count()
    assert client_as(who).get(url(cast)).status_code == 403
    assert AuditEvent.objects.filter(action="viewed_recovery").count() == before


def test_outsider_gets_404(cast, client_as):
    assert client_as("casey").get(url(cast)).status_code == 404
    # and Sam gets 404 for someone outside Harbor
    assert client_as("sam").get(f"/p/harbor/people/{cast.casey.pk}/recovery/").status_code == 404


def test_a_peer_who_no_longer_walks_with_riley_gets_403(cast, client_as):
    from alongside.accounts.models import CareTeamLink

    link = CareTeamLink.objects.get(member=cast.riley, supporter=cast.sam, ended_at__isnull=True)
    accounts_services.care_team_end(link=link)
    assert client_as("sam").get(url(cast)).status_code == 403


def test_the_window_can_be_chosen(cast, client_as):
    assert client_as("sam").get(url(cast) + "?days=90").context["view"].trends.days == 90
    assert client_as("sam").get(url(cast) + "?days=nonsense").context["view"].trends.days == 30


# --- peer comments on goals -----------------------------------------------------------------------


def comment_url(cast, goal) -> str:
    return f"/p/harbor/people/{cast.riley.pk}/goals/{goal.pk}/comment/"


def test_peer_can_encourage_a_shared_goal(cast, client_as, shared_goal):
    response = client_as("sam").post(comment_url(cast, shared_goal), {"text": "  Two more to go!  "})
    assert response.status_code == 302 and response["Location"] == url(cast)
    comment = GoalComment.objects.filter(goal=shared_goal).last()
    assert (comment.author, comment.author_label, comment.text) == (cast.sam, "sam", "Two more to go!")


def test_peer_cannot_comment_on_an_unshared_goal(cast, client_as, private_goal):
    assert client_as("sam").post(comment_url(cast, private_goal), {"text": "Hi"}).status_code == 404
    assert not GoalComment.objects.filter(goal=private_goal).exists()


def test_an_empty_comment_is_refused_with_a_message(cast, client_as, shared_goal):
    before = GoalComment.objects.filter(goal=shared_goal).count()
    response = client_as("sam").post(comment_url(cast, shared_goal), {"text": "   "}, follow=True)
    assert response.status_code == 200
    assert "Write a few words of encouragement" in response.content.decode()
    assert GoalComment.objects.filter(goal=shared_goal).count() == before


@pytest.mark.parametrize(("who", "status"), [("dana", 403), ("alex", 403), ("jordan", 403), ("casey", 404)])
def test_others_cannot_comment_on_rileys_goal(cast, client_as, shared_goal, who, status):
    before = GoalComment.objects.filter(goal=shared_goal).count()
    assert client_as(who).post(comment_url(cast, shared_goal), {"text": "Hi"}).status_code == status
    assert GoalComment.objects.filter(goal=shared_goal).count() == before


# --- program settings ----------------------------------------------------------------------------------


SETTINGS_URL = "/p/harbor/recovery/settings/"
VALID_SETTINGS = {
    "craving_alert_at": "6",
    "missed_checkins_alert_after": "4",
    "low_mood_days": "3",
    "barc10_every_days": "60",
    "phq9_enabled": "on",
}


def test_admin_opens_and_saves_recovery_settings(cast, client_as):
    alex = client_as("alex")
    assert alex.get(SETTINGS_URL).status_code == 200
    response = alex.post(SETTINGS_URL, VALID_SETTINGS)
    assert response.status_code == 302
    chosen = RecoverySettings.objects.get(program=cast.harbor)
    assert (chosen.craving_alert_at, chosen.missed_checkins_alert_after, chosen.low_mood_days) == (6, 4, 3)
    assert (chosen.barc10_every_days, chosen.phq9_enabled, chosen.gad7_enabled) == (60, True, False)


def test_saved_settings_change_what_raises_an_alert(cast, client_as):
    client_as("alex").post(SETTINGS_URL, VALID_SETTINGS)
    now = dt.datetime(2025, 6, 15, 18, 0, tzinfo=dt.UTC)
    assert services.checkin_record(user=cast.riley, mood=3, craving=6, now=now).alerts


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("craving_alert_at", "11"),
        ("craving_alert_at", "0"),
        ("craving_alert_at", "-3"),
        ("craving_alert_at", "many"),
        ("missed_checkins_alert_after", "1"),
        ("missed_checkins_alert_after", "99999999"),
        ("low_mood_days", "0"),
        ("low_mood_days", "99999999"),
        ("barc10_every_days", "400"),
        ("barc10_every_days", ""),
    ],
)
def test_invalid_settings_show_an_error_not_a_500(cast, client_as, field, value):
    response = client_as("alex").post(SETTINGS_URL, {**VALID_SETTINGS, field: value})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not RecoverySettings.objects.filter(program=cast.harbor, craving_alert_at=6).exists()


@pytest.mark.parametrize(("who", "status"), [("sam", 403), ("dana", 403), ("riley", 403), ("casey", 404)])
def test_only_the_admin_opens_recovery_settings(cast, client_as, who, status):
    assert client_as(who).get(SETTINGS_URL).status_code == status
    assert client_as(who).post(SETTINGS_URL, VALID_SETTINGS).status_code == status
    assert not RecoverySettings.objects.filter(program=cast.harbor, craving_alert_at=6).exists()
