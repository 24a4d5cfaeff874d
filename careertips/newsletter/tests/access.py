from careertips.core.roles import Role
from careertips.core.testing import AccessCase
from careertips.newsletter import tokens
from careertips.newsletter.models import Issue, ReaderQuestion, Subscriber
from careertips.newsletter.tests.access_sending import CASES as SENDING_CASES
from careertips.newsletter.tests.helpers import (
    make_article,
    make_issue,
    make_question,
    make_subscriber,
)


def _published(user):
    issue = make_issue(volume=3, number=4)
    article = make_article(issue=issue, slug="know-your-number")
    return {"volume": 3, "number": 4, "slug": article.slug}


def _draft(user):
    issue = make_issue(volume=3, number=5, status=Issue.Status.DRAFT)
    article = make_article(issue=issue)
    return {"pk": issue.pk, "article": article.pk}


def _pending_token(user):
    subscriber = make_subscriber(email="new@example.com", status=Subscriber.Status.PENDING)
    return {"token": tokens.make_token(purpose="confirm", subscriber=subscriber)}


def _unsubscribe_token(user):
    subscriber = make_subscriber(email="leaving@example.com")
    return {"token": tokens.make_token(purpose="unsubscribe", subscriber=subscriber)}


def _answered(user):
    issue = make_issue(volume=3, number=6, status=Issue.Status.DRAFT)
    question = make_question(answer="Ask for a re-grade.", status=ReaderQuestion.Status.ANSWERED)
    return {"pk": question.pk, "issue": issue.pk}


def _question(user):
    return {"pk": make_question().pk}


def _subscriber(user):
    return {"pk": make_subscriber(email="someone@example.com").pk}


ONE_CLICK = {"List-Unsubscribe": "One-Click"}

CASES = [
    # Public: the archive's permalinks and the links in subscribers' mail.
    AccessCase("/newsletter/{volume}/{number}/", _published, public=True),
    AccessCase("/newsletter/{volume}/{number}/{slug}/", _published, public=True),
    AccessCase("/newsletter/confirm/{token}/", _pending_token, public=True),
    AccessCase("/newsletter/unsubscribe/{token}/", _unsubscribe_token, public=True),
    AccessCase(
        "/newsletter/unsubscribe/{token}/one-click/",
        _unsubscribe_token,
        method="post",
        data=ONE_CLICK,
        public=True,
    ),
    # Staff only: members get a 404.
    AccessCase("/newsletter/staff/issues/{pk}/", _draft, role=Role.EDITOR),
    AccessCase("/newsletter/staff/issues/{pk}/preview/", _draft, role=Role.EDITOR),
    AccessCase(
        "/newsletter/staff/issues/{pk}/delete/",
        _draft,
        method="post",
        owner_status=302,
        role=Role.EDITOR,
    ),
    AccessCase("/newsletter/staff/issues/{pk}/articles/new/", _draft, role=Role.EDITOR),
    AccessCase("/newsletter/staff/articles/{article}/", _draft, role=Role.EDITOR),
    AccessCase(
        "/newsletter/staff/articles/{article}/move/",
        _draft,
        method="post",
        data={"direction": "up"},
        owner_status=302,
        role=Role.EDITOR,
    ),
    AccessCase(
        "/newsletter/staff/articles/{article}/delete/",
        _draft,
        method="post",
        owner_status=302,
        role=Role.EDITOR,
    ),
    AccessCase("/newsletter/staff/questions/{pk}/", _question, role=Role.EDITOR),
    AccessCase(
        "/newsletter/staff/questions/{pk}/attach/",
        _answered,
        method="post",
        data={"issue": "{issue}", "title": "The frozen budget"},
        owner_status=302,
        role=Role.EDITOR,
    ),
    AccessCase(
        "/newsletter/staff/questions/{pk}/decline/",
        _question,
        method="post",
        owner_status=302,
        role=Role.EDITOR,
    ),
    AccessCase(
        "/newsletter/staff/questions/{pk}/reopen/",
        _question,
        method="post",
        owner_status=302,
        role=Role.EDITOR,
    ),
    AccessCase("/newsletter/staff/subscribers/{pk}/", _subscriber, role=Role.EDITOR),
    AccessCase(
        "/newsletter/staff/subscribers/{pk}/unsubscribe/",
        _subscriber,
        method="post",
        owner_status=302,
        role=Role.EDITOR,
    ),
    AccessCase(
        "/newsletter/staff/subscribers/{pk}/reset/",
        _subscriber,
        method="post",
        owner_status=302,
        role=Role.EDITOR,
    ),
]

# The sending engine's staff pages declare their cases beside its own tests.
CASES += SENDING_CASES
