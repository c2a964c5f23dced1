"""Strict parsers for settings read from environment variables.

A typo in production configuration must stop the process at start with a message that
names the variable, rather than silently falling back to an insecure default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


class ConfigError(Exception):
    """Raised for an environment variable that cannot be used as given."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"Environment variable {name}: {problem}")
        self.name = name


def _raw(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str | None = None, *, environ: Mapping[str, str] = os.environ) -> str | None:
    value = _raw(environ, name)
    return default if value is None else value


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] = os.environ) -> bool:
    value = _raw(environ, name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise ConfigError(name, f"expected one of true/false, yes/no, on/off, 1/0, got {value!r}")


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] = os.environ,
) -> int:
    value = _raw(environ, name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(name, f"expected a whole number, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise ConfigError(name, f"must be at least {minimum}, got {number}")
    if maximum is not None and number > maximum:
        raise ConfigError(name, f"must be at most {maximum}, got {number}")
    return number


def env_list(name: str, default: list[str], *, environ: Mapping[str, str] = os.environ) -> list[str]:
    value = _raw(environ, name)
    if value is None:
        return list(default)
    items = [item.strip() for item in value.split(",")]
    if any(item == "" for item in items):
        raise ConfigError(name, f"expected a comma-separated list without empty items, got {value!r}")
    return items


def env_database(name: str, default: str, *, environ: Mapping[str, str] = os.environ) -> dict:
    value = _raw(environ, name) or default
    scheme = urlsplit(value).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ConfigError(name, f"expected a sqlite:/// or postgres:// URL, got scheme {scheme!r}")
    try:
        config = dict(dj_database_url.parse(value))
    except Exception as exc:  # dj-database-url raises several types for bad URLs
        raise ConfigError(name, f"could not parse {value!r}: {exc}") from None
    if config["ENGINE"] == "django.db.backends.postgresql" and not config.get("NAME"):
        raise ConfigError(name, "a PostgreSQL URL must name a database, e.g. postgres://user@host:5432/alongside")
    return config


def env_redis_url(name: str, *, environ: Mapping[str, str] = os.environ) -> str | None:
    value = _raw(environ, name)
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in {"redis", "rediss", "unix"}:
        raise ConfigError(name, f"expected a redis://, rediss:// or unix:// URL, got {value!r}")
    if parts.scheme != "unix" and not parts.hostname:
        raise ConfigError(name, f"the URL has no host: {value!r}")
    return value


EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "submission": "django.core.mail.backends.smtp.EmailBackend",
}


def env_email(name: str, default: str, *, environ: Mapping[str, str] = os.environ) -> dict:
    """Parse ``EMAIL_URL`` (``console:``, ``locmem:``, ``smtp://user:pass@host:587``,
    ``smtps://...`` for implicit TLS, ``submission://...`` for STARTTLS on 587)."""
    value = _raw(environ, name) or default
    parts = urlsplit(value)
    backend = EMAIL_BACKENDS.get(parts.scheme)
    if backend is None:
        raise ConfigError(name, f"expected console:, locmem:, smtp://, smtps:// or submission:// URL, got {value!r}")
    config: dict = {"EMAIL_BACKEND": backend}
    if parts.scheme in {"smtp", "smtps", "submission"}:
        if not parts.hostname:
            raise ConfigError(name, f"an SMTP URL needs a host, got {value!r}")
        try:
            port = parts.port
        except ValueError:
            raise ConfigError(name, f"the port is not a number in {value!r}") from None
        query = parse_qs(parts.query)
        config.update(
            EMAIL_HOST=parts.hostname,
            EMAIL_PORT=port or {"smtp": 25, "smtps": 465, "submission": 587}[parts.scheme],
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_SSL=parts.scheme == "smtps",
            EMAIL_USE_TLS=parts.scheme == "submission" or query.get("tls") == ["true"],
        )
    return config
