from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Career Tips administration"

urlpatterns = [
    path("", include("careertips.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("today/", include("careertips.agenda.urls")),
    path("opportunities/", include("careertips.pipeline.urls")),
    path("debriefs/", include("careertips.debriefs.urls")),
    path("network/", include("careertips.network.urls")),
    path("stories/", include("careertips.stories.urls")),
    path("insights/", include("careertips.insights.urls")),
    path("coaching/", include("careertips.coaching.urls")),
    path("newsletter/", include("careertips.newsletter.urls")),
    path("anymail/", include("anymail.urls")),
    path("admin/", admin.site.urls),
    # Last: the public site, whose pages take any free single-segment address.
    path("", include("careertips.pages.urls")),
]
