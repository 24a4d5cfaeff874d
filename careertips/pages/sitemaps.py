"""The public site in sitemap.xml, and what robots may crawl."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from careertips.core.sitemaps import SiteUrlSitemap
from careertips.pages.models import Page

# Everything a visitor reaches without an account; every other path is for members or staff.
PUBLIC_NAMES = [
    "pages:home", "pages:alliances", "pages:testimonials", "pages:contact",
    "newsletter:archive", "newsletter:subscribe", "newsletter:ask",
]  # fmt: skip
# Member and staff areas, and one-off links from emails: nothing there is for search engines.
PRIVATE_PREFIXES = [
    "/today/", "/opportunities/", "/debriefs/", "/network/", "/stories/", "/insights/",
    "/coaching/", "/settings/", "/mailbox/", "/accounts/", "/admin/", "/staff/",
    "/newsletter/staff/", "/newsletter/confirm/", "/newsletter/unsubscribe/",
    "/newsletter/search/", "/anymail/",
]  # fmt: skip


class StaticSitemap(SiteUrlSitemap):
    changefreq = "monthly"

    def items(self) -> list[str]:
        return PUBLIC_NAMES

    def location(self, item: str) -> str:  # type: ignore[override]
        return reverse(item)


class PageSitemap(SiteUrlSitemap):
    changefreq = "monthly"

    def items(self):  # -> QuerySet[Page]
        return Page.objects.filter(published=True).order_by("slug")

    def location(self, item: Page) -> str:  # type: ignore[override]
        return reverse("pages:page", args=[item.slug])

    def lastmod(self, item: Page):  # -> datetime
        return item.updated_at


def robots_txt() -> str:
    lines = ["User-agent: *", *(f"Disallow: {prefix}" for prefix in PRIVATE_PREFIXES)]
    lines.append(f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}")
    return "\n".join(lines) + "\n"
