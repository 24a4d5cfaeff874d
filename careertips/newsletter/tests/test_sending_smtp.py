"""The mail path end to end: real SMTP to an aiosmtpd server on a free loopback port."""

import pytest

from careertips.newsletter import sending
from careertips.newsletter.models import Delivery, Issue, Subscriber
from careertips.newsletter.tests.sending_factories import (
    deliveries,
    running_sink,
    sending_issue,
    smtp_mailers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sink(settings):
    with running_sink() as (server, port):
        settings.MAILERS = smtp_mailers(port)
        yield server


def test_it_delivers_every_message_over_one_connection(sink):
    issue = sending_issue(recipients=5)

    report = sending.send_pending(issue_id=issue.pk)

    rows = deliveries(issue)
    assert report.sent == 5 and report.finished
    assert dict(sink.message_ids) == {row.message_id: 1 for row in rows}
    assert len(sink.peers) == 1
    first = sink.messages[0]
    assert first["To"].addresses[0].addr_spec == rows[0].subscriber.email
    assert first["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Hi Reader," in first.get_body(("plain",)).get_content()
    assert "/newsletter/unsubscribe/" in first.get_body(("html",)).get_content()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_it_retries_4xx_and_bounces_5xx_from_the_server(sink):
    issue = sending_issue(recipients=3)
    busy, unknown, fine = (row.subscriber.email for row in deliveries(issue))
    sink.refuse = {busy: "451 4.3.0 Mailbox busy, try later", unknown: "550 5.1.1 No such user"}

    report = sending.send_pending(issue_id=issue.pk)

    rows = {row.subscriber.email: row for row in deliveries(issue)}
    assert (report.sent, report.retried, report.failed) == (1, 1, 1)
    assert rows[busy].status == Delivery.Status.PENDING and "451" in rows[busy].last_error
    assert rows[unknown].status == Delivery.Status.FAILED and "550" in rows[unknown].last_error
    assert rows[unknown].subscriber.status == Subscriber.Status.BOUNCED
    assert rows[fine].status == Delivery.Status.SENT
    assert list(sink.message_ids) == [rows[fine].message_id]


def test_it_reconnects_when_the_server_hangs_up(sink):
    issue = sending_issue(recipients=3)
    first = deliveries(issue)[0].subscriber.email
    sink.refuse = {first: "421 4.7.0 Too busy, closing connection"}

    report = sending.send_pending(issue_id=issue.pk)

    assert (report.sent, report.retried) == (2, 1)
    assert len(sink.peers) == 2  # a fresh connection after the 421


def test_it_gives_everything_back_when_the_server_is_down(settings):
    with running_sink() as (_, port):
        pass  # the port is free again: nobody listens there
    settings.MAILERS = smtp_mailers(port)
    issue = sending_issue(recipients=2)

    report = sending.send_pending(issue_id=issue.pk)

    assert report.stopped.startswith("TransportDown")
    assert report.released == 2 and report.sent == 0
    assert {row.status for row in deliveries(issue)} == {Delivery.Status.PENDING}
    assert {row.attempts for row in deliveries(issue)} == {0}
