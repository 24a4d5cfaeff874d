from django.urls import path

from careertips.core import views

app_name = "core"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("healthz/proxy", views.healthz_proxy, name="healthz-proxy"),
    path("settings/", views.account_settings, name="settings"),
    path("settings/data/", views.your_data, name="your-data"),
    path("settings/data/download/", views.download_data, name="download-data"),
    path("mailbox/", views.mailbox, name="mailbox"),
    path("mailbox/<int:pk>/", views.mailbox_message, name="mailbox-message"),
    path("mailbox/inbound/", views.inbound_mail, name="inbound-mail"),
    path("mailbox/inbound/<int:pk>/", views.inbound_message, name="inbound-message"),
    path("practice/accounts/", views.accounts, name="accounts"),
    path("practice/accounts/<int:pk>/", views.account, name="account"),
    path("practice/accounts/<int:pk>/confirm/", views.confirm_address, name="account-confirm"),
    path("practice/accounts/<int:pk>/link/", views.send_link, name="account-link"),
    path("mail/<int:pk>/retry/", views.retry_mail, name="mail-retry"),
]
