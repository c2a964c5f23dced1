"""The private journal: the member's alone, and deleting deletes."""

from __future__ import annotations

import json

import pytest

from alongside.recovery import services
from alongside.recovery.models import JournalEntry
from alongside.safety.models import Alert


def _entry(cast, body: str = "A hard day, but I went to the meeting.", title: str = "Tuesday") -> JournalEntry:
    return services.journal_write(user=cast.riley, body=body, title=title)


def test_member_writes_an_entry_and_finds_it_in_the_journal(cast, client_as):
    client = client_as("riley")
    response = client.post("/journal/new/", {"title": "Thursday", "body": "Called my sister. Felt lighter."})
    assert response.status_code == 302 and response["Location"] == "/journal/"
    entry = JournalEntry.objects.get(user=cast.riley, title="Thursday")
    assert entry.body == "Called my sister. Felt lighter."
    listing = client.get("/journal/").content.decode()
    assert "Thursday" in listing and "Called my sister. Felt lighter." in listing
    assert f'href="/journal/{entry.pk}/"' in listing


def test_an_empty_entry_is_shown_again_with_what_to_do(cast, client_as):
    response = client_as("riley").post("/journal/new/", {"title": "Friday", "body": "   "})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Write something first." in body
    assert 'value="Friday"' in body
    assert not JournalEntry.objects.filter(title="Friday").exists()


def test_member_edits_an_entry(cast, client_as):
    entry = _entry(cast)
    client = client_as("riley")
    page = client.get(f"/journal/{entry.pk}/").content.decode()
    assert "A hard day, but I went to the meeting.</textarea>" in page
    response = client.post(f"/journal/{entry.pk}/", {"title": "Tuesday", "body": "A hard day. I went anyway."})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.body == "A hard day. I went anyway."
    assert entry.updated_at > entry.created_at


def test_emptying_an_entry_keeps_it_and_points_to_delete(cast, client_as):
    entry = _entry(cast)
    response = client_as("riley").post(f"/journal/{entry.pk}/", {"title": "Changed title", "body": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="Changed title"' in body
    assert f'href="/journal/{entry.pk}/delete/"' in body
    entry.refresh_from_db()
    assert entry.title == "Tuesday"


def test_delete_asks_first_then_really_deletes(cast, client_as):
    entry = _entry(cast)
    client = client_as("riley")
    confirm = client.get(f"/journal/{entry.pk}/delete/")
    assert confirm.status_code == 200
    assert "cannot be brought back" in confirm.content.decode()
    assert JournalEntry.objects.filter(pk=entry.pk).exists()  # asking deletes nothing
    response = client.post(f"/journal/{entry.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/journal/"
    assert not JournalEntry.objects.filter(pk=entry.pk).exists()
    assert client.get(f"/journal/{entry.pk}/").status_code == 404
    export = json.loads(client.get("/privacy/export.json").content)
    assert "A hard day, but I went to the meeting." not in json.dumps(export)


@pytest.mark.parametrize("name", ["sam", "dana", "alex", "jordan", "casey"])
def test_peer_cannot_read_member_journal(cast, client_as, name):
    entry = _entry(cast)
    client = client_as(name)
    assert client.get(f"/journal/{entry.pk}/").status_code == 404
    assert client.post(f"/journal/{entry.pk}/", {"body": "overwritten"}).status_code == 404
    assert client.get(f"/journal/{entry.pk}/delete/").status_code == 404
    assert client.post(f"/journal/{entry.pk}/delete/").status_code == 404
    listing = client.get("/journal/").content.decode()
    assert "A hard day" not in listing and "Nervous and proud" not in listing
    entry.refresh_from_db()
    assert entry.body == "A hard day, but I went to the meeting."


def test_the_journal_is_in_the_members_own_export(cast, client_as):
    _entry(cast)
    data = json.loads(client_as("riley").get("/privacy/export.json").content)
    bodies = [entry["body"] for entry in data["recovery"]["journal"]]
    assert "A hard day, but I went to the meeting." in bodies
    # ... and in nobody else's.
    assert "A hard day" not in client_as("sam").get("/privacy/export.json").content.decode()


def test_journal_list_shows_twenty_entries_a_page(cast, client_as):
    JournalEntry.objects.filter(user=cast.riley).delete()
    for number in range(25):
        services.journal_write(user=cast.riley, title=f"Entry {number:02d}", body="words")
    client = client_as("riley")
    first = client.get("/journal/")
    assert len(first.context["page"].object_list) == 20
    assert "Page 1 of 2" in first.content.decode()
    assert 'href="?page=2"' in first.content.decode()
    second = client.get("/journal/?page=2")
    assert len(second.context["page"].object_list) == 5
    # Any page value a person can type shows a page rather than an error.
    assert client.get("/journal/?page=nonsense").context["page"].number == 1
    assert client.get("/journal/?page=999").context["page"].number == 2


def test_journal_pages_say_it_is_private_and_offer_help(cast, client_as):
    client = client_as("riley")
    for url in ("/journal/", "/journal/new/"):
        body = client.get(url).content.decode()
        assert "Only you can read your journal." in body
        assert "nothing you write here alerts anyone" in body
        assert 'href="/help/"' in body


def test_what_is_written_in_the_journal_raises_no_alert(cast, client_as):
    before = Alert.objects.count()
    client_as("riley").post("/journal/new/", {"body": "I want to die tonight and I have pills saved up."})
    assert JournalEntry.objects.filter(user=cast.riley, body__startswith="I want to die").exists()
    assert Alert.objects.count() == before


def test_journal_pages_are_not_cached(cast, client_as):
    entry = _entry(cast)
    response = client_as("riley").get(f"/journal/{entry.pk}/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
