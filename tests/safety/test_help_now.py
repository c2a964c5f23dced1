from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_help_page_is_open_to_everyone_and_lists_national_lines(client):
    response = client.get(reverse("help_now"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="tel:988"' in body
    assert 'href="sms:988"' in body
    assert "sms:741741?&amp;body=HOME" in body
    assert 'href="tel:1-800-662-4357"' in body
    assert 'href="tel:911"' in body
    assert "naloxone" in body.lower()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"])
def test_every_public_page_links_to_help(client, path):
    body = client.get(path).content.decode()
    assert f'href="{reverse("help_now")}"' in body


def test_every_signed_in_page_links_to_help(client_as):
    for name, path in [("riley", "/"), ("riley", "/privacy/"), ("alex", "/p/harbor/people/"), ("sam", "/programs/")]:
        response = client_as(name).get(path)
        assert response.status_code == 200, path
        assert f'href="{reverse("help_now")}"' in response.content.decode()


def test_help_is_reachable_before_a_handle_is_chosen(db, client, django_user_model):
    user = django_user_model.objects.create_user(email="new@example.org", password="a-long-password-1")
    client.force_login(user)
    assert client.get("/").status_code == 302
    assert client.get(reverse("help_now")).status_code == 200
