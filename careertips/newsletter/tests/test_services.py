import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.http import Http404

from careertips.newsletter import services
from careertips.newsletter.models import Article, Issue, ReaderQuestion, Subscriber
from careertips.newsletter.tests.helpers import (
    make_article,
    make_issue,
    make_letter,
    make_question,
    make_subscriber,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Runs the mail tasks queued on commit, as a real request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# Subscribing -------------------------------------------------------------------------------


def test_it_creates_a_pending_subscriber_and_mails_a_confirmation_link(on_commit):
    with on_commit():
        subscriber = services.request_subscription(
            email=" Dana@Example.COM ", name="Dana", ip="203.0.113.9", source="Home page form"
        )
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.email == "dana@example.com"
    assert (subscriber.consent_ip, subscriber.consent_source) == ("203.0.113.9", "Home page form")
    assert subscriber.consent_at is not None
    [message] = mail.outbox
    assert message.to == ["dana@example.com"]
    assert "/newsletter/confirm/" in message.body


def test_it_tells_an_active_subscriber_they_are_already_subscribed(on_commit):
    make_subscriber(email="dana@example.com", consent_source="Import")
    with on_commit():
        subscriber = services.request_subscription(email="DANA@example.com", source="Home")
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert subscriber.consent_source == "Import"  # the original consent record is kept
    [message] = mail.outbox
    assert "already" in message.subject.lower()
    assert "/newsletter/confirm/" not in message.body


@pytest.mark.parametrize("status", [Subscriber.Status.BOUNCED, Subscriber.Status.COMPLAINED])
def test_it_keeps_bounced_and_complained_addresses_suppressed_and_silent(on_commit, status):
    make_subscriber(email="gone@example.com", status=status)
    with on_commit():
        subscriber = services.request_subscription(email="gone@example.com", source="Home")
    assert subscriber.status == status
    assert mail.outbox == []


def test_it_requires_a_new_double_opt_in_after_unsubscribing(on_commit):
    make_subscriber(email="back@example.com", status=Subscriber.Status.UNSUBSCRIBED)
    with on_commit():
        subscriber = services.request_subscription(email="back@example.com", source="Home")
    assert subscriber.status == Subscriber.Status.PENDING
    assert "/newsletter/confirm/" in mail.outbox[0].body


def test_it_mails_one_address_at_most_three_times_a_day(on_commit):
    with on_commit():
        for _ in range(5):
            services.request_subscription(email="target@example.com", source="Home")
    assert len(mail.outbox) == 3


def test_it_confirms_a_pending_subscriber_once_and_welcomes_them(on_commit):
    subscriber = make_subscriber(status=Subscriber.Status.PENDING)
    with on_commit():
        assert services.confirm_subscription(subscriber=subscriber, ip="198.51.100.4")
        assert not services.confirm_subscription(subscriber=subscriber, ip="198.51.100.4")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert subscriber.confirmed_ip == "198.51.100.4"
    assert [m.subject for m in mail.outbox] == ["Welcome to Career Tips"]


@pytest.mark.parametrize(
    "status", [Subscriber.Status.UNSUBSCRIBED, Subscriber.Status.BOUNCED, Subscriber.Status.ACTIVE]
)
def test_it_does_not_confirm_anyone_but_a_pending_subscriber(status):
    subscriber = make_subscriber(status=status)
    assert not services.confirm_subscription(subscriber=subscriber, ip=None)
    subscriber.refresh_from_db()
    assert subscriber.status == status


def test_it_unsubscribes_and_records_how():
    subscriber = make_subscriber()
    services.unsubscribe(subscriber=subscriber, how="one-click")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None
    assert subscriber.suppressed_reason == "Unsubscribed (one-click)"


def test_it_keeps_a_bounce_when_a_bounced_address_unsubscribes():
    subscriber = make_subscriber(status=Subscriber.Status.BOUNCED, suppressed_reason="550")
    services.unsubscribe(subscriber=subscriber, how="one-click")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.BOUNCED


def test_it_resets_a_suppressed_address_to_pending_and_asks_to_confirm(on_commit, editor):
    subscriber = make_subscriber(status=Subscriber.Status.COMPLAINED, suppressed_reason="spam")
    with on_commit():
        services.reset_suppression(subscriber=subscriber, by=editor)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.suppressed_reason == ""
    assert subscriber.consent_source == "Reset by editor@example.com"
    assert "/newsletter/confirm/" in mail.outbox[0].body


def test_it_counts_subscribers_by_status():
    make_subscriber(email="a@example.com")
    make_subscriber(email="b@example.com")
    make_subscriber(email="c@example.com", status=Subscriber.Status.BOUNCED)
    counts = services.subscriber_counts()
    assert counts["active"] == 2
    assert counts["bounced"] == 1
    assert counts["pending"] == 0
    assert counts["all"] == 3


# The archive -------------------------------------------------------------------------------


def test_it_groups_published_issues_by_volume_and_hides_drafts():
    make_issue(volume=1, number=1, month=dt.date(2025, 11, 1))
    make_issue(volume=1, number=2, month=dt.date(2025, 12, 1))
    make_issue(volume=2, number=1, month=dt.date(2026, 1, 1))
    make_issue(volume=2, number=2, status=Issue.Status.DRAFT)
    make_issue(volume=2, number=3, status=Issue.Status.SENDING)
    volumes = services.archive_volumes()
    assert [(v.number, [i.number for i in v.issues]) for v in volumes] == [(2, [1]), (1, [2, 1])]
    assert volumes[1].years == "2025"


def test_it_prints_each_archive_card_as_the_issue_and_article_pages_link_them():
    issue = make_issue(volume=3, number=7, month=dt.date(2026, 2, 1), title="Salary & <offers>")
    tip = make_article(issue=issue, kind=Article.Kind.TIP, title="Ask <b>once</b>", position=2)
    letter = make_letter(issue=issue, title="Stuck & waiting", position=1)
    unordered = make_article(issue=issue, title="Last", position=3)
    [volume] = services.archive_volumes()
    [card] = volume.issues
    assert (card.number, card.title, card.month_label) == (7, "Salary & <offers>", "February 2026")
    assert card.url == issue.get_absolute_url() == "/newsletter/3/7/"
    assert card.contents == (
        f'<li><span class="badge kind-letter">Dear Career Tips letter</span> '
        f'<a href="{letter.get_absolute_url()}">Stuck &amp; waiting</a></li>'
        f'<li><span class="badge kind-tip">Tip</span> '
        f'<a href="{tip.get_absolute_url()}">Ask &lt;b&gt;once&lt;/b&gt;</a></li>'
        f'<li><span class="badge kind-feature">Feature</span> '
        f'<a href="{unordered.get_absolute_url()}">Last</a></li>'
    )


def test_it_lists_an_issue_without_articles_with_empty_contents():
    make_issue(volume=1, number=1)
    [volume] = services.archive_volumes()
    assert volume.issues[0].contents == ""


def test_it_finds_published_issues_and_articles_but_never_drafts():
    make_issue(volume=1, number=1)
    draft = make_issue(volume=1, number=2, status=Issue.Status.SCHEDULED)
    make_article(issue=draft, slug="secret")
    assert services.get_published_issue(volume=1, number=1).number == 1
    with pytest.raises(Http404):
        services.get_published_issue(volume=1, number=2)
    with pytest.raises(Http404):
        services.get_published_article(volume=1, number=2, slug="secret")


def test_it_ranks_title_matches_above_body_matches():
    issue = make_issue()
    body_hit = make_article(issue=issue, title="Follow up", body="Talk about salary early.")
    title_hit = make_article(issue=issue, title="Negotiating salary", body="Know your number.")
    make_article(issue=issue, title="Networking", body="Association meetings.")
    results = services.search_articles(query="salary")
    assert [a.pk for a in results] == [title_hit.pk, body_hit.pk]


def test_it_searches_every_word_and_ignores_drafts():
    issue = make_issue()
    match = make_letter(issue=issue, question="Should I call the hiring manager?", body="Yes.")
    make_article(issue=issue, title="Call your network", body="Phone them.")
    draft = make_issue(number=2, status=Issue.Status.DRAFT)
    make_letter(issue=draft, question="Call the hiring manager?", slug="draft-letter")
    assert [a.pk for a in services.search_articles(query="call   manager")] == [match.pk]
    assert services.search_articles(query="   ") == []


# Issues and articles -----------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC))
def test_it_proposes_the_number_and_month_after_the_latest_issue():
    assert services.next_issue_numbers() == (1, 1, dt.date(2026, 3, 1))
    make_issue(volume=2, number=4, month=dt.date(2026, 5, 1))
    assert services.next_issue_numbers() == (2, 5, dt.date(2026, 6, 1))


def test_it_gives_articles_unique_slugs_within_an_issue():
    issue = make_issue(status=Issue.Status.DRAFT)
    first = services.add_article(issue=issue, kind=Article.Kind.TIP, title="Say thanks!", body="x")
    second = services.add_article(issue=issue, kind=Article.Kind.TIP, title="Say thanks", body="y")
    assert (first.slug, second.slug) == ("say-thanks", "say-thanks-2")
    assert (first.position, second.position) == (0, 1)


def test_it_moves_articles_up_and_down_and_stops_at_the_ends():
    issue = make_issue(status=Issue.Status.DRAFT)
    a, b, c = (make_article(issue=issue, slug=s, position=0) for s in "abc")
    services.move_article(article=c, direction="up")
    assert list(issue.articles.order_by("position").values_list("slug", flat=True)) == [
        "a", "c", "b"
    ]  # fmt: skip
    services.move_article(article=a, direction="up")
    services.move_article(article=b, direction="down")
    assert list(issue.articles.order_by("position").values_list("slug", flat=True)) == [
        "a", "c", "b"
    ]  # fmt: skip


# The question queue ------------------------------------------------------------------------


def test_it_attaches_an_answered_question_as_a_letter():
    issue = make_issue(status=Issue.Status.DRAFT)
    make_article(issue=issue)
    question = make_question(display_name="Robert", answer="Ask for a re-grade.")
    article = services.attach_question_to_issue(
        question=question, issue=issue, title="The frozen budget"
    )
    assert article.kind == Article.Kind.LETTER
    assert article.question == question.question
    assert (article.signed_as, article.salutation) == ("Robert", "Dear Robert:")
    assert article.body == "Ask for a re-grade."
    assert article.position == 1
    question.refresh_from_db()
    assert question.status == ReaderQuestion.Status.ANSWERED


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"consent_to_publish": False}, "did not agree"),
        ({"answer": "  "}, "Write an answer"),
    ],
)
def test_it_refuses_to_attach_without_consent_or_answer(changes, message):
    issue = make_issue(status=Issue.Status.DRAFT)
    question = make_question(**{"answer": "An answer.", **changes})
    with pytest.raises(services.CannotAttach, match=message):
        services.attach_question_to_issue(question=question, issue=issue, title="T")
    assert not Article.objects.exists()


def test_it_refuses_to_attach_to_a_sent_issue_or_twice():
    sent = make_issue(volume=1, number=1)
    draft = make_issue(volume=1, number=2, status=Issue.Status.DRAFT)
    question = make_question(answer="An answer.")
    with pytest.raises(services.CannotAttach, match="not been sent"):
        services.attach_question_to_issue(question=question, issue=sent, title="T")
    services.attach_question_to_issue(question=question, issue=draft, title="T")
    with pytest.raises(services.CannotAttach, match="already"):
        services.attach_question_to_issue(question=question, issue=draft, title="T")


def test_it_signs_anonymous_letters_as_a_reader():
    issue = make_issue(status=Issue.Status.DRAFT)
    question = make_question(display_name="", answer="An answer.")
    article = services.attach_question_to_issue(question=question, issue=issue, title="T")
    assert (article.signature, article.salutation) == ("A reader", "Dear Reader:")


def test_it_emails_askers_once_when_their_issue_goes_out(on_commit):
    issue = make_issue(status=Issue.Status.DRAFT, volume=2, number=3)
    question = make_question(email="robert@example.com", answer="Ask for a re-grade.")
    services.attach_question_to_issue(question=question, issue=issue, title="Frozen budget")
    assert services.notify_published_askers(issue=issue) == 0  # still a draft
    issue.status, issue.published_at = Issue.Status.SENT, dt.datetime(2026, 1, 6, tzinfo=dt.UTC)
    issue.save()
    with on_commit():
        assert services.notify_published_askers(issue=issue) == 1
        assert services.notify_published_askers(issue=issue) == 0
    question.refresh_from_db()
    assert question.status == ReaderQuestion.Status.PUBLISHED
    assert question.notified_at is not None
    [message] = mail.outbox
    assert message.to == ["robert@example.com"]
    assert message.subject == "Your letter is in Career Tips: Frozen budget"
    assert "/newsletter/2/3/frozen-budget/" in message.body
    html = message.alternatives[0][0]
    assert "/newsletter/2/3/frozen-budget/" in html


def test_it_returns_a_removed_letter_to_the_queue():
    issue = make_issue(status=Issue.Status.DRAFT)
    question = make_question(answer="An answer.")
    article = services.attach_question_to_issue(question=question, issue=issue, title="T")
    services.delete_article(article=article)
    question.refresh_from_db()
    assert question.status == ReaderQuestion.Status.ANSWERED
    assert not hasattr(question, "article") or question.article is None


def test_it_will_not_decline_a_question_that_is_already_a_letter():
    issue = make_issue(status=Issue.Status.DRAFT)
    question = make_question(answer="An answer.")
    services.attach_question_to_issue(question=question, issue=issue, title="T")
    with pytest.raises(services.CannotAttach):
        services.decline_question(question=question)
    fresh = make_question()
    services.decline_question(question=fresh)
    assert fresh.status == ReaderQuestion.Status.DECLINED
    services.reopen_question(question=fresh)
    assert fresh.status == ReaderQuestion.Status.NEW


def test_it_gives_members_a_404_for_staff_rows(alice, editor):
    issue = make_issue()
    with pytest.raises(Http404):
        services.get_issue_for(alice, issue.pk)
    assert services.get_issue_for(editor, issue.pk) == issue


def test_it_ignores_an_unknown_move_direction():
    issue = make_issue(status=Issue.Status.DRAFT)
    first = make_article(issue=issue, slug="a", position=0)
    make_article(issue=issue, slug="b", position=1)
    services.move_article(article=first, direction="sideways")
    assert list(issue.articles.order_by("position").values_list("slug", flat=True)) == ["a", "b"]
