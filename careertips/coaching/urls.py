from django.urls import path

from careertips.coaching.views import coach, member, practice

app_name = "coaching"
urlpatterns = [
    path("", member.member_home, name="home"),
    path("share/", member.share, name="share"),
    path("stop/", member.stop, name="stop"),
    path("scopes/", member.scopes, name="scopes"),
    path("consent/", member.consent, name="consent"),
    path("preview/<int:coach_pk>/", member.preview, name="preview"),
    path("notes/", member.member_note, name="member-note"),
    path("actions/<int:pk>/done/", member.action_done, name="action-done"),
    path("clients/", coach.clients, name="clients"),
    path("clients/<int:pk>/", coach.client, name="client"),
    path("clients/<int:pk>/notes/", coach.coach_note, name="coach-note"),
    path("clients/<int:pk>/shared/<str:scope>/", coach.client_scope, name="client-scope"),
    path("clients/<int:pk>/<str:kind>/<int:item_pk>/", coach.client_item, name="client-item"),
    path(
        "clients/<int:pk>/<str:kind>/<int:item_pk>/comments/",
        coach.client_comment,
        name="client-comment",
    ),
    path("clients/<int:pk>/sessions/", coach.session_new, name="session-new"),
    path("sessions/<int:pk>/", coach.session, name="session"),
    path("sessions/<int:pk>/summary/", coach.session_summary, name="session-summary"),
    path("sessions/<int:pk>/actions/", coach.session_action, name="session-action"),
    path("practice/", practice.practice, name="practice"),
    path("practice/draft/", practice.practice_draft, name="practice-draft"),
]
