"""At 320 px wide (the narrowest phones still in use), nothing scrolls sideways and the
Get help now link is on screen without scrolling (ARCHITECTURE.md §7)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from alongside.accounts.demo import DEMO_PASSWORD
from alongside.demo import seed_demo
from tests.e2e.conftest import axe_check, sign_in, staff_page

WIDTH, HEIGHT = 320, 568


@pytest.fixture
def viewport() -> dict[str, int]:
    return {"width": WIDTH, "height": HEIGHT}


def assert_fits_and_help_is_in_view(page: Page) -> None:
    page.wait_for_load_state("load")
    assert page.evaluate("window.scrollY") == 0
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, f"{page.url} scrolls sideways: scrollWidth {scroll_width} > {WIDTH}"
    help_link = page.get_by_role("banner").get_by_role("link", name="Get help now")
    expect(help_link).to_be_visible()
    expect(help_link).to_be_in_viewport(ratio=1)
    box = help_link.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, box
    assert box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT, box
    axe_check(page)


def test_home_help_and_privacy_fit_a_320px_screen(page: Page, e2e_server):
    base = e2e_server.url
    seed_demo()

    # Signed out: the public home and help pages.
    for path in ("/", "/help/"):
        page.goto(base + path)
        assert_fits_and_help_is_in_view(page)

    # Signed in as Riley: member home, help and privacy (with its tables and forms).
    sign_in(page, base, "riley@example.org", DEMO_PASSWORD)
    for path in ("/", "/help/", "/privacy/"):
        page.goto(base + path)
        expect(page).to_have_url(base + path)
        assert_fits_and_help_is_in_view(page)


def test_recovery_and_meeting_pages_fit_a_320px_screen(page: Page, e2e_server):
    from alongside.recovery.models import Clock, Goal

    base = e2e_server.url
    seed_demo()
    sign_in(page, base, "riley@example.org", DEMO_PASSWORD)
    clock = Clock.objects.filter(user__email="riley@example.org", ended_at__isnull=True).first()
    goal = Goal.objects.filter(user__email="riley@example.org").first()
    assert clock is not None and goal is not None
    for path in (
        "/checkin/",
        "/checkins/?days=90",
        f"/clocks/{clock.pk}/",
        "/plan/",
        "/plan/edit/",
        f"/goals/{goal.pk}/",
        "/journal/",
        "/assessments/barc10/",
        "/meetings/?place=Costa+Mesa%2C+CA&radius=10",
        "/meetings/moving/",
    ):
        page.goto(base + path)
        expect(page).to_have_url(base + path)
        assert_fits_and_help_is_in_view(page)


def test_peer_pages_fit_a_320px_screen(page: Page, browser, e2e_server):
    from alongside.accounts.models import User

    base = e2e_server.url
    seed_demo(meetings=False)
    sam = User.objects.get(handle="sam")
    riley = User.objects.get(handle="riley")
    sign_in(page, base, "riley@example.org", DEMO_PASSWORD)
    for path in ("/peer/find/", "/peer/preferences/", "/peer/calls/", f"/p/harbor/peers/{sam.pk}/"):
        page.goto(base + path)
        expect(page).to_have_url(base + path)
        assert_fits_and_help_is_in_view(page)

    staff = staff_page(browser, base, "sam@example.org", viewport={"width": WIDTH, "height": HEIGHT})
    for path in (
        "/p/harbor/caseload/",
        "/p/harbor/peers/me/",
        "/p/harbor/peers/me/credentials/",
        f"/p/harbor/people/{riley.pk}/contacts/",
        "/p/harbor/peers/supervision/",
        "/p/harbor/matches/requests/",
    ):
        staff.goto(base + path)
        expect(staff).to_have_url(base + path)
        staff.wait_for_load_state("load")
        scroll_width = staff.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= WIDTH, f"{staff.url} scrolls sideways: scrollWidth {scroll_width} > {WIDTH}"
        axe_check(staff)
    staff.context.close()
