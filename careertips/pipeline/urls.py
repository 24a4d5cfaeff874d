from django.urls import path

from careertips.pipeline import views

app_name = "pipeline"
urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("board/", views.board, name="board"),
    path("new/", views.opportunity_create, name="create"),
    path("capture/", views.capture_start, name="capture-start"),
    path("capture/<int:pk>/", views.capture_detail, name="capture"),
    path("capture/review/", views.capture_save, name="capture-save"),
    path("capture/from-page/", views.capture_from_page, name="capture-from-page"),
    path("capture/bookmarklet/", views.bookmarklet, name="bookmarklet"),
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
