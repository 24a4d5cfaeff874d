"""The main pages pass axe-core's WCAG 2 A and AA checks in Chromium: for a member on the
demo search, for staff, and for a visitor. A check axe calls serious or critical fails it."""

from pathlib import Path

import axe_playwright_python
import pytest

from careertips.coaching.models import CoachNote, Sharing
from careertips.core import demo
from careertips.core.demo import COACH_EMAIL, MEMBER_EMAIL, seed_demo
from careertips.core.models import User
from careertips.core.testing import login
from careertips.network.models import Contact
from careertips.pipeline.models import Opportunity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"
RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]}});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ` +
      v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", "));
}"""


def _load_axe(page) -> None:
    # Evaluated over the DevTools protocol: an injected <script> would be refused by the
    # Content-Security-Policy, as it should be.
    page.evaluate(AXE.read_text())


def _violations(page, url: str) -> list[str]:
    page.goto(url)
    _load_axe(page)
    return page.evaluate(RUN)


def test_it_passes_axe_on_member_pages(browser_page, live_server):
    seed_demo()
    member = User.objects.get(email=MEMBER_EMAIL)
    opportunity = Opportunity.objects.filter(owner=member, debrief__isnull=False).first()
    contact = Contact.objects.filter(owner=member).first()
    login(browser_page, live_server, member)
    paths = [
        "/today/", "/opportunities/board/", "/opportunities/", opportunity.get_absolute_url(),
        "/opportunities/new/", "/debriefs/", f"/debriefs/{opportunity.debrief.pk}/",
        "/network/", contact.get_absolute_url(), "/network/organizations/", "/network/events/",
        "/network/import/", "/stories/", "/insights/", "/settings/", "/settings/data/",
        "/coaching/",
    ]  # fmt: skip
    found = {path: _violations(browser_page, live_server.url + path) for path in paths}
    assert {path: v for path, v in found.items() if v} == {}


def test_it_passes_axe_on_staff_pages(browser_page, live_server):
    seed_demo()
    coach = User.objects.get(email=COACH_EMAIL)
    member = User.objects.get(email=MEMBER_EMAIL)
    Sharing.objects.get_or_create(member=member, coach=coach)
    CoachNote.objects.create(member=member, author=coach, body="Call **Victor** first.")
    editor = User.objects.get(email=demo.EDITOR_EMAIL)
    administrator = User.objects.get(email=demo.ADMINISTRATOR_EMAIL)
    paths = {
        coach: ["/coaching/clients/", f"/coaching/clients/{member.pk}/"],
        editor: ["/staff/", "/newsletter/staff/", "/newsletter/staff/subscribers/"],
        administrator: [
            "/mailbox/",
            "/mailbox/inbound/",
            "/practice/accounts/",
            f"/practice/accounts/{member.pk}/",
        ],
    }
    found = {}
    for user, pages in paths.items():
        login(browser_page, live_server, user)
        found |= {path: _violations(browser_page, live_server.url + path) for path in pages}
    assert {path: v for path, v in found.items() if v} == {}


def test_it_passes_axe_on_public_pages(browser_page, live_server):
    seed_demo()
    paths = [
        "/", "/alliances/", "/contact/", "/newsletter/", "/newsletter/ask/",
        "/accounts/login/", "/accounts/signup/",
    ]  # fmt: skip
    found = {path: _violations(browser_page, live_server.url + path) for path in paths}
    assert {path: v for path, v in found.items() if v} == {}


def test_it_finds_an_unlabelled_field_and_an_image_without_text(browser_page, live_server):
    """An unlabelled field and an image without text are caught: the harness really runs."""
    browser_page.goto(live_server.url + "/")
    browser_page.evaluate(
        """() => { document.querySelector("main").insertAdjacentHTML("beforeend",
            '<input type="text" name="x"><img src="/static/core/favicon.svg">'); }"""
    )
    _load_axe(browser_page)
    found = " ".join(browser_page.evaluate(RUN))
    assert "label (critical)" in found and "image-alt (critical)" in found


def test_it_fits_every_main_page_on_a_phone_screen(browser_page, live_server):
    """At a phone's width no page scrolls sideways as a whole (wide boards and tables scroll
    inside their own box)."""
    seed_demo()
    member = User.objects.get(email=MEMBER_EMAIL)
    opportunity = Opportunity.objects.filter(owner=member, debrief__isnull=False).first()
    contact = Contact.objects.filter(owner=member).first()
    login(browser_page, live_server, member)
    browser_page.set_viewport_size({"width": 375, "height": 740})
    paths = [
        "/today/", "/opportunities/board/", "/opportunities/", opportunity.get_absolute_url(),
        "/opportunities/new/", f"/debriefs/{opportunity.debrief.pk}/", "/network/",
        contact.get_absolute_url(), "/network/organizations/", "/network/events/",
        "/network/import/", "/debriefs/", "/stories/", "/insights/", "/settings/data/", "/",
        "/newsletter/", "/contact/", "/alliances/", "/coaching/",
    ]  # fmt: skip
    wide = {}
    for path in paths:
        browser_page.goto(live_server.url + path)
        width = browser_page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            wide[path] = width
    assert wide == {}
