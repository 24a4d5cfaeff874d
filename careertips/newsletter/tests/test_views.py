import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from careertips.core.testing import htmx
from careertips.newsletter import tokens
from careertips.newsletter.models import Issue, ReaderQuestion, Subscriber
from careertips.newsletter.tests.helpers import (
    make_article,
    make_issue,
    make_letter,
    make_subscriber,
)

pytestmark = pytest.mark.django_db

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _link(message, pattern: str) -> str:
    return re.search(rf"https?://[^\s\"<>]+{pattern}[^\s\"<>]*", message.body).group(0)


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


# The archive -------------------------------------------------------------------------------


def test_it_lists_published_issues_by_volume_and_hides_drafts(client):
    make_issue(volume=1, number=1, title="Turning a no into an opening")
    make_issue(volume=2, number=1, title="Closing the gaps")
    make_issue(volume=2, number=2, title="Secret draft", status=Issue.Status.DRAFT)
    html = client.get("/newsletter/").content.decode()
    assert "Volume 2" in html and "Volume 1" in html
    assert html.index("Closing the gaps") < html.index("Turning a no into an opening")
    assert "Secret draft" not in html


def test_it_links_every_archived_issue_and_article_and_escapes_their_titles(client):
    issue = make_issue(volume=2, number=3, title="Pay <script>", month=dt.date(2026, 4, 1))
    article = make_article(issue=issue, title="Offers & <em>counters</em>", slug="offers")
    html = client.get("/newsletter/").content.decode()
    assert '<p class="eyebrow">No. 3 · April 2026</p>' in html
    assert '<h3><a href="/newsletter/2/3/">Pay &lt;script&gt;</a></h3>' in html
    assert (
        '<li><span class="badge kind-feature">Feature</span> '
        '<a href="/newsletter/2/3/offers/">Offers &amp; &lt;em&gt;counters&lt;/em&gt;</a></li>'
    ) in html
    assert client.get(article.get_absolute_url()).status_code == 200


def test_it_keeps_the_archive_query_count_flat(client, django_assert_max_num_queries):
    def fill(start: int, count: int) -> None:
        for number in range(start, start + count):
            issue = make_issue(volume=1 + number // 3, number=number)
            make_letter(issue=issue, slug=f"l{number}")
            make_article(issue=issue, slug=f"f{number}")

    fill(1, 2)
    with django_assert_max_num_queries(4) as few:
        client.get("/newsletter/")
    fill(3, 18)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/newsletter/")
    assert response.content.decode().count('class="card issue-summary"') == 20


def test_it_shows_an_issue_with_its_letter_in_dear_career_tips_form(client):
    issue = make_issue(volume=2, number=5, title="The raise you haven't asked for")
    make_letter(issue=issue, title="Budget frozen", question="Should I *wait*?", signed_as="Robert")
    make_article(issue=issue, title="Building the case", slug="case")
    response = client.get("/newsletter/2/5/")
    html = response.content.decode()
    assert "Dear Career Tips:" in html
    assert "<em>wait</em>" in html
    assert "— Robert" in html
    assert "Dear Robert:" in html
    assert html.index("Budget frozen") < html.index("Building the case")
    assert "<title>The raise you haven&#x27;t asked for — Career Tips" in html
    assert '<link rel="canonical" href="http://127.0.0.1:8000/newsletter/2/5/">' in html
    assert '<meta property="og:type" content="article">' in html


def test_it_answers_404_for_drafts_and_scheduled_issues(client, editor):
    draft = make_issue(volume=1, number=2, status=Issue.Status.DRAFT)
    make_article(issue=draft, slug="hidden")
    make_issue(volume=1, number=3, status=Issue.Status.SCHEDULED)
    assert client.get("/newsletter/1/2/").status_code == 404
    assert client.get("/newsletter/1/2/hidden/").status_code == 404
    assert client.get("/newsletter/1/3/").status_code == 404
    client.force_login(editor)  # staff use the preview, not the public page
    assert client.get("/newsletter/1/2/").status_code == 404


def test_it_gives_each_article_a_permalink_with_social_metadata(client):
    issue = make_issue(volume=1, number=1)
    make_letter(issue=issue, title="Call the manager", slug="call-the-manager")
    response = client.get("/newsletter/1/1/call-the-manager/")
    html = response.content.decode()
    assert "<title>Call the manager — Career Tips" in html
    assert '<meta property="og:title" content="Call the manager">' in html
    assert 'content="They turned me down. Should I call and ask why?"' in html
    assert client.get("/newsletter/1/1/no-such-article/").status_code == 404


def test_it_neutralises_script_in_articles(client):
    issue = make_issue()
    make_letter(
        issue=issue,
        slug="x",
        question="<script>alert(1)</script>Help",
        body='[click](javascript:alert(2)) <img src=x onerror="alert(3)">',
        signed_as="<b>Bob</b>",
    )
    html = client.get("/newsletter/1/1/x/").content.decode()
    assert "<script>alert" not in html
    assert "javascript:" not in html
    assert "onerror" not in html
    assert "&lt;b&gt;Bob&lt;/b&gt;" in html


def test_it_searches_the_archive_and_renders_results_for_htmx(client):
    issue = make_issue()
    make_article(issue=issue, title="Negotiating salary", slug="salary")
    make_article(issue=issue, title="Networking", slug="net", body="Meetings.")
    html = client.get("/newsletter/search/?q=salary").content.decode()
    assert "Negotiating salary" in html and "Networking" not in html
    partial = client.get("/newsletter/search/?q=salary", headers=htmx("results"))
    assert "<html" not in partial.content.decode()
    assert "Negotiating salary" in partial.content.decode()


def test_it_rejects_an_overlong_search_without_error(client):
    response = client.get("/newsletter/search/", {"q": "x" * 5000})
    assert response.status_code == 200
    assert "at most 200 characters" in response.content.decode()


# Subscribing -------------------------------------------------------------------------------


def test_it_answers_every_address_the_same_way(client, on_commit):
    make_subscriber(email="active@example.com")
    make_subscriber(email="bounced@example.com", status=Subscriber.Status.BOUNCED)
    emails = ["new@example.com", "active@example.com", "bounced@example.com"]
    with on_commit():
        responses = [client.post("/newsletter/subscribe/", {"email": email}) for email in emails]
    assert {(r.status_code, r["Location"]) for r in responses} == {
        (302, "/newsletter/subscribe/thanks/")
    }
    assert sorted(m.to[0] for m in mail.outbox) == ["active@example.com", "new@example.com"]


def test_it_runs_double_opt_in_without_letting_get_confirm(client, on_commit):
    with on_commit():
        client.post("/newsletter/subscribe/", {"email": "dana@example.com", "source": "home"})
    subscriber = Subscriber.objects.get()
    assert subscriber.consent_source == "Home page form"
    confirm = _path(_link(mail.outbox[0], "/newsletter/confirm/"))
    page = client.get(confirm)
    assert page.status_code == 200
    assert "Yes, subscribe me" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING  # a link scanner changed nothing
    with on_commit():
        response = client.post(confirm, REMOTE_ADDR="198.51.100.7")
    assert response["Location"] == "/newsletter/confirmed/"
    subscriber.refresh_from_db()
    assert (subscriber.status, subscriber.confirmed_ip) == ("active", "198.51.100.7")
    welcome = mail.outbox[-1]
    assert welcome.subject == "Welcome to Career Tips"
    assert welcome.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_it_refuses_a_tampered_or_expired_confirmation_link(client):
    subscriber = make_subscriber(status=Subscriber.Status.PENDING)
    token = tokens.make_token(purpose="confirm", subscriber=subscriber)
    assert client.post(f"/newsletter/confirm/{token}x/").status_code == 404
    other_purpose = tokens.make_token(purpose="unsubscribe", subscriber=subscriber)
    assert client.post(f"/newsletter/confirm/{other_purpose}/").status_code == 404
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING


def test_it_does_not_resubscribe_through_an_old_confirmation_link(client):
    subscriber = make_subscriber(status=Subscriber.Status.UNSUBSCRIBED)
    token = tokens.make_token(purpose="confirm", subscriber=subscriber)
    response = client.post(f"/newsletter/confirm/{token}/")
    assert "no longer works" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"email": "a@example.com\r\nBcc: victim@example.com"}, "Enter a valid email address."),
        ({"email": "x" * 300 + "@example.com"}, "at most 254 characters"),
        ({"email": "ok@example.com", "name": "Dana\nBcc: x@example.com"}, "single line"),
        ({"email": ""}, "This field is required."),
    ],
)
def test_it_shows_field_errors_for_hostile_input(client, data, error):
    response = client.post("/newsletter/subscribe/", data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Subscriber.objects.exists()


def test_it_quietly_drops_honeypot_submissions(client, on_commit):
    with on_commit():
        response = client.post(
            "/newsletter/subscribe/", {"email": "bot@example.com", "website": "http://spam"}
        )
    assert response["Location"] == "/newsletter/subscribe/thanks/"
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


def test_it_rate_limits_subscribing_per_ip(client):
    for n in range(10):
        client.post("/newsletter/subscribe/", {"email": f"p{n}@example.com"})
    response = client.post("/newsletter/subscribe/", {"email": "p11@example.com"})
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert Subscriber.objects.count() == 10
    other = client.post(
        "/newsletter/subscribe/", {"email": "q@example.com"}, REMOTE_ADDR="192.0.2.50"
    )
    assert other.status_code == 302


# Unsubscribing -----------------------------------------------------------------------------


def test_it_asks_before_unsubscribing_from_the_body_link(client):
    subscriber = make_subscriber()
    path = _path(tokens.unsubscribe_url(subscriber))
    page = client.get(path)
    assert "Unsubscribe from Career Tips?" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert client.post(path)["Location"] == "/newsletter/unsubscribed/"
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_it_unsubscribes_in_one_click_without_csrf_or_login():
    subscriber = make_subscriber()
    client = Client(enforce_csrf_checks=True)
    path = _path(tokens.one_click_unsubscribe_url(subscriber))
    response = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.suppressed_reason == "Unsubscribed (one-click)"


def test_it_requires_the_rfc_8058_body_for_one_click(client):
    subscriber = make_subscriber()
    path = _path(tokens.one_click_unsubscribe_url(subscriber))
    assert client.post(path, {"something": "else"}).status_code == 400
    assert client.get(path)["Location"] == _path(tokens.unsubscribe_url(subscriber))
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    bogus = client.post("/newsletter/unsubscribe/bogus/one-click/", ONE_CLICK)
    assert bogus.status_code == 404


# Ask Career Tips ---------------------------------------------------------------------------


def test_it_queues_a_reader_question_with_consent(client):
    response = client.post(
        "/newsletter/ask/",
        {
            "display_name": "Stuck in Sacramento",
            "email": "Reader@Example.com",
            "question": "They keep asking for my salary history. What do I say?",
            "consent_to_publish": "on",
        },
        REMOTE_ADDR="203.0.113.5",
    )
    assert response["Location"] == "/newsletter/ask/thanks/"
    question = ReaderQuestion.objects.get()
    assert question.email == "reader@example.com"
    assert question.consent_to_publish
    assert question.submitted_ip == "203.0.113.5"
    assert question.status == ReaderQuestion.Status.NEW


def test_it_rejects_oversized_and_too_short_questions(client):
    long = client.post("/newsletter/ask/", {"email": "a@example.com", "question": "x" * 6000})
    assert "at most 5000 characters" in long.content.decode()
    short = client.post("/newsletter/ask/", {"email": "a@example.com", "question": "Help?"})
    assert "at least 20 characters" in short.content.decode()
    assert not ReaderQuestion.objects.exists()


def test_it_rate_limits_questions(client):
    data = {"email": "a@example.com", "question": "How do I explain a two-year gap?"}
    for _ in range(5):
        client.post("/newsletter/ask/", data)
    assert client.post("/newsletter/ask/", data).status_code == 429
    assert ReaderQuestion.objects.count() == 5


def test_it_gives_a_subscriber_one_stable_unsubscribe_link():
    subscriber = make_subscriber()
    first = tokens.unsubscribe_url(subscriber)
    with time_machine.travel(timezone.now() + dt.timedelta(days=400)):
        assert tokens.unsubscribe_url(subscriber) == first
        token = first.rstrip("/").rsplit("/", 1)[-1]
        assert tokens.read_token(purpose="unsubscribe", token=token) == subscriber
