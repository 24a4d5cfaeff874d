"""Polls a POP3 or IMAP mailbox (INBOUND_MAILBOX_URL) for bounces, complaints and unsubscribe
requests, for a site whose mail server cannot pipe them to `careertips receive_mail`.

A message is deleted from the mailbox only after it is stored; one fetched twice (the poll died
in between) is recognised by its digest and handled once.
"""

from __future__ import annotations

import imaplib
import logging
import poplib
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings

from careertips.newsletter.inbound import receive

logger = logging.getLogger(__name__)

PORTS = {"pop3": 110, "pop3s": 995, "imap": 143, "imaps": 993}
TIMEOUT = 60


@dataclass(frozen=True)
class Mailbox:
    scheme: str
    host: str
    port: int
    user: str
    password: str
    folder: str

    @classmethod
    def from_url(cls, url: str) -> Mailbox:
        parts = urlsplit(url)
        if parts.scheme not in PORTS or not parts.hostname:
            raise ValueError(
                "INBOUND_MAILBOX_URL must look like pop3s://user:password@host or "
                "imaps://user:password@host/INBOX"
            )
        return cls(
            scheme=parts.scheme, host=parts.hostname, port=parts.port or PORTS[parts.scheme],
            user=unquote(parts.username or ""), password=unquote(parts.password or ""),
            folder=unquote(parts.path.lstrip("/")) or "INBOX",
        )  # fmt: skip


def poll_mailbox(url: str | None = None, *, limit: int = 500) -> int:
    """Fetches, stores, handles and deletes up to `limit` messages; returns how many."""
    mailbox = Mailbox.from_url(url or settings.INBOUND_MAILBOX_URL)
    if mailbox.scheme.startswith("pop3"):
        return _poll_pop3(mailbox, limit)
    return _poll_imap(mailbox, limit)


def _poll_pop3(mailbox: Mailbox, limit: int) -> int:
    kind = poplib.POP3_SSL if mailbox.scheme == "pop3s" else poplib.POP3
    client = kind(mailbox.host, mailbox.port, timeout=TIMEOUT)
    done = 0
    try:
        client.user(mailbox.user)
        client.pass_(mailbox.password)
        count, _ = client.stat()
        for number in range(1, min(count, limit) + 1):
            _, lines, _ = client.retr(number)
            receive(b"\r\n".join(lines) + b"\r\n", source="poll")
            client.dele(number)
            done += 1
    finally:
        client.quit()  # deletions take effect only here, after everything is stored
    return done


def _poll_imap(mailbox: Mailbox, limit: int) -> int:
    kind = imaplib.IMAP4_SSL if mailbox.scheme == "imaps" else imaplib.IMAP4
    client = kind(mailbox.host, mailbox.port, timeout=TIMEOUT)
    done = 0
    try:
        client.login(mailbox.user, mailbox.password)
        client.select(mailbox.folder)
        _, data = client.uid("SEARCH", "ALL")
        for uid in data[0].split()[:limit]:
            _, fetched = client.uid("FETCH", uid, "(RFC822)")
            raw = next(item[1] for item in fetched if isinstance(item, tuple))
            receive(raw, source="poll")
            client.uid("STORE", uid, "+FLAGS", r"(\Deleted)")
            done += 1
        client.expunge()
    finally:
        client.logout()
    return done
