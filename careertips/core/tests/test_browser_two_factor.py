"""A practice account without a second factor signs in, is sent to set up an authenticator
app, and reaches the staff page it asked for; its next sign-in asks for the code."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from playwright.sync_api import expect

from careertips.core.roles import Role
from careertips.core.testing import PASSWORD, login, make_user, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, base: str, email: str, next_path: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_it_sets_up_an_authenticator_app_then_asks_for_its_code(browser_page, live_server):
    coach = make_user("new.coach@example.com", roles=[Role.COACH], display_name="Robin Coach")
    Authenticator.objects.filter(user=coach).delete()
    page = browser_page

    _sign_in(page, live_server.url, coach.email, "/coaching/clients/")
    expect(page.get_by_text("Practice accounts sign in with a second factor")).to_be_visible()
    page.get_by_label("Password").fill(PASSWORD)  # allauth asks again before any set-up
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", name="Activate Authenticator App")).to_be_visible()
    expect(page.get_by_role("img")).to_have_count(1)  # the QR code
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()

    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()
    assert len(page.get_by_label("Unused codes").input_value().split()) == 10
    page.get_by_role("link", name="Continue where you were going").click()
    page.wait_for_url(f"{live_server.url}/coaching/clients/")
    expect(page.get_by_role("heading", name="Clients")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    # The app shows a new code every 30 seconds; rather than wait, forget the one just used.
    cache.clear()
    _sign_in(page, live_server.url, coach.email, "/coaching/clients/")
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url(f"{live_server.url}/coaching/clients/")
    expect(page.get_by_role("heading", name="Clients")).to_be_visible()


def _virtual_security_key(page) -> None:
    """Chromium's virtual authenticator: a passkey-capable key that always says yes."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True,
        "automaticPresenceSimulation": True,
    }  # fmt: skip
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})


def test_it_takes_a_security_key_as_the_second_factor(browser_page, live_server):
    coach = make_user("new.coach@example.com", roles=[Role.COACH], display_name="Robin Coach")
    Authenticator.objects.filter(user=coach).delete()
    page = browser_page
    _virtual_security_key(page)

    _sign_in(page, live_server.url, coach.email, "/coaching/clients/")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Activate Authenticator App")).to_be_visible()
    page.goto(f"{live_server.url}/accounts/2fa/webauthn/add/")
    page.get_by_label("Name").fill("Desk key")
    page.get_by_role("button", name="Add").click()

    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()
    assert Authenticator.objects.filter(user=coach, type="webauthn").exists()
    page.get_by_role("link", name="Continue where you were going").click()
    expect(page.get_by_role("heading", name="Clients")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, live_server.url, coach.email, "/coaching/clients/")
    page.get_by_role("button", name="Use a security key").click()

    page.wait_for_url(f"{live_server.url}/coaching/clients/")


def test_it_signs_a_member_in_with_a_passkey_alone(browser_page, live_server):
    alice = make_user("alice@example.com", display_name="Alice Moreno")
    page = browser_page
    _virtual_security_key(page)
    login(page, live_server, alice)

    page.goto(f"{live_server.url}/settings/")
    page.get_by_role("link", name="Two-factor").click()
    page.get_by_role("link", name="Add").click()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_label("Name").fill("Laptop")
    page.get_by_label("Passwordless").check()
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Use a passkey instead").click()

    page.wait_for_url(f"{live_server.url}/today/")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
