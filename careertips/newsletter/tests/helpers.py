"""Small factories for newsletter tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from careertips.newsletter.models import Article, Issue, ReaderQuestion, Subscriber


def make_issue(
    *, volume: int = 1, number: int = 1, status: str = Issue.Status.SENT, **kw: Any
) -> Issue:
    kw.setdefault("title", f"Issue {volume}.{number}")
    kw.setdefault("month", dt.date(2025, number % 12 + 1, 1))
    if status == Issue.Status.SENT:
        kw.setdefault("sent_at", timezone.now())
        kw.setdefault("published_at", kw["sent_at"])
    return Issue.objects.create(volume=volume, number=number, status=status, **kw)


def make_article(*, issue: Issue, kind: str = Article.Kind.FEATURE, **kw: Any) -> Article:
    kw.setdefault("title", "Your accomplishment bank")
    kw.setdefault("slug", f"article-{Article.objects.count() + 1}")
    kw.setdefault("body", "Write down five stories, each with a number.")
    kw.setdefault("position", issue.articles.count())
    return Article.objects.create(issue=issue, kind=kind, **kw)


def make_letter(*, issue: Issue, **kw: Any) -> Article:
    kw.setdefault("title", "Should I call the manager?")
    kw.setdefault("question", "They turned me down. Should I call and ask why?")
    kw.setdefault("signed_as", "Robert")
    kw.setdefault("body", "Call. Come to learn, never argue, and thank them sincerely.")
    return make_article(issue=issue, kind=Article.Kind.LETTER, **kw)


def make_subscriber(
    *, email: str = "reader@example.com", status: str = Subscriber.Status.ACTIVE, **kw: Any
) -> Subscriber:
    return Subscriber.objects.create(email=email, status=status, **kw)


def make_question(**kw: Any) -> ReaderQuestion:
    kw.setdefault("email", "asker@example.com")
    kw.setdefault("display_name", "Robert")
    kw.setdefault("question", "My boss says the raise budget is frozen. Should I just wait?")
    kw.setdefault("consent_to_publish", True)
    return ReaderQuestion.objects.create(**kw)
