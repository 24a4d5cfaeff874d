from django.urls import path

from careertips.pipeline.views import capture, imports, opportunities

app_name = "pipeline"
urlpatterns = [
    path("", opportunities.opportunity_list, name="list"),
    path("board/", opportunities.board, name="board"),
    path("new/", opportunities.opportunity_create, name="create"),
    path("capture/", capture.capture_start, name="capture-start"),
    path("capture/<int:pk>/", capture.capture_detail, name="capture"),
    path("capture/review/", capture.capture_save, name="capture-save"),
    path("capture/from-page/", capture.capture_from_page, name="capture-from-page"),
    path("capture/bookmarklet/", capture.bookmarklet, name="bookmarklet"),
    path("<int:pk>/", opportunities.opportunity_detail, name="detail"),
    path("<int:pk>/edit/", opportunities.opportunity_edit, name="edit"),
    path("<int:pk>/delete/", opportunities.opportunity_delete, name="delete"),
    path("<int:pk>/move/", opportunities.opportunity_move, name="move"),
    path("<int:pk>/follow-up/", opportunities.opportunity_follow_up, name="follow-up"),
    path("<int:pk>/interviews/new/", opportunities.interview_create, name="interview-create"),
    path("interviews/<int:pk>/edit/", opportunities.interview_edit, name="interview-edit"),
    path("interviews/<int:pk>/delete/", opportunities.interview_delete, name="interview-delete"),
    path(
        "interviews/<int:pk>/thank-you/",
        opportunities.interview_thank_you,
        name="interview-thank-you",
    ),
    path("import/", imports.opportunity_import, name="import"),
    path("import/<int:pk>/", imports.opportunity_import_batch, name="import-batch"),
    path("import/<int:pk>/map/", imports.opportunity_import_map, name="import-map"),
    path("import/<int:pk>/confirm/", imports.opportunity_import_confirm, name="import-confirm"),
    path("import/<int:pk>/discard/", imports.opportunity_import_discard, name="import-discard"),
    path("export.csv", imports.export_csv, name="export-csv"),
    path("export.xlsx", imports.export_xlsx, name="export-xlsx"),
]
