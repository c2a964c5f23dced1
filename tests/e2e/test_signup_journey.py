"""A new person signs up, confirms their email, picks a handle, finds help, and later
resets a forgotten password."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import axe_check, link_from, sign_in, wait_for_mail

EMAIL = "new.person@example.org"
PASSWORD = "steady-river-morning-42"
NEW_PASSWORD = "quiet-harbor-evening-77"


def test_sign_up_confirm_choose_handle_get_help_and_reset_password(page: Page, e2e_server):
    base = e2e_server.url

    # The public home page invites people to create an account.
    page.goto(base + "/")
    axe_check(page)
    page.get_by_role("main").get_by_role("link", name="Create an account").click()

    # Sign up: email and the password twice.
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    axe_check(page)
    page.get_by_label("Email").fill(EMAIL)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()

    # The page says to check email.
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    expect(page.get_by_role("main")).to_contain_text(re.compile(r"e-?mail", re.IGNORECASE))
    expect(page.get_by_role("main")).to_contain_text(re.compile(r"verif|confirm", re.IGNORECASE))
    axe_check(page)

    # Open the link from the confirmation email and confirm.
    confirm_url = link_from(wait_for_mail(EMAIL, "confirm"), r"/accounts/confirm-email/[^/]+/")
    page.goto(confirm_url)
    axe_check(page)
    page.get_by_role("button", name="Confirm").click()

    # Confirming signs the person in; the first stop is choosing a handle.
    expect(page).to_have_url(re.compile(r"/welcome/handle/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your handle")
    axe_check(page)
    page.get_by_label("Your display handle").fill("river_walker")
    page.get_by_role("button", name="Save and continue").click()

    # Home greets them by their handle.
    expect(page).to_have_url(base + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, river_walker")
    expect(page.get_by_role("status")).to_contain_text("Welcome, river_walker.")
    axe_check(page)

    # "Get help now" in the header: the national lines and the overdose steps.
    page.get_by_role("banner").get_by_role("link", name="Get help now").click()
    expect(page).to_have_url(base + "/help/")
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name="Call 988")).to_have_attribute("href", "tel:988")
    expect(main.get_by_role("link", name="Text HOME to 741741")).to_have_attribute("href", re.compile(r"^sms:741741"))
    expect(main.get_by_role("link", name="Call 1-800-662-4357")).to_have_attribute("href", "tel:1-800-662-4357")
    expect(main.get_by_role("link", name="Call 911")).to_have_attribute("href", "tel:911")
    expect(main.get_by_role("heading", name="If someone may be overdosing")).to_be_visible()
    expect(main).to_contain_text("naloxone")
    axe_check(page)

    # Sign out (allauth asks to confirm with a POST).
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign out").click()
    axe_check(page)
    page.get_by_role("main").get_by_role("button", name="Sign Out").click()
    expect(page).to_have_url(base + "/")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in")).to_be_visible()

    # Forgot password: request a reset link.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in").click()
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page).to_have_url(re.compile(r"/accounts/password/reset/$"))
    axe_check(page)
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_role("button", name="Reset My Password").click()
    expect(page).to_have_url(re.compile(r"/accounts/password/reset/done/$"))
    axe_check(page)

    # The link in the email leads to a form for the new password.
    reset_url = link_from(wait_for_mail(EMAIL, "password"), r"/accounts/password/reset/key/")
    page.goto(reset_url)
    expect(page).to_have_url(re.compile(r"/accounts/password/reset/key/.+-set-password/$"))
    axe_check(page)
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change Password").click()
    expect(page).to_have_url(re.compile(r"/accounts/password/reset/key/done/$"))
    axe_check(page)

    # The old password no longer works; the new one does.
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(EMAIL)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("main")).to_contain_text(re.compile(r"not correct|incorrect", re.IGNORECASE))
    axe_check(page)

    sign_in(page, base, EMAIL, NEW_PASSWORD)
    expect(page).to_have_url(base + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, river_walker")
