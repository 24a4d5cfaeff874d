"""Transactional mail with a delivery record: one message to one person (a thank-you note, a
note's notice, a subscription notice), queued in the database and sent by the task worker.

A refused or failed SMTP attempt is retried after `OUTBOUND_MAIL_RETRY_MINUTES` (1, 5, then
25 minutes by default); a permanent refusal (5xx), or the last attempt failing, leaves the
message "not sent" with the reason, and the page that sent it offers to try again.

Issues of the newsletter have their own machinery (`newsletter/sending/`); this is not it.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import logging
import smtplib
from email import message_from_bytes
from email.message import EmailMessage as MimeMessage
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from careertips.core.access import member_or_none, owned_or_404
from careertips.core.models import OutboundMail, User
from careertips.core.pagecache import member_data_changed

logger = logging.getLogger(__name__)

# While one attempt is under way no other worker takes the message (a lost worker's claim
# lapses after this).
CLAIM_SECONDS = 300


_FIELD_HEADERS = {"from", "to", "cc", "reply-to", "subject", "date", "message-id", "mime-version"}


class StoredMessage(EmailMultiAlternatives):
    """A message composed earlier, sent again byte for byte: the same headers, Message-ID
    and body parts. Its text and HTML are also exposed the usual way for backends that read
    them (the capturing backend, the test outbox)."""

    def __init__(self, row: OutboundMail) -> None:
        self._raw = bytes(row.raw)
        mime = cast(MimeMessage, message_from_bytes(self._raw, policy=email.policy.default))
        plain = mime.get_body(("plain",))
        html = mime.get_body(("html",))
        super().__init__(
            subject=row.subject,
            body=plain.get_content() if plain is not None else "",  # type: ignore[attr-defined]
            from_email=row.from_email,
            to=row.recipients.splitlines(),
            reply_to=[str(v) for v in mime.get_all("Reply-To", [])],
        )
        if html is not None:
            self.attach_alternative(html.get_content(), "text/html")  # type: ignore[attr-defined]
        # The headers beyond the ones the fields above carry (List-Unsubscribe, say).
        self.extra_headers = {
            name: str(value)
            for name, value in mime.items()
            if name.lower() not in _FIELD_HEADERS and not name.lower().startswith("content-")
        }

    def message(self, *, policy: Any = email.policy.default) -> Any:
        # Parsed afresh under the policy the backend asks for (SMTP's CRLF line ends).
        return message_from_bytes(self._raw, policy=policy)


def queue_mail(
    *,
    message: EmailMessage,
    kind: str,
    object_id: int,
    owner: User | None = None,
    member_sent: bool = False,
) -> OutboundMail:
    """Records the message and sends it from the task worker once the transaction commits."""
    row = _record(
        message=message, kind=kind, object_id=object_id, owner=owner, member_sent=member_sent
    )
    transaction.on_commit(lambda: _enqueue(row.pk))
    return row


def send_from_worker(
    *, message: EmailMessage, kind: str, object_id: int, owner: User | None = None
) -> OutboundMail:
    """For a task already running in the worker: records the message and makes the first
    attempt at once; a failure books the retries like any other."""
    row = _record(message=message, kind=kind, object_id=object_id, owner=owner)
    deliver(mail_id=row.pk)
    row.refresh_from_db()
    return row


def _record(
    *,
    message: EmailMessage,
    kind: str,
    object_id: int,
    owner: User | None,
    member_sent: bool = False,
) -> OutboundMail:
    # Rendering now fixes the bytes (Message-ID, Date) every attempt will send; a header
    # with a line break is refused here, in the request, rather than in the worker.
    mime = message.message()
    return OutboundMail.objects.create(
        kind=kind,
        object_id=object_id,
        owner=owner,
        member_sent=member_sent,
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        recipients="\n".join(message.recipients()),
        subject=str(message.subject)[:998],
        message_id=str(mime.get("Message-ID", ""))[:255],
        raw=mime.as_bytes(),
    )


def _enqueue(mail_id: int, *, when: dt.datetime | None = None) -> None:
    from careertips.core.tasks import deliver_mail

    if when is None:
        deliver_mail.enqueue(mail_id=mail_id)
    elif deliver_mail.get_backend().supports_defer:
        deliver_mail.using(run_after=when).enqueue(mail_id=mail_id)
    # A backend that cannot defer (the immediate one, in tests) leaves the retry queued.


def retry_delays() -> list[dt.timedelta]:
    return [dt.timedelta(minutes=m) for m in settings.OUTBOUND_MAIL_RETRY_MINUTES]


def _claim(mail_id: int) -> OutboundMail | None:
    """Takes the message for one attempt, unless it is sent, failed, not yet due or being
    tried by another worker. Claimed without a lock held over the SMTP conversation."""
    now = timezone.now()
    row = OutboundMail.objects.filter(pk=mail_id, status=OutboundMail.Status.QUEUED).first()
    if row is None or (row.next_attempt_at and row.next_attempt_at > now):
        return None
    claimed = OutboundMail.objects.filter(pk=row.pk, attempts=row.attempts).update(
        attempts=F("attempts") + 1, next_attempt_at=now + dt.timedelta(seconds=CLAIM_SECONDS)
    )
    if not claimed:
        return None
    row.refresh_from_db()
    return row


def _is_permanent(error: Exception) -> bool:
    """A 5xx reply means the server will never take this message; anything else may pass."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return isinstance(error, ValueError)  # a message the mail library will never build


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else value


def _reason(error: Exception) -> str:
    """What the server said ("451 4.3.0 Mailbox busy"), or what went wrong on the way."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
        return f"{code} {_text(text)}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    return str(error) or error.__class__.__name__


def deliver(*, mail_id: int) -> str:
    """One attempt at one message; returns what became of it."""
    row = _claim(mail_id)
    if row is None:
        return "skipped"
    try:
        StoredMessage(row).send()
    except (smtplib.SMTPException, OSError, ValueError) as error:
        return _attempt_failed(row, error)
    row.status = OutboundMail.Status.SENT
    row.sent_at = timezone.now()
    row.next_attempt_at = None
    row.last_error = ""
    row.raw = b""  # accepted: nothing left to resend, so the body is not kept
    row.save(update_fields=["status", "sent_at", "next_attempt_at", "last_error", "raw"])
    member_data_changed(row.owner_id)  # e.g. a debrief's thank-you shows it went out
    return "sent"


def _attempt_failed(row: OutboundMail, error: Exception) -> str:
    delays = retry_delays()
    row.last_error = _reason(error)[:500]
    if _is_permanent(error) or row.attempts > len(delays):
        logger.warning("Mail %s not sent after %s attempts: %s", row.pk, row.attempts, error)
        row.status = OutboundMail.Status.FAILED
        row.next_attempt_at = None
        row.save(update_fields=["status", "last_error", "next_attempt_at"])
        member_data_changed(row.owner_id)
        return "failed"
    row.next_attempt_at = timezone.now() + delays[row.attempts - 1]
    row.save(update_fields=["last_error", "next_attempt_at"])
    _enqueue(row.pk, when=row.next_attempt_at)
    return "retrying"


def get_outbound_mail_for(user: Any, pk: int) -> OutboundMail:
    """A message the user sent (and so may see and retry), or 404."""
    rows = OutboundMail.objects.filter(owner=member_or_none(user), owner__isnull=False)
    return owned_or_404(rows, pk, "message")


@transaction.atomic
def retry_mail(*, mail: OutboundMail) -> OutboundMail:
    """Tries a message that was not sent again, from the first attempt's back-off."""
    locked = OutboundMail.objects.select_for_update().get(pk=mail.pk)
    if locked.status != OutboundMail.Status.FAILED:
        raise ValidationError("This message is not waiting to be tried again.")
    locked.status = OutboundMail.Status.QUEUED
    locked.attempts = 0
    locked.next_attempt_at = None
    locked.save(update_fields=["status", "attempts", "next_attempt_at"])
    transaction.on_commit(lambda: _enqueue(locked.pk))
    return locked


def latest_for(kind: str, object_id: int) -> OutboundMail | None:
    return OutboundMail.objects.for_object(kind, object_id).order_by("-created_at", "-id").first()


@transaction.atomic
def ensure_member_may_send(*, user: User, field: str | None = None) -> None:
    """Refuses mail a member sends to an address they typed once they have sent
    `MEMBER_MAIL_PER_DAY` such messages in the last 24 hours."""
    # Concurrent sends by one member wait for each other here, so the count is exact.
    User.objects.select_for_update().filter(pk=user.pk).first()
    cap = settings.MEMBER_MAIL_PER_DAY
    since = timezone.now() - dt.timedelta(days=1)
    sent = OutboundMail.objects.filter(owner=user, member_sent=True, created_at__gte=since)
    if sent.count() >= cap:
        message = (
            f"You have sent {cap} emails from Career Tips in the last 24 hours, the most a "
            "day allows. Copy the note into your own email and mark it sent, or send it "
            "from here tomorrow."
        )
        raise ValidationError({field: message} if field else message)
