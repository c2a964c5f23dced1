"""Moving to a new place: the member's plan (meetings there, online meetings at good hours
in the new zone, a checklist) and their peer's hand-off note, only with the member's yes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from alongside.lib import gazetteer
from alongside.meetings import selectors, services
from alongside.meetings.models import Meeting, Relocation

SOON = (timezone.now() + dt.timedelta(days=20)).date().isoformat()


@pytest.fixture
def edmonton_meetings(cast):
    edmonton = gazetteer.find_places("Edmonton", limit=1)[0]
    near = Meeting.objects.create(
        program=cast.desert,
        slug="downtown-serenity",
        name="Downtown Serenity",
        day=2,
        start_time=dt.time(19, 0),
        start_minute=19 * 60,
        time_zone="America/Edmonton",
        latitude=edmonton.latitude + 0.01,
        longitude=edmonton.longitude,
        attendance_option="in_person",
        formatted_address="10025 102A Ave, Edmonton, AB",
    )
    far = Meeting.objects.create(
        program=cast.desert,
        slug="calgary-hope",
        name="Calgary Hope",
        day=2,
        start_time=dt.time(19, 0),
        start_minute=19 * 60,
        time_zone="America/Edmonton",
        latitude=51.05,
        longitude=-114.07,
        attendance_option="in_person",
    )
    online_evening = Meeting.objects.create(
        program=cast.desert,
        slug="online-evening",
        name="Online Evening Circle",
        day=3,
        start_time=dt.time(20, 0),
        start_minute=20 * 60,
        time_zone="America/Edmonton",
        attendance_option="online",
        conference_url="https://example.org/room",
    )
    online_small_hours = Meeting.objects.create(
        program=cast.desert,
        slug="online-3am",
        name="Online Night Owls",
        day=3,
        start_time=dt.time(3, 0),
        start_minute=3 * 60,
        time_zone="America/Edmonton",
        attendance_option="online",
        conference_url="https://example.org/owls",
    )
    return {"near": near, "far": far, "online_evening": online_evening, "online_small_hours": online_small_hours}


def test_member_plans_a_move_and_sees_meetings_near_the_new_place(cast, client_as, edmonton_meetings):
    client = client_as("riley")
    response = client.post("/meetings/moving/", {"place": "Edmonton", "move_on": SOON, "handoff_consent": "on"})
    assert response.status_code == 302
    page = client.get("/meetings/moving/").content.decode()
    assert "Downtown Serenity" in page
    assert "Calgary Hope" not in page  # about 280 km away
    assert "Online Evening Circle" in page
    assert "Online Night Owls" not in page  # 3 am in the new zone is no time to start
    relocation = Relocation.objects.get(user=cast.riley)
    assert relocation.time_zone == "America/Edmonton"
    assert relocation.handoff_consent is True


def test_unknown_place_says_what_to_do_and_keeps_the_date(cast, client_as):
    response = client_as("riley").post("/meetings/moving/", {"place": "Nowhereville Xq", "move_on": SOON})
    assert response.status_code == 200
    body = response.content.decode()
    assert "We could not find that place" in body
    assert SOON in body
    assert not Relocation.objects.filter(user=cast.riley).exists()


def test_bad_date_is_a_form_error_not_a_crash(client_as):
    response = client_as("riley").post("/meetings/moving/", {"place": "Edmonton", "move_on": "next tuesday"})
    assert response.status_code == 200
    assert "Enter a valid date" in response.content.decode()


def test_checklist_ticks_and_closing_the_plan(cast, client_as, edmonton_meetings):
    client = client_as("riley")
    client.post("/meetings/moving/", {"place": "Edmonton", "move_on": SOON})
    relocation = Relocation.objects.get(user=cast.riley)
    client.post(f"/meetings/moving/{relocation.pk}/check/", {"item": "meetings_found", "done": "1"})
    relocation.refresh_from_db()
    assert relocation.checklist["meetings_found"] is True
    client.post(f"/meetings/moving/{relocation.pk}/check/", {"item": "not-an-item", "done": "1"})
    client.post(f"/meetings/moving/{relocation.pk}/close/")
    assert selectors.my_relocation(cast.riley) is None


def test_someone_else_cannot_touch_my_plan(cast, client_as):
    place = gazetteer.find_places("Edmonton", limit=1)[0]
    relocation = services.relocation_plan(user=cast.riley, place=place, move_on=dt.date.fromisoformat(SOON))
    for who in ("sam", "casey", "alex"):
        assert client_as(who).post(f"/meetings/moving/{relocation.pk}/close/").status_code == 404


def test_peer_writes_a_handoff_only_with_the_members_yes(cast, client_as):
    place = gazetteer.find_places("Edmonton", limit=1)[0]
    url = f"/p/harbor/people/{cast.riley.pk}/moving/"
    relocation = services.relocation_plan(user=cast.riley, place=place, move_on=dt.date.fromisoformat(SOON))
    assert client_as("sam").get(url).status_code == 404  # no consent: nothing to see
    relocation.handoff_consent = True
    relocation.save(update_fields=["handoff_consent"])
    sam = client_as("sam")
    assert sam.get(url).status_code == 200
    response = sam.post(url, {"handoff_note": "Likes a text before a call. Mornings are hardest."})
    assert response.status_code == 302
    relocation.refresh_from_db()
    assert relocation.handoff_written_by == cast.sam
    assert "Mornings are hardest." in client_as("riley").get("/meetings/moving/").content.decode()
    assert client_as("dana").get(url).status_code == 403
    assert client_as("casey").get(url).status_code == 404


def test_ambiguous_place_asks_which_one(client_as):
    response = client_as("riley").post("/meetings/moving/", {"place": "Springfield", "move_on": SOON})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Which place do you mean?" in body


def test_asking_for_a_handoff_emails_the_current_peer_once(cast, client_as):
    from alongside.accounts.models import OutboundEmail

    client_as("riley").post("/meetings/moving/", {"place": "Edmonton", "move_on": SOON, "handoff_consent": "on"})
    mail = OutboundEmail.objects.filter(to="sam@example.org", idempotency_key__startswith="relocation-handoff:")
    assert mail.count() == 1
    assert "riley" in mail.get().subject
    assert "/moving/" in mail.get().body_text
    assert "Edmonton" not in mail.get().subject  # where someone moves is theirs to tell
