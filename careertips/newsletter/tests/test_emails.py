import pytest
import time_machine
from django.core import mail

from careertips.newsletter import emails, tasks, tokens
from careertips.newsletter.models import Subscriber
from careertips.newsletter.tests.helpers import make_issue, make_subscriber

pytestmark = pytest.mark.django_db


def _html(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


@time_machine.travel("2026-03-02 09:00:00+00:00", tick=False)  # the link's signature is timed
def test_it_sends_the_confirmation_in_text_and_html_with_list_headers():
    subscriber = make_subscriber(status=Subscriber.Status.PENDING, name="Dana")
    emails.send_confirmation(subscriber)
    [message] = mail.outbox
    assert message.subject == "Confirm your Career Tips subscription"
    url = tokens.confirm_url(subscriber)
    assert url in message.body
    assert f'href="{url}"' in _html(message)
    headers = message.extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert tokens.one_click_unsubscribe_url(subscriber) in headers["List-Unsubscribe"]
    assert "<mailto:" in headers["List-Unsubscribe"]
    assert headers["List-Id"]


def test_it_welcomes_with_the_latest_issue_and_an_unsubscribe_link():
    make_issue(volume=1, number=4, title="Closing the gaps")
    subscriber = make_subscriber(name="Dana")
    emails.send_welcome_email(subscriber)
    [message] = mail.outbox
    assert "Welcome, Dana!" in message.body
    assert "Closing the gaps" in message.body
    assert "/newsletter/1/4/" in message.body
    assert tokens.unsubscribe_url(subscriber) in message.body
    assert tokens.unsubscribe_url(subscriber) in _html(message)
    assert "List-Unsubscribe" in message.extra_headers


def test_it_escapes_a_hostile_name_in_html_mail():
    subscriber = make_subscriber(name='<img src=x onerror="alert(1)">')
    emails.send_welcome_email(subscriber)
    html = _html(mail.outbox[0])
    assert "<img src=x" not in html
    assert "&lt;img" in html


def test_it_sends_nothing_to_suppressed_addresses_from_the_notice_task():
    subscriber = make_subscriber(status=Subscriber.Status.COMPLAINED)
    result = tasks.send_subscription_notice.call(subscriber_id=subscriber.pk)
    assert result == "skipped"
    assert mail.outbox == []
