"""The safety net in a real browser: Riley presses I need support now, Sam (their peer)
sees the alert but does not acknowledge it, the crisis window passes and the alert
escalates to Dana (supervisor), who acknowledges and resolves it; Riley then reads what
happened in their safety history. Also: the help page in English and Spanish, and the
member's header at 320 px wide."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from alongside.accounts.demo import DEMO_PASSWORD
from alongside.demo import seed_demo
from alongside.safety.models import Alert, AlertKind, AlertStatus, EventKind
from alongside.safety.services import alerts_escalate_due
from tests.e2e.conftest import DEFAULT_VIEWPORT, TIMEOUT_MS, axe_check, outbox, sign_in, staff_page, wait_for_mail

RILEY_MESSAGE = "Bad afternoon after work, the cravings are loud. A text would help."
DANA_NOTE = "Texted Riley, then talked by phone. Safe at home with family tonight; Sam calls tomorrow at 10."
# The default crisis window is 15 minutes; one more and the alert is overdue.
PAST_THE_WINDOW = timedelta(minutes=16)


def _print_timeline(alert: Alert) -> None:
    print(f"\nTimeline of alert #{alert.pk} ({alert.kind}, status {alert.status}):")
    for event in alert.events.order_by("created_at", "pk"):
        level = f" (level {event.level})" if event.level else ""
        who = event.actor_label or ("Alongside" if event.kind != EventKind.RAISED else "-")
        note = f" | {event.note}" if event.note else ""
        print(f"  {event.created_at:%H:%M:%S} UTC  {event.kind}{level} | {who}{note}")


def test_unacknowledged_support_request_escalates_to_the_supervisor_who_resolves_it(
    page: Page, browser: Browser, e2e_server, monkeypatch: pytest.MonkeyPatch
):
    base = e2e_server.url
    seed_demo()

    # --- Riley asks for support -----------------------------------------------------------
    sign_in(page, base, "riley@example.org", DEMO_PASSWORD)
    expect(page).to_have_url(base + "/")
    page.get_by_role("banner").get_by_role("button", name="I need support now").click()
    expect(page).to_have_url(re.compile(r"/support/\d+/$"))
    alert_id = int(re.search(r"/support/(\d+)/$", page.url).group(1))  # type: ignore[union-attr]

    # The crisis lines are there at once, before (and whatever) Riley writes.
    expect(page.get_by_role("heading", level=1)).to_have_text("We let your team know")
    call_988 = page.locator('a[href="tel:988"]')
    expect(call_988).to_be_visible()
    expect(call_988).to_have_text("Call 988")
    axe_check(page)

    # The optional details.
    main = page.get_by_role("main")
    main.get_by_label("Anything you want them to know? (optional)").fill(RILEY_MESSAGE)
    main.get_by_label("Message me").check()
    main.get_by_role("button", name="Send", exact=True).click()
    expect(page).to_have_url(f"{base}/support/{alert_id}/")
    expect(page.get_by_role("status").filter(has_text="Thank you")).to_contain_text("We passed that on.")
    expect(page.locator('a[href="tel:988"]')).to_be_visible()
    axe_check(page)

    alert = Alert.objects.get(pk=alert_id)
    assert alert.kind == AlertKind.HELP_REQUEST
    assert alert.status == AlertStatus.OPEN
    assert alert.message == RILEY_MESSAGE
    assert alert.contact_preference == "message"

    # --- Sam, Riley's peer, sees it waiting but does not acknowledge ---------------------
    sam = staff_page(browser, base, "sam@example.org")
    try:
        alerts_link = sam.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile(r"^Alerts"))
        expect(alerts_link).to_have_accessible_name("Alerts 1 waiting")
        expect(alerts_link.locator(".badge")).to_contain_text("1")
        alerts_link.click()
        expect(sam).to_have_url(base + "/p/harbor/alerts/")
        queue = sam.locator("#alert-queue")
        item = queue.get_by_role("listitem").filter(has_text="riley")
        expect(item).to_have_count(1)
        expect(item).to_contain_text("Crisis")
        expect(item).to_contain_text("Asked for support")
        expect(item).to_contain_text("Waiting for someone")
        expect(item).not_to_contain_text("escalated")
        axe_check(sam)
    finally:
        sam.context.close()

    # --- Nobody acknowledges: the crisis window passes ------------------------------------
    outbox_before = len(outbox())
    assert alerts_escalate_due(now=timezone.now() + PAST_THE_WINDOW) == 1
    # From here on the site's clock (the live server is a thread of this process) runs the
    # same 16 minutes ahead, so what Dana does comes after the escalation, as in real life.
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + PAST_THE_WINDOW)
    alert.refresh_from_db()
    assert alert.escalation_level == 1
    assert alert.status == AlertStatus.OPEN

    escalation_mail = wait_for_mail("dana@example.org", "Escalated")
    assert len(outbox()) > outbox_before
    mail_text = f"{escalation_mail.subject}\n{escalation_mail.body}".lower()
    assert f"/p/harbor/alerts/{alert_id}/" in escalation_mail.body
    for private in ("riley", "morgan", RILEY_MESSAGE.lower(), "cravings"):
        assert private not in mail_text, f"the escalation email gives away {private!r}"

    # --- Dana, the supervisor, picks it up -----------------------------------------------
    dana = staff_page(browser, base, "dana@example.org")
    try:
        alerts_link = dana.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile(r"^Alerts"))
        expect(alerts_link).to_have_accessible_name("Alerts 1 waiting")
        alerts_link.click()
        expect(dana).to_have_url(base + "/p/harbor/alerts/")
        item = dana.locator("#alert-queue").get_by_role("listitem").filter(has_text="riley")
        expect(item).to_contain_text("escalated (level 1)")
        expect(item).to_contain_text("Waiting for someone")
        axe_check(dana)

        item.get_by_role("link").click()
        expect(dana).to_have_url(f"{base}/p/harbor/alerts/{alert_id}/")
        expect(dana.get_by_role("heading", level=1)).to_have_text("Crisis: riley")
        dana_main = dana.get_by_role("main")
        expect(dana_main).to_contain_text(RILEY_MESSAGE)
        expect(dana_main).to_contain_text("Message me")
        axe_check(dana)

        dana_main.get_by_role("button", name="Acknowledge: I'm on it").click()
        expect(dana).to_have_url(f"{base}/p/harbor/alerts/{alert_id}/")
        expect(dana.get_by_role("status")).to_contain_text("You acknowledged the alert.")
        expect(dana_main.get_by_role("button", name="Acknowledge: I'm on it")).to_have_count(0)
        expect(dana_main).to_contain_text("Someone is on it")

        dana_main.get_by_label("What happened? (needed to resolve)").fill(DANA_NOTE)
        dana_main.get_by_role("button", name="Resolve with this note").click()
        expect(dana).to_have_url(f"{base}/p/harbor/alerts/{alert_id}/")
        expect(dana.get_by_role("status")).to_contain_text("The alert is resolved.")
        expect(dana_main.get_by_role("button", name="Resolve with this note")).to_have_count(0)

        timeline = dana_main.locator("ol.timeline > li")
        timeline_text = " | ".join(timeline.all_inner_texts())
        kinds = ["Raised", "Notified", "Escalated (level 1)", "Acknowledged", "Resolved"]
        positions = [timeline_text.find(kind) for kind in kinds]
        assert -1 not in positions and positions == sorted(positions), timeline_text

        def step(kind: str):
            # By the bold kind alone: "Nobody acknowledged it in time." is the escalation's note.
            return timeline.filter(has=dana.locator("strong").get_by_text(kind, exact=True))

        expect(step("Acknowledged")).to_contain_text("dana")
        expect(step("Resolved")).to_contain_text("dana")
        expect(step("Resolved")).to_contain_text(DANA_NOTE)
        axe_check(dana)

        # The badge is gone: nothing is waiting any more.
        expect(
            dana.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile(r"^Alerts"))
        ).to_have_accessible_name("Alerts")
    finally:
        dana.context.close()

    # The database tells the same story.
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED
    assert alert.outcome_note == DANA_NOTE
    assert alert.acknowledged_by.handle == "dana"  # type: ignore[union-attr]
    assert alert.resolved_by.handle == "dana"  # type: ignore[union-attr]
    kinds_in_order = [k for k in alert.events.values_list("kind", flat=True) if k not in {"seen", "updated"}]
    assert kinds_in_order == ["raised", "notified", "escalated", "notified", "acknowledged", "resolved"], kinds_in_order
    _print_timeline(alert)

    # --- Riley reads what happened ---------------------------------------------------------
    page.goto(base + "/safety/history/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My safety history")
    entry = page.get_by_role("main").locator("section.card").filter(has_text=DANA_NOTE)
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("Asked for support")
    expect(entry.locator("p strong")).to_have_text("Resolved")
    expect(entry.locator("ol.timeline")).to_contain_text("Escalated")
    axe_check(page)


def test_help_page_passes_axe_in_english_and_spanish(page: Page, browser: Browser, e2e_server):
    base = e2e_server.url
    seed_demo()

    page.goto(base + "/help/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Get help now")
    expect(page.locator('a[href="tel:988"]')).to_be_visible()
    axe_check(page)

    context = browser.new_context(viewport=DEFAULT_VIEWPORT, locale="es-ES")
    context.set_default_timeout(TIMEOUT_MS)
    spanish = context.new_page()
    try:
        spanish.goto(base + "/help/")
        expect(spanish.locator("html")).to_have_attribute("lang", "es")
        expect(spanish.get_by_role("heading", level=1)).to_have_text("Pide ayuda ahora")
        expect(spanish.locator('a[href="tel:988"]')).to_have_text("Llama al 988")
        axe_check(spanish)
    finally:
        context.close()


NARROW = {"width": 320, "height": 568}


def test_member_header_with_both_help_buttons_fits_320px(page: Page, e2e_server):
    base = e2e_server.url
    seed_demo()
    page.set_viewport_size(NARROW)
    assert page.evaluate("window.innerWidth") == NARROW["width"]
    sign_in(page, base, "riley@example.org", DEMO_PASSWORD)

    for path in ("/", "/help/", "/safety/history/"):
        page.goto(base + path)
        expect(page).to_have_url(base + path)
        page.wait_for_load_state("load")
        header = page.get_by_role("banner")
        help_link = header.get_by_role("link", name="Get help now")
        support = header.get_by_role("button", name="I need support now")
        for control in (help_link, support):
            expect(control).to_be_visible()
            expect(control).to_be_in_viewport(ratio=1)
            box = control.bounding_box()
            assert box is not None
            assert box["x"] >= 0 and box["x"] + box["width"] <= NARROW["width"], (path, box)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= NARROW["width"], f"{path} scrolls sideways: scrollWidth {scroll_width}"
        header_scroll = page.evaluate("document.querySelector('header.site-header').scrollWidth")
        assert header_scroll <= NARROW["width"], f"{path}: the header is {header_scroll}px wide"
        axe_check(page)
