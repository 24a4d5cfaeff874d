from django.urls import path

from careertips.coaching.views import coach, member

app_name = "coaching"
urlpatterns = [
    path("", member.member_home, name="home"),
    path("share/", member.share, name="share"),
    path("stop/", member.stop, name="stop"),
    path("notes/", member.member_note, name="member-note"),
    path("clients/", coach.clients, name="clients"),
    path("clients/<int:pk>/", coach.client, name="client"),
    path("clients/<int:pk>/notes/", coach.coach_note, name="coach-note"),
]
