"""A member's goals: set them, move them forward, share them for encouragement."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from alongside.recovery import services
from alongside.recovery.models import Goal, GoalComment, GoalStatus


def _goal(cast, **values) -> Goal:
    return services.goal_create(user=cast.riley, title=values.pop("title", "Call my sponsor daily"), **values)


def _edit(goal: Goal, **changes) -> dict[str, str]:
    form = {
        "title": goal.title,
        "why": goal.why,
        "target_date": goal.target_date.isoformat() if goal.target_date else "",
        "status": goal.status,
        "progress": str(goal.progress),
    }
    if goal.shared_with_peer:
        form["shared_with_peer"] = "on"
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def test_member_sets_a_goal_with_steps_and_finds_it_in_the_list(cast, client_as):
    client = client_as("riley")
    response = client.post(
        "/goals/new/",
        {
            "title": "Attend 3 meetings a week",
            "why": "I feel less alone there",
            "target_date": "2030-01-31",
            "steps": "Monday meeting\n\n  Wednesday online  \nSaturday group\n",
        },
    )
    goal = Goal.objects.get(user=cast.riley, title="Attend 3 meetings a week")
    assert response.status_code == 302 and response["Location"] == f"/goals/{goal.pk}/"
    assert [step.text for step in goal.steps.all()] == ["Monday meeting", "Wednesday online", "Saturday group"]
    assert goal.target_date == dt.date(2030, 1, 31)
    assert goal.shared_with_peer is False
    listing = client.get("/goals/").content.decode()
    assert "Attend 3 meetings a week" in listing
    assert f'href="/goals/{goal.pk}/"' in listing


def test_new_goal_without_a_title_is_shown_again_with_what_was_typed(cast, client_as):
    response = client_as("riley").post("/goals/new/", {"title": "  ", "why": "for my kids", "steps": "step one"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Write the goal in a few words." in body
    assert "for my kids" in body and "step one" in body
    assert not Goal.objects.filter(user=cast.riley, why="for my kids").exists()


def test_a_bad_target_date_is_a_form_error_not_a_500(cast, client_as):
    response = client_as("riley").post("/goals/new/", {"title": "Walk daily", "target_date": "next tuesday"})
    assert response.status_code == 400
    assert "Choose a date, or leave it empty." in response.content.decode()


def test_goal_progress_follows_the_steps_the_member_ticks(cast, client_as):
    goal = _goal(cast, steps=["one", "two", "three", "four"])
    client = client_as("riley")
    steps = list(goal.steps.all())
    for step in steps[:2]:
        assert client.post(f"/goals/{goal.pk}/steps/{step.pk}/", {"done": "1"}).status_code == 302
    goal.refresh_from_db()
    assert goal.progress == 50
    client.post(f"/goals/{goal.pk}/steps/{steps[0].pk}/", {"done": "0"})
    goal.refresh_from_db()
    assert goal.progress == 25
    body = client.get(f"/goals/{goal.pk}/").content.decode()
    assert 'value="25"' in body  # the progress bar
    # A goal with steps has no progress box: the steps decide.
    assert 'name="progress"' not in body


def test_adding_a_step_recounts_progress(cast, client_as):
    goal = _goal(cast, steps=["one"])
    client = client_as("riley")
    client.post(f"/goals/{goal.pk}/steps/{goal.steps.get().pk}/", {"done": "1"})
    assert client.post(f"/goals/{goal.pk}/steps/", {"text": "two"}).status_code == 302
    goal.refresh_from_db()
    assert goal.progress == 50
    assert [step.text for step in goal.steps.all()] == ["one", "two"]


def test_an_empty_step_is_shown_again_with_a_message(cast, client_as):
    goal = _goal(cast)
    response = client_as("riley").post(f"/goals/{goal.pk}/steps/", {"text": ""})
    assert response.status_code == 400
    assert "Write the step in a few words." in response.content.decode()
    assert not goal.steps.exists()


def test_a_step_toggle_with_a_strange_value_changes_nothing(cast, client_as):
    goal = _goal(cast, steps=["one"])
    step = goal.steps.get()
    response = client_as("riley").post(f"/goals/{goal.pk}/steps/{step.pk}/", {"done": "maybe"})
    assert response.status_code == 400
    step.refresh_from_db()
    assert step.done_at is None


def test_goal_without_steps_takes_progress_from_the_form(cast, client_as):
    goal = _goal(cast)
    response = client_as("riley").post(f"/goals/{goal.pk}/", _edit(goal, progress="40"))
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.progress == 40


@pytest.mark.parametrize("progress", ["lots", "140", "-5", ""])
def test_progress_that_is_not_0_to_100_is_a_form_error_and_keeps_the_input(cast, client_as, progress):
    goal = _goal(cast)
    response = client_as("riley").post(f"/goals/{goal.pk}/", _edit(goal, title="Call Jo every day", progress=progress))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Write progress as a number from 0 to 100." in body
    assert 'value="Call Jo every day"' in body
    goal.refresh_from_db()
    assert (goal.title, goal.progress) == ("Call my sponsor daily", 0)


def test_marking_a_goal_done_or_setting_it_aside(cast, client_as):
    goal = _goal(cast)
    client = client_as("riley")
    client.post(f"/goals/{goal.pk}/", _edit(goal, status=GoalStatus.DONE, progress="30"))
    goal.refresh_from_db()
    assert (goal.status, goal.progress) == (GoalStatus.DONE, 100)
    client.post(f"/goals/{goal.pk}/", _edit(goal, status=GoalStatus.SET_ASIDE))
    goal.refresh_from_db()
    assert goal.status == GoalStatus.SET_ASIDE
    listing = client.get("/goals/").content.decode()
    assert "Set aside" in listing


def test_an_unknown_status_is_a_form_error(cast, client_as):
    goal = _goal(cast)
    response = client_as("riley").post(f"/goals/{goal.pk}/", _edit(goal, status="abandoned"))
    assert response.status_code == 400
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE


def test_clearing_the_target_date(cast, client_as):
    goal = _goal(cast, target_date=dt.date(2030, 5, 1))
    client_as("riley").post(f"/goals/{goal.pk}/", _edit(goal, target_date=""))
    goal.refresh_from_db()
    assert goal.target_date is None


def test_sharing_a_goal_with_the_peer_is_the_members_choice(cast, client_as):
    client = client_as("riley")
    client.post("/goals/new/", {"title": "Sleep by midnight", "shared_with_peer": "on"})
    goal = Goal.objects.get(user=cast.riley, title="Sleep by midnight")
    assert goal.shared_with_peer is True
    assert "shared with my peer" in client.get(f"/goals/{goal.pk}/").content.decode()
    # An unticked box is not sent: the goal stops being shared.
    form = _edit(goal)
    del form["shared_with_peer"]
    client.post(f"/goals/{goal.pk}/", form)
    goal.refresh_from_db()
    assert goal.shared_with_peer is False


def test_the_peers_encouragement_shows_on_the_members_goal_page(cast, client_as):
    goal = _goal(cast, shared_with_peer=True)
    services.goal_comment_add(goal=goal, author=cast.sam, text="You have got this, Riley!")
    body = client_as("riley").get(f"/goals/{goal.pk}/").content.decode()
    assert "You have got this, Riley!" in body
    assert "sam" in body


def test_member_adds_a_note_of_their_own(cast, client_as):
    goal = _goal(cast)
    client = client_as("riley")
    assert client.post(f"/goals/{goal.pk}/comment/", {"text": "Missed Tuesday, back on it"}).status_code == 302
    comment = GoalComment.objects.get(goal=goal)
    assert comment.author == cast.riley
    assert "Missed Tuesday, back on it" in client.get(f"/goals/{goal.pk}/").content.decode()
    empty = client.post(f"/goals/{goal.pk}/comment/", {"text": " "})
    assert empty.status_code == 400
    assert "Write a few words." in empty.content.decode()


@pytest.mark.parametrize("name", ["sam", "dana", "alex", "jordan", "casey"])
def test_nobody_else_reaches_a_members_goal(cast, client_as, name):
    goal = _goal(cast, steps=["one"], shared_with_peer=True)
    step = goal.steps.get()
    client = client_as(name)
    assert client.get(f"/goals/{goal.pk}/").status_code == 404
    assert client.post(f"/goals/{goal.pk}/", _edit(goal, title="hijacked")).status_code == 404
    assert client.post(f"/goals/{goal.pk}/steps/", {"text": "x"}).status_code == 404
    assert client.post(f"/goals/{goal.pk}/steps/{step.pk}/", {"done": "1"}).status_code == 404
    assert client.post(f"/goals/{goal.pk}/comment/", {"text": "x"}).status_code == 404
    assert "Call my sponsor daily" not in client.get("/goals/").content.decode()
    goal.refresh_from_db()
    assert goal.title == "Call my sponsor daily" and goal.progress == 0 and not goal.comments.exists()


def test_a_step_of_another_goal_is_not_found(cast, client_as):
    mine = _goal(cast)
    theirs = services.goal_create(user=cast.casey, title="Theirs", steps=["their step"])
    response = client_as("riley").post(f"/goals/{mine.pk}/steps/{theirs.steps.get().pk}/", {"done": "1"})
    assert response.status_code == 404


def test_every_label_on_the_goal_page_points_at_one_box(cast, client_as):
    goal = _goal(cast, steps=["one"])
    body = client_as("riley").get(f"/goals/{goal.pk}/").content.decode()
    ids = re.findall(r'\bid="([^"]+)"', body)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for target in re.findall(r'<label[^>]* for="([^"]+)"', body):
        assert target in ids, target
