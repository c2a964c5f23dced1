"""Meetings in a real browser, with an axe scan of every page:

* Riley finds a meeting near a typed place, follows it, sees it on the home page, and
  downloads its calendar file and a printable list;
* Riley plans a move to Edmonton and sees meetings there; Sam, Riley's peer, is asked for
  a hand-off note and writes it; Riley reads it on the moving plan.
"""

from __future__ import annotations

import datetime as dt
import re

import icalendar
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from alongside.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from alongside.demo import seed_demo
from alongside.meetings.models import MeetingFollow
from tests.e2e.conftest import DEFAULT_VIEWPORT, TIMEOUT_MS, axe_check, link_from, sign_in, wait_for_mail
from tests.pdf_reading import joined_words, pdf_text


def test_find_a_meeting_near_a_typed_place_follow_it_and_take_it_along(page: Page, e2e_server):
    base = e2e_server.url
    seed_demo()
    sign_in(page, base, "riley@example.org", DEMO_PASSWORD)

    page.get_by_role("main").get_by_role("link", name="Find a meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a meeting")
    axe_check(page)
    page.get_by_label("Near a place").fill("Newport Beach, CA")
    page.get_by_role("button", name="Find meetings").click()

    results = page.get_by_role("main").locator("li").filter(has_text=re.compile(r"\d+(\.\d)? km"))
    expect(results.first).to_be_visible()
    axe_check(page)
    first = results.first.get_by_role("link").first
    name = first.inner_text().strip()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    axe_check(page)

    page.get_by_role("button", name="Follow this meeting").click()
    expect(page.get_by_role("main")).to_contain_text("You follow this meeting")
    assert MeetingFollow.objects.filter(user__email="riley@example.org", meeting__name=name).exists()
    axe_check(page)

    # The calendar file is a real iCalendar event that repeats weekly.
    ics_href = page.get_by_role("link", name=re.compile("calendar", re.IGNORECASE)).first.get_attribute("href")
    assert ics_href
    ics = page.context.request.get(base + ics_href if ics_href.startswith("/") else ics_href)
    assert ics.ok and "text/calendar" in ics.headers["content-type"]
    event = icalendar.Calendar.from_ical(ics.body()).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == name and "FREQ=WEEKLY" in event["RRULE"].to_ical().decode()

    # Home shows the next meeting Riley follows (the demo already follows Harbor's circle).
    page.get_by_role("banner").get_by_role("link", name="Home").click()
    expect(page.get_by_role("main")).to_contain_text(re.compile("Next meeting", re.IGNORECASE))
    axe_check(page)

    # A printable list for the same search.
    page.goto(base + "/meetings/?place=Newport+Beach%2C+CA&radius=10")
    pdf_href = page.get_by_role("link", name="Print this list (PDF)").get_attribute("href")
    assert pdf_href
    response = page.context.request.get(base + pdf_href if pdf_href.startswith("/") else pdf_href)
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf.startswith(b"%PDF-")
    assert joined_words(name) in joined_words(pdf_text(pdf))


def test_member_plans_a_move_and_their_peer_writes_a_handoff(page: Page, browser: Browser, e2e_server):
    base = e2e_server.url
    seed_demo()
    sign_in(page, base, "riley@example.org", DEMO_PASSWORD)

    page.get_by_role("main").get_by_role("link", name="Moving soon? Plan for a new place").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moving to a new place")
    axe_check(page)
    page.get_by_label("Where are you moving?").fill("Edmonton")
    page.get_by_label("Around when?").fill((timezone.now() + dt.timedelta(days=30)).date().isoformat())
    page.get_by_label(re.compile("My peer supporter may write a hand-off note")).check()
    page.get_by_role("button", name="Make my moving plan").click()

    main = page.get_by_role("main")
    expect(main).to_contain_text("You are moving to Edmonton")
    nearby = page.get_by_role("region", name=re.compile("Meetings near Edmonton")).get_by_role("listitem")
    expect(nearby.first).to_be_visible()
    expect(nearby.first).to_contain_text("km")
    axe_check(page)
    page.get_by_role("button", name=re.compile("Pick two or three meetings")).click()
    expect(page.get_by_role("button", name=re.compile("Pick two or three meetings"))).to_have_attribute(
        "aria-pressed", "true"
    )

    # Sam writes the hand-off from the link in the email Alongside sent.
    context = browser.new_context(viewport=DEFAULT_VIEWPORT, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    sam = context.new_page()
    sign_in(sam, base, "sam@example.org", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    sam.goto(link_from(wait_for_mail("sam@example.org", "hand-off"), r"/moving/$"))
    axe_check(sam)
    sam.get_by_label("What the next peer should know").fill("Texts before calls. Mornings are the hardest time.")
    sam.get_by_role("button", name="Save the note").click()
    expect(sam.get_by_role("status")).to_contain_text("hand-off note is saved")
    context.close()

    page.reload()
    expect(page.get_by_role("main")).to_contain_text("Mornings are the hardest time.")
    axe_check(page)
