from django.urls import path

from careertips.core.views import account, accounts, health, mailbox

app_name = "core"
urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("healthz/proxy", health.healthz_proxy, name="healthz-proxy"),
    path("settings/", account.account_settings, name="settings"),
    path("settings/data/", account.your_data, name="your-data"),
    path("settings/data/download/", account.download_data, name="download-data"),
    path("settings/data/restore/", account.restore_data, name="restore-data"),
    path("settings/data/restore/<int:pk>/", account.restore_status, name="restore-status"),
    path("mailbox/", mailbox.mailbox, name="mailbox"),
    path("mailbox/<int:pk>/", mailbox.mailbox_message, name="mailbox-message"),
    path("mailbox/inbound/", mailbox.inbound_mail, name="inbound-mail"),
    path("mailbox/inbound/<int:pk>/", mailbox.inbound_message, name="inbound-message"),
    path("practice/accounts/", accounts.accounts, name="accounts"),
    path("practice/accounts/<int:pk>/", accounts.account, name="account"),
    path("practice/accounts/<int:pk>/confirm/", accounts.confirm_address, name="account-confirm"),
    path("practice/accounts/<int:pk>/link/", accounts.send_link, name="account-link"),
    path("mail/<int:pk>/retry/", account.retry_mail, name="mail-retry"),
]
