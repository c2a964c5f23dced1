"""Alex (program admin) invites a new peer supporter, who signs up from the invitation,
joins the program, and has to set up two-factor sign-in before seeing anyone's records."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from alongside.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from alongside.demo import seed_demo
from tests.e2e.conftest import (
    DEFAULT_VIEWPORT,
    TIMEOUT_MS,
    axe_check,
    link_from,
    sign_in,
    totp_now,
    wait_for_mail,
)

INVITEE = "jamie.peer@example.org"
INVITEE_PASSWORD = "lantern-on-the-pier-58"


def test_admin_invites_a_peer_who_joins_and_sets_up_two_factor(page: Page, browser: Browser, e2e_server):
    base = e2e_server.url
    seed_demo()

    # --- Alex invites Jamie ------------------------------------------------------------
    sign_in(page, base, "alex@example.org", DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    expect(page).to_have_url(base + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, alex")
    axe_check(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    expect(page).to_have_url(base + "/p/harbor/people/")
    expect(page.get_by_role("heading", level=1)).to_have_text("People in Harbor Recovery Community")
    expect(page.get_by_role("cell", name="riley")).to_be_visible()
    axe_check(page)

    page.get_by_role("main").get_by_role("link", name="Invite people").click()
    expect(page).to_have_url(base + "/p/harbor/invitations/")
    axe_check(page)
    page.get_by_label("Email address").fill(INVITEE)
    page.get_by_label("Role").select_option(label="Peer supporter")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text(f"Invitation sent to {INVITEE}.")
    expect(page.get_by_role("row", name=re.compile(re.escape(INVITEE)))).to_contain_text("Peer supporter")
    axe_check(page)

    invitation_url = link_from(wait_for_mail(INVITEE, "invited"), r"/invitations/[^/\s]+/")
    assert invitation_url.startswith(base), "invitation links are built from SITE_URL"

    # --- Jamie, in their own browser, signed out ----------------------------------------
    context = browser.new_context(viewport=DEFAULT_VIEWPORT, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    jamie = context.new_page()
    try:
        jamie.goto(invitation_url)
        expect(jamie.get_by_role("heading", level=1)).to_have_text("You are invited to Harbor Recovery Community")
        expect(jamie.get_by_role("main")).to_contain_text(INVITEE)
        axe_check(jamie)

        jamie.get_by_role("main").get_by_role("link", name="Create an account").click()
        expect(jamie).to_have_url(re.compile(r"/accounts/signup/$"))
        jamie.get_by_label("Email").fill(INVITEE)
        jamie.locator("#id_password1").fill(INVITEE_PASSWORD)
        jamie.locator("#id_password2").fill(INVITEE_PASSWORD)
        jamie.get_by_role("button", name="Sign Up").click()
        expect(jamie).to_have_url(re.compile(r"/accounts/confirm-email/$"))
        axe_check(jamie)

        confirm_url = link_from(wait_for_mail(INVITEE, "confirm"), r"/accounts/confirm-email/[^/]+/")
        jamie.goto(confirm_url)
        jamie.get_by_role("button", name="Confirm").click()

        expect(jamie).to_have_url(re.compile(r"/welcome/handle/$"))
        jamie.get_by_label("Your display handle").fill("jamie_p")
        jamie.get_by_role("button", name="Save and continue").click()

        # The invitation survived sign-up and verification: Jamie is asked to accept it.
        expect(jamie).to_have_url(re.compile(r"/invitations/[^/]+/$"))
        expect(jamie.get_by_role("heading", level=1)).to_have_text("Join Harbor Recovery Community")
        expect(jamie.get_by_role("main")).to_contain_text("You are invited as: Peer supporter.")
        expect(jamie.get_by_role("main")).to_contain_text("two-factor sign-in")
        axe_check(jamie)
        jamie.get_by_role("button", name="Accept and join").click()

        # Staff must set up two-factor sign-in before anything else.
        expect(jamie).to_have_url(base + "/welcome/two-factor/")
        expect(jamie.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
        axe_check(jamie)

        # Not even the People page opens before two-factor is set up.
        jamie.goto(base + "/p/harbor/people/")
        expect(jamie).to_have_url(base + "/welcome/two-factor/")

        # Help is never gated.
        jamie.get_by_role("banner").get_by_role("link", name="Get help now").click()
        expect(jamie).to_have_url(base + "/help/")
        jamie.go_back()

        jamie.get_by_role("link", name="Set up my authenticator app").click()
        # Jamie was signed in by the email confirmation link, not by a password, so
        # allauth asks for the password once before a sign-in method can be added.
        expect(jamie).to_have_url(re.compile(r"/accounts/reauthenticate/"))
        expect(jamie.get_by_role("heading", level=1)).to_have_text("Confirm Access")
        axe_check(jamie)
        jamie.get_by_label("Password").fill(INVITEE_PASSWORD)
        jamie.get_by_role("button", name="Confirm").click()
        expect(jamie).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
        axe_check(jamie)
        secret = jamie.locator("#authenticator_secret").input_value()
        assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
        jamie.get_by_label("Authenticator code").fill(totp_now(secret))
        jamie.get_by_role("button", name="Activate").click()
        expect(jamie).not_to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
        axe_check(jamie)

        # Now the People page of the program opens.
        jamie.goto(base + "/p/harbor/people/")
        expect(jamie).to_have_url(base + "/p/harbor/people/")
        expect(jamie.get_by_role("heading", level=1)).to_have_text("People in Harbor Recovery Community")
        axe_check(jamie)
    finally:
        context.close()

    # Alex sees the invitation as accepted.
    page.reload()
    expect(page.get_by_role("row", name=re.compile(re.escape(INVITEE)))).to_contain_text("Accepted")
