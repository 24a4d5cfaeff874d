"""The base of every app's sitemap: links on the site's own scheme."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap


class SiteUrlSitemap(Sitemap):
    """Links on the site's own scheme (https in production), whatever the request's."""

    @property
    def protocol(self) -> str:  # type: ignore[override]
        return urlsplit(settings.SITE_URL).scheme or "https"
