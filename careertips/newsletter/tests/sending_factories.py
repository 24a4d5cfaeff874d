"""Small factories for the sending tests: an issue with articles, subscribers, an SMTP sink."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from careertips.newsletter.models import Article, Delivery, Issue, Subscriber
from careertips.newsletter.tests.helpers import make_issue

_numbers = itertools.count(1)


def make_issue_to_send(**kw: Any) -> Issue:
    """A draft issue (unless told otherwise) with a letter and a feature to send."""
    kw.setdefault("volume", 7)
    kw.setdefault("number", next(_numbers))
    kw.setdefault("status", Issue.Status.DRAFT)
    kw.setdefault("month", dt.date(2026, 4, 1))
    kw.setdefault("title", "Call the hiring manager")
    kw.setdefault("introduction", "This month: what to do **after** a rejection.")
    issue = make_issue(**kw)
    Article.objects.create(
        issue=issue, kind=Article.Kind.LETTER, position=1, title="Turned down twice",
        slug="turned-down-twice", question="Should I call them?", signed_as="Robert in Denver",
        body="Yes. You cannot be turned down *twice*.",
    )  # fmt: skip
    Article.objects.create(
        issue=issue, kind=Article.Kind.FEATURE, position=2, title="Think like the manager",
        slug="think-like-the-manager", body="They expect you to be upset. Be composed.",
    )  # fmt: skip
    return issue


def make_subscribers(count: int, *, status: str = Subscriber.Status.ACTIVE, prefix: str = "reader"):
    start = Subscriber.objects.count()
    rows = [
        Subscriber(email=f"{prefix}{start + i}@example.com", name=f"Reader {start + i}",
                   status=status)
        for i in range(count)
    ]  # fmt: skip
    Subscriber.objects.bulk_create(rows)
    return list(Subscriber.objects.filter(email__startswith=prefix).order_by("pk"))


def sending_issue(*, recipients: int = 3, **kw: Any) -> Issue:
    """An issue being sent to `recipients` fresh active subscribers."""
    from careertips.newsletter import sending

    issue = make_issue_to_send(**kw)
    make_subscribers(recipients)
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENDING)
    sending.freeze_audience(issue=issue)
    issue.refresh_from_db()
    return issue


def deliveries(issue: Issue) -> list[Delivery]:
    return list(Delivery.objects.filter(issue=issue).select_related("subscriber").order_by("pk"))


@dataclass
class Sink:
    """An SMTP server on loopback that keeps every message and can be told to refuse."""

    messages: list[EmailMessage] = field(default_factory=list)
    message_ids: Counter = field(default_factory=Counter)
    received: list[tuple[str, str]] = field(default_factory=list)  # (recipient, Message-ID)
    raw: list[bytes] = field(default_factory=list)  # each message as it arrived, unstuffed
    # RCPT address → SMTP reply, e.g. "550 5.1.1 No such user" or "451 4.3.0 Try later".
    refuse: dict[str, str] = field(default_factory=dict)
    peers: set = field(default_factory=set)  # one per client connection
    port: int = 0
    mail_options: list[list[str]] = field(default_factory=list)  # each MAIL FROM's parameters
    # Offer PIPELINING (RFC 2920) in the EHLO reply, as Postfix and most servers do.
    pipelining: bool = True
    # Recipient → SMTP reply at the end of DATA, to refuse the message itself.
    refuse_data: dict[str, str] = field(default_factory=dict)
    # MAIL FROM address → SMTP reply, to refuse the sender.
    refuse_sender: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        session.host_name = hostname
        if self.pipelining:
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        if address in self.refuse_sender:
            return self.refuse_sender[address]
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        self.mail_options.append(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        self.peers.add(session.peer)
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        for rcpt in envelope.rcpt_tos:
            if rcpt in self.refuse_data:
                return self.refuse_data[rcpt]
        raw = envelope.original_content or envelope.content
        self.raw.append(raw)
        message = message_from_bytes(raw, policy=policy.default)
        with self.lock:
            self.messages.append(message)
            self.message_ids[message["Message-ID"]] += 1
            self.received.extend((rcpt, message["Message-ID"]) for rcpt in envelope.rcpt_tos)
        return "250 Message accepted for delivery"


class LoopbackController(Controller):
    """Listens on a free loopback port chosen by the system (port 0)."""

    def _trigger_server(self) -> None:
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class running_sink:  # noqa: N801 -- used as a context manager, like open()
    def __init__(self, *, pipelining: bool = True) -> None:
        self.sink = Sink(pipelining=pipelining)
        self.controller = LoopbackController(self.sink, hostname="127.0.0.1", port=0)

    def __enter__(self) -> tuple[Sink, int]:
        self.controller.start()
        self.sink.port = self.controller.port
        return self.sink, self.controller.port

    def __exit__(self, *exc: Any) -> None:
        self.controller.stop()


def smtp_mailers(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
