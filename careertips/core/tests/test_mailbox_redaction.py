"""While mail is captured, account mail sits in the Mailbox with its links and codes hidden:
reading the Mailbox must never be a way into someone else's account."""

import re

import pytest
from django.core.mail import EmailMultiAlternatives
from django.test import override_settings

from careertips.core.mail import ACCOUNT_MAIL_HEADER, REDACTED_LINK
from careertips.core.models import CapturedEmail

pytestmark = pytest.mark.django_db

CAPTURING = {"default": {"BACKEND": "careertips.core.mail.CapturingEmailBackend"}}
KEYED = re.compile(r"/accounts/(password/reset/key|confirm-email)/")


@override_settings(MAILERS=CAPTURING)
def test_it_keeps_a_password_reset_mail_without_its_link(client, alice, administrator):
    client.post("/accounts/password/reset/", {"email": "alice@example.com"})

    row = CapturedEmail.objects.get(to__contains="alice@example.com")
    assert row.is_account_mail and "Reset your password" in row.subject
    for stored in (row.text_body, row.html_body, row.raw):
        assert not KEYED.search(stored)
    assert REDACTED_LINK in row.text_body and REDACTED_LINK in row.html_body
    client.force_login(administrator)
    page = client.get(f"/mailbox/{row.pk}/").content.decode()
    assert not KEYED.search(page)
    assert "its links and codes are hidden here" in page


@override_settings(MAILERS=CAPTURING)
def test_it_keeps_a_signup_confirmation_without_its_link(client):
    client.post(
        "/accounts/signup/",
        {
            "email": "new@example.com",
            "password1": "a long passphrase 2026",
            "password2": "a long passphrase 2026",
        },
    )

    row = CapturedEmail.objects.get(to__contains="new@example.com")
    assert row.is_account_mail
    assert not KEYED.search(row.text_body + row.html_body + row.raw)


@override_settings(MAILERS=CAPTURING)
def test_it_hides_codes_the_account_mail_carries(rf):
    from careertips.core.adapter import AccountAdapter

    adapter = AccountAdapter(rf.get("/"))
    message = adapter.render_mail(
        "account/email/password_reset_key", "alice@example.com",
        {"password_reset_url": "http://x.example/accounts/password/reset/key/1-abc/",
         "key": "abc-secret-key", "code": "QX7P2K", "request": rf.get("/")},
    )  # fmt: skip
    message.body += "\nYour code: QX7P2K, key abc-secret-key"
    message.send()

    row = CapturedEmail.objects.get()
    assert "QX7P2K" not in row.text_body + row.raw
    assert "abc-secret-key" not in row.text_body + row.raw
    assert ACCOUNT_MAIL_HEADER in row.headers


@override_settings(MAILERS=CAPTURING)
def test_it_keeps_links_in_other_mail(client, administrator):
    message = EmailMultiAlternatives(
        subject="Your digest", body="Today: http://127.0.0.1:8000/today/", to=["a@example.com"]
    )
    message.send()

    row = CapturedEmail.objects.get()
    assert not row.is_account_mail
    assert "http://127.0.0.1:8000/today/" in row.text_body


def test_it_hides_keyed_account_links_in_mail_kept_before_redaction(client, administrator):
    row = CapturedEmail.objects.create(
        from_email="a@example.com", to="alice@example.com", subject="Reset",
        text_body="Go to http://127.0.0.1:8000/accounts/password/reset/key/3-abcdef/ now",
        html_body='<a href="http://127.0.0.1:8000/accounts/confirm-email/XYZ/">confirm</a>',
        raw="x",
    )  # fmt: skip
    client.force_login(administrator)

    page = client.get(f"/mailbox/{row.pk}/").content.decode()

    assert "3-abcdef" not in page and "XYZ" not in page
    assert REDACTED_LINK in page


@override_settings(MAILERS=CAPTURING)
def test_it_tells_a_new_user_how_their_address_gets_confirmed_without_mail(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.com",
            "password1": "a long passphrase 2026",
            "password2": "a long passphrase 2026",
        },
        follow=True,
    )

    page = response.content.decode()
    assert "Your address is confirmed here, not by mail" in page
    assert "administrator" in page and "careertips create_account" in page


def test_it_tells_a_new_user_to_check_their_mail_when_mail_is_sent(client, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.com",
            "password1": "a long passphrase 2026",
            "password2": "a long passphrase 2026",
        },
        follow=True,
    )

    page = response.content.decode()
    assert "We sent you a link to confirm your address" in page
    assert "not by mail" not in page
