from django.urls import path

from careertips.pipeline import views

app_name = "pipeline"
urlpatterns = [path("", views.index, name="list")]
urlpatterns = [path("", views.index, name="list"), path("board/", views.index, name="board")]
