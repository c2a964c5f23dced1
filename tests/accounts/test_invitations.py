from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from alongside.accounts import services
from alongside.accounts.models import Invitation, Membership, Role, User


def _raw_token_from(message) -> str:
    return message.body.split("/invitations/")[1].split("/")[0]


def test_admin_invites_by_email_and_the_email_carries_a_working_link(
    cast, client_as, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("alex").post("/p/harbor/invitations/", {"email": "New.Peer@Example.org", "role": "peer"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="new.peer@example.org")
    assert invitation.role == Role.PEER
    assert mail.outbox[-1].to == ["new.peer@example.org"]
    token = _raw_token_from(mail.outbox[-1])
    assert token not in invitation.token_hash  # only the hash is stored
    assert services.invitation_find_open(token) == invitation


def test_invited_person_accepts_and_lands_in_the_program(cast, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_send(program=cast.harbor, inviter=cast.alex, email="kim@example.org", role="member")
    token = _raw_token_from(mail.outbox[-1])
    kim = User.objects.create_user(email="kim@example.org", password="x", handle="kim")
    client.force_login(kim)
    assert client.get(f"/invitations/{token}/").status_code == 200
    response = client.post(f"/invitations/{token}/")
    assert response.status_code == 302
    assert Membership.objects.get(user=kim, program=cast.harbor).role == Role.MEMBER
    # The link is spent.
    assert client.get(f"/invitations/{token}/").status_code == 404


def test_invitation_for_another_email_cannot_be_accepted(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_send(program=cast.harbor, inviter=cast.alex, email="kim@example.org", role="admin")
    token = _raw_token_from(mail.outbox[-1])
    with pytest.raises(PermissionDenied):
        services.invitation_accept(raw_token=token, user=cast.casey)
    assert not Membership.objects.filter(user=cast.casey, program=cast.harbor).exists()


def test_expired_and_revoked_invitations_do_not_work(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_send(
            program=cast.harbor, inviter=cast.alex, email="kim@example.org", role="member"
        )
    token = _raw_token_from(mail.outbox[-1])
    kim = User.objects.create_user(email="kim@example.org", password="x", handle="kim")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(ValidationError):
        services.invitation_accept(raw_token=token, user=kim)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() + dt.timedelta(days=1))
    invitation.refresh_from_db()
    services.invitation_revoke(invitation=invitation)
    with pytest.raises(ValidationError):
        services.invitation_accept(raw_token=token, user=kim)


def test_a_new_invitation_replaces_the_open_one(cast):
    first = services.invitation_send(program=cast.harbor, inviter=cast.alex, email="kim@example.org", role="member")
    second = services.invitation_send(program=cast.harbor, inviter=cast.alex, email="KIM@example.org", role="ally")
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert second.is_open


def test_inviting_someone_already_in_the_program_says_so(cast, client_as):
    response = client_as("alex").post("/p/harbor/invitations/", {"email": "riley@example.org", "role": "member"})
    assert response.status_code == 200
    assert "already in the program" in response.content.decode()


def test_wrong_form_keeps_what_was_typed_and_says_what_to_fix(cast, client_as):
    response = client_as("alex").post("/p/harbor/invitations/", {"email": "not-an-email", "role": "peer"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="not-an-email"' in body
    assert "valid email" in body


def test_signed_out_invitee_is_brought_back_to_the_invitation_after_signing_in(
    cast, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_send(program=cast.harbor, inviter=cast.alex, email="kim@example.org", role="member")
    token = _raw_token_from(mail.outbox[-1])
    assert client.get(f"/invitations/{token}/").status_code == 200
    kim = User.objects.create_user(email="kim@example.org", password="x", handle="kim")
    client.force_login(kim)  # keeps the session, as a real sign-in does
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == f"/invitations/{token}/"


def test_person_in_several_programs_switches_between_them(cast, client_as):
    services.membership_add(user=cast.riley, program=cast.desert, role=Role.ALLY)
    client = client_as("riley")
    client.post("/programs/", {"program": cast.harbor.pk})
    assert "Harbor Recovery Community" in client.get("/").content.decode()
    client.post("/programs/", {"program": cast.desert.pk})
    home = client.get("/").content.decode()
    assert "Desert Bloom Aftercare" in home
    assert "only what the person you support chooses to share" in home


def test_taking_a_staff_role_anywhere_requires_two_factor_first(cast, client_as):
    services.membership_add(user=cast.riley, program=cast.desert, role=Role.PEER)
    response = client_as("riley").get("/")
    assert response.status_code == 302
    assert response["Location"] == "/welcome/two-factor/"
    # Help is never behind the gate.
    assert client_as("riley").get("/help/").status_code == 200


def test_switching_to_a_program_you_are_not_in_is_refused(cast, client_as):
    client = client_as("riley")
    response = client.post("/programs/", {"program": cast.desert.pk}, follow=True)
    assert "Choose one of your programs" in response.content.decode()
    assert "Harbor Recovery Community" in client.get("/").content.decode()


def test_admin_creates_a_program_and_becomes_its_admin(cast, client_as):
    response = client_as("alex").post(
        "/programs/new/", {"name": "Lakeside Fellowship", "slug": "", "time_zone": "America/Chicago"}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=cast.alex, program__slug="lakeside-fellowship")
    assert membership.role == Role.ADMIN


def test_program_slug_must_be_unique(cast, client_as):
    response = client_as("alex").post("/programs/new/", {"name": "Harbor", "slug": "harbor", "time_zone": "UTC"})
    assert response.status_code == 200
    assert Membership.objects.filter(user=cast.alex).count() == 1
