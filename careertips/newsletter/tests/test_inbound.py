"""Mail that comes back: DSNs from several mail servers, complaints, unsubscribe mails, the rest."""

import datetime as dt
import io
import socketserver
import sys
import threading
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from careertips.core.models import InboundMessage
from careertips.newsletter import tokens
from careertips.newsletter.inbound import receive
from careertips.newsletter.mailbox import Mailbox, poll_mailbox
from careertips.newsletter.models import BounceEvent, Subscriber
from careertips.newsletter.sending.message import recipient_for
from careertips.newsletter.tests.helpers import make_subscriber

SAMPLES = Path(__file__).parent / "inbound_samples"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _bounce_address(settings):
    settings.NEWSLETTER_BOUNCE_ADDRESS = "bounces@careertips.local"


@pytest.fixture
def reader():
    return make_subscriber(email="dana@example.org", status=Subscriber.Status.ACTIVE)


def sample(name: str, subscriber: Subscriber, *, email: str = "") -> bytes:
    text = (SAMPLES / name).read_bytes()
    values = {
        b"{verp}": tokens.verp_address(subscriber).encode(),
        b"{email}": (email or subscriber.email).encode(),
        b"{token}": tokens.make_token(purpose="unsubscribe", subscriber=subscriber).encode(),
    }
    for marker, value in values.items():
        text = text.replace(marker, value)
    return text


def status_of(subscriber: Subscriber) -> str:
    subscriber.refresh_from_db()
    return subscriber.status


def events(subscriber: Subscriber) -> list[str]:
    return list(subscriber.bounce_events.order_by("pk").values_list("kind", flat=True))


# VERP and the List-Unsubscribe token ---------------------------------------------------------


def test_it_gives_each_subscriber_a_signed_return_path(reader):
    path = tokens.verp_address(reader)
    assert path.startswith(f"bounces+{reader.pk}.") and path.endswith("@careertips.local")
    assert tokens.read_verp_address(path) == reader
    assert tokens.read_verp_address(path.upper()) == reader  # case changed on the way back
    forged = path.replace(f"+{reader.pk}.", f"+{reader.pk + 1}.")
    assert tokens.read_verp_address(forged) is None
    assert tokens.read_verp_address("bounces@careertips.local") is None


def test_it_puts_the_return_path_and_a_token_not_the_id_on_each_copy(reader, settings):
    recipient = recipient_for(reader, message_id="<m@x>")
    assert recipient.return_path == tokens.verp_address(reader)
    token = tokens.make_token(purpose="unsubscribe", subscriber=reader)
    assert f"subject=unsubscribe%20{token}>" in recipient.headers["List-Unsubscribe"]
    assert f"unsubscribe%20{reader.pk}>" not in recipient.headers["List-Unsubscribe"]
    settings.NEWSLETTER_BOUNCE_ADDRESS = ""
    assert recipient_for(reader, message_id="<m@x>").return_path == ""


def test_the_smtp_sender_uses_the_return_path_as_envelope_sender(settings):
    from careertips.newsletter import sending
    from careertips.newsletter.tests.sending_factories import (
        deliveries,
        running_sink,
        sending_issue,
        smtp_mailers,
    )

    with running_sink() as (sink, port):
        settings.MAILERS = smtp_mailers(port)
        senders = []
        handle_mail = sink.handle_MAIL

        async def recording(server, session, envelope, address, options):
            senders.append(address)
            return await handle_mail(server, session, envelope, address, options)

        sink.handle_MAIL = recording  # type: ignore[method-assign]
        issue = sending_issue(recipients=2)
        sending.send_pending(issue_id=issue.pk)
    expected = sorted(tokens.verp_address(row.subscriber) for row in deliveries(issue))
    assert sorted(senders) == expected


# Bounces -------------------------------------------------------------------------------------


def test_a_postfix_hard_bounce_suppresses_at_once(reader):
    record = receive(sample("postfix_hard.eml", reader), source="pipe")
    assert record.kind == InboundMessage.Kind.BOUNCE
    assert "hard bounce: dana@example.org suppressed" in record.outcome
    assert status_of(reader) == Subscriber.Status.BOUNCED
    assert "5.1.1" in reader.suppressed_reason
    assert events(reader) == [BounceEvent.Kind.HARD]
    assert reader.bounce_events.get().message == record


def test_the_verp_token_names_the_subscriber_whatever_address_bounced(reader):
    # The copy was forwarded; the bounce names the address it was forwarded to.
    receive(sample("postfix_hard.eml", reader, email="old-alias@example.net"), source="pipe")
    assert status_of(reader) == Subscriber.Status.BOUNCED


def test_an_exim_bounce_without_verp_is_matched_by_address(reader, settings):
    settings.NEWSLETTER_BOUNCE_ADDRESS = ""
    record = receive(sample("exim_hard.eml", reader), source="pipe")
    assert record.kind == InboundMessage.Kind.BOUNCE
    assert status_of(reader) == Subscriber.Status.BOUNCED


def test_a_microsoft_ndr_is_a_hard_bounce(reader):
    receive(sample("microsoft_hard.eml", reader), source="poll")
    assert status_of(reader) == Subscriber.Status.BOUNCED
    assert "5.1.10" in reader.bounce_events.get().detail


def test_a_full_gmail_mailbox_is_soft_until_the_third_in_fourteen_days(reader):
    start = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
    for day in (0, 5):
        with time_machine.travel(start + dt.timedelta(days=day)):
            record = receive(
                sample("gmail_mailbox_full.eml", reader) + f"\n{day}".encode(), source="pipe"
            )
            assert status_of(reader) == Subscriber.Status.ACTIVE
    assert "soft bounce 2 of 3" in record.outcome
    with time_machine.travel(start + dt.timedelta(days=13)):
        record = receive(sample("gmail_mailbox_full.eml", reader) + b"\n13", source="pipe")
    assert "suppressed" in record.outcome
    assert status_of(reader) == Subscriber.Status.BOUNCED
    assert events(reader) == [BounceEvent.Kind.SOFT] * 3


def test_soft_bounces_spread_over_more_than_fourteen_days_do_not_suppress(reader):
    start = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
    for day in (0, 10, 20):
        with time_machine.travel(start + dt.timedelta(days=day)):
            receive(sample("postfix_delayed.eml", reader) + f"\n{day}".encode(), source="pipe")
    assert status_of(reader) == Subscriber.Status.ACTIVE
    assert events(reader) == [BounceEvent.Kind.SOFT] * 3


def test_the_same_message_fetched_twice_counts_once(reader):
    raw = sample("postfix_delayed.eml", reader)
    first = receive(raw, source="poll")
    again = receive(raw, source="poll")
    assert first.pk == again.pk and InboundMessage.objects.count() == 1
    assert events(reader) == [BounceEvent.Kind.SOFT]


def test_a_bounce_for_an_unknown_address_is_kept(reader, settings):
    settings.NEWSLETTER_BOUNCE_ADDRESS = ""
    record = receive(sample("exim_hard.eml", reader, email="stranger@example.com"), source="pipe")
    assert record.kind == InboundMessage.Kind.BOUNCE and "not a subscriber" in record.outcome
    assert status_of(reader) == Subscriber.Status.ACTIVE


# Complaints ----------------------------------------------------------------------------------


def test_an_arf_complaint_suppresses_as_a_complaint(reader):
    record = receive(sample("arf_complaint.eml", reader), source="pipe")
    assert record.kind == InboundMessage.Kind.COMPLAINT
    assert status_of(reader) == Subscriber.Status.COMPLAINED
    assert events(reader) == [BounceEvent.Kind.COMPLAINT]


def test_a_redacted_arf_complaint_is_matched_by_its_original_recipient(reader, settings):
    settings.NEWSLETTER_BOUNCE_ADDRESS = ""
    receive(sample("arf_redacted.eml", reader), source="poll")
    assert status_of(reader) == Subscriber.Status.COMPLAINED


# Unsubscribe mails ---------------------------------------------------------------------------


def test_an_unsubscribe_mail_with_its_token_unsubscribes(reader):
    record = receive(sample("unsubscribe.eml", reader), source="pipe")
    assert record.kind == InboundMessage.Kind.UNSUBSCRIBE
    assert status_of(reader) == Subscriber.Status.UNSUBSCRIBED
    assert "mailto" in reader.suppressed_reason
    assert events(reader) == [BounceEvent.Kind.UNSUBSCRIBE]


@pytest.mark.parametrize("subject", ["unsubscribe {pk}", "unsubscribe {token}x", "unsubscribe"])
def test_an_unsubscribe_mail_without_a_valid_token_is_kept_for_staff(reader, subject):
    token = tokens.make_token(purpose="unsubscribe", subscriber=reader)
    raw = sample("unsubscribe.eml", reader).replace(
        f"Subject: unsubscribe {token}".encode(),
        b"Subject: " + subject.format(pk=reader.pk, token=token).encode(),
    )
    record = receive(raw, source="pipe")
    assert record.kind == InboundMessage.Kind.OTHER
    assert status_of(reader) == Subscriber.Status.ACTIVE


# Everything else ------------------------------------------------------------------------------


def test_an_auto_reply_to_the_return_path_is_kept_for_staff(reader):
    record = receive(sample("out_of_office.eml", reader), source="pipe")
    assert record.kind == InboundMessage.Kind.OTHER
    assert "sent to dana@example.org" in record.outcome
    assert status_of(reader) == Subscriber.Status.ACTIVE
    assert b"out of the office" in bytes(record.raw)


def test_a_malformed_message_is_kept_whole_and_changes_nothing(reader):
    raw = (SAMPLES / "malformed.eml").read_bytes()
    record = receive(raw, source="pipe")
    assert record.kind == InboundMessage.Kind.OTHER
    assert bytes(record.raw) == raw
    assert status_of(reader) == Subscriber.Status.ACTIVE


def test_staff_read_what_came_in(client, reader, db):
    from careertips.core.testing import make_user

    receive(sample("out_of_office.eml", reader), source="pipe")
    receive(sample("postfix_hard.eml", reader), source="pipe")
    client.force_login(make_user("admin@example.com", roles=["administrator"]))
    page = client.get("/mailbox/inbound/").content.decode()
    assert "Automatic reply: Career Tips" in page and "Undelivered Mail Returned" in page
    kept = client.get("/mailbox/inbound/?kind=other").content.decode()
    assert "Automatic reply" in kept and "Undelivered Mail" not in kept
    message = InboundMessage.objects.get(kind="other")
    detail = client.get(f"/mailbox/inbound/{message.pk}/").content.decode()
    assert "I am out of the office until 20 March" in detail


# The entry points -----------------------------------------------------------------------------


def run_receive_mail(monkeypatch, raw: bytes, *args: str) -> str:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = io.StringIO()
    call_command("receive_mail", *args, stdout=out)
    return out.getvalue()


def test_the_pipe_command_reads_one_message_on_standard_input(reader, monkeypatch):
    output = run_receive_mail(monkeypatch, sample("postfix_hard.eml", reader))
    assert output.startswith("Bounce: hard bounce: dana@example.org suppressed")
    assert InboundMessage.objects.get().source == "pipe"


def test_the_pipe_command_takes_the_envelope_recipient_from_the_mail_server(reader, monkeypatch):
    # No header names the return path; Postfix's pipe gives it as $ORIGINAL_RECIPIENT.
    raw = sample("postfix_hard.eml", reader, email="alias@example.net")
    raw = raw.replace(tokens.verp_address(reader).encode(), b"hello@careertips.local")
    monkeypatch.setenv("ORIGINAL_RECIPIENT", tokens.verp_address(reader))
    run_receive_mail(monkeypatch, raw)
    assert status_of(reader) == Subscriber.Status.BOUNCED


def test_the_pipe_command_exits_75_when_it_cannot_store(reader, monkeypatch):
    from django.db import DatabaseError

    def down(*args, **kwargs):
        raise DatabaseError("database is locked")

    monkeypatch.setattr("careertips.newsletter.management.commands.receive_mail.receive", down)
    with pytest.raises(SystemExit) as exit_:
        run_receive_mail(monkeypatch, sample("postfix_hard.eml", reader))
    assert exit_.value.code == 75


class Pop3Handler(socketserver.StreamRequestHandler):
    """Just enough POP3 (RFC 1939) for poplib: USER, PASS, STAT, RETR, DELE, QUIT."""

    def handle(self) -> None:
        box = self.server.box  # type: ignore[attr-defined]
        deleted: set[int] = set()
        self.wfile.write(b"+OK test POP3 ready\r\n")
        while line := self.rfile.readline():
            command, _, argument = line.decode().strip().partition(" ")
            command = command.upper()
            if command == "PASS" and argument != "secret":
                self.wfile.write(b"-ERR wrong password\r\n")
            elif command in ("USER", "PASS", "NOOP"):
                self.wfile.write(b"+OK\r\n")
            elif command == "STAT":
                self.wfile.write(f"+OK {len(box)} {sum(map(len, box))}\r\n".encode())
            elif command == "RETR":
                body = box[int(argument) - 1].replace(b"\r\n", b"\n").split(b"\n")
                stuffed = [b"." + line if line.startswith(b".") else line for line in body]
                self.wfile.write(b"+OK\r\n" + b"\r\n".join(stuffed) + b"\r\n.\r\n")
            elif command == "DELE":
                deleted.add(int(argument))
                self.wfile.write(b"+OK\r\n")
            elif command == "QUIT":
                for number in sorted(deleted, reverse=True):
                    del box[number - 1]
                self.wfile.write(b"+OK bye\r\n")
                return
            else:
                self.wfile.write(b"-ERR unknown\r\n")


@pytest.fixture
def pop3_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Pop3Handler)
    server.box = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_the_poller_handles_and_deletes_each_message(reader, pop3_server):
    other = make_subscriber(email="sam@example.org", status=Subscriber.Status.ACTIVE)
    pop3_server.box.extend(
        [sample("postfix_hard.eml", reader), sample("unsubscribe.eml", other),
         sample("out_of_office.eml", reader)]
    )  # fmt: skip
    port = pop3_server.server_address[1]

    handled = poll_mailbox(f"pop3://bounces:secret@127.0.0.1:{port}")

    assert handled == 3 and pop3_server.box == []
    assert status_of(reader) == Subscriber.Status.BOUNCED
    assert status_of(other) == Subscriber.Status.UNSUBSCRIBED
    assert sorted(InboundMessage.objects.values_list("kind", flat=True)) == [
        "bounce", "other", "unsubscribe",
    ]  # fmt: skip
    assert set(InboundMessage.objects.values_list("source", flat=True)) == {"poll"}


def test_the_poller_keeps_the_mailbox_when_the_login_fails(reader, pop3_server):
    import poplib

    pop3_server.box.append(sample("postfix_hard.eml", reader))
    port = pop3_server.server_address[1]
    with pytest.raises(poplib.error_proto):
        poll_mailbox(f"pop3://bounces:wrong@127.0.0.1:{port}")
    assert len(pop3_server.box) == 1 and not InboundMessage.objects.exists()


def test_it_reads_the_mailbox_setting():
    box = Mailbox.from_url("imaps://bounce%40site:p%2Fw@mail.example.com/Bounces")
    assert (box.scheme, box.host, box.port, box.user, box.password, box.folder) == (
        "imaps", "mail.example.com", 993, "bounce@site", "p/w", "Bounces",
    )  # fmt: skip
    with pytest.raises(ValueError, match="INBOUND_MAILBOX_URL"):
        Mailbox.from_url("http://example.com")


def test_the_inbound_list_reads_a_fixed_number_of_queries(
    client, reader, django_assert_num_queries
):
    from careertips.core.testing import make_user

    client.force_login(make_user("admin@example.com", roles=["administrator"]))
    for name in ("out_of_office.eml", "postfix_hard.eml", "unsubscribe.eml"):
        receive(sample(name, reader), source="pipe")
    client.get("/mailbox/inbound/")  # warm: session and user
    with django_assert_num_queries(5):  # session, user, roles, count, page
        response = client.get("/mailbox/inbound/")
    assert response.content.decode().count("/mailbox/inbound/") >= 3
