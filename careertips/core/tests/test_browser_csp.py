"""The Content-Security-Policy in Chromium: the demo practice's member, staff and public pages
load with no violation reported, and htmx still moves a card, filters a list and saves an
inline form under the policy."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from careertips.core.demo import COACH_EMAIL, MEMBER_EMAIL, seed_demo
from careertips.core.models import CapturedEmail, OutboundMail, User
from careertips.core.roles import Role
from careertips.core.services import set_roles
from careertips.core.testing import login
from careertips.debriefs.models import Debrief
from careertips.network.models import Contact
from careertips.network.tests.helpers import attend, make_event
from careertips.newsletter.models import Article, Issue, ReaderQuestion, Subscriber
from careertips.offers.models import Negotiation, Offer
from careertips.pages.models import ContactMessage, Page
from careertips.pipeline.models import Interview, Opportunity, Stage
from careertips.stories.tests.factories import make_goal, make_requirement, make_story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs in every document before its own scripts: keeps each violation the page reports.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " refused " + (e.blockedURI || "inline") +
    " in " + e.sourceFile + ":" + e.lineNumber + " " + (e.sample || ""));
});
"""


class Watch:
    """Collects CSP violations (from the page's event and from the console, which also
    hears frames) and script errors for the page being looked at."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))

    def _console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.problems.append(f"console: {text}")
        elif message.type == "error" and "htmx" in text.lower():
            self.problems.append(f"htmx: {text}")

    def visit(self, url: str) -> None:
        response = self.page.goto(url)
        assert response is not None and response.status < 400, f"{url}: {response.status}"
        header = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in header, f"{url} has no policy: {header!r}"
        self.page.wait_for_load_state("networkidle")
        self.check(url)

    def check(self, where: str) -> None:
        reported = self.page.evaluate("window.__csp || []")
        problems = self.problems + [f"event: {v}" for v in reported]
        self.problems = []
        assert not problems, f"{where}:\n" + "\n".join(problems)


@pytest.fixture
def practice(transactional_db):
    seed_demo()
    member = User.objects.get(email=MEMBER_EMAIL)
    # The walk reaches every practice page, so its staff account holds every role.
    staff = User.objects.get(email=COACH_EMAIL)
    set_roles(user=staff, roles=Role.values, by=None)
    # What the demo does not bring: an event, stories, a posting's requirements, a goal,
    # a captured email with styles, and a note whose email was not sent.
    contact = Contact.objects.filter(owner=member).order_by("pk").first()
    event = make_event(owner=member, name="ASQ chapter dinner")
    attend(event=event, contact=contact)
    interviewing = Opportunity.objects.filter(owner=member, stage=Stage.INTERVIEWING).first()
    story = make_story(owner=member)
    make_requirement(opportunity=interviewing)
    make_goal(owner=member)
    CapturedEmail.objects.create(
        from_email="hello@careertips.local", to=member.email, subject="Styled",
        text_body="Hi", html_body='<p style="color: #c00">Hi</p>', raw="x",
    )  # fmt: skip
    # Targets on the offer, so its standing draws the walk-away and target ticks.
    offer = Offer.objects.get(opportunity__owner=member)
    Negotiation.objects.filter(offer=offer).update(
        walk_away=offer.base_salary * 9 // 10, target=offer.base_salary * 11 // 10
    )
    debrief = Debrief.objects.filter(owner=member).order_by("pk").first()
    OutboundMail.objects.create(
        kind="debriefs.thank_you", object_id=debrief.pk, owner=member, from_email="a@b.c",
        recipients="x@example.com", status=OutboundMail.Status.FAILED, last_error="550 No",
    )  # fmt: skip
    Debrief.objects.filter(pk=debrief.pk).update(
        thank_you_channel="email", thank_you_sent_at=timezone.now(), thank_you_body="Thanks"
    )
    return {
        "member": member, "staff": staff, "story": story, "opportunity": interviewing,
        "contact": contact, "event": event,
    }  # fmt: skip


def member_pages(member, extra) -> list[str]:
    opportunity = extra["opportunity"]
    interview = Interview.objects.filter(opportunity__owner=member).first()
    offer = Offer.objects.filter(opportunity__owner=member).first()
    contact, event = extra["contact"], extra["event"]
    debriefs = Debrief.objects.filter(owner=member).order_by("pk")
    return [
        "/today/", "/opportunities/board/", "/opportunities/", f"/opportunities/{opportunity.pk}/",
        f"/opportunities/{offer.opportunity_id}/", "/opportunities/offers/compare/",
        f"/opportunities/offers/{offer.pk}/negotiate/", "/debriefs/",
        *(f"/debriefs/{d.pk}/" for d in debriefs[:3]),
        "/network/", f"/network/contacts/{contact.pk}/", "/network/events/",
        f"/network/events/{event.pk}/", "/network/organizations/", "/network/import/",
        "/stories/", f"/stories/{extra['story'].pk}/", "/stories/coverage/",
        f"/stories/coverage/{opportunity.pk}/", f"/stories/prep/{interview.pk}/",
        "/stories/gaps/", "/stories/cases/", "/stories/goals/", "/insights/",
        "/settings/", "/settings/data/", "/coaching/",
    ]  # fmt: skip


def staff_pages(member) -> list[str]:
    issue = Issue.objects.order_by("-pk").first()
    page = Page.objects.first()
    question = ReaderQuestion.objects.first()
    subscriber = Subscriber.objects.first()
    message = ContactMessage.objects.first()
    mail = CapturedEmail.objects.first()
    return [
        "/newsletter/staff/", f"/newsletter/staff/issues/{issue.pk}/",
        f"/newsletter/staff/issues/{issue.pk}/preview/",
        f"/newsletter/staff/issues/{issue.pk}/send/",
        f"/newsletter/staff/articles/{Article.objects.filter(issue=issue).first().pk}/",
        "/newsletter/staff/questions/", f"/newsletter/staff/questions/{question.pk}/",
        "/newsletter/staff/subscribers/", f"/newsletter/staff/subscribers/{subscriber.pk}/",
        "/newsletter/staff/subscribers/import/", "/staff/", "/staff/pages/",
        f"/staff/pages/{page.pk}/", "/staff/alliances/", "/staff/testimonials/",
        "/staff/messages/", f"/staff/messages/{message.pk}/", "/mailbox/", f"/mailbox/{mail.pk}/",
        "/practice/accounts/", f"/practice/accounts/{member.pk}/",
        "/coaching/clients/", f"/coaching/clients/{member.pk}/",
    ]  # fmt: skip


def public_pages() -> list[str]:
    issue = Issue.objects.published().order_by("-published_at").first()
    article = Article.objects.published().filter(issue=issue).first()
    return [
        "/", "/about/", "/alliances/", "/testimonials/", "/testimonials/share/", "/contact/",
        "/newsletter/", issue.get_absolute_url(), article.get_absolute_url(),
        "/newsletter/subscribe/", "/newsletter/ask/", "/newsletter/search/?q=offer",
        "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/",
    ]  # fmt: skip


def test_it_serves_every_page_under_the_policy_with_no_violation(
    browser_page, live_server, practice
):
    watch = Watch(browser_page)
    assert Negotiation.objects.get().target  # the offer's standing draws its ticks
    for path in public_pages():
        watch.visit(live_server.url + path)

    login(browser_page, live_server, practice["member"])
    for path in member_pages(practice["member"], practice):
        watch.visit(live_server.url + path)
    # The debrief whose note was not sent offers "try again" there, under the policy too.
    expect(browser_page.get_by_role("button", name="try again")).to_have_count(0)
    first = Debrief.objects.filter(owner=practice["member"]).order_by("pk").first()
    watch.visit(f"{live_server.url}/debriefs/{first.pk}/")
    expect(browser_page.get_by_text("550 No")).to_be_visible()
    expect(browser_page.get_by_role("button", name="try again")).to_be_visible()

    browser_page.context.clear_cookies()
    login(browser_page, live_server, practice["staff"])
    for path in staff_pages(practice["member"]):
        watch.visit(live_server.url + path)


def _mark(page) -> None:
    """A flag a full page load would wipe: still there means htmx swapped in place."""
    page.evaluate("window.__stayed = true")


def _stayed(page) -> bool:
    return page.evaluate("window.__stayed === true")


def test_it_keeps_htmx_working_under_the_policy(browser_page, live_server, practice):
    page, member = browser_page, practice["member"]
    watch = Watch(page)
    login(page, live_server, member)

    # A stage move on the board.
    watch.visit(f"{live_server.url}/opportunities/board/")
    opportunity = Opportunity.objects.filter(owner=member, stage=Stage.APPLIED).first()
    _mark(page)
    card = page.locator(f"#opp-{opportunity.pk}")
    card.get_by_label(re.compile("Move .* to")).select_option(Stage.SCREENING)
    card.get_by_role("button", name="Move").click()
    expect(page.locator(f'[data-stage="{Stage.SCREENING}"] #opp-{opportunity.pk}')).to_be_visible()
    assert _stayed(page)
    opportunity.refresh_from_db()
    assert opportunity.stage == Stage.SCREENING
    watch.check("board move")

    # Typing in the network's search filters the list in place (a trigger with a selector).
    watch.visit(f"{live_server.url}/network/")
    contact = Contact.objects.filter(owner=member).order_by("name").last()
    _mark(page)
    page.get_by_label("Search").fill(contact.name)
    expect(page).to_have_url(re.compile(r"\?q="))
    expect(page.locator("#contact-results")).to_contain_text("1 contact")
    assert _stayed(page)
    watch.check("network search")

    # An inline form: a debrief's thank-you draft saved in its section.
    debrief = Debrief.objects.filter(owner=member, status=Debrief.Status.OPEN).last()
    Debrief.objects.filter(pk=debrief.pk).update(thank_you_sent_at=None, thank_you_channel="")
    watch.visit(f"{live_server.url}/debriefs/{debrief.pk}/")
    _mark(page)
    section = page.locator("#section-thank_you")
    section.get_by_label("Your note").fill("Thank you for your time and candour.")
    # Wait for the save itself: the field shows the typed text before the server has it.
    with page.expect_response(lambda r: r.request.method == "POST" and "/debriefs/" in r.url):
        section.get_by_role("button", name="Save draft").click()
    expect(section.get_by_label("Your note")).to_have_value("Thank you for your time and candour.")
    expect(page.locator("#section-steps")).to_be_attached()
    assert _stayed(page)
    debrief.refresh_from_db()
    assert debrief.thank_you_body == "Thank you for your time and candour."
    watch.check("debrief draft")


def test_it_sends_the_policy_with_every_directive(client):
    response = client.get("/accounts/login/")

    policy = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
        "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
    ):  # fmt: skip
        assert directive in policy
    assert "unsafe" not in policy
    assert settings.SECURE_CSP["script-src"] == ["'self'"]
