"""Editors' resources: subscribers (double opt-in, suppression respected), issues, articles
and reader questions."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from careertips.api.auth import editor_reader, editor_writer
from careertips.api.endpoints.common import MAX_ID, Cursor, Limit, Page, PathId, Text
from careertips.api.errors import Invalid
from careertips.api.writes import committing
from careertips.core.abuse import client_ip
from careertips.newsletter import services
from careertips.newsletter.models import Article, Issue, ReaderQuestion, Subscriber

router = Router(tags=["Newsletter (editors)"])


class SubscriberOut(Schema):
    id: int
    email: str
    name: str
    status: str
    consent_at: dt.datetime | None
    consent_source: str
    confirmed_at: dt.datetime | None
    unsubscribed_at: dt.datetime | None
    suppressed_reason: str


class SubscriberPage(Page):
    items: list[SubscriberOut]


class SubscriberIn(Schema):
    email: Text = Field(max_length=254)
    name: Text = Field("", max_length=120)
    consent_source: Text = Field(
        max_length=40, description="Where the person agreed, e.g. `event sign-up sheet`."
    )


class IssueOut(Schema):
    id: int
    volume: int
    number: int
    month: dt.date
    title: str
    introduction: str
    status: str
    scheduled_for: dt.datetime | None
    sent_at: dt.datetime | None
    published_at: dt.datetime | None


class IssuePage(Page):
    items: list[IssueOut]


class ArticleOut(Schema):
    id: int
    issue_id: int
    kind: str
    position: int
    title: str
    slug: str
    question: str
    signed_as: str
    body: str


class ArticlePage(Page):
    items: list[ArticleOut]


class QuestionOut(Schema):
    id: int
    name: str
    display_name: str
    email: str
    question: str
    consent_to_publish: bool
    status: str
    answer: str
    created_at: dt.datetime


class QuestionPage(Page):
    items: list[QuestionOut]


@router.get("/subscribers", response=SubscriberPage, operation_id="listSubscribers")
def list_subscribers(
    request: HttpRequest,
    status: Subscriber.Status | None = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict:
    editor_reader(request)
    rows = Subscriber.objects.all()
    if status:
        rows = rows.filter(status=status)
    items, next_cursor = Cursor().page(rows, cursor=cursor, limit=limit)
    return {"items": items, "next_cursor": next_cursor}


@router.post("/subscribers", response={202: SubscriberOut}, operation_id="addSubscriber")
def add_subscriber(request: HttpRequest, payload: SubscriberIn) -> Status[Subscriber]:
    """Starts double opt-in for the address, with where they agreed recorded as consent.
    A suppressed address (unsubscribed, bounced, complained) is left as it is."""
    user = editor_writer(request)
    try:
        validate_email(payload.email)
    except ValidationError:
        raise Invalid([("email", "Enter a valid email address.")]) from None
    if not payload.consent_source.strip():
        raise Invalid([("consent_source", "Say where this person agreed to receive it.")])
    with committing(request):
        subscriber = services.request_subscription(
            email=payload.email,
            name=payload.name,
            ip=client_ip(request),
            source=f"API ({user.email}): {payload.consent_source}",
        )
    return Status(202, subscriber)


@router.post("/subscribers/{pk}/unsubscribe", response=SubscriberOut, operation_id="unsubscribe")
def unsubscribe(request: HttpRequest, pk: PathId) -> Subscriber:
    user = editor_writer(request)
    subscriber = services.get_subscriber_for(user, pk)
    with committing(request):
        return services.unsubscribe(subscriber=subscriber, how=f"API, by {user.email}")


@router.get("/issues", response=IssuePage, operation_id="listIssues")
def list_issues(request: HttpRequest, cursor: str | None = None, limit: Limit = 50) -> dict:
    editor_reader(request)
    items, next_cursor = Cursor().page(Issue.objects.all(), cursor=cursor, limit=limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get("/issues/{pk}", response=IssueOut, operation_id="getIssue")
def get_issue(request: HttpRequest, pk: PathId) -> Issue:
    return services.get_issue_for(editor_reader(request), pk)


@router.get("/articles", response=ArticlePage, operation_id="listArticles")
def list_articles(
    request: HttpRequest,
    issue_id: int | None = Query(None, ge=1, le=MAX_ID),
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict:
    editor_reader(request)
    rows = Article.objects.all()
    if issue_id:
        rows = rows.filter(issue_id=issue_id)
    items, next_cursor = Cursor().page(rows, cursor=cursor, limit=limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get("/articles/{pk}", response=ArticleOut, operation_id="getArticle")
def get_article(request: HttpRequest, pk: PathId) -> Article:
    return services.get_article_for(editor_reader(request), pk)


@router.get("/reader-questions", response=QuestionPage, operation_id="listReaderQuestions")
def list_questions(
    request: HttpRequest,
    status: ReaderQuestion.Status | None = None,
    cursor: str | None = None,
    limit: Limit = 50,
) -> dict:
    editor_reader(request)
    rows = ReaderQuestion.objects.all()
    if status:
        rows = rows.filter(status=status)
    items, next_cursor = Cursor().page(rows, cursor=cursor, limit=limit)
    return {"items": items, "next_cursor": next_cursor}
