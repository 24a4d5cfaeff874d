from django.urls import path

from careertips.network import views

app_name = "network"
urlpatterns = [path("", views.index, name="contacts")]
