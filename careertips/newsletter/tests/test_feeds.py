import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from careertips.newsletter.models import Issue
from careertips.newsletter.tests.helpers import make_article, make_issue, make_letter

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def archive():
    old = make_issue(volume=1, number=1, published_at=dt.datetime(2026, 1, 6, tzinfo=dt.UTC))
    make_article(issue=old, title="Your accomplishment bank", slug="bank")
    new = make_issue(volume=1, number=2, published_at=dt.datetime(2026, 2, 3, tzinfo=dt.UTC))
    make_letter(
        issue=new,
        title="Budget frozen",
        slug="budget-frozen",
        question="Help <script>alert(1)</script>",
        body="Ask for a **re-grade**.",
    )
    draft = make_issue(volume=1, number=3, status=Issue.Status.DRAFT)
    make_article(issue=draft, title="Unpublished draft", slug="draft")


def test_it_serves_published_articles_as_rss_newest_first(client, archive):
    response = client.get("/newsletter/feed/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 -- our own feed
    channel = root.find("channel")
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == [
        "Budget frozen",
        "Your accomplishment bank",
    ]
    assert items[0].findtext("link") == "http://testserver/newsletter/1/2/budget-frozen/"
    description = items[0].findtext("description")
    assert "Dear Career Tips:" in description
    assert "<strong>re-grade</strong>" in description
    assert "<script>" not in description
    assert items[0].findtext("category") == "Dear Career Tips letter"


def test_it_serves_an_atom_feed(client, archive):
    response = client.get("/newsletter/feed/atom/")
    feed = ET.fromstring(response.content)  # noqa: S314 -- our own feed
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Budget frozen",
        "Your accomplishment bank",
    ]
    assert entries[0].findtext(f"{ATOM}published").startswith("2026-02-03")
    assert "Unpublished draft" not in response.content.decode()


def test_it_keeps_the_feed_query_count_flat(client, django_assert_max_num_queries):
    issue = make_issue()
    for n in range(30):
        make_article(issue=issue, slug=f"a{n}")
    with django_assert_max_num_queries(2):
        response = client.get("/newsletter/feed/rss/")
    assert response.status_code == 200
    assert response.content.count(b"<item>") == 30
