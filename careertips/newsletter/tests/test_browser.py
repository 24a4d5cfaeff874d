"""A reader subscribes and asks; the editor answers in the next issue and sends it; the reader's
copy unsubscribes in one click; the archive shows the issue."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from careertips.core.testing import login
from careertips.newsletter.models import Issue, Subscriber
from careertips.newsletter.tests.helpers import make_article, make_issue

pytestmark = pytest.mark.browser

QUESTION = "The hiring manager chose someone else after three interviews. Should I call her?"


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def _mail_to(address: str, subject_part: str):
    matches = [
        m for m in mail.outbox if any(address in to for to in m.to) and subject_part in m.subject
    ]
    assert matches, [(m.to, m.subject) for m in mail.outbox]
    return matches[-1]


@pytest.fixture
def site(transactional_db, editor):
    """One earlier issue in the archive, so the new one has a neighbour."""
    issue = make_issue(volume=1, number=1, title="Your accomplishment bank")
    make_article(issue=issue, title="Five stories with numbers", slug="five-stories")
    return editor


def _subscribe_and_confirm(page, live_server) -> None:
    page.goto(live_server.url + "/")
    page.get_by_label("Your email").fill("dana@example.com")
    page.get_by_label("First name (optional)").fill("Dana")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    confirm = _mail_to("dana@example.com", "Confirm")
    link = re.search(r"https?://\S+/newsletter/confirm/\S+/", confirm.body).group(0)
    page.goto(live_server.url + _path(link))
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING  # opening changed nothing
    page.get_by_role("button", name="Yes, subscribe me").click()
    expect(page.get_by_role("heading", name="Welcome to Career Tips")).to_be_visible()
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE
    _mail_to("dana@example.com", "Welcome")


def _ask(page, live_server) -> None:
    page.goto(live_server.url + "/newsletter/ask/")
    page.get_by_label("Sign my letter as").fill("Second Place in Boulder")
    page.get_by_label("Your email").fill("dana@example.com")
    page.get_by_label("Your question").fill(QUESTION)
    page.get_by_label("Career Tips may publish my question").check()
    page.get_by_role("button", name="Send my question").click()
    expect(page.get_by_role("heading", name="Thank you — your question is with us")).to_be_visible()


def _write_issue(page, live_server) -> None:
    page.goto(live_server.url + "/newsletter/staff/issues/new/")
    page.get_by_label("Title").fill("Turning a no into your next opening")
    page.get_by_role("button", name="Create issue").click()
    expect(page.get_by_text("created. Add its articles next.")).to_be_visible()

    page.goto(live_server.url + "/newsletter/staff/questions/")
    page.get_by_role("link", name=re.compile("chose someone else")).click()
    page.get_by_label("Your answer").fill("Call. **Come to learn**, never argue, and thank her.")
    page.get_by_role("button", name="Preview").click()  # htmx: rendered below, nothing saved
    expect(page.locator("#preview-answer strong")).to_have_text("Come to learn")
    page.get_by_role("button", name="Save answer").click()
    expect(page.get_by_text("Answer saved.")).to_be_visible()
    page.get_by_label("Letter title").fill("Should I call the manager who said no?")
    page.get_by_role("button", name="Add letter to issue").click()
    expect(page.get_by_text("Letter added to Volume 1, Number 2.")).to_be_visible()

    page.get_by_role("link", name="Preview", exact=True).click()
    expect(page.get_by_text("Dear Career Tips:")).to_be_visible()
    expect(page.get_by_text("Dear Second Place in Boulder:")).to_be_visible()
    expect(page.get_by_text("readers cannot see this page")).to_be_visible()
    page.get_by_role("link", name="Back to editing").click()


def _send(page) -> None:
    """The sending engine's page: confirm and send to every subscriber."""
    page.get_by_role("link", name="Send…").click()
    page.get_by_label(re.compile("send it to every subscriber now")).check()
    page.get_by_role("button", name=re.compile(r"Send to 1 now")).click()
    expect(page.get_by_text("Sending has started.")).to_be_visible()


def test_it_takes_a_reader_from_subscribing_to_a_published_letter(browser_page, live_server, site):
    page = browser_page
    _subscribe_and_confirm(page, live_server)
    _ask(page, live_server)

    login(page, live_server, site)
    _write_issue(page, live_server)
    _send(page)

    issue = Issue.objects.get(volume=1, number=2)
    assert issue.status == Issue.Status.SENT
    copy = _mail_to("dana@example.com", "Turning a no")
    html = copy.alternatives[0][0]
    assert "Dear Second Place in Boulder:" in copy.body or "Dear Second Place in Boulder:" in html
    _mail_to("dana@example.com", "Your letter is in Career Tips")

    one_click = re.search(r"<(https?://[^>]+/one-click/)>", copy.extra_headers["List-Unsubscribe"])
    response = page.request.post(
        live_server.url + _path(one_click.group(1)),
        form={"List-Unsubscribe": "One-Click"},
    )
    assert response.ok
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED

    page.goto(live_server.url + reverse("newsletter:archive"))
    page.get_by_role("link", name="Turning a no into your next opening").click()
    expect(
        page.get_by_role("heading", name="Should I call the manager who said no?")
    ).to_be_visible()
    expect(page.get_by_text(QUESTION)).to_be_visible()
