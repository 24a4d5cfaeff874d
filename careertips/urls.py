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
    path("admin/", admin.site.urls),
]
