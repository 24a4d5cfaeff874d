import pytest
from django.core import mail

from careertips.core.testing import htmx
from careertips.newsletter.models import Issue
from careertips.newsletter.tests.helpers import make_article, make_issue
from careertips.pages import models
from careertips.pages.models import Alliance, ContactMessage, Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def site():
    Page.objects.create(slug="career-search", title="Career Search", summary="Coaching.",
                        body="## How it runs\n\nWeekly sessions.", nav_order=1)  # fmt: skip
    Page.objects.create(slug="about", title="About", body="Margaret", nav_order=3)
    Page.objects.create(slug="hidden", title="Hidden", body="x", published=False)


# Public pages ------------------------------------------------------------------------------


def test_it_shows_the_promise_latest_issue_testimonial_and_subscribe_form(client, site):
    old = make_issue(volume=1, number=1, title="Older issue")
    make_article(issue=old, slug="old")
    latest = make_issue(volume=1, number=2, title="Closing the gaps")
    make_article(issue=latest, title="Map every requirement", slug="map")
    make_issue(volume=1, number=3, title="Draft issue", status=Issue.Status.DRAFT)
    models.Testimonial.objects.create(author_name="Priya", body="They came back with more.",
                               approved_at="2026-01-01T00:00Z")  # fmt: skip
    models.Testimonial.objects.create(author_name="Unapproved", body="Not yet.")
    html = client.get("/").content.decode()
    assert "Land the job, at the pay you deserve." in html
    assert "Closing the gaps" in html and "Map every requirement" in html
    assert "Older issue" not in html and "Draft issue" not in html
    assert "They came back with more." in html and "Not yet." not in html
    assert 'action="/newsletter/subscribe/"' in html
    assert 'name="source" value="home"' in html


def test_it_shows_the_public_menu_to_visitors_and_the_workspace_to_members(client, site, alice):
    html = client.get("/").content.decode()
    assert '<a href="/career-search/"' in html and '<a href="/about/"' in html
    assert '<a href="/hidden/"' not in html
    client.force_login(alice)
    html = client.get("/").content.decode()
    assert "Go to your workspace" in html
    assert 'href="/today/"' in html


def test_it_renders_a_page_and_hides_unpublished_ones(client, site):
    response = client.get("/career-search/")
    html = response.content.decode()
    assert "<h2>How it runs</h2>" in html
    assert "<title>Career Search · Career Tips</title>" in html
    assert '<link rel="canonical" href="http://127.0.0.1:8000/career-search/">' in html
    assert client.get("/hidden/").status_code == 404
    assert client.get("/no-such-page/").status_code == 404


def test_it_lists_published_alliances_in_order_with_links(client):
    Alliance.objects.create(name="Second", description="Two", url="https://b.example", position=1)
    Alliance.objects.create(name="First", description="*One*", url="https://a.example", position=0)
    Alliance.objects.create(name="Hidden", description="x", published=False)
    html = client.get("/alliances/").content.decode()
    assert html.index("First") < html.index("Second")
    assert "<em>One</em>" in html
    assert 'href="https://a.example" rel="noopener noreferrer nofollow"' in html
    assert "Hidden" not in html


def test_it_stores_a_shared_story_for_approval(client):
    response = client.post(
        "/testimonials/share/",
        {"author_name": "Tom Becker", "author_title": "Operations Lead", "body": "It helped.",
         "consent": "on"},
        REMOTE_ADDR="203.0.113.9",
    )  # fmt: skip
    assert response["Location"] == "/testimonials/share/thanks/"
    testimonial = models.Testimonial.objects.get()
    assert (testimonial.state, testimonial.submitted_ip) == ("pending", "203.0.113.9")
    assert "It helped." not in client.get("/testimonials/").content.decode()


def test_it_requires_permission_to_publish_a_story(client):
    response = client.post("/testimonials/share/", {"author_name": "Tom", "body": "It helped."})
    assert "only publish your story with your permission" in response.content.decode()
    assert not models.Testimonial.objects.exists()


def test_it_sends_the_contact_form_to_staff(client, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/contact/",
            {"name": "Alan", "email": "alan@example.net", "subject": "Coaching",
             "body": "What does a first session cost?"},
        )  # fmt: skip
    assert response["Location"] == "/contact/thanks/"
    assert ContactMessage.objects.get().subject == "Coaching"
    assert mail.outbox[0].to == ["editor@example.com"]


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("subject", "Hi\r\nBcc: victim@example.com", "single line"),
        ("name", "Alan\nBcc: x@example.com", "single line"),
        ("email", "alan@example.net\nBcc: x@example.com", "Enter a valid email address."),
        ("body", "x" * 10_001, "at most 10000 characters"),
        ("body", "   ", "This field is required."),
    ],
)
def test_it_rejects_hostile_contact_input_at_the_field(client, editor, field, value, error):
    data = {"name": "Alan", "email": "alan@example.net", "subject": "Hi", "body": "Hello"}
    response = client.post("/contact/", {**data, field: value})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not ContactMessage.objects.exists()


def test_it_drops_contact_spam_caught_by_the_honeypot(client, editor):
    data = {"name": "Bot", "email": "b@example.net", "subject": "Hi", "body": "Buy", "website": "x"}
    assert client.post("/contact/", data)["Location"] == "/contact/thanks/"
    assert not ContactMessage.objects.exists()


def test_it_rate_limits_the_contact_form(client):
    data = {"name": "Alan", "email": "alan@example.net", "subject": "Hi", "body": "Hello"}
    for _ in range(5):
        client.post("/contact/", data)
    assert client.post("/contact/", data).status_code == 429
    assert ContactMessage.objects.count() == 5


# Staff -------------------------------------------------------------------------------------


def test_it_keeps_the_staff_area_from_members(client, alice):
    client.force_login(alice)
    for url in ["/staff/", "/staff/pages/", "/staff/testimonials/", "/staff/messages/"]:
        assert client.get(url).status_code == 404


def test_it_edits_a_page_and_refuses_addresses_the_site_uses(staff_client, site):
    page = Page.objects.get(slug="about")
    data = {"title": "About Margaret", "slug": "about", "summary": "", "body": "New text",
            "nav_order": 3, "in_navigation": "on", "published": "on"}  # fmt: skip
    assert staff_client.post(f"/staff/pages/{page.pk}/", data).status_code == 302
    page.refresh_from_db()
    assert page.title == "About Margaret"
    for taken in ("newsletter", "contact", "today", "staff"):
        response = staff_client.post("/staff/pages/new/", {**data, "slug": taken})
        assert "Another part of the site uses that address." in response.content.decode()
    assert Page.objects.count() == 3


def test_it_approves_a_testimonial_inline_with_htmx(staff_client):
    testimonial = models.Testimonial.objects.create(author_name="Denise", body="It worked.")
    response = staff_client.post(f"/staff/testimonials/{testimonial.pk}/approve/", headers=htmx())
    html = response.content.decode()
    assert html.strip().startswith("<article")
    assert "Approved" in html
    testimonial.refresh_from_db()
    assert testimonial.state == "approved"
    response = staff_client.post(
        f"/staff/testimonials/{testimonial.pk}/reject/", {"state": "approved"}
    )
    assert response["Location"] == "/staff/testimonials/?state=approved"
    testimonial.refresh_from_db()
    assert testimonial.state == "rejected"


def test_it_reorders_alliances_with_htmx(staff_client):
    Alliance.objects.create(name="First", description="a", position=0)
    second = Alliance.objects.create(name="Second", description="b", position=1)
    response = staff_client.post(
        f"/staff/alliances/{second.pk}/move/", {"direction": "up"}, headers=htmx()
    )
    html = response.content.decode()
    assert html.strip().startswith('<ol class="reorder card" id="alliance-list">')
    assert html.index("Second") < html.index("First")


def test_it_adds_an_alliance_at_the_end(staff_client):
    Alliance.objects.create(name="First", description="a", position=4)
    staff_client.post(
        "/staff/alliances/new/",
        {"name": "Summit", "url": "https://summit.example", "description": "Analysts.",
         "published": "on"},
    )  # fmt: skip
    assert Alliance.objects.get(name="Summit").position == 5


def test_it_rejects_a_script_url_for_an_alliance(staff_client):
    response = staff_client.post(
        "/staff/alliances/new/", {"name": "X", "url": "javascript:alert(1)", "description": "x"}
    )
    assert "Enter a valid URL." in response.content.decode()
    assert not Alliance.objects.exists()


def test_it_marks_a_contact_message_handled(staff_client):
    message = ContactMessage.objects.create(name="A", email="a@example.net", subject="S", body="B")
    staff_client.post(f"/staff/messages/{message.pk}/handled/", {"handled": "1"})
    message.refresh_from_db()
    assert message.handled_at is not None
    assert "No open messages." in staff_client.get("/staff/messages/").content.decode()


def test_it_lists_testimonials_in_constant_queries(staff_client, django_assert_max_num_queries):
    models.Testimonial.objects.create(author_name="A", body="a")
    with django_assert_max_num_queries(10) as few:
        staff_client.get("/staff/testimonials/?state=all")
    models.Testimonial.objects.bulk_create(
        [models.Testimonial(author_name=f"T{n}", body="b") for n in range(30)]
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = staff_client.get("/staff/testimonials/?state=all")
    assert response.content.decode().count('class="card testimonial-row') == 31


def test_it_lists_messages_and_alliances_in_constant_queries(
    staff_client, django_assert_max_num_queries
):
    ContactMessage.objects.create(name="A", email="a@example.net", subject="S", body="B")
    Alliance.objects.create(name="A", description="a")
    with django_assert_max_num_queries(10) as messages_few:
        staff_client.get("/staff/messages/")
    with django_assert_max_num_queries(10) as alliances_few:
        staff_client.get("/staff/alliances/")
    for n in range(20):
        ContactMessage.objects.create(name="A", email="a@example.net", subject=f"S{n}", body="B")
        Alliance.objects.create(name=f"A{n}", description="a")
    with django_assert_max_num_queries(len(messages_few.captured_queries)):
        messages_page = staff_client.get("/staff/messages/")
    with django_assert_max_num_queries(len(alliances_few.captured_queries)):
        alliances_page = staff_client.get("/staff/alliances/")
    assert "S19" in messages_page.content.decode()
    assert "A19" in alliances_page.content.decode()


def test_it_renders_the_public_home_in_constant_queries(client, django_assert_max_num_queries):
    issue = make_issue()
    make_article(issue=issue, slug="a")
    with django_assert_max_num_queries(8) as few:
        client.get("/")
    for n in range(15):
        make_article(issue=issue, slug=f"b{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/")
    assert response.status_code == 200
    assert issue.title in response.content.decode()
