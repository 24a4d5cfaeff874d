from django.urls import path

from careertips.newsletter import feeds
from careertips.newsletter.views import public, sending, staff

app_name = "newsletter"
urlpatterns = [
    path("", public.archive, name="archive"),
    path("search/", public.search, name="search"),
    path("feed/rss/", feeds.ArticlesFeed(), name="feed-rss"),
    path("feed/atom/", feeds.AtomArticlesFeed(), name="feed-atom"),
    path("subscribe/", public.subscribe, name="subscribe"),
    path("subscribe/thanks/", public.subscribe_thanks, name="subscribe-thanks"),
    path("confirm/<str:token>/", public.confirm, name="confirm"),
    path("confirmed/", public.confirmed, name="confirmed"),
    path("unsubscribe/<str:token>/", public.unsubscribe, name="unsubscribe"),
    path(
        "unsubscribe/<str:token>/one-click/",
        public.one_click_unsubscribe,
        name="one-click-unsubscribe",
    ),
    path("unsubscribed/", public.unsubscribed, name="unsubscribed"),
    path("ask/", public.ask, name="ask"),
    path("ask/thanks/", public.ask_thanks, name="ask-thanks"),
    # Staff
    path("staff/", staff.home, name="staff"),
    path("staff/issues/new/", staff.issue_new, name="staff-issue-new"),
    path("staff/issues/<int:pk>/", staff.issue_detail, name="staff-issue"),
    path("staff/issues/<int:pk>/delete/", staff.issue_delete, name="staff-issue-delete"),
    path("staff/issues/<int:pk>/preview/", staff.issue_preview, name="staff-issue-preview"),
    path(
        "staff/issues/<int:pk>/articles/new/",
        staff.article_new,
        name="staff-article-new",
    ),
    path("staff/articles/<int:pk>/", staff.article_edit, name="staff-article"),
    path("staff/articles/<int:pk>/move/", staff.article_move, name="staff-article-move"),
    path(
        "staff/articles/<int:pk>/delete/",
        staff.article_delete,
        name="staff-article-delete",
    ),
    path("staff/questions/", staff.questions, name="staff-questions"),
    path("staff/questions/<int:pk>/", staff.question_detail, name="staff-question"),
    path(
        "staff/questions/<int:pk>/attach/",
        staff.question_attach,
        name="staff-question-attach",
    ),
    path(
        "staff/questions/<int:pk>/decline/",
        staff.question_status,
        {"action": "decline"},
        name="staff-question-decline",
    ),
    path(
        "staff/questions/<int:pk>/reopen/",
        staff.question_status,
        {"action": "reopen"},
        name="staff-question-reopen",
    ),
    path("staff/subscribers/", staff.subscribers, name="staff-subscribers"),
    path(
        "staff/subscribers/export.csv",
        staff.subscribers_export,
        name="staff-subscribers-export",
    ),
    path("staff/subscribers/import/", staff.subscribers_import, name="staff-import"),
    path(
        "staff/subscribers/import/confirm/",
        staff.subscribers_import_confirm,
        name="staff-import-confirm",
    ),
    path("staff/subscribers/<int:pk>/", staff.subscriber_detail, name="staff-subscriber"),
    path(
        "staff/subscribers/<int:pk>/unsubscribe/",
        staff.subscriber_action,
        {"action": "unsubscribe"},
        name="staff-subscriber-unsubscribe",
    ),
    path(
        "staff/subscribers/<int:pk>/reset/",
        staff.subscriber_action,
        {"action": "reset"},
        name="staff-subscriber-reset",
    ),
    # Staff: sending an issue
    path("staff/issues/<int:pk>/send/", sending.send_page, name="staff-send"),
    path("staff/issues/<int:pk>/email/html/", sending.email_html, name="staff-send-email-html"),
    path("staff/issues/<int:pk>/email/text/", sending.email_text, name="staff-send-email-text"),
    path("staff/issues/<int:pk>/send/test/", sending.send_test, name="staff-send-test"),
    path("staff/issues/<int:pk>/send/now/", sending.send_now, name="staff-send-now"),
    path("staff/issues/<int:pk>/send/schedule/", sending.schedule, name="staff-send-schedule"),
    path(
        "staff/issues/<int:pk>/send/unschedule/", sending.unschedule, name="staff-send-unschedule"
    ),
    path("staff/issues/<int:pk>/progress/", sending.progress, name="staff-send-progress"),
    path("staff/issues/<int:pk>/retry-failed/", sending.retry_failed, name="staff-send-retry"),
    # Last: the archive's permalinks.
    path("<int:volume>/<int:number>/", public.issue, name="issue"),
    path("<int:volume>/<int:number>/<slug:slug>/", public.article, name="article"),
]
