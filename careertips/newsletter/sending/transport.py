"""Getting messages to the mail server, and what its answers mean."""

from __future__ import annotations

import smtplib
from enum import StrEnum
from typing import Any, Protocol

from django.core import mail
from django.core.mail.backends.smtp import EmailBackend as SmtpEmailBackend

from careertips.newsletter.emails import InvalidRecipient, IssueEmail, Recipient

# Transports ---------------------------------------------------------------------------------


class TransportDown(Exception):
    """No message can go out right now (server unreachable, our sender refused, bad login)."""


class Transport(Protocol):
    def send(self, email: IssueEmail, recipient: Recipient) -> None: ...

    def close(self) -> None: ...


class MailerTransport:
    """Any configured mail backend (captured mail, console, an email service through
    django-anymail): its connection opened once, then one message per call."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self.backend.open()

    def send(self, email: IssueEmail, recipient: Recipient) -> None:
        if self.backend.send_messages([email.message_for(recipient)]) != 1:
            raise smtplib.SMTPException("The mail backend did not take the message.")

    def close(self) -> None:
        self.backend.close()


class SmtpTransport:
    """Django's SMTP mailer (host, TLS and login from MAILERS) fed ready-made MIME bytes over
    its one connection, reopened only after the server drops it."""

    def __init__(self, backend: SmtpEmailBackend) -> None:
        self.backend = backend
        self.envelope_from = ""

    def send(self, email: IssueEmail, recipient: Recipient) -> None:
        if self.backend.connection is None:
            self._open()
        if not self.envelope_from:
            self.envelope_from = self.backend.prep_address(email.from_email)
        smtp = self.backend.connection
        try:
            smtp.sendmail(self.envelope_from, [recipient.email], email.bytes_for(recipient))
        finally:
            # smtplib closes the socket itself on a 421 or a broken pipe; start afresh then.
            if smtp.sock is None:
                self._drop()

    def _open(self) -> None:
        try:
            self.backend.open()
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            raise TransportDown(f"Cannot connect to the mail server: {exc}") from exc

    def _drop(self) -> None:
        try:
            self.backend.close()
        except (OSError, smtplib.SMTPException):
            self.backend.connection = None

    def close(self) -> None:
        self._drop()


def open_transport() -> Transport:
    backend = mail.mailers.default
    if isinstance(backend, SmtpEmailBackend):
        return SmtpTransport(backend)
    return MailerTransport(backend)


# Outcomes -----------------------------------------------------------------------------------


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # temporary (4xx, connection lost): try again after a back-off
    BOUNCE = "bounce"  # permanent (5xx, invalid address): failed, subscriber suppressed
    STOP = "stop"  # nothing can be sent now: give the rest of the batch back


_STOP_ERRORS = (
    TransportDown,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPAuthenticationError,
    smtplib.SMTPHeloError,
    smtplib.SMTPNotSupportedError,
    smtplib.SMTPConnectError,
)


def classify_failure(exc: BaseException) -> tuple[Outcome, str]:
    """How a failed send is recorded; the text goes to the delivery's last_error."""
    text = f"{type(exc).__name__}: {exc}"[:1000]
    if isinstance(exc, InvalidRecipient):
        return Outcome.BOUNCE, text
    if isinstance(exc, _STOP_ERRORS):
        return Outcome.STOP, text
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return (Outcome.BOUNCE if codes and codes[0] >= 500 else Outcome.RETRY), text
    if isinstance(exc, smtplib.SMTPResponseException):
        return (Outcome.BOUNCE if exc.smtp_code >= 500 else Outcome.RETRY), text
    if type(exc).__name__ in {"AnymailRecipientsRefused", "AnymailInvalidAddress"}:
        return Outcome.BOUNCE, text
    return Outcome.RETRY, text
