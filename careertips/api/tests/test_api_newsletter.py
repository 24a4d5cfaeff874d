import pytest

from careertips.api.tests.helpers import call, make_token
from careertips.newsletter.models import Subscriber
from careertips.newsletter.tests.helpers import (
    make_article,
    make_issue,
    make_question,
    make_subscriber,
)

V1 = "/api/v1/newsletter"


@pytest.fixture
def editor_token(editor):
    return make_token(editor, ("read", "write", "editor"))


def test_it_adds_a_subscriber_with_consent_recorded_and_double_opt_in(editor_token):
    body = {"email": "Reader@Example.com", "name": "Robert", "consent_source": "ASQ sign-up sheet"}
    response = call("post", f"{V1}/subscribers", token=editor_token, body=body)
    assert response.status_code == 202, response.content
    subscriber = Subscriber.objects.get(email="reader@example.com")
    assert subscriber.status == Subscriber.Status.PENDING  # they confirm by email first
    assert subscriber.consent_at is not None
    assert "ASQ sign-up sheet" in subscriber.consent_source


def test_it_leaves_a_suppressed_address_suppressed(editor_token):
    gone = make_subscriber(email="gone@example.com", status=Subscriber.Status.BOUNCED)
    body = {"email": "gone@example.com", "consent_source": "import"}
    response = call("post", f"{V1}/subscribers", token=editor_token, body=body)
    assert response.status_code == 202
    gone.refresh_from_db()
    assert gone.status == Subscriber.Status.BOUNCED


def test_it_requires_where_consent_was_given(editor_token):
    body = {"email": "new@example.com", "consent_source": "  "}
    response = call("post", f"{V1}/subscribers", token=editor_token, body=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "consent_source"
    assert not Subscriber.objects.exists()


def test_it_unsubscribes_and_lists_by_status(editor_token):
    subscriber = make_subscriber(email="leaving@example.com")
    make_subscriber(email="staying@example.com")
    path = f"{V1}/subscribers/{subscriber.pk}/unsubscribe"
    assert call("post", path, token=editor_token).json()["status"] == "unsubscribed"
    listed = call("get", f"{V1}/subscribers?status=unsubscribed", token=editor_token).json()
    assert [row["email"] for row in listed["items"]] == ["leaving@example.com"]


def test_it_reads_issues_articles_and_questions(editor_token):
    issue = make_issue(volume=3, number=4)
    article = make_article(issue=issue)
    make_question(question="How do I ask for a raise?")
    assert call("get", f"{V1}/issues/{issue.pk}", token=editor_token).json()["number"] == 4
    assert (
        call("get", f"{V1}/articles/{article.pk}", token=editor_token).json()["issue_id"]
        == issue.pk
    )
    questions = call("get", f"{V1}/reader-questions", token=editor_token).json()["items"]
    assert [q["question"] for q in questions] == ["How do I ask for a raise?"]


@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/subscribers"),
        ("post", "/subscribers/{pk}/unsubscribe"),
        ("get", "/issues"),
        ("get", "/issues/{issue}"),
        ("get", "/articles/{article}"),
        ("get", "/reader-questions"),
    ],
)
def test_it_keeps_editor_resources_from_members_and_non_editor_tokens(alice, coach, method, path):
    issue = make_issue()
    ids = {"pk": make_subscriber().pk, "issue": issue.pk, "article": make_article(issue=issue).pk}
    url = V1 + path.format(**ids)
    assert call(method, url).status_code == 401
    assert call(method, url, token=make_token(alice, ("read", "write"))).status_code == 403
    assert call(method, url, token=make_token(coach, ("read", "write"))).status_code == 403
