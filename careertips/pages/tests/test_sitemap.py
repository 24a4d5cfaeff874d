"""Search engines get a sitemap of the public site and archive, and are kept out of the rest."""

import xml.etree.ElementTree as ET

import pytest

from careertips.newsletter.models import Issue
from careertips.newsletter.tests.helpers import make_article, make_issue
from careertips.pages.models import Page

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _locations(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 -- our own response
    return [node.text for node in root.findall("s:url/s:loc", NS)]


def test_it_lists_public_pages_and_the_published_archive_only(client, settings):
    settings.SITE_URL = "https://careertips.example.com"
    Page.objects.create(slug="career-search", title="Career Search", body="…")
    Page.objects.create(slug="draft-page", title="Draft", body="…", published=False)
    sent = make_issue(status=Issue.Status.SENT)
    make_article(issue=sent, slug="call-the-manager", title="Call the manager")
    draft = make_issue(number=2, status=Issue.Status.DRAFT)
    make_article(issue=draft, slug="not-yet", title="Not yet")

    found = _locations(client)

    assert "https://testserver/career-search/" in found
    assert "https://testserver/newsletter/" in found and "https://testserver/" in found
    assert f"https://testserver{sent.get_absolute_url()}" in found
    assert any(url.endswith("/call-the-manager/") for url in found)
    assert not any("draft-page" in url or "not-yet" in url for url in found)
    assert f"https://testserver{draft.get_absolute_url()}" not in found
    assert not any(part in url for url in found for part in ("/today/", "/staff/", "/settings/"))


def test_it_keeps_crawlers_out_of_member_and_staff_areas(client, settings):
    settings.SITE_URL = "https://careertips.example.com"
    text = client.get("/robots.txt").content.decode()

    for prefix in ("/today/", "/opportunities/", "/coaching/", "/staff/", "/newsletter/staff/"):
        assert f"Disallow: {prefix}\n" in text
    assert "Disallow: /newsletter/\n" not in text
    assert text.endswith("Sitemap: https://careertips.example.com/sitemap.xml\n")
