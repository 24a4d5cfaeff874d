from django.urls import path

from careertips.coaching import views

app_name = "coaching"
urlpatterns = [
    path("", views.member_home, name="home"),
    path("share/", views.share, name="share"),
    path("stop/", views.stop, name="stop"),
    path("notes/", views.member_note, name="member-note"),
    path("clients/", views.clients, name="clients"),
    path("clients/<int:pk>/", views.client, name="client"),
    path("clients/<int:pk>/notes/", views.coach_note, name="coach-note"),
]
