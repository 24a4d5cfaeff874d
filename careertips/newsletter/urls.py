from django.urls import path

from careertips.newsletter import feeds, views, views_sending, views_staff

app_name = "newsletter"
urlpatterns = [
    path("", views.archive, name="archive"),
    path("search/", views.search, name="search"),
    path("feed/rss/", feeds.ArticlesFeed(), name="feed-rss"),
    path("feed/atom/", feeds.AtomArticlesFeed(), name="feed-atom"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/thanks/", views.subscribe_thanks, name="subscribe-thanks"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("confirmed/", views.confirmed, name="confirmed"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path(
        "unsubscribe/<str:token>/one-click/",
        views.one_click_unsubscribe,
        name="one-click-unsubscribe",
    ),
    path("unsubscribed/", views.unsubscribed, name="unsubscribed"),
    path("ask/", views.ask, name="ask"),
    path("ask/thanks/", views.ask_thanks, name="ask-thanks"),
    # Staff
    path("staff/", views_staff.home, name="staff"),
    path("staff/issues/new/", views_staff.issue_new, name="staff-issue-new"),
    path("staff/issues/<int:pk>/", views_staff.issue_detail, name="staff-issue"),
    path("staff/issues/<int:pk>/delete/", views_staff.issue_delete, name="staff-issue-delete"),
    path("staff/issues/<int:pk>/preview/", views_staff.issue_preview, name="staff-issue-preview"),
    path(
        "staff/issues/<int:pk>/articles/new/",
        views_staff.article_new,
        name="staff-article-new",
    ),
    path("staff/articles/<int:pk>/", views_staff.article_edit, name="staff-article"),
    path("staff/articles/<int:pk>/move/", views_staff.article_move, name="staff-article-move"),
    path(
        "staff/articles/<int:pk>/delete/",
        views_staff.article_delete,
        name="staff-article-delete",
    ),
    path("staff/questions/", views_staff.questions, name="staff-questions"),
    path("staff/questions/<int:pk>/", views_staff.question_detail, name="staff-question"),
    path(
        "staff/questions/<int:pk>/attach/",
        views_staff.question_attach,
        name="staff-question-attach",
    ),
    path(
        "staff/questions/<int:pk>/decline/",
        views_staff.question_status,
        {"action": "decline"},
        name="staff-question-decline",
    ),
    path(
        "staff/questions/<int:pk>/reopen/",
        views_staff.question_status,
        {"action": "reopen"},
        name="staff-question-reopen",
    ),
    path("staff/subscribers/", views_staff.subscribers, name="staff-subscribers"),
    path(
        "staff/subscribers/export.csv",
        views_staff.subscribers_export,
        name="staff-subscribers-export",
    ),
    path("staff/subscribers/import/", views_staff.subscribers_import, name="staff-import"),
    path(
        "staff/subscribers/import/confirm/",
        views_staff.subscribers_import_confirm,
        name="staff-import-confirm",
    ),
    path("staff/subscribers/<int:pk>/", views_staff.subscriber_detail, name="staff-subscriber"),
    path(
        "staff/subscribers/<int:pk>/unsubscribe/",
        views_staff.subscriber_action,
        {"action": "unsubscribe"},
        name="staff-subscriber-unsubscribe",
    ),
    path(
        "staff/subscribers/<int:pk>/reset/",
        views_staff.subscriber_action,
        {"action": "reset"},
        name="staff-subscriber-reset",
    ),
    # The sending pages (send, schedule, progress) are declared beside their views.
    *views_sending.urlpatterns,
    # Last: the archive's permalinks.
    path("<int:volume>/<int:number>/", views.issue, name="issue"),
    path("<int:volume>/<int:number>/<slug:slug>/", views.article, name="article"),
]
