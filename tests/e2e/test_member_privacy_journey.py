"""Riley (a member) reviews who can see what, changes a sharing choice, checks who opened
their record, downloads their data, and switches the site to Spanish."""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.utils import translation
from playwright.sync_api import Page, expect

from alongside.accounts import selectors
from alongside.accounts.demo import DEMO_PASSWORD
from alongside.accounts.models import ConsentScope, Program, User
from alongside.demo import seed_demo
from tests.e2e.conftest import axe_check, sign_in

PEER_CONSENT = str(ConsentScope.CHECKINS_PEER.label)


def test_member_reviews_privacy_changes_a_choice_exports_data_and_reads_spanish(page: Page, e2e_server, tmp_path: Path):
    base = e2e_server.url
    seed_demo()
    riley = User.objects.get(email="riley@example.org")
    harbor = Program.objects.get(slug="harbor")
    assert selectors.consent_choices(riley, harbor)[ConsentScope.CHECKINS_PEER] is True

    sign_in(page, base, "riley@example.org", DEMO_PASSWORD)
    expect(page).to_have_url(base + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, riley")
    expect(page.get_by_role("main")).to_contain_text("sam")  # Riley's peer supporter
    axe_check(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Privacy").click()
    expect(page).to_have_url(base + "/privacy/")
    main = page.get_by_role("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy")
    axe_check(page)

    # What each role can see.
    expect(main.get_by_role("heading", name="What people in Harbor Recovery Community can see")).to_be_visible()
    for role in (
        "Peer supporter",
        "Supervisor",
        "Program admin",
        "Ally (family or friend)",
        "Member",
    ):
        expect(main.get_by_role("heading", level=3, name=role, exact=True)).to_be_visible()
    expect(main).to_contain_text("Your daily check-ins and trends (you said yes)")

    # Turn the peer check-in consent off and save.
    checkbox = main.get_by_label(PEER_CONSENT)
    expect(checkbox).to_be_checked()
    checkbox.uncheck()
    main.get_by_role("button", name="Save my choices").click()
    expect(page).to_have_url(base + "/privacy/")
    expect(page.get_by_role("status")).to_contain_text("Your privacy choices are saved.")
    expect(main.get_by_label(PEER_CONSENT)).not_to_be_checked()
    expect(main).to_contain_text("Your daily check-ins and trends (you said no)")
    axe_check(page)

    # The choice is stored, not just shown: a fresh load and the database agree.
    page.reload()
    expect(page.get_by_role("main").get_by_label(PEER_CONSENT)).not_to_be_checked()
    choices = selectors.consent_choices(riley, harbor)
    assert choices[ConsentScope.CHECKINS_PEER] is False
    assert choices[ConsentScope.OUTCOMES_DEIDENTIFIED] is True

    # Sam appears in the access log.
    log = page.get_by_role("table", name="Access log")
    expect(log.get_by_role("row").filter(has_text="sam")).to_contain_text("Opened your record")

    # Download everything as JSON.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download all my data (JSON)").click()
    download = download_info.value
    assert re.fullmatch(r"alongside-my-data-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["format"] == "alongside-export"
    assert data["account"]["email"] == "riley@example.org"
    assert "riley@example.org" in saved.read_text(encoding="utf-8")

    # Switch the language with the footer form.
    footer = page.get_by_role("contentinfo")
    footer.get_by_label("Language").select_option(label="Español")
    footer.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page).to_have_url(base + "/privacy/")
    # The Spanish catalogue is still being written: expect whatever it says today.
    with translation.override("es"):
        help_text_es = translation.gettext("Get help now")
    help_link = page.get_by_role("banner").locator("a.help-link")
    expect(help_link).to_have_text(help_text_es)
    if help_text_es != "Get help now":
        expect(help_link).not_to_have_text("Get help now")
    expect(page.get_by_role("contentinfo").get_by_role("combobox")).to_have_value("es")
    axe_check(page)

    # The choice sticks on the next page too.
    page.get_by_role("banner").get_by_role("link", name="Alongside").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    axe_check(page)
