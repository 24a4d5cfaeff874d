from django.urls import path

from careertips.agenda import views

app_name = "agenda"
urlpatterns = [path("", views.today, name="today")]
