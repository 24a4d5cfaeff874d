"""The newsletter archive in sitemap.xml: every published issue and article."""

from __future__ import annotations

from careertips.core.sitemaps import SiteUrlSitemap
from careertips.newsletter.models import Article, Issue


class IssueSitemap(SiteUrlSitemap):
    changefreq = "yearly"

    def items(self):  # -> QuerySet[Issue]
        return Issue.objects.published().order_by("volume", "number")

    def lastmod(self, item: Issue):  # -> datetime
        return item.updated_at


class ArticleSitemap(SiteUrlSitemap):
    changefreq = "yearly"

    def items(self):  # -> QuerySet[Article]
        return Article.objects.published().order_by("issue__volume", "issue__number", "position")

    def lastmod(self, item: Article):  # -> datetime
        return item.updated_at
