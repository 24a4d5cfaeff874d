from django.urls import path

from careertips.pipeline import views

app_name = "pipeline"
urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("board/", views.board, name="board"),
    path("new/", views.opportunity_create, name="create"),
    path("<int:pk>/", views.opportunity_detail, name="detail"),
    path("<int:pk>/edit/", views.opportunity_edit, name="edit"),
    path("<int:pk>/delete/", views.opportunity_delete, name="delete"),
    path("<int:pk>/move/", views.opportunity_move, name="move"),
    path("<int:pk>/follow-up/", views.opportunity_follow_up, name="follow-up"),
    path("<int:pk>/interviews/new/", views.interview_create, name="interview-create"),
    path("interviews/<int:pk>/edit/", views.interview_edit, name="interview-edit"),
    path("interviews/<int:pk>/delete/", views.interview_delete, name="interview-delete"),
    path("interviews/<int:pk>/thank-you/", views.interview_thank_you, name="interview-thank-you"),
]
