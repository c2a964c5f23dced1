from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from alongside.accounts import services
from alongside.accounts.models import User


@pytest.fixture
def newcomer(db):
    return User.objects.create_user(email="new@example.org", password="x")


def test_person_without_handle_is_asked_for_one_first(client, newcomer):
    client.force_login(newcomer)
    response = client.get("/privacy/")
    assert response.status_code == 302
    assert response["Location"] == "/welcome/handle/"


def test_choosing_a_handle_then_reaching_home(client, newcomer):
    client.force_login(newcomer)
    response = client.post("/welcome/handle/", {"handle": "river_walker"})
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.handle == "river_walker"
    assert client.get("/").status_code == 200


def test_handles_are_unique_ignoring_case(cast, client, newcomer):
    client.force_login(newcomer)
    response = client.post("/welcome/handle/", {"handle": "RILEY"})
    assert response.status_code == 200
    assert "already uses that handle" in response.content.decode()
    assert 'value="RILEY"' in response.content.decode()


@pytest.mark.parametrize("bad", ["a", "me@example.org", "admin", "has space", "-dash-first"])
def test_unusable_handles_are_refused_with_a_reason(newcomer, bad):
    with pytest.raises(ValidationError):
        services.user_set_handle(user=newcomer, handle=bad)


def test_signup_does_not_reveal_whether_an_email_exists(cast, client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(
            "/accounts/signup/",
            {
                "email": "riley@example.org",
                "password1": "a-fresh-long-passphrase",
                "password2": "a-fresh-long-passphrase",
            },
        )
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post(
            "/accounts/signup/",
            {
                "email": "brand.new@example.org",
                "password1": "a-fresh-long-passphrase",
                "password2": "a-fresh-long-passphrase",
            },
        )
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_password_reset_does_not_reveal_whether_an_email_exists(cast, client):
    known = client.post("/accounts/password/reset/", {"email": "riley@example.org"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_common_passwords_are_refused(db, client):
    response = client.post(
        "/accounts/signup/", {"email": "p@example.org", "password1": "password123", "password2": "password123"}
    )
    assert response.status_code == 200
    assert "too common" in response.content.decode()


def test_sign_in_is_rate_limited(cast, client):
    for _ in range(5):
        client.post("/accounts/login/", {"login": "riley@example.org", "password": "wrong-password"})
    from alongside.accounts.demo import DEMO_PASSWORD

    # Even the right password is refused for a while after five failures.
    response = client.post("/accounts/login/", {"login": "riley@example.org", "password": DEMO_PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_sign_in_asks_for_the_second_factor(cast, client):
    from alongside.accounts.demo import DEMO_PASSWORD

    response = client.post("/accounts/login/", {"login": "sam@example.org", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"


def test_language_switch_is_remembered_on_the_account(cast, client_as):
    client_as("riley").post("/i18n/setlang/", {"language": "es", "next": "/"})
    cast.riley.refresh_from_db()
    assert cast.riley.preferred_language == "es"


def test_language_switch_ignores_unknown_languages(cast, client_as):
    client_as("riley").post("/i18n/setlang/", {"language": "xx", "next": "/"})
    cast.riley.refresh_from_db()
    assert cast.riley.preferred_language == "en"
