"""The sign-up page fills in the browser's time zone through app.js (no inline script under
the Content-Security-Policy), and the new account keeps it."""

import pytest

from careertips.core.models import User
from careertips.core.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tokyo_page(_chromium):
    """A browser whose clock is set to Tokyo's time zone."""
    context = _chromium.new_context(locale="en-US", timezone_id="Asia/Tokyo")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_it_signs_up_in_the_browsers_time_zone(tokyo_page, live_server):
    page = tokyo_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/signup/")

    assert page.locator("input[name=time_zone]").input_value() == "Asia/Tokyo"
    page.get_by_label("Email").fill("jordan@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your email").wait_for()

    assert User.objects.get(email="jordan@example.com").time_zone == "Asia/Tokyo"
    assert not errors  # nothing refused by the Content-Security-Policy
