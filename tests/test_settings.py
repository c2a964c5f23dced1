"""The settings module read as an operator would run it: in a fresh process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROD_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "-production-secret-for-the-deploy-check-" + "z" * 20,
    "ALLOWED_HOSTS": "alongside.example.org",
    "TRUST_X_FORWARDED_PROTO": "true",
    "EMAIL_URL": "submission://mailer:pw@smtp.example.org",
}


def _alongside(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "HTTPS"}}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "alongside.cli", *args],
        env={**clean, **env, "DATA_DIR": str(ROOT / "var" / "test-settings")},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = _alongside("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_bad_value_stops_start_and_names_the_variable():
    result = _alongside("check", env={**PROD_ENV, "SESSION_IDLE_MINUTES": "soon"})
    assert result.returncode == 2
    assert "SESSION_IDLE_MINUTES" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_secret_key_outside_debug_is_refused():
    env = {k: v for k, v in PROD_ENV.items() if k != "SECRET_KEY"}
    result = _alongside("check", env=env)
    assert result.returncode == 2
    assert "SECRET_KEY" in result.stderr


HEADER_PROBE = """
import json
from django.test import Client
from django.test.utils import setup_test_environment
c = Client(HTTP_HOST="alongside.example.org", HTTP_X_FORWARDED_PROTO="https")
r = c.get("/help/")
plain = Client(HTTP_HOST="alongside.example.org").get("/help/")
print(json.dumps({
    "status": r.status_code,
    "headers": dict(r.headers),
    "plain_status": plain.status_code,
    "plain_location": plain.headers.get("Location"),
    "session_cookie": __import__("django.conf").conf.settings.SESSION_COOKIE_NAME,
    "csrf_cookie": __import__("django.conf").conf.settings.CSRF_COOKIE_NAME,
    "session_secure": __import__("django.conf").conf.settings.SESSION_COOKIE_SECURE,
    "session_age": __import__("django.conf").conf.settings.SESSION_COOKIE_AGE,
}))
"""


def test_production_responses_carry_security_headers_behind_a_tls_proxy():
    import json

    result = _alongside("shell", "-c", HEADER_PROBE, env={**PROD_ENV, "STATIC_MANIFEST": "false"})
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    headers = {k.lower(): v for k, v in probe["headers"].items()}
    assert probe["status"] == 200
    hsts = headers["strict-transport-security"]
    assert int(hsts.split("max-age=")[1].split(";")[0]) >= 31_536_000
    csp = headers["content-security-policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "frame-ancestors 'none'" in csp
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    # Plain HTTP is sent to HTTPS.
    assert probe["plain_status"] == 301
    assert probe["plain_location"].startswith("https://")
    assert probe["session_cookie"].startswith("__Host-")
    assert probe["csrf_cookie"].startswith("__Host-")
    assert probe["session_secure"] is True
    assert probe["session_age"] == 3600
