"""Person-level journeys in a real browser (ARCHITECTURE.md §8).

Chromium is Debian's (/usr/bin/chromium); Playwright never downloads a browser here.
Every page a journey visits gets an axe scan: no "serious" or "critical" violation.

Playwright's sync API runs an asyncio event loop in the main thread, and Django refuses
ORM calls from a thread with a running loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set. The
tests' own ORM calls (seeding the cast, reading mail, flushing the database) are ordinary
synchronous calls, and the live server (pytest-django's ``live_server``) answers from its
own thread, so allowing it is safe here. The variable is set, and the browser (with its
loop) kept, for this package only: that is the whole session for ``pytest tests/e2e``,
and in a full run the loop is gone and the variable restored before the other tests run,
so their async-safety checks still bite and the subprocesses they start do not inherit
it (``check --deploy`` rightly refuses it: tests/test_settings.py).

The site's Content-Security-Policy stays on in every context (see ``axe_check``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright

CHROMIUM = os.environ.get("ALONGSIDE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_VIEWPORT = {"width": 390, "height": 844}
BLOCKING_IMPACTS = {"serious", "critical"}
# Generous enough for a cold Chromium on a busy CI box, short enough to fail fast.
TIMEOUT_MS = 15_000
expect.set_options(timeout=TIMEOUT_MS)

E2E_DIR = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="package", autouse=True)
def _allow_orm_beside_playwright() -> Iterator[None]:
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(_allow_orm_beside_playwright) -> Iterator[Browser]:
    """One Chromium for all journeys (each test gets its own context, see ``page``)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def viewport() -> dict[str, int]:
    """Override in a test module (or parametrize indirectly) for another screen size."""
    return dict(DEFAULT_VIEWPORT)


@pytest.fixture
def page(browser: Browser, viewport: dict[str, int]) -> Iterator[Page]:
    # A new context per test: no cookies, storage or session survive between journeys.
    context = browser.new_context(viewport=viewport, locale="en-US", accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def e2e_server(live_server, transactional_db, settings):
    """The live server (a thread of this process), with links in emails pointing at it.

    Mail goes to the locmem outbox, which the test reads directly.
    """
    settings.SITE_URL = live_server.url
    outbox().clear()
    return live_server


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}\n  {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    target: {', '.join(map(str, node['target']))}")
            lines.append(f"      html: {node.get('html', '').strip()[:300]}")
            summary = (node.get("failureSummary") or "").strip().replace("\n", "\n            ")
            if summary:
                lines.append(f"      why:  {summary}")
    return "\n".join(lines)


_axe = Axe()


def axe_check(page: Page) -> None:
    """Run axe on the page as it is now; fail on any serious or critical violation.

    Axe is injected with ``page.evaluate`` (DevTools Runtime.evaluate), which the page's
    Content-Security-Policy does not govern, so the site's strict CSP stays on: no
    ``bypass_csp`` context is needed.
    """
    page.wait_for_load_state("load")
    results = _axe.run(page)
    violations = results.response["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    if blocking:
        report = _describe(blocking)
        pytest.fail(
            f"axe found serious/critical violations on {page.url}:\n{report}",
            pytrace=False,
        )


@pytest.fixture(name="axe_check")
def axe_check_fixture():
    return axe_check


def link_from(message, pattern: str) -> str:
    """The first absolute link in an email whose path matches ``pattern``."""
    bodies = [message.body] + [body for body, _mime in getattr(message, "alternatives", [])]
    for body in bodies:
        for url in re.findall(r"https?://[^\s\"'<>]+", body):
            if re.search(pattern, url):
                return url
    raise AssertionError(f"no link matching {pattern!r} in email {message.subject!r}:\n{message.body}")


def outbox() -> list:
    """The locmem outbox as it is now (always looked up afresh: fixtures may replace it)."""
    from django.core import mail

    if not hasattr(mail, "outbox"):
        mail.outbox = []
    return mail.outbox


def wait_for_mail(address: str, subject_contains: str = "", timeout: float = 10.0):
    """The newest email to ``address``; mail is sent after commit, so allow a moment."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        for message in reversed(outbox()):
            if address in message.to and subject_contains.lower() in str(message.subject).lower():
                return message
        if time.monotonic() > deadline:
            raise AssertionError(
                f"no email to {address} about {subject_contains!r}; outbox: {[(m.to, m.subject) for m in outbox()]}"
            )
        time.sleep(0.1)


def totp_now(secret: str) -> str:
    """The current code, never one about to expire (allauth allows no clock drift)."""
    import time

    import pyotp

    totp = pyotp.TOTP(secret)
    remaining = totp.interval - (time.time() % totp.interval)
    if remaining < 5:
        time.sleep(remaining + 0.2)
    return totp.now()


def sign_in(
    page: Page,
    base_url: str,
    email: str,
    password: str,
    *,
    totp_secret: str | None = None,
) -> None:
    """Sign in through the real form (and the two-factor step for staff), scanning each page."""
    page.goto(f"{base_url}/accounts/login/")
    axe_check(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    if totp_secret is not None:
        page.wait_for_url("**/accounts/2fa/authenticate/")
        axe_check(page)
        page.get_by_label("Code").fill(totp_now(totp_secret))
        page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url and "/accounts/2fa/" not in url)


def staff_page(browser: Browser, base_url: str, email: str, viewport: dict[str, int] | None = None) -> Page:
    """A signed-in staff member in a browser context of their own (two-factor included)."""
    from alongside.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

    context = browser.new_context(viewport=viewport or DEFAULT_VIEWPORT, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    staff = context.new_page()
    sign_in(staff, base_url, email, DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    return staff
