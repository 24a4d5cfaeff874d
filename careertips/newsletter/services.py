"""Newsletter workflows: subscribing, the archive, editing issues and the question queue.

Sending an issue lives in `sending.py`; CSV import and export in `subscriber_csv.py`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape
from typing import Any

from django.db import IntegrityError, connection, models, transaction
from django.db.models import Prefetch, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.safestring import SafeString
from django.utils.text import slugify

from careertips.core.access import owned_or_404, require_role
from careertips.core.events import emit
from careertips.core.roles import Role
from careertips.newsletter.models import Article, ArticleTheme, Issue, ReaderQuestion, Subscriber

# Permission helpers: editors see everything, everyone else nothing -------------------------


def get_issue_for(user: Any, pk: int) -> Issue:
    require_role(user, Role.EDITOR, "issue")
    return owned_or_404(Issue.objects.all(), pk, "issue")


def get_article_for(user: Any, pk: int) -> Article:
    require_role(user, Role.EDITOR, "article")
    return owned_or_404(Article.objects.select_related("issue", "reader_question"), pk, "article")


def get_question_for(user: Any, pk: int) -> ReaderQuestion:
    require_role(user, Role.EDITOR, "question")
    return owned_or_404(ReaderQuestion.objects.select_related("article__issue"), pk, "question")


def get_subscriber_for(user: Any, pk: int) -> Subscriber:
    require_role(user, Role.EDITOR, "subscriber")
    return owned_or_404(Subscriber.objects.all(), pk, "subscriber")


# The public archive ------------------------------------------------------------------------


def _ordered_articles() -> Prefetch:
    return Prefetch("articles", queryset=Article.objects.order_by("position", "id"))


def get_published_issue(*, volume: int, number: int) -> Issue:
    issue = (
        Issue.objects.published()
        .prefetch_related(_ordered_articles())
        .filter(volume=volume, number=number)
        .first()
    )
    if issue is None:
        raise Http404("No such issue.")
    return issue


def get_published_article(*, volume: int, number: int, slug: str) -> Article:
    article = (
        Article.objects.published()
        .filter(issue__volume=volume, issue__number=number, slug=slug)
        .first()
    )
    if article is None:
        raise Http404("No such article.")
    return article


def latest_published_issue() -> Issue | None:
    return (
        Issue.objects.published()
        .prefetch_related(_ordered_articles())
        .order_by("-published_at", "-volume", "-number")
        .first()
    )


@dataclass(slots=True)
class ArchiveIssue:
    """One issue's card in the archive, ready to print."""

    number: int
    month: dt.date
    month_label: str
    title: str
    url: str
    contents: SafeString = SafeString()


@dataclass
class Volume:
    number: int
    issues: list[ArchiveIssue]

    @property
    def years(self) -> str:
        years = sorted({issue.month.year for issue in self.issues})
        return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def archive_volumes() -> list[Volume]:
    """Every published issue, newest volume first, with its articles in order.

    The archive lists every issue ever sent (hundreds of cards, each with its contents), so
    its rows are plain values read with two queries, links are formatted from the archive's
    own URL rather than reversed per row, and each card's list of articles is one string.
    """
    prefix = reverse("newsletter:archive")
    months = {number: str(name) for number, name in MONTHS.items()}  # as |date:"F" prints them
    volumes: dict[int, Volume] = {}
    cards: dict[int, ArchiveIssue] = {}
    issues = Issue.objects.published().order_by("-volume", "-number")
    for pk, volume, number, month, title in issues.values_list(
        "pk", "volume", "number", "month", "title"
    ):
        url = f"{prefix}{volume}/{number}/"
        label = f"{months[month.month]} {month.year:04d}"
        cards[pk] = ArchiveIssue(number, month, label, title, url)
        volumes.setdefault(volume, Volume(volume, [])).issues.append(cards[pk])
    for pk, lines in _contents_lines(cards).items():
        cards[pk].contents = SafeString("".join(lines))
    return list(volumes.values())


def _contents_lines(cards: dict[int, ArchiveIssue]) -> dict[int, list[str]]:
    """Each published issue's articles as the archive's list items, in the issue's order.

    Built here rather than by a template loop: the archive prints hundreds of them, and a
    template costs several times as much per line. Every value is escaped (html.escape is
    what django.utils.html.escape applies).
    """
    badges = {
        kind: f'<span class="badge kind-{escape(kind)}">{escape(label)}</span>'
        for kind, label in Article.Kind.choices
    }
    lines: dict[int, list[str]] = {}
    articles = Article.objects.published().order_by("position", "id")
    for issue_id, kind, title, slug in articles.values_list("issue_id", "kind", "title", "slug"):
        card = cards.get(issue_id)
        if card is None:  # published between the two queries: on the next view
            continue
        badge = badges.get(kind) or f'<span class="badge kind-{escape(kind)}">{escape(kind)}</span>'
        url = escape(f"{card.url}{slug}/")
        lines.setdefault(issue_id, []).append(
            f'<li>{badge} <a href="{url}">{escape(title)}</a></li>'
        )
    return lines


def neighbours(issue: Issue) -> tuple[Issue | None, Issue | None]:
    """The published issues before and after this one."""
    published = Issue.objects.published().only("volume", "number", "title")
    older = published.filter(
        Q(volume__lt=issue.volume) | Q(volume=issue.volume, number__lt=issue.number)
    ).order_by("-volume", "-number")
    newer = published.filter(
        Q(volume__gt=issue.volume) | Q(volume=issue.volume, number__gt=issue.number)
    ).order_by("volume", "number")
    return older.first(), newer.first()


MAX_QUERY_LENGTH = 200


def search_articles(*, query: str, limit: int = 50) -> list[Article]:
    """Published articles matching the words, best first (full-text ranking on PostgreSQL)."""
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    if not query:
        return []
    articles = Article.objects.published()
    if connection.vendor == "postgresql":
        return list(_search_postgres(articles, query)[:limit])
    return list(_search_simple(articles, query)[:limit])


def _search_postgres(articles: models.QuerySet, query: str) -> models.QuerySet:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = (
        SearchVector("title", weight="A", config="english")
        + SearchVector("question", weight="B", config="english")
        + SearchVector("body", weight="C", config="english")
    )
    search = SearchQuery(query, search_type="websearch", config="english")
    return (
        articles.annotate(document=vector, rank=SearchRank(vector, search))
        .filter(document=search)
        .order_by("-rank", "-issue__published_at", "position")
    )


def _search_simple(articles: models.QuerySet, query: str) -> models.QuerySet:
    """Every word must appear somewhere; a word in the title counts most, in the body least."""
    words = [word.strip("\"'") for word in query.split()[:8]]
    rank: Any = models.Value(0)
    for word in filter(None, words):
        articles = articles.filter(
            Q(title__icontains=word) | Q(question__icontains=word) | Q(body__icontains=word)
        )
        for field, weight in (("title", 4), ("question", 2), ("body", 1)):
            rank = rank + models.Case(
                models.When(**{f"{field}__icontains": word}, then=models.Value(weight)),
                default=models.Value(0),
            )
    return articles.annotate(rank=rank).order_by("-rank", "-issue__published_at", "position")


# Subscribers -------------------------------------------------------------------------------


def normalize_email(email: str) -> str:
    return email.strip().lower()


@transaction.atomic
def request_subscription(
    *, email: str, name: str = "", ip: str | None = None, source: str
) -> Subscriber:
    """Starts (or restarts) double opt-in. The caller learns nothing about the address: the
    mail that follows depends on its state (confirm, already subscribed, or none for
    suppressed addresses) and is sent by a task, so every request looks the same."""
    from careertips.newsletter.tasks import send_subscription_notice

    subscriber = _lock_or_create_subscriber(email=normalize_email(email), name=name)
    if subscriber.status in (Subscriber.Status.PENDING, Subscriber.Status.UNSUBSCRIBED):
        subscriber.status = Subscriber.Status.PENDING
        subscriber.name = name or subscriber.name
        subscriber.consent_at = timezone.now()
        subscriber.consent_ip = ip
        subscriber.consent_source = source[:60]
        subscriber.save(
            update_fields=[
                "status",
                "name",
                "consent_at",
                "consent_ip",
                "consent_source",
                "updated_at",
            ]
        )
    transaction.on_commit(lambda: send_subscription_notice.enqueue(subscriber_id=subscriber.pk))
    return subscriber


def _lock_or_create_subscriber(*, email: str, name: str) -> Subscriber:
    existing = Subscriber.objects.select_for_update().filter(email__iexact=email).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Subscriber.objects.create(email=email, name=name)
    except IntegrityError:  # the same address arrived twice at once
        return Subscriber.objects.select_for_update().get(email__iexact=email)


@transaction.atomic
def confirm_subscription(*, subscriber: Subscriber, ip: str | None) -> bool:
    """Activates a pending subscriber and queues the welcome; False if nothing changed."""
    from careertips.newsletter.tasks import send_welcome

    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status != Subscriber.Status.PENDING:
        return False
    subscriber.status = Subscriber.Status.ACTIVE
    subscriber.confirmed_at = timezone.now()
    subscriber.confirmed_ip = ip
    subscriber.suppressed_reason = ""
    subscriber.save(
        update_fields=["status", "confirmed_at", "confirmed_ip", "suppressed_reason", "updated_at"]
    )
    transaction.on_commit(lambda: send_welcome.enqueue(subscriber_id=subscriber.pk))
    emit(
        "subscriber.confirmed",
        None,
        {"subscriber_id": subscriber.pk, "email": subscriber.email, "status": subscriber.status},
    )
    return True


@transaction.atomic
def unsubscribe(*, subscriber: Subscriber, how: str) -> Subscriber:
    """Stops all mail to the address. Bounced and complained addresses keep that status."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status in (Subscriber.Status.PENDING, Subscriber.Status.ACTIVE):
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.suppressed_reason = f"Unsubscribed ({how})"[:300]
        subscriber.save(
            update_fields=["status", "unsubscribed_at", "suppressed_reason", "updated_at"]
        )
        emit(
            "subscriber.unsubscribed",
            None,
            {
                "subscriber_id": subscriber.pk,
                "email": subscriber.email,
                "status": subscriber.status,
            },
        )
    return subscriber


@transaction.atomic
def reset_suppression(*, subscriber: Subscriber, by: Any) -> Subscriber:
    """Staff clear a bounce, complaint or unsubscribe: the address must confirm again."""
    from careertips.newsletter.tasks import send_subscription_notice

    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if not subscriber.is_suppressed:
        return subscriber
    subscriber.status = Subscriber.Status.PENDING
    subscriber.suppressed_reason = ""
    subscriber.consent_source = f"Reset by {by.email}"[:60]
    subscriber.save(update_fields=["status", "suppressed_reason", "consent_source", "updated_at"])
    transaction.on_commit(lambda: send_subscription_notice.enqueue(subscriber_id=subscriber.pk))
    return subscriber


def subscriber_counts() -> dict[str, int]:
    rows = Subscriber.objects.values("status").annotate(n=models.Count("id")).order_by()
    counts = dict.fromkeys(Subscriber.Status.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    counts["all"] = sum(counts.values())
    return counts


# Issues and articles -----------------------------------------------------------------------


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_issue_numbers() -> tuple[int, int, dt.date]:
    """Volume, number and month for a new issue: the one after the latest."""
    latest = Issue.objects.order_by("-volume", "-number").first()
    today = timezone.localdate()
    if latest is None:
        return 1, 1, first_of_month(today)
    following = (latest.month + dt.timedelta(days=32)).replace(day=1)
    return latest.volume, latest.number + 1, max(following, first_of_month(today))


def unique_article_slug(*, issue: Issue, title: str) -> str:
    base = slugify(title)[:180].strip("-") or "article"
    taken = set(
        Article.objects.filter(issue=issue, slug__startswith=base).values_list("slug", flat=True)
    )
    slug, counter = base, 2
    while slug in taken:
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _next_position(issue: Issue) -> int:
    top = issue.articles.aggregate(top=models.Max("position"))["top"]
    return 0 if top is None else top + 1


@transaction.atomic
def add_article(*, issue: Issue, kind: str, title: str, body: str, **fields: Any) -> Article:
    Issue.objects.select_for_update().filter(pk=issue.pk).exists()  # serialises positions
    return Article.objects.create(
        issue=issue,
        kind=kind,
        title=title,
        body=body,
        slug=unique_article_slug(issue=issue, title=title),
        position=_next_position(issue),
        **fields,
    )


@transaction.atomic
def set_article_themes(*, article: Article, themes: list[str]) -> None:
    """The debrief themes the article speaks to, exactly these."""
    article.themes.exclude(theme__in=themes).delete()
    have = set(article.themes.values_list("theme", flat=True))
    ArticleTheme.objects.bulk_create(
        ArticleTheme(article=article, theme=theme) for theme in themes if theme not in have
    )


@transaction.atomic
def move_article(*, article: Article, direction: str) -> None:
    """Swaps the article with its neighbour; positions are renumbered 0..n so ties vanish."""
    rows = list(
        Article.objects.select_for_update()
        .filter(issue_id=article.issue_id)
        .order_by("position", "id")
    )
    index = next(i for i, row in enumerate(rows) if row.pk == article.pk)
    target = {"up": index - 1, "down": index + 1}.get(direction, index)
    if 0 <= target < len(rows):
        rows[index], rows[target] = rows[target], rows[index]
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position", "updated_at"])


@transaction.atomic
def delete_article(*, article: Article) -> None:
    """Removing a letter sends its reader question back to the queue as answered."""
    if article.reader_question_id:
        ReaderQuestion.objects.filter(
            pk=article.reader_question_id, status=ReaderQuestion.Status.PUBLISHED
        ).update(status=ReaderQuestion.Status.ANSWERED)
    article.delete()


# The question queue ------------------------------------------------------------------------


@transaction.atomic
def submit_question(
    *,
    email: str,
    question: str,
    display_name: str = "",
    name: str = "",
    consent_to_publish: bool,
    ip: str | None,
) -> ReaderQuestion:
    return ReaderQuestion.objects.create(
        email=normalize_email(email),
        question=question,
        display_name=display_name,
        name=name,
        consent_to_publish=consent_to_publish,
        submitted_ip=ip,
    )


@transaction.atomic
def save_answer(*, question: ReaderQuestion, answer: str, display_name: str) -> ReaderQuestion:
    question.answer = answer
    question.display_name = display_name
    if question.status == ReaderQuestion.Status.NEW and answer.strip():
        question.status = ReaderQuestion.Status.ANSWERED
    question.save(update_fields=["answer", "display_name", "status", "updated_at"])
    return question


class CannotAttach(ValueError):
    pass


def attachable_issues() -> models.QuerySet:
    return Issue.objects.filter(status__in=[Issue.Status.DRAFT, Issue.Status.SCHEDULED])


@transaction.atomic
def attach_question_to_issue(*, question: ReaderQuestion, issue: Issue, title: str) -> Article:
    """Publishes the answered question as a Dear Career Tips letter in an unsent issue."""
    question = ReaderQuestion.objects.select_for_update().get(pk=question.pk)
    if not question.consent_to_publish:
        raise CannotAttach("The reader did not agree to publication.")
    if not question.answer.strip():
        raise CannotAttach("Write an answer first.")
    if Article.objects.filter(reader_question=question).exists():
        raise CannotAttach("This question is already a letter in an issue.")
    if issue.status not in (Issue.Status.DRAFT, Issue.Status.SCHEDULED):
        raise CannotAttach("Letters can only be added to issues that have not been sent.")
    article = add_article(
        issue=issue,
        kind=Article.Kind.LETTER,
        title=title,
        body=question.answer,
        question=question.question,
        signed_as=question.display_name,
        reader_question=question,
    )
    question.status = ReaderQuestion.Status.ANSWERED
    question.save(update_fields=["status", "updated_at"])
    return article


@transaction.atomic
def decline_question(*, question: ReaderQuestion) -> ReaderQuestion:
    if Article.objects.filter(reader_question=question).exists():
        raise CannotAttach("Remove the letter from its issue before declining the question.")
    question.status = ReaderQuestion.Status.DECLINED
    question.save(update_fields=["status", "updated_at"])
    return question


@transaction.atomic
def reopen_question(*, question: ReaderQuestion) -> ReaderQuestion:
    question.status = (
        ReaderQuestion.Status.ANSWERED if question.answer.strip() else ReaderQuestion.Status.NEW
    )
    question.save(update_fields=["status", "updated_at"])
    return question


@transaction.atomic
def notify_published_askers(*, issue: Issue) -> int:
    """Marks the issue's reader letters published and emails each asker once.

    Called when the issue goes out (status sending or sent); calling it again sends nothing
    new. Returns how many askers will be emailed.
    """
    from careertips.newsletter.tasks import send_letter_published

    if issue.status not in (Issue.Status.SENDING, Issue.Status.SENT):
        return 0
    questions = list(
        ReaderQuestion.objects.select_for_update().filter(
            article__issue=issue, consent_to_publish=True, notified_at__isnull=True
        )
    )
    now = timezone.now()
    for question in questions:
        question.status = ReaderQuestion.Status.PUBLISHED
        question.notified_at = now
        question.save(update_fields=["status", "notified_at", "updated_at"])
    ids = [question.pk for question in questions]

    def enqueue_all() -> None:
        for pk in ids:
            send_letter_published.enqueue(question_id=pk)

    transaction.on_commit(enqueue_all)
    return len(ids)
