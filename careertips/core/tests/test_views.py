"""The captured-mail mailbox (administrators only) and the health check."""

import pytest
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from careertips.core.mail import CapturingEmailBackend
from careertips.core.models import CapturedEmail

pytestmark = pytest.mark.django_db

CAPTURING = {"default": {"BACKEND": "careertips.core.mail.CapturingEmailBackend"}}


def _send(subject: str = "Your interview tomorrow", html: str = "<p>See you <b>soon</b></p>"):
    message = EmailMultiAlternatives(
        subject=subject, body="See you soon.", to=["jordan@example.com", "sam@example.com"]
    )
    message.attach_alternative(html, "text/html")
    message.send()


@override_settings(MAILERS=CAPTURING)
def test_it_captures_mail_instead_of_sending_it():
    _send()

    row = CapturedEmail.objects.get()
    assert row.subject == "Your interview tomorrow"
    assert row.recipients == ["jordan@example.com", "sam@example.com"]
    assert row.text_body == "See you soon."
    assert row.html_body == "<p>See you <b>soon</b></p>"
    assert row.message_id.startswith("<")
    assert "Subject: Your interview tomorrow" in row.raw


def test_it_skips_messages_without_recipients():
    sent = CapturingEmailBackend().send_messages([EmailMultiAlternatives(subject="x", body="y")])

    assert sent == 0
    assert not CapturedEmail.objects.exists()


@override_settings(MAILERS=CAPTURING)
def test_it_lists_captured_mail_for_administrators(client, administrator):
    for n in range(3):
        _send(subject=f"Message {n}")
    client.force_login(administrator)

    response = client.get("/mailbox/")

    assert response.status_code == 200
    assert [m.subject for m in response.context["page"]] == ["Message 2", "Message 1", "Message 0"]
    assert "jordan@example.com, sam@example.com" in response.text


@override_settings(MAILERS=CAPTURING)
def test_it_keeps_the_mailbox_query_count_flat(client, administrator):
    client.force_login(administrator)
    _send()
    with CaptureQueriesContext(connection) as one:
        client.get("/mailbox/")
    for n in range(20):
        _send(subject=f"More {n}")
    with CaptureQueriesContext(connection) as many:
        client.get("/mailbox/")

    assert len(many) == len(one)


@override_settings(MAILERS=CAPTURING)
def test_it_shows_html_mail_in_a_sandboxed_frame(client, administrator):
    _send(html='<p onclick="steal()">Hi</p><script>alert(1)</script>')
    row = CapturedEmail.objects.get()
    client.force_login(administrator)

    response = client.get(f"/mailbox/{row.pk}/")

    assert response.status_code == 200
    assert '<iframe class="mail-frame" title="HTML version" sandbox srcdoc=' in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<script>alert(1)</script>" not in response.text
    assert '<pre class="plain" id="mail-text">See you soon.</pre>' in response.text


@override_settings(MAILERS=CAPTURING)
def test_it_hides_the_mailbox_from_members_coaches_and_editors(alice, coach, editor):
    _send()
    row = CapturedEmail.objects.get()

    for user in (alice, coach, editor):
        client = Client()
        client.force_login(user)
        assert client.get("/mailbox/").status_code == 404
        assert client.get(f"/mailbox/{row.pk}/").status_code == 404


def test_it_sends_anonymous_visitors_from_the_mailbox_to_sign_in(client):
    response = client.get("/mailbox/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/mailbox/"


def test_it_answers_the_health_check_without_a_session(client, db, django_assert_num_queries):
    # One query: it proves the database answers and reads the worker's last heartbeat.
    with django_assert_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.text == "ok"
