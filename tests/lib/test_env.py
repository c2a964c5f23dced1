from __future__ import annotations

import pytest

from alongside.lib.env import ConfigError, env_bool, env_database, env_email, env_int, env_list, env_redis_url


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("YES", True), ("1", True), ("off", False), ("0", False)]
)
def test_bool_accepts_the_usual_words(raw, expected):
    assert env_bool("DEBUG", not expected, environ={"DEBUG": raw}) is expected


def test_bool_rejects_a_typo_naming_the_variable():
    with pytest.raises(ConfigError, match="DEBUG"):
        env_bool("DEBUG", False, environ={"DEBUG": "ture"})


def test_empty_value_means_default():
    assert env_bool("DEBUG", True, environ={"DEBUG": "  "}) is True
    assert env_int("PORT", 8000, environ={"PORT": ""}) == 8000


def test_int_rejects_words_and_out_of_range():
    with pytest.raises(ConfigError, match=r"SESSION_IDLE_MINUTES.*whole number"):
        env_int("SESSION_IDLE_MINUTES", 60, environ={"SESSION_IDLE_MINUTES": "an hour"})
    with pytest.raises(ConfigError, match="at least 5"):
        env_int("SESSION_IDLE_MINUTES", 60, minimum=5, environ={"SESSION_IDLE_MINUTES": "1"})


def test_list_splits_and_rejects_empty_items():
    assert env_list("ALLOWED_HOSTS", [], environ={"ALLOWED_HOSTS": "a.org, b.org"}) == ["a.org", "b.org"]
    with pytest.raises(ConfigError, match="ALLOWED_HOSTS"):
        env_list("ALLOWED_HOSTS", [], environ={"ALLOWED_HOSTS": "a.org,,b.org"})


def test_database_url_for_postgres_and_sqlite():
    pg = env_database("DATABASE_URL", "sqlite:///x.db", environ={"DATABASE_URL": "postgres://u:p@db:5432/alongside"})
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert pg["NAME"] == "alongside"
    lite = env_database("DATABASE_URL", "sqlite:////tmp/x.sqlite3", environ={})
    assert lite["ENGINE"] == "django.db.backends.sqlite3"


@pytest.mark.parametrize("bad", ["mysql://u@h/db", "postgres://u@h:5432/", "not a url"])
def test_database_url_rejects_what_we_do_not_run_on(bad):
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        env_database("DATABASE_URL", "sqlite:///x.db", environ={"DATABASE_URL": bad})


def test_redis_url_must_be_redis():
    assert env_redis_url("REDIS_URL", environ={"REDIS_URL": "redis://127.0.0.1:6379/0"}) == "redis://127.0.0.1:6379/0"
    assert env_redis_url("REDIS_URL", environ={}) is None
    with pytest.raises(ConfigError, match="REDIS_URL"):
        env_redis_url("REDIS_URL", environ={"REDIS_URL": "http://127.0.0.1:6379"})


def test_email_url_smtp_with_starttls():
    config = env_email("EMAIL_URL", "console:", environ={"EMAIL_URL": "submission://me%40x.org:s3cret@mail.x.org"})
    assert config["EMAIL_HOST"] == "mail.x.org"
    assert config["EMAIL_PORT"] == 587
    assert config["EMAIL_HOST_USER"] == "me@x.org"
    assert config["EMAIL_USE_TLS"] is True
    assert config["EMAIL_USE_SSL"] is False


def test_email_url_console_and_bad_scheme():
    assert env_email("EMAIL_URL", "console:", environ={})["EMAIL_BACKEND"].endswith("console.EmailBackend")
    with pytest.raises(ConfigError, match="EMAIL_URL"):
        env_email("EMAIL_URL", "console:", environ={"EMAIL_URL": "sendgrid://key"})
    with pytest.raises(ConfigError, match="port"):
        env_email("EMAIL_URL", "console:", environ={"EMAIL_URL": "smtp://host:notaport"})
