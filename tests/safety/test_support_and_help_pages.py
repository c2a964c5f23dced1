from __future__ import annotations

import datetime as dt

from alongside.safety import services
from alongside.safety.models import Alert, AlertKind, CrisisResource, OnCallShift


def test_one_tap_raises_an_alert_and_shows_crisis_lines_at_once(cast, client_as):
    client = client_as("riley")
    home = client.get("/").content.decode()
    assert 'action="/support/"' in home
    response = client.post("/support/", follow=True)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="tel:988"' in body
    alert = Alert.objects.filter(subject=cast.riley).latest("raised_at")
    assert alert.kind == AlertKind.HELP_REQUEST
    assert alert.status == "open"


def test_optional_details_reach_the_alert(cast, client_as):
    client = client_as("riley")
    client.post("/support/")
    alert = Alert.objects.filter(subject=cast.riley).latest("raised_at")
    client.post(f"/support/{alert.pk}/", {"message": "cravings are bad", "contact_preference": "message"})
    alert.refresh_from_db()
    assert alert.message == "cravings are bad"
    assert alert.contact_preference == "message"
    assert "updated" in list(alert.events.values_list("kind", flat=True))


def test_staff_and_allies_do_not_see_the_support_button(cast, client_as):
    for name in ("sam", "jordan", "alex"):
        assert 'action="/support/"' not in client_as(name).get("/help/").content.decode()


def test_help_page_shows_the_program_lines_for_the_reader_language(cast, client_as):
    CrisisResource.objects.create(program=cast.harbor, name="Línea en español", phone="1-888-555-0100", language="es")
    client = client_as("riley")
    english = client.get("/help/").content.decode()
    assert "Harbor warmline" in english
    assert "Línea en español" not in english
    spanish = client.get("/help/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Línea en español" in spanish


def test_public_help_page_of_a_program_and_unknown_program(cast, client):
    assert "Harbor warmline" in client.get("/help/harbor/").content.decode()
    assert client.get("/help/no-such-program/").status_code == 404
    # Signed out without a program: the national lines.
    assert 'href="tel:1-800-662-4357"' in client.get("/help/").content.decode()


def test_admin_edits_lines_and_bad_input_says_what_to_fix(cast, client_as):
    client = client_as("alex")
    response = client.post("/p/harbor/safety/resources/", {"name": "No way to reach", "order": 1})
    assert response.status_code == 200
    assert "at least a phone number" in response.content.decode()
    response = client.post("/p/harbor/safety/resources/", {"name": "Local line", "phone": "555-0100", "order": 1})
    assert response.status_code == 302
    assert CrisisResource.objects.filter(program=cast.harbor, name="Local line").exists()


def test_reset_restores_the_national_lines(cast, client_as):
    CrisisResource.objects.filter(program=cast.harbor).delete()
    client_as("alex").post("/p/harbor/safety/resources/reset/")
    phones = set(CrisisResource.objects.filter(program=cast.harbor).values_list("phone", flat=True))
    assert {"988", "1-800-662-4357", "911"} <= phones


def test_escalation_window_rejects_nonsense(cast, client_as):
    response = client_as("alex").post(
        "/p/harbor/safety/settings/", {"crisis_window_minutes": "999", "concern_window_minutes": "60"}
    )
    assert response.status_code == 400
    assert "1 to 240 minutes" in response.content.decode()


def test_on_call_shift_times_mean_the_program_time_zone(cast, client_as):
    OnCallShift.objects.all().delete()
    response = client_as("alex").post(
        "/p/harbor/safety/on-call/",
        {"person": str(cast.sam.pk), "starts_at": "2026-12-01T18:00", "ends_at": "2026-12-02T06:00"},
    )
    assert response.status_code == 302
    shift = OnCallShift.objects.get(program=cast.harbor)
    # Harbor is in Los Angeles: 18:00 PST is 02:00 UTC the next day.
    assert shift.starts_at == dt.datetime(2026, 12, 2, 2, 0, tzinfo=dt.UTC)


def test_on_call_shift_must_end_after_it_starts(cast, client_as):
    response = client_as("alex").post(
        "/p/harbor/safety/on-call/",
        {"person": str(cast.sam.pk), "starts_at": "2026-12-01T18:00", "ends_at": "2026-12-01T17:00"},
    )
    assert response.status_code == 200
    assert "end after it starts" in response.content.decode()


def test_only_staff_can_be_on_call(cast):
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.on_call_shift_add(
            program=cast.harbor,
            person=cast.jordan,
            starts_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
            ends_at=dt.datetime(2026, 12, 2, tzinfo=dt.UTC),
            created_by=cast.alex,
        )


def test_member_sees_their_own_safety_history(cast, client_as):
    body = client_as("riley").get("/safety/history/").content.decode()
    assert "Called Riley" in body
    assert "Resolved" in body
