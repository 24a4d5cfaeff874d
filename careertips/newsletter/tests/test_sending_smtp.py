"""The mail path end to end: real SMTP to an aiosmtpd server on a free loopback port.

Every test runs twice: against a server that offers PIPELINING (RFC 2920), where the
envelope goes in one write, and against one that does not, where smtplib's `sendmail` is
used as it is."""

import smtplib

import pytest

from careertips.newsletter import sending
from careertips.newsletter.models import Delivery, Issue, Subscriber
from careertips.newsletter.sending.transport import pipelined_sendmail
from careertips.newsletter.tests.sending_factories import (
    deliveries,
    running_sink,
    sending_issue,
    smtp_mailers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[True, False], ids=["pipelining", "one-by-one"])
def sink(request, settings):
    with running_sink(pipelining=request.param) as (server, port):
        settings.MAILERS = smtp_mailers(port)
        yield server


def test_it_delivers_every_message_over_one_connection(sink):
    issue = sending_issue(recipients=5)

    report = sending.send_pending(issue_id=issue.pk)

    rows = deliveries(issue)
    assert report.sent == 5 and report.finished
    assert dict(sink.message_ids) == {row.message_id: 1 for row in rows}
    assert len(sink.peers) == 1
    # The server offers SIZE, so each MAIL FROM declares the message's size.
    assert all(option[0].upper().startswith("SIZE=") for option in sink.mail_options)
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


def test_it_bounces_a_message_the_server_refuses_after_reading_it(sink):
    issue = sending_issue(recipients=2)
    spam, fine = (row.subscriber.email for row in deliveries(issue))
    sink.refuse_data = {spam: "554 5.7.1 Message rejected as spam"}

    report = sending.send_pending(issue_id=issue.pk)

    rows = {row.subscriber.email: row for row in deliveries(issue)}
    assert (report.sent, report.failed) == (1, 1)
    assert rows[spam].status == Delivery.Status.FAILED and "554" in rows[spam].last_error
    assert rows[spam].subscriber.status == Subscriber.Status.BOUNCED
    assert list(sink.message_ids) == [rows[fine].message_id]


def test_it_stops_and_gives_everything_back_when_the_sender_is_refused(sink, settings):
    settings.NEWSLETTER_FROM_EMAIL = "news@careertips.example.com"
    issue = sending_issue(recipients=3)
    sink.refuse_sender = {"news@careertips.example.com": "550 5.7.1 Sender not allowed"}

    report = sending.send_pending(issue_id=issue.pk)

    assert report.stopped.startswith("SMTPSenderRefused") and report.sent == 0
    rows = deliveries(issue)
    assert report.released == 3
    assert {row.status for row in rows} == {Delivery.Status.PENDING}
    assert "550" in rows[0].last_error
    assert sink.messages == []


def test_it_sends_each_envelope_in_one_write_when_pipelining(sink, monkeypatch):
    writes = []
    real_send = smtplib.SMTP.send

    def counting_send(self, data):
        writes.append(data if isinstance(data, str) else data.decode("ascii"))
        return real_send(self, data)

    monkeypatch.setattr(smtplib.SMTP, "send", counting_send)
    issue = sending_issue(recipients=4)

    report = sending.send_pending(issue_id=issue.pk)

    assert report.sent == 4 and len(sink.messages) == 4
    message_writes = [w for w in writes if not w.lower().startswith(("ehlo", "quit"))]
    # Pipelined: the envelope, then the content. One by one: MAIL, RCPT, DATA, content.
    assert len(message_writes) == (2 if sink.pipelining else 4) * 4


def test_it_delivers_lines_that_start_with_a_dot_intact(sink):
    message = (
        b"From: news@careertips.local\r\nTo: reader@example.com\r\nSubject: Dots\r\n"
        b"Message-ID: <dots@careertips.local>\r\n\r\n"
        b".NET developers, read on.\r\n.\r\n..two dots\r\nend\r\n"
    )
    smtp = smtplib.SMTP("127.0.0.1", sink.port)
    try:
        smtp.ehlo()
        if sink.pipelining:
            assert smtp.has_extn("pipelining")
            pipelined_sendmail(smtp, "news@careertips.local", "reader@example.com", message)
        else:
            smtp.sendmail("news@careertips.local", ["reader@example.com"], message)
    finally:
        smtp.quit()

    assert sink.raw[0].endswith(b".NET developers, read on.\r\n.\r\n..two dots\r\nend\r\n")
