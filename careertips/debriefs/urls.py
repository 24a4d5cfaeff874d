from django.urls import path

from careertips.debriefs import views

app_name = "debriefs"
urlpatterns = [
    path("", views.debrief_list, name="list"),
    path("<int:pk>/", views.debrief_detail, name="detail"),
    path("<int:pk>/contact/", views.set_contact, name="contact"),
    path("<int:pk>/call-by/", views.set_call_by, name="call-by"),
    path("<int:pk>/attempts/", views.log_attempt, name="attempts"),
    path("<int:pk>/feedback/", views.record_feedback, name="feedback"),
    path("<int:pk>/thank-you/", views.thank_you, name="thank-you"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/dismiss/", views.dismiss, name="dismiss"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("open/<int:opportunity_pk>/", views.open_for_opportunity, name="open"),
    path("actions/<int:pk>/done/", views.action_done, name="action-done"),
]
