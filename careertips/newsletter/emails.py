"""The newsletter's own notices to one person: confirm, welcome, already subscribed, and
"your letter is published". Each is sent by a task in `tasks.py` so the web request never
waits on mail.

(Issue emails are rendered and sent by the sending engine in `sending/`.)
"""

from __future__ import annotations

from django.conf import settings

from careertips.core import outbound
from careertips.core.mail import compose
from careertips.newsletter import tokens
from careertips.newsletter.models import Issue, ReaderQuestion, Subscriber


def _list_context(subscriber: Subscriber) -> dict:
    latest = Issue.objects.published().order_by("-published_at").first()
    return {
        "subscriber": subscriber,
        "unsubscribe_url": tokens.unsubscribe_url(subscriber),
        "archive_url": tokens.absolute("/newsletter/"),
        "latest_issue": latest,
        "latest_issue_url": tokens.absolute(latest.get_absolute_url()) if latest else "",
        "SITE_URL": settings.SITE_URL,
    }


def send_confirmation(subscriber: Subscriber) -> None:
    context = _list_context(subscriber) | {"confirm_url": tokens.confirm_url(subscriber)}
    outbound.send_from_worker(
        message=compose(
            template="newsletter/email/confirm",
            context=context,
            to=[subscriber.email],
            headers=tokens.list_unsubscribe_headers(subscriber),
        ),
        kind="newsletter.confirm",
        object_id=subscriber.pk,
    )


def send_already_subscribed(subscriber: Subscriber) -> None:
    outbound.send_from_worker(
        message=compose(
            template="newsletter/email/already_subscribed",
            context=_list_context(subscriber),
            to=[subscriber.email],
            headers=tokens.list_unsubscribe_headers(subscriber),
        ),
        kind="newsletter.already_subscribed",
        object_id=subscriber.pk,
    )


def send_welcome_email(subscriber: Subscriber) -> None:
    outbound.send_from_worker(
        message=compose(
            template="newsletter/email/welcome",
            context=_list_context(subscriber),
            to=[subscriber.email],
            headers=tokens.list_unsubscribe_headers(subscriber),
        ),
        kind="newsletter.welcome",
        object_id=subscriber.pk,
    )


def send_letter_published_email(question: ReaderQuestion) -> None:
    article = question.article
    outbound.send_from_worker(
        message=compose(
            template="newsletter/email/letter_published",
            context={
                "question": question,
                "article": article,
                "issue": article.issue,
                "article_url": tokens.absolute(article.get_absolute_url()),
                "SITE_URL": settings.SITE_URL,
            },
            to=[question.email],
        ),
        kind="newsletter.letter_published",
        object_id=question.pk,
    )
