"""A member's recovery journey in a real browser, with an axe scan of every page:

* a new member sets up their profile, checks in for the first time and sees the trend;
* Riley records a return to use, chooses to restart the clock, and the history is kept;
* Riley adds to their relapse-prevention plan and downloads it as a real PDF;
* Riley takes the BARC-10 recovery check-up and sees the score;
* Riley answers PHQ-9 item 9 with "several days": the crisis lines show at once and the
  alert is in Sam's queue.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from alongside.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from alongside.accounts.models import Program
from alongside.demo import seed_demo
from alongside.recovery.models import Assessment, CheckIn, Clock, RecoverySettings
from alongside.safety.models import Alert, AlertKind
from tests.e2e.conftest import DEFAULT_VIEWPORT, TIMEOUT_MS, axe_check, sign_in
from tests.pdf_reading import joined_words, pdf_text


def test_new_member_sets_up_checks_in_and_sees_the_trend(page: Page, e2e_server):
    base = e2e_server.url
    seed_demo()
    sign_in(page, base, "morgan@example.org", DEMO_PASSWORD)

    # A member without a recovery profile is welcomed into a short, optional set-up.
    expect(page).to_have_url(base + "/welcome/recovery/")
    axe_check(page)
    page.get_by_label("When did your recovery start?").fill("2026-10-01")
    page.get_by_role("group", name="What are you recovering from?").get_by_label("Alcohol").check()
    page.get_by_role("group", name="Which pathways are part of your recovery?").get_by_label("SMART Recovery").check()
    page.get_by_label("Your time zone").select_option("America/Los_Angeles")
    page.get_by_role("button", name="Save and check in for the first time").click()

    # The first check-in: a few taps.
    expect(page).to_have_url(base + "/checkin/")
    axe_check(page)
    page.get_by_role("group", name="How is your mood?").get_by_label("4 · Good").check()
    page.get_by_role("group", name=re.compile("How strong are cravings")).get_by_label("2", exact=True).check()
    page.get_by_role("group", name="Anything that got to you today?").get_by_label("Stress").check()
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for checking in")
    axe_check(page)

    # The trend page shows the day, in the chart's data table too.
    page.get_by_role("link", name="See my trends").click()
    expect(page).to_have_url(re.compile(r"/checkins/$"))
    main = page.get_by_role("main")
    expect(main).to_contain_text("1 / 30")
    expect(main.get_by_role("img", name=re.compile("Mood"))).to_be_visible()
    axe_check(page)

    # Home now shows the day as done and the clock made from the start date.
    page.get_by_role("banner").get_by_role("link", name="Home").click()
    expect(page.get_by_role("main")).to_contain_text("Done: mood 4 of 5, craving 2 of 10.")
    expect(page.get_by_role("main")).to_contain_text("My recovery")
    axe_check(page)
    assert CheckIn.objects.filter(user__email="morgan@example.org").count() == 1


def test_return_to_use_restarts_the_clock_and_keeps_the_history(page: Page, e2e_server):
    base = e2e_server.url
    seed_demo()
    sign_in(page, base, "riley@example.org", DEMO_PASSWORD)
    expect(page).to_have_url(base + "/")
    axe_check(page)

    page.get_by_role("main").get_by_role("link", name="Alcohol").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alcohol")
    axe_check(page)
    page.get_by_role("link", name="Record a return to use").click()
    axe_check(page)
    expect(page.get_by_role("main")).to_contain_text("does not erase what you have done")
    page.get_by_label(re.compile("Start a new count from the next day")).check()
    page.get_by_label("A note for yourself (optional)").fill("Hard weekend. Talking to Sam tomorrow.")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_contain_text("Every day you had still counts")
    history = page.get_by_role("region", name="Stretches of this clock")
    # The two earlier stretches of the demo and the new one: nothing erased.
    expect(history.locator("tbody tr")).to_have_count(3)
    expect(page.get_by_role("main")).to_contain_text("Hard weekend. Talking to Sam tomorrow.")
    expect(page.get_by_role("main")).to_contain_text("started a new count")
    axe_check(page)
    series = Clock.objects.get(user__email="riley@example.org", label="Alcohol", ended_at__isnull=True).series
    assert Clock.objects.filter(series=series).count() == 3


def test_member_changes_the_plan_and_downloads_it_as_a_pdf(page: Page, e2e_server):
    base = e2e_server.url
    seed_demo()
    sign_in(page, base, "riley@example.org", DEMO_PASSWORD)

    page.get_by_role("banner").get_by_role("link", name="My plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My relapse-prevention plan")
    axe_check(page)
    page.get_by_role("link", name="Change my plan").first.click()
    axe_check(page)
    signs = page.get_by_label("My warning signs")
    signs.fill(signs.input_value() + "\nIsolating on weekends")
    page.get_by_role("button", name="Save my plan").click()
    expect(page.get_by_role("main")).to_contain_text("Isolating on weekends")
    axe_check(page)

    page.get_by_role("link", name="See what changed").click()
    expect(page.get_by_role("main")).to_contain_text("Isolating on weekends")
    axe_check(page)

    # The PDF opens in the phone's own viewer; fetch it as the browser would, signed in.
    page.goto(base + "/plan/")
    href = page.get_by_role("link", name="A4").get_attribute("href")
    response = page.context.request.get(base + href if href.startswith("/") else href)
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf.startswith(b"%PDF-")
    assert "Isolating on weekends" in joined_words(pdf_text(pdf))


def test_member_takes_the_recovery_check_up_and_sees_the_score(page: Page, e2e_server):
    base = e2e_server.url
    seed_demo()
    sign_in(page, base, "riley@example.org", DEMO_PASSWORD)
    page.goto(base + "/assessments/")
    axe_check(page)
    page.goto(base + "/assessments/barc10/")
    axe_check(page)
    questions = page.get_by_role("main").locator("fieldset")
    expect(questions).to_have_count(10)
    for index in range(10):
        # Options run from "Strongly disagree" (1) to "Strongly agree" (6); choose 5.
        questions.nth(index).locator("input[type=radio]").nth(4).check()
    page.get_by_role("button", name="See my result").click()
    expect(page).to_have_url(re.compile(r"/assessments/r/\d+/$"))
    expect(page.get_by_role("main")).to_contain_text("50")
    axe_check(page)
    assert Assessment.objects.filter(user__email="riley@example.org", instrument="barc10", total=50).exists()


def test_phq9_item_9_shows_crisis_lines_at_once_and_alerts_the_peer(page: Page, browser: Browser, e2e_server):
    base = e2e_server.url
    seed_demo()
    harbor = Program.objects.get(slug="harbor")
    RecoverySettings.objects.update_or_create(program=harbor, defaults={"phq9_enabled": True})
    sign_in(page, base, "riley@example.org", DEMO_PASSWORD)
    page.goto(base + "/assessments/phq9/")
    axe_check(page)
    questions = page.get_by_role("main").locator("fieldset")
    expect(questions).to_have_count(9)
    for index in range(8):
        questions.nth(index).locator("input[type=radio]").nth(1).check()
    # Item 9: "Several days".
    questions.nth(8).locator("input[type=radio]").nth(1).check()
    page.get_by_role("button", name="See my result").click()

    # The crisis lines come first, before any score.
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name=re.compile("988")).first).to_be_visible()
    axe_check(page)
    alert = Alert.objects.get(subject__email="riley@example.org", kind=AlertKind.ASSESSMENT_RISK)

    # Sam, Riley's peer, finds it in the alert queue.
    context = browser.new_context(viewport=DEFAULT_VIEWPORT, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    sam = context.new_page()
    sign_in(sam, base, "sam@example.org", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    sam.goto(base + "/p/harbor/alerts/")
    expect(sam.get_by_role("main").get_by_role("link", name=re.compile("riley", re.IGNORECASE)).first).to_be_visible()
    axe_check(sam)
    sam.goto(base + f"/p/harbor/alerts/{alert.pk}/")
    expect(sam.get_by_role("main")).to_contain_text("An answer in an assessment")
    axe_check(sam)
    context.close()
