from django.urls import path

from careertips.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.overview, name="overview"),
]
