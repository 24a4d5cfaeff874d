import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from careertips.core.testing import htmx
from careertips.newsletter.models import Article, Issue, ReaderQuestion, Subscriber
from careertips.newsletter.tests.helpers import (
    make_article,
    make_issue,
    make_question,
    make_subscriber,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, editor):
    client.force_login(editor)
    return client


def test_it_hides_the_staff_area_from_members_and_visitors(client, alice):
    assert client.get("/newsletter/staff/")["Location"].startswith("/accounts/login/")
    client.force_login(alice)
    assert client.get("/newsletter/staff/").status_code == 404
    assert client.get("/newsletter/staff/subscribers/export.csv").status_code == 404


def test_it_creates_an_issue_with_the_month_stored_as_its_first_day(staff_client):
    response = staff_client.post(
        "/newsletter/staff/issues/new/",
        {"volume": 2, "number": 3, "month": "2026-04", "title": "Following up", "introduction": ""},
    )
    issue = Issue.objects.get()
    assert response["Location"] == f"/newsletter/staff/issues/{issue.pk}/"
    assert (issue.month.isoformat(), issue.status) == ("2026-04-01", "draft")


def test_it_reports_a_duplicate_issue_number_at_the_field(staff_client):
    make_issue(volume=2, number=3)
    response = staff_client.post(
        "/newsletter/staff/issues/new/",
        {"volume": 2, "number": 3, "month": "2026-04", "title": "Again"},
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Issue.objects.count() == 1


def test_it_previews_markdown_without_saving(staff_client):
    issue = make_issue(status=Issue.Status.DRAFT, title="Before")
    response = staff_client.post(
        f"/newsletter/staff/issues/{issue.pk}/",
        {"volume": 1, "number": 1, "month": "2026-01", "title": "After",
         "introduction": "**Bold** <script>x()</script>", "_preview": "introduction"},
    )  # fmt: skip
    html = response.content.decode()
    assert "<strong>Bold</strong>" in html
    assert "<script>x()" not in html
    issue.refresh_from_db()
    assert issue.title == "Before"


def test_it_previews_markdown_inline_for_htmx(staff_client):
    response = staff_client.post(
        "/staff/preview/", {"source": "body", "body": "*hi* [x](javascript:alert(1))"}
    )
    html = response.content.decode()
    assert "<em>hi</em>" in html
    assert "javascript:" not in html
    assert "<html" not in html


def test_it_adds_a_letter_article_with_the_readers_signature(staff_client):
    issue = make_issue(status=Issue.Status.DRAFT)
    response = staff_client.post(
        f"/newsletter/staff/issues/{issue.pk}/articles/new/",
        {"kind": "letter", "title": "Gap year", "question": "How do I explain a gap?",
         "signed_as": "Back in the Game", "body": "Say it once, calmly."},
    )  # fmt: skip
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.kind, article.slug, article.signed_as) == (
        "letter", "gap-year", "Back in the Game"
    )  # fmt: skip


def test_it_requires_the_question_for_a_letter(staff_client):
    issue = make_issue(status=Issue.Status.DRAFT)
    response = staff_client.post(
        f"/newsletter/staff/issues/{issue.pk}/articles/new/",
        {"kind": "letter", "title": "Gap year", "body": "Say it once."},
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Article.objects.exists()


def test_it_reorders_articles_with_htmx(staff_client):
    issue = make_issue(status=Issue.Status.DRAFT)
    first = make_article(issue=issue, title="First", slug="first")
    second = make_article(issue=issue, title="Second", slug="second")
    response = staff_client.post(
        f"/newsletter/staff/articles/{second.pk}/move/",
        {"direction": "up"},
        headers=htmx(),
    )
    html = response.content.decode()
    assert html.strip().startswith('<ol class="reorder card" id="articles">')
    assert html.index("Second") < html.index("First")
    first.refresh_from_db()
    assert first.position == 1


def test_it_will_not_delete_a_sent_issue(staff_client):
    issue = make_issue()
    staff_client.post(f"/newsletter/staff/issues/{issue.pk}/delete/")
    assert Issue.objects.filter(pk=issue.pk).exists()


def test_it_previews_a_draft_issue_for_staff_only(staff_client):
    issue = make_issue(status=Issue.Status.DRAFT, title="Draft title")
    make_article(issue=issue, title="Draft article")
    html = staff_client.get(f"/newsletter/staff/issues/{issue.pk}/preview/").content.decode()
    assert "Draft title" in html and "Draft article" in html
    assert "readers cannot see this page" in html
    assert '<meta name="robots" content="noindex">' in html


def test_it_answers_a_question_and_attaches_it_to_an_issue(staff_client):
    issue = make_issue(status=Issue.Status.DRAFT, volume=2, number=3)
    question = make_question(display_name="Robert")
    url = f"/newsletter/staff/questions/{question.pk}/"
    staff_client.post(url, {"display_name": "Robert", "answer": "Ask for a re-grade."})
    question.refresh_from_db()
    assert question.status == ReaderQuestion.Status.ANSWERED
    response = staff_client.post(f"{url}attach/", {"issue": issue.pk, "title": "The frozen budget"})
    assert response["Location"] == f"/newsletter/staff/issues/{issue.pk}/"
    letter = issue.articles.get()
    assert (letter.reader_question, letter.salutation) == (question, "Dear Robert:")


def test_it_offers_no_attach_form_without_consent(staff_client):
    question = make_question(consent_to_publish=False, answer="An answer.")
    html = staff_client.get(f"/newsletter/staff/questions/{question.pk}/").content.decode()
    assert "Publish as a letter" not in html
    make_issue(status=Issue.Status.DRAFT)
    response = staff_client.post(
        f"/newsletter/staff/questions/{question.pk}/attach/",
        {"issue": Issue.objects.get().pk, "title": "T"},
    )
    assert response.status_code == 400
    assert "did not agree" in response.content.decode()


def test_it_lists_the_queue_in_constant_queries(staff_client, django_assert_max_num_queries):
    issue = make_issue(status=Issue.Status.DRAFT)
    for n in range(3):
        question = make_question(answer="A.", email=f"q{n}@example.com")
        make_article(issue=issue, slug=f"s{n}", reader_question=question)
    with django_assert_max_num_queries(10) as few:
        staff_client.get("/newsletter/staff/questions/?status=all")
    for n in range(25):
        question = make_question(answer="A.", email=f"r{n}@example.com")
        make_article(issue=issue, slug=f"t{n}", reader_question=question)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = staff_client.get("/newsletter/staff/questions/?status=all")
    assert response.status_code == 200
    assert response.content.decode().count("Vol. 1, No. 1") == 28


def test_it_lists_issues_in_constant_queries(staff_client, django_assert_max_num_queries):
    make_issue(number=1)
    with django_assert_max_num_queries(12) as few:
        staff_client.get("/newsletter/staff/")
    for number in range(2, 25):
        make_article(issue=make_issue(number=number))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = staff_client.get("/newsletter/staff/")
    assert response.content.decode().count("Vol. 1, No.") == 24


def test_it_lists_subscribers_in_constant_queries(staff_client, django_assert_max_num_queries):
    make_subscriber(email="a0@example.com")
    with django_assert_max_num_queries(10) as few:
        staff_client.get("/newsletter/staff/subscribers/")
    for n in range(1, 40):
        make_subscriber(email=f"a{n}@example.com")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = staff_client.get("/newsletter/staff/subscribers/")
    assert response.status_code == 200
    assert "a39@example.com" in response.content.decode()


def test_it_filters_subscribers_by_status_and_text(staff_client):
    make_subscriber(email="dana@example.com")
    make_subscriber(email="lee@example.org", status=Subscriber.Status.BOUNCED)
    html = staff_client.get("/newsletter/staff/subscribers/?status=bounced").content.decode()
    assert "lee@example.org" in html and "dana@example.com" not in html
    html = staff_client.get("/newsletter/staff/subscribers/?q=dana").content.decode()
    assert "dana@example.com" in html and "lee@example.org" not in html


def test_it_imports_a_csv_only_after_confirmation(staff_client):
    make_subscriber(email="left@example.com", status=Subscriber.Status.UNSUBSCRIBED)
    upload = SimpleUploadedFile(
        "list.csv", b"email,name\nnew@example.com,New\nleft@example.com,Left\nbad,x\n"
    )
    preview = staff_client.post(
        "/newsletter/staff/subscribers/import/", {"file": upload, "mode": "active"}
    )
    html = preview.content.decode()
    assert "Not a valid email address." in html
    assert Subscriber.objects.count() == 1
    payload = preview.context["confirm_form"].initial["payload"]
    missing_attest = staff_client.post(
        "/newsletter/staff/subscribers/import/confirm/", {"payload": payload, "mode": "active"}
    )
    assert missing_attest["Location"] == "/newsletter/staff/subscribers/import/"
    assert Subscriber.objects.count() == 1
    staff_client.post(
        "/newsletter/staff/subscribers/import/confirm/",
        {"payload": payload, "mode": "active", "attest": "on"},
    )
    assert Subscriber.objects.get(email="new@example.com").status == "active"
    assert Subscriber.objects.get(email="left@example.com").status == "unsubscribed"


def test_it_shows_a_file_error_at_the_field(staff_client):
    upload = SimpleUploadedFile("list.csv", b"first,last\nDana,W\n")
    response = staff_client.post(
        "/newsletter/staff/subscribers/import/", {"file": upload, "mode": "confirm"}
    )
    assert response.status_code == 200
    assert "No email column found" in response.content.decode()


def test_it_exports_subscribers_as_csv(staff_client):
    make_subscriber(email="a@example.com", name="@SUM(A1)")
    make_subscriber(email="b@example.com", status=Subscriber.Status.PENDING)
    response = staff_client.get("/newsletter/staff/subscribers/export.csv?status=active")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode()
    assert "a@example.com,'@SUM(A1),active" in text
    assert "b@example.com" not in text


def test_it_resets_a_bounced_subscriber_to_pending(staff_client):
    subscriber = make_subscriber(status=Subscriber.Status.BOUNCED)
    staff_client.post(f"/newsletter/staff/subscribers/{subscriber.pk}/reset/")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
