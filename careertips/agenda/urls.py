from django.urls import path

from careertips.agenda import views

app_name = "agenda"
urlpatterns = [
    path("", views.today, name="today"),
    path("items/<slug:kind>/<int:pk>/", views.item_detail, name="item"),
    path("items/<slug:kind>/<int:pk>/done/", views.item_done, name="item-done"),
    path("items/<slug:kind>/<int:pk>/snooze/", views.item_snooze, name="item-snooze"),
    path("snoozes/<int:pk>/wake/", views.snooze_wake, name="snooze-wake"),
    path("goals/", views.goals_update, name="goals"),
    path("digest/", views.digest_update, name="digest"),
    path("calendar/new/", views.calendar_regenerate, name="calendar-new"),
    path("calendar/off/", views.calendar_off, name="calendar-off"),
    # A secret token, not an id: the feed answers whoever holds it, signed in or not.
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]
