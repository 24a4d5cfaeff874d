from django.urls import path

from careertips.debriefs import views

app_name = "debriefs"
urlpatterns = [path("", views.index, name="list")]
