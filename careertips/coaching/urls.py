from django.urls import path

from careertips.coaching import views

app_name = "coaching"
urlpatterns = [
    path("", views.member_home, name="home"),
    path("share/", views.share, name="share"),
    path("stop/", views.stop, name="stop"),
    path("scopes/", views.scopes, name="scopes"),
    path("consent/", views.consent, name="consent"),
    path("preview/<int:coach_pk>/", views.preview, name="preview"),
    path("notes/", views.member_note, name="member-note"),
    path("actions/<int:pk>/done/", views.action_done, name="action-done"),
    path("clients/", views.clients, name="clients"),
    path("clients/<int:pk>/", views.client, name="client"),
    path("clients/<int:pk>/notes/", views.coach_note, name="coach-note"),
    path("clients/<int:pk>/shared/<str:scope>/", views.client_scope, name="client-scope"),
    path("clients/<int:pk>/<str:kind>/<int:item_pk>/", views.client_item, name="client-item"),
    path(
        "clients/<int:pk>/<str:kind>/<int:item_pk>/comments/",
        views.client_comment,
        name="client-comment",
    ),
    path("clients/<int:pk>/sessions/", views.session_new, name="session-new"),
    path("sessions/<int:pk>/", views.session, name="session"),
    path("sessions/<int:pk>/summary/", views.session_summary, name="session-summary"),
    path("sessions/<int:pk>/actions/", views.session_action, name="session-action"),
    path("practice/", views.practice, name="practice"),
    path("practice/draft/", views.practice_draft, name="practice-draft"),
]
