"""Getting messages to the mail server, and what its answers mean."""

from __future__ import annotations

import contextlib
import smtplib
from enum import StrEnum
from typing import Any, Protocol

from django.core import mail
from django.core.mail.backends.smtp import EmailBackend as SmtpEmailBackend

from careertips.newsletter.sending.message import InvalidRecipient, IssueEmail, Recipient

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
    its one connection, reopened only after the server drops it. When the server offers
    PIPELINING (RFC 2920), the envelope goes in one write: two round trips a message
    instead of four."""

    def __init__(self, backend: SmtpEmailBackend) -> None:
        self.backend = backend
        self.envelope_from = ""

    def send(self, email: IssueEmail, recipient: Recipient) -> None:
        if self.backend.connection is None:
            self._open()
        if not self.envelope_from:
            self.envelope_from = self.backend.prep_address(email.from_email)
        smtp = self.backend.connection
        if smtp is None:
            raise TransportDown("The mail server connection is closed.")
        sender = recipient.return_path or self.envelope_from
        try:
            smtp.ehlo_or_helo_if_needed()
            if smtp.does_esmtp and smtp.has_extn("pipelining"):
                pipelined_sendmail(smtp, sender, recipient.email, email.bytes_for(recipient))
            else:
                smtp.sendmail(sender, [recipient.email], email.bytes_for(recipient))
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


def pipelined_sendmail(smtp: smtplib.SMTP, sender: str, recipient: str, message: bytes) -> None:
    """smtplib's `sendmail` for one recipient, with MAIL, RCPT and DATA sent together and
    their replies read afterwards; it raises the same exceptions for the same replies.
    `message` must be ASCII with CRLF line ends, as `IssueEmail.bytes_for` makes it."""
    if not message.endswith(b"\r\n"):
        message += b"\r\n"
    # SIZE lets a server refuse an oversized message at MAIL, before anyone is bounced.
    size = f" SIZE={len(message)}" if smtp.has_extn("size") else ""
    smtp.send(f"MAIL FROM:<{sender}>{size}\r\nRCPT TO:<{recipient}>\r\nDATA\r\n")
    mail_code, mail_reply = smtp.getreply()
    rcpt_code, rcpt_reply = smtp.getreply() if mail_code != 421 else (mail_code, mail_reply)
    data_code, data_reply = smtp.getreply() if rcpt_code != 421 else (rcpt_code, rcpt_reply)
    if data_code == 354 and (mail_code != 250 or rcpt_code not in (250, 251)):
        # The server wants content it cannot deliver: end it empty, and let it refuse that.
        smtp.send(b".\r\n")
        data_code, data_reply = smtp.getreply()
    if mail_code != 250:
        _end_transaction(smtp, mail_code)
        raise smtplib.SMTPSenderRefused(mail_code, mail_reply, sender)
    if rcpt_code not in (250, 251):
        _end_transaction(smtp, rcpt_code)
        raise smtplib.SMTPRecipientsRefused({recipient: (rcpt_code, rcpt_reply)})
    if data_code != 354:
        _end_transaction(smtp, data_code)
        raise smtplib.SMTPDataError(data_code, data_reply)
    # Dot-stuffing: every line but the first follows a CRLF, and headers never start with ".".
    smtp.send(message.replace(b"\r\n.", b"\r\n..") + b".\r\n")
    code, reply = smtp.getreply()
    if code != 250:
        _end_transaction(smtp, code)
        raise smtplib.SMTPDataError(code, reply)


def _end_transaction(smtp: smtplib.SMTP, code: int) -> None:
    """After a refusal, as smtplib does: hang up on a 421, otherwise reset the session."""
    if code == 421:
        smtp.close()
        return
    with contextlib.suppress(smtplib.SMTPServerDisconnected):
        smtp.rset()


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
