"""Paste a posting's address, review what was read, save: its requirements reach coverage."""

import pytest
from playwright.sync_api import expect

from careertips.core.testing import login
from careertips.pipeline.models import Opportunity

pytestmark = pytest.mark.browser


def test_it_captures_a_posting_from_its_address(
    browser_page,
    live_server,
    transactional_db,
    alice,
    posting_server,
):
    page = browser_page
    violations: list[str] = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content-Security" in m.text else None
    )
    login(page, live_server, alice)
    page.goto(f"{live_server.url}/opportunities/")

    page.get_by_label("Posting address").fill(f"{posting_server.url}/plain.html")
    page.get_by_role("button", name="Read the posting").click()

    expect(page.get_by_role("heading", name="Check what we found")).to_be_visible()
    expect(page.get_by_label("Role title")).to_have_value("Plant Manager")
    expect(page.get_by_label("New employer")).to_have_value("Northwind Foods")
    expect(page.get_by_label("Pay up to")).to_have_value("165000")
    expect(page.get_by_label("Add the posting's requirements to story coverage")).to_be_checked()
    page.get_by_role("button", name="Add opportunity").click()

    expect(page.locator("#messages")).to_contain_text("Added “Plant Manager” with")
    opportunity = Opportunity.objects.get(owner=alice)
    assert opportunity.posting_url == f"{posting_server.url}/plain.html"
    page.goto(f"{live_server.url}/stories/coverage/{opportunity.pk}/")
    for line in (
        "10+ years of experience leading food manufacturing operations",
        "Proven track record of reducing downtime with lean methods",
        "Bachelor's degree in engineering or a related field",
    ):
        expect(page.get_by_text(line, exact=True).first).to_be_visible()
    assert violations == []


def test_it_captures_the_page_the_bookmarklet_is_clicked_on(
    browser_page, live_server, transactional_db, alice, posting_server
):
    page = browser_page
    login(page, live_server, alice)
    # As Django sets it (SESSION_COOKIE_SAMESITE = "Lax"); the planted cookie has no SameSite.
    cookies = page.context.cookies()
    page.context.add_cookies([{**c, "sameSite": "Lax"} for c in cookies])  # type: ignore[typeddict-item]
    page.goto(f"{live_server.url}/opportunities/capture/bookmarklet/")
    code = page.locator("#bookmarklet-link").get_attribute("href") or ""
    assert code.startswith("javascript:")

    # The posting is on another site: the browser holds the session cookie back on the
    # bookmarklet's cross-site POST, so the landing hands the data on by itself.
    landings: list[str] = []
    page.context.on(
        "request",
        lambda r: landings.append(r.method) if r.url.endswith("/capture/from-page/") else None,
    )
    assert "localhost" in live_server.url
    page.goto(f"{posting_server.url}/plain.html")
    with page.context.expect_page() as opened:
        page.evaluate(code.removeprefix("javascript:"))
    review = opened.value
    expect(review.get_by_role("heading", name="Check what we found")).to_be_visible()
    expect(review.get_by_label("Role title")).to_have_value("Plant Manager")
    expect(review.get_by_label("Pay from")).to_have_value("140000")
    assert landings == ["POST", "POST"]  # the bookmarklet's, then the hand-on
    assert not Opportunity.objects.exists()
    review.get_by_role("button", name="Add opportunity").click()
    expect(review.locator("#messages")).to_contain_text(
        "Added “Plant Manager” with 4 requirement lines."
    )
    assert Opportunity.objects.get(owner=alice).organization.name == "Northwind Foods"
