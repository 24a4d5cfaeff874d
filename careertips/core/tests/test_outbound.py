"""Transactional mail end to end: a real SMTP server on loopback that refuses, then takes,
the member's thank-you note; the back-off between attempts; "not sent" on the page that
sent it and "try again"; the member's daily cap; single-line names and subjects."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.tasks import task_backends
from django.utils import timezone

from careertips.coaching.models import Sharing
from careertips.coaching.services import add_note
from careertips.core import outbound
from careertips.core.models import OutboundMail
from careertips.core.validators import SINGLE_LINE_MESSAGE
from careertips.debriefs import services as debriefs
from careertips.debriefs.tests.helpers import make_debrief
from careertips.network.tests.helpers import make_contact
from careertips.newsletter.tasks import send_subscription_notice
from careertips.newsletter.tests.helpers import make_subscriber
from careertips.newsletter.tests.sending_factories import running_sink, smtp_mailers

pytestmark = pytest.mark.django_db

MANAGER = "dana@acme.example"
BUSY = "451 4.3.0 Mailbox busy, try later"


@pytest.fixture
def sink(settings):
    with running_sink() as (server, port):
        settings.MAILERS = smtp_mailers(port)
        yield server


@pytest.fixture
def debrief(alice):
    return make_debrief(owner=alice, contact=make_contact(owner=alice, email=MANAGER))


def _send_note(debrief, capture, **kw):
    with capture(execute=True):
        debriefs.send_thank_you(
            debrief=debrief, subject="Thank you", body="Thank you for the call.", channel="email",
            **kw,
        )  # fmt: skip
    return OutboundMail.objects.get(kind=debriefs.THANK_YOU_MAIL, object_id=debrief.pk)


def _fresh(row):
    row.refresh_from_db()
    return row


def test_it_sends_the_note_over_smtp_and_keeps_only_the_delivery_record(
    sink, debrief, django_capture_on_commit_callbacks
):
    row = _send_note(debrief, django_capture_on_commit_callbacks)

    assert row.status == OutboundMail.Status.SENT and row.attempts == 1 and row.sent_at
    [message] = sink.messages
    assert message["Message-ID"] == row.message_id
    assert message["To"].addresses[0].addr_spec == MANAGER
    assert "Thank you for the call." in message.get_body(("plain",)).get_content()
    assert bytes(row.raw) == b""  # accepted: the member's words are not kept twice


def test_it_retries_a_refused_note_with_back_off_then_shows_it_not_sent(
    sink, debrief, alice_client, django_capture_on_commit_callbacks
):
    sink.refuse = {MANAGER: BUSY}
    start = timezone.now()
    row = _send_note(debrief, django_capture_on_commit_callbacks)

    # The first attempt (the worker picks the task up at once) was refused: retry in 1 minute.
    assert row.status == OutboundMail.Status.QUEUED and row.attempts == 1
    assert "451" in row.last_error
    assert dt.timedelta(seconds=50) < row.next_attempt_at - start < dt.timedelta(seconds=70)
    page = alice_client.get(f"/debriefs/{debrief.pk}/").content.decode()
    assert "Not sent yet: 451 4.3.0 Mailbox busy, try later. Trying again" in page

    # Not due yet: a worker that picks it up early leaves it alone.
    assert outbound.deliver(mail_id=row.pk) == "skipped"
    waits, attempted_at = [], start
    for _ in range(3):
        due = _fresh(row).next_attempt_at
        waits.append(round((due - attempted_at).total_seconds() / 60))
        attempted_at = due + dt.timedelta(seconds=1)
        with time_machine.travel(attempted_at, tick=False):
            outbound.deliver(mail_id=row.pk)
    assert waits == [1, 5, 25]
    row = _fresh(row)
    assert row.status == OutboundMail.Status.FAILED and row.attempts == 4
    assert sink.messages == []

    page = alice_client.get(f"/debriefs/{debrief.pk}/").content.decode()
    assert "<strong>Not sent:</strong> 451 4.3.0 Mailbox busy, try later —" in page
    assert f'action="/mail/{row.pk}/retry/"' in page

    # Try again, now that the server takes it: the same message (same Message-ID) goes out.
    sink.refuse = {}
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            f"/mail/{row.pk}/retry/", {"next": f"/debriefs/{debrief.pk}/#section-thank_you"}
        )
    assert response.status_code == 302
    assert response["Location"] == f"/debriefs/{debrief.pk}/#section-thank_you"
    row = _fresh(row)
    assert row.status == OutboundMail.Status.SENT
    [message] = sink.messages
    assert message["Message-ID"] == row.message_id
    page = alice_client.get(f"/debriefs/{debrief.pk}/").content.decode()
    assert "Delivered to the mail server on" in page and "Not sent" not in page


def test_it_gives_up_at_once_when_the_server_refuses_for_good(
    sink, debrief, django_capture_on_commit_callbacks
):
    sink.refuse = {MANAGER: "550 5.1.1 No such user"}

    row = _send_note(debrief, django_capture_on_commit_callbacks)

    assert row.status == OutboundMail.Status.FAILED and row.attempts == 1
    assert row.last_error == "550 5.1.1 No such user"
    assert bytes(row.raw)  # kept, so "try again" sends the very same message


def test_it_books_the_next_attempt_in_the_task_queue(settings, debrief):
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.dummy.DummyBackend",
            "QUEUES": ["default", "mail"],
        }
    }
    settings.MAILERS = {"default": {"BACKEND": "careertips.core.tests.test_outbound.Refusing"}}
    row = outbound.queue_mail(
        message=mail.EmailMessage("Hi", "Hello", to=[MANAGER]), kind="test", object_id=1
    )

    assert outbound.deliver(mail_id=row.pk) == "retrying"

    [retry] = task_backends["default"].results
    assert retry.task.name == "deliver_mail" and retry.kwargs == {"mail_id": row.pk}
    assert retry.task.run_after == _fresh(row).next_attempt_at


class Refusing(mail.backends.base.BaseEmailBackend):
    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_it_lets_only_the_sender_try_again(client, bob, debrief, sink):
    sink.refuse = {MANAGER: "550 5.1.1 No such user"}
    row = outbound.queue_mail(
        message=mail.EmailMessage("Hi", "Hello", to=[MANAGER]),
        kind=debriefs.THANK_YOU_MAIL,
        object_id=debrief.pk,
        owner=debrief.owner,
    )
    outbound.deliver(mail_id=row.pk)
    client.force_login(bob)

    assert client.post(f"/mail/{row.pk}/retry/").status_code == 404
    assert client.get(f"/mail/{row.pk}/retry/").status_code == 405
    assert _fresh(row).status == OutboundMail.Status.FAILED


def test_it_caps_what_a_member_sends_per_day(settings, alice, alice_client):
    settings.MEMBER_MAIL_PER_DAY = 2
    debriefs_ = [
        make_debrief(owner=alice, contact=make_contact(owner=alice, name=f"M {n}", email=MANAGER))
        for n in range(3)
    ]
    for debrief in debriefs_[:2]:
        response = alice_client.post(
            f"/debriefs/{debrief.pk}/thank-you/",
            {"subject": "Thanks", "body": "Thank you.", "channel": "email"},
        )
        assert response.status_code == 302

    response = alice_client.post(
        f"/debriefs/{debriefs_[2].pk}/thank-you/",
        {"subject": "Thanks", "body": "Thank you.", "channel": "email"},
    )

    assert response.status_code == 200
    assert "You have sent 2 emails from Career Tips in the last 24 hours" in response.text
    assert response.context["thank_you_form"].errors["channel"]
    debriefs_[2].refresh_from_db()
    assert debriefs_[2].thank_you_sent_at is None
    # Marking a note sent by hand is never capped, and a day later email works again.
    response = alice_client.post(
        f"/debriefs/{debriefs_[2].pk}/thank-you/",
        {"subject": "Thanks", "body": "Thank you.", "channel": "draft"},
    )
    assert response.status_code == 302
    with time_machine.travel(timezone.now() + dt.timedelta(days=1, minutes=1)):
        response = alice_client.post(
            f"/debriefs/{debriefs_[2].pk}/thank-you/",
            {"subject": "Thanks", "body": "Thank you.", "channel": "email"},
        )
    assert response.status_code == 302


def test_it_keeps_names_and_subjects_on_one_line(alice_client, alice, debrief):
    response = alice_client.post(
        f"/debriefs/{debrief.pk}/thank-you/",
        {"subject": "Thanks\r\nBcc: everyone@example.com", "body": "Hi.", "channel": "email"},
    )
    assert response.status_code == 200
    assert response.context["thank_you_form"].errors["subject"] == [SINGLE_LINE_MESSAGE]
    assert not OutboundMail.objects.exists()

    response = alice_client.post(
        "/network/contacts/new/",
        {"name": "Eve\nBcc: x@example.com", "email": "eve@example.com", "relationship": "other",
         "warmth": "warm"},
    )  # fmt: skip
    assert response.context["form"].errors["name"] == [SINGLE_LINE_MESSAGE]

    response = alice_client.post(
        "/settings/", {"display_name": "Alice\r\nX: y", "time_zone": "UTC", "follow_up_days": 7}
    )
    assert response.context["form"].errors["display_name"] == [SINGLE_LINE_MESSAGE]


def test_it_shows_a_note_notice_that_was_not_sent_to_its_writer(
    sink, alice, coach, alice_client, client, django_capture_on_commit_callbacks
):
    Sharing.objects.create(member=alice, coach=coach)
    sink.refuse = {coach.email: "550 5.7.1 Relaying denied"}
    with django_capture_on_commit_callbacks(execute=True):
        note = add_note(member=alice, author=alice, body="I have a second interview!")

    page = alice_client.get("/coaching/").content.decode()
    row = OutboundMail.objects.get(kind="coaching.note", object_id=note.pk)
    assert row.status == OutboundMail.Status.FAILED
    assert f"Email to {coach.email}:" in page and "550 5.7.1 Relaying denied" in page
    assert f'action="/mail/{row.pk}/retry/"' in page
    # The coach reads the thread but did not send that email: no "try again" for them.
    client.force_login(coach)
    assert f"/mail/{row.pk}/retry/" not in client.get(f"/coaching/clients/{alice.pk}/").text


def test_it_records_and_retries_a_subscription_notice_sent_from_the_worker(sink):
    subscriber = make_subscriber(email="reader@example.com", status="pending")
    sink.refuse = {"reader@example.com": BUSY}

    assert send_subscription_notice.call(subscriber_id=subscriber.pk) == "confirm"

    row = OutboundMail.objects.get(kind="newsletter.confirm", object_id=subscriber.pk)
    assert row.status == OutboundMail.Status.QUEUED and row.attempts == 1 and row.next_attempt_at
    sink.refuse = {}
    with time_machine.travel(row.next_attempt_at + dt.timedelta(seconds=1)):
        assert outbound.deliver(mail_id=row.pk) == "sent"
    [message] = sink.messages
    assert message["Message-ID"] == row.message_id and message["List-Unsubscribe"]
