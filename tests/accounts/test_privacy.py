from __future__ import annotations

import json

from alongside.accounts import selectors
from alongside.accounts.models import AuditEvent, Consent, ConsentScope, Membership, User


def test_member_changes_consents_and_the_choice_sticks(cast, client_as):
    client = client_as("riley")
    assert selectors.consent_choices(cast.riley, cast.harbor)[ConsentScope.CHECKINS_PEER] is True
    response = client.post("/privacy/", {"outcomes_deidentified": "on"})
    assert response.status_code == 302
    choices = selectors.consent_choices(cast.riley, cast.harbor)
    assert choices == {
        ConsentScope.CHECKINS_PEER: False,
        ConsentScope.PLAN_PEER: False,
        ConsentScope.ASSESSMENTS_PEER: False,
        ConsentScope.ATTENDANCE_PEER: False,
        ConsentScope.OUTCOMES_DEIDENTIFIED: True,
    }
    body = client.get("/privacy/").content.decode()
    assert "Your daily check-ins and trends (you said no)" in body


def test_no_answer_means_no(cast):
    choices = selectors.consent_choices(cast.casey, cast.desert)
    assert set(choices) == set(ConsentScope.values)
    assert not any(choices.values())


def test_privacy_page_shows_what_each_role_sees(cast, client_as):
    body = client_as("riley").get("/privacy/").content.decode()
    for role in ["Peer supporter", "Supervisor", "Program admin", "Ally (family or friend)"]:
        assert role in body
    assert "Your journal" in body


def test_export_has_everything_about_me_and_nothing_about_others(cast, client_as):
    response = client_as("riley").get("/privacy/export.json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["account"]["email"] == "riley@example.org"
    assert data["memberships"][0]["program_slug"] == "harbor"
    handles = {link["handle"] for link in data["memberships"][0]["care_team"]}
    assert handles == {"sam", "jordan"}
    assert data["access_log"][0]["who"] == "sam"
    text = response.content.decode()
    assert "casey@example.org" not in text and "sam@example.org" not in text


def test_export_does_not_grow_queries_with_history(cast, client_as, django_assert_max_num_queries):
    for _ in range(20):
        AuditEvent.objects.create(actor=cast.sam, actor_label="sam", subject=cast.riley, action="viewed_record")
    client = client_as("riley")
    # Accounts' part plus one query per kind of recovery record; none per row.
    with django_assert_max_num_queries(24):
        assert client.get("/privacy/export.json").status_code == 200


def test_delete_account_needs_the_password_and_explains_what_happens(cast, client_as):
    client = client_as("riley")
    page = client.get("/privacy/delete-account/").content.decode()
    assert "cannot be undone" in page
    response = client.post("/privacy/delete-account/", {"password": "wrong"})
    assert response.status_code == 200
    assert User.objects.filter(pk=cast.riley.pk).exists()


def test_deleting_removes_my_data_and_keeps_who_looked_at_others(cast, client_as):
    from alongside.accounts.demo import DEMO_PASSWORD

    AuditEvent.objects.create(actor=cast.sam, actor_label="sam", subject=cast.riley, action="viewed_record")
    response = client_as("sam").post("/privacy/delete-account/", {"password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=cast.sam.pk).exists()
    kept = AuditEvent.objects.filter(subject=cast.riley, actor_label="sam")
    assert kept.exists() and kept.first().actor is None

    client_as("riley").post("/privacy/delete-account/", {"password": DEMO_PASSWORD})
    assert not Consent.objects.filter(member_id=cast.riley.pk).exists()
    assert not AuditEvent.objects.filter(subject_id=cast.riley.pk).exists()
    assert not Membership.objects.filter(user_id=cast.riley.pk).exists()


def test_the_only_admin_cannot_leave_their_program_without_an_heir(cast, client_as):
    from alongside.accounts.demo import DEMO_PASSWORD

    response = client_as("alex").post("/privacy/delete-account/", {"password": DEMO_PASSWORD})
    assert response.status_code == 200
    assert "only admin of Harbor Recovery Community" in response.content.decode()
    assert User.objects.filter(pk=cast.alex.pk).exists()
