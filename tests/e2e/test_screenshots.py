"""Screenshots for the docs, made from the real app with the demo cast.

Off by default (they rewrite files under docs/): ``ALONGSIDE_SCREENSHOTS=1 pytest
tests/e2e/test_screenshots.py`` refreshes them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from alongside.accounts.demo import DEMO_PASSWORD
from alongside.demo import seed_demo
from tests.e2e.conftest import axe_check, sign_in

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

pytestmark = pytest.mark.skipif(
    os.environ.get("ALONGSIDE_SCREENSHOTS") != "1",
    reason="set ALONGSIDE_SCREENSHOTS=1 to refresh docs screenshots",
)


@pytest.fixture
def viewport() -> dict[str, int]:
    return {"width": 390, "height": 844}


def test_member_home_screenshot(page: Page, e2e_server):
    base = e2e_server.url
    seed_demo()
    sign_in(page, base, "riley@example.org", DEMO_PASSWORD)
    expect(page).to_have_url(base + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, riley")
    axe_check(page)
    # The sign-in "success" message is transient; photograph the page as it usually looks.
    page.reload()
    expect(page.get_by_role("status")).to_have_count(0)

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / "member-home.png"
    page.screenshot(path=str(target), full_page=True, animations="disabled", caret="hide")
    assert target.stat().st_size > 5_000


def test_checkin_and_finder_screenshots(page: Page, e2e_server):
    base = e2e_server.url
    seed_demo()
    sign_in(page, base, "riley@example.org", DEMO_PASSWORD)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(base + "/checkin/")
    page.get_by_role("group", name="How is your mood?").get_by_label("4 · Good").check()
    page.get_by_role("group", name=re.compile("How strong are cravings")).get_by_label("3", exact=True).check()
    axe_check(page)
    target = SCREENSHOTS / "checkin.png"
    page.screenshot(path=str(target), full_page=False, animations="disabled", caret="hide")
    assert target.stat().st_size > 5_000

    page.goto(base + "/meetings/?place=Costa+Mesa%2C+CA&radius=10&day=4")
    expect(page.get_by_role("main")).to_contain_text("km")
    axe_check(page)
    target = SCREENSHOTS / "meeting-finder.png"
    # The results, not the form above them: from the results heading down one screen.
    top = page.locator("ol.meeting-results").bounding_box()
    assert top is not None
    clip = {"x": 0, "y": max(0, top["y"] - 80), "width": 390, "height": 760}
    page.screenshot(path=str(target), full_page=True, clip=clip, animations="disabled", caret="hide")
    assert target.stat().st_size > 5_000
