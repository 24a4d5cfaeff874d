from django.urls import path

from careertips.api import views

app_name = "api"
urlpatterns = [
    path("api/docs", views.docs, name="docs"),
    path("settings/api/", views.token_list, name="tokens"),
    path("settings/api/tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("settings/api/webhooks/", views.webhook_list, name="webhooks"),
    path("settings/api/webhooks/<int:pk>/", views.webhook_detail, name="webhook"),
    path("settings/api/webhooks/<int:pk>/enable/", views.webhook_enable, name="webhook-enable"),
    path("settings/api/webhooks/<int:pk>/test/", views.webhook_test, name="webhook-test"),
    path("settings/api/webhooks/<int:pk>/delete/", views.webhook_delete, name="webhook-delete"),
]
