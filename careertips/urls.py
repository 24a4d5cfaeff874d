from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from careertips.api.routes import api
from careertips.newsletter.sitemaps import ArticleSitemap, IssueSitemap
from careertips.pages.sitemaps import PageSitemap, StaticSitemap
from careertips.pages.views.public import robots

admin.site.site_header = "Career Tips administration"
# The admin signs in through allauth's form: one set of rate limits, lockouts and second factor.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

SITEMAPS = {
    "site": StaticSitemap,
    "pages": PageSitemap,
    "issues": IssueSitemap,
    "articles": ArticleSitemap,
}

urlpatterns = [
    # First, as no other address starts with its prefix: an API call is routed without trying
    # the patterns of every page on the way.
    path("api/v1/", api.urls),
    path("robots.txt", robots, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("", include("careertips.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("today/", include("careertips.agenda.urls")),
    path("opportunities/", include("careertips.pipeline.urls")),
    # Offers belong to an opportunity, so their pages share its prefix.
    path("opportunities/", include("careertips.offers.urls")),
    path("debriefs/", include("careertips.debriefs.urls")),
    path("network/", include("careertips.network.urls")),
    path("stories/", include("careertips.stories.urls")),
    path("resume/", include("careertips.resumes.urls")),
    path("insights/", include("careertips.insights.urls")),
    path("coaching/", include("careertips.coaching.urls")),
    path("newsletter/", include("careertips.newsletter.urls")),
    path("anymail/", include("anymail.urls")),
    path("", include("careertips.api.urls")),
    path("admin/", admin.site.urls),
    # Last: the public site, whose pages take any free single-segment address.
    path("", include("careertips.pages.urls")),
]
