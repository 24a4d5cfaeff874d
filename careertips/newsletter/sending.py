"""Sending an issue: freeze the audience, claim deliveries under a lease, send each message
over one reused connection, record every outcome, and finish the issue exactly once.

Crash safety rests on three rules (docs/sending.md explains them):
- a delivery is claimed by moving its `next_attempt_at` to the end of a lease, so a worker
  that dies simply lets the lease run out and any worker claims the row again;
- a delivery is marked sent only after the mail server accepted it, at most
  `NEWSLETTER_SEND_MARK_EVERY` messages later, which bounds the duplicates a crash can cause;
- every copy of a delivery carries the Message-ID stored on the row, so a duplicate is
  recognisable downstream.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import secrets
import smtplib
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from itertools import batched
from typing import Any, Protocol

from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail.backends.smtp import EmailBackend as SmtpEmailBackend
from django.db import connection, transaction
from django.db.models import Count, DateTimeField, F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from careertips.newsletter.emails import (
    InvalidRecipient,
    IssueEmail,
    Recipient,
    new_message_id,
    recipient_for,
    render_issue_email,
    staff_test_recipient,
)
from careertips.newsletter.models import Delivery, Issue, Subscriber

logger = logging.getLogger(__name__)

FREEZE_CHUNK = 5_000
PROGRESS_WINDOW_SECONDS = 60


@dataclass(frozen=True)
class SendSettings:
    rate: float  # messages per second across all workers; 0 = unlimited
    batch_size: int  # deliveries claimed at once
    lease_seconds: int  # how long a claim lasts before another worker may take the rows
    max_attempts: int  # temporary failures before a delivery counts as failed
    retry_seconds: int  # first back-off; doubles with each attempt
    mark_every: int  # accepted messages recorded per database write (the duplicate window)
    workers: int  # send tasks enqueued per issue
    task_seconds: int  # how long one send task runs before handing on to the next

    @classmethod
    def load(cls) -> SendSettings:
        return cls(
            rate=float(getattr(settings, "NEWSLETTER_SEND_RATE", 0)),
            batch_size=max(1, int(getattr(settings, "NEWSLETTER_SEND_BATCH_SIZE", 100))),
            lease_seconds=max(1, int(getattr(settings, "NEWSLETTER_SEND_LEASE_SECONDS", 300))),
            max_attempts=max(1, int(getattr(settings, "NEWSLETTER_SEND_MAX_ATTEMPTS", 5))),
            retry_seconds=max(1, int(getattr(settings, "NEWSLETTER_SEND_RETRY_SECONDS", 300))),
            mark_every=max(1, int(getattr(settings, "NEWSLETTER_SEND_MARK_EVERY", 1))),
            workers=max(1, int(getattr(settings, "NEWSLETTER_SEND_WORKERS", 2))),
            task_seconds=max(10, int(getattr(settings, "NEWSLETTER_SEND_TASK_SECONDS", 240))),
        )

    def backoff(self, attempts: int) -> dt.timedelta:
        return dt.timedelta(seconds=self.retry_seconds * 2 ** max(0, attempts - 1))


# Starting a send ----------------------------------------------------------------------------


class StartResult(StrEnum):
    STARTED = "started"
    ALREADY_SENDING = "already sending"
    ALREADY_SENT = "already sent"


def freeze_audience(*, issue: Issue) -> int:
    """One pending delivery per active subscriber, each with its own Message-ID. Running it
    again adds only subscribers who are not on the list yet. Returns the audience size."""
    ids = list(Subscriber.objects.active().order_by("pk").values_list("pk", flat=True))
    for chunk in batched(ids, FREEZE_CHUNK, strict=False):
        now = timezone.now()
        Delivery.objects.bulk_create(
            [
                Delivery(
                    issue_id=issue.pk,
                    subscriber_id=pk,
                    message_id=new_message_id(issue.pk),
                    next_attempt_at=now,
                )
                for pk in chunk
            ],
            ignore_conflicts=True,
            batch_size=1_000,
        )
    return Delivery.objects.filter(issue_id=issue.pk).count()


@transaction.atomic
def send_issue_now(*, issue: Issue) -> StartResult:
    """Freezes the audience and sets the send tasks going. A second press (a double click,
    two staff at once) finds the issue already sending and sends nobody twice."""
    now = timezone.now()
    started = Issue.objects.filter(
        pk=issue.pk, status__in=[Issue.Status.DRAFT, Issue.Status.SCHEDULED]
    ).update(status=Issue.Status.SENDING, send_started_at=now, updated_at=now)
    issue.refresh_from_db()
    if not started:
        return (
            StartResult.ALREADY_SENT
            if issue.status == Issue.Status.SENT
            else StartResult.ALREADY_SENDING
        )
    freeze_audience(issue=issue)
    transaction.on_commit(partial(enqueue_send_tasks, issue_id=issue.pk))
    return StartResult.STARTED


def enqueue_send_tasks(*, issue_id: int) -> None:
    from careertips.newsletter.tasks import send_issue_deliveries

    for _ in range(SendSettings.load().workers):
        send_issue_deliveries.enqueue(issue_id=issue_id)


def can_schedule() -> bool:
    from careertips.newsletter.tasks import start_scheduled_issue

    return start_scheduled_issue.get_backend().supports_defer


@transaction.atomic
def schedule_issue(*, issue: Issue, when: dt.datetime) -> Issue:
    """Sends the issue at `when`; the audience is frozen then, not now."""
    if when <= timezone.now() + dt.timedelta(minutes=1):
        raise ValidationError({"scheduled_for": "Pick a time at least a minute from now."})
    if not can_schedule():
        raise ValidationError("The task backend here cannot run work later; send it now.")
    updated = Issue.objects.filter(
        pk=issue.pk, status__in=[Issue.Status.DRAFT, Issue.Status.SCHEDULED]
    ).update(status=Issue.Status.SCHEDULED, scheduled_for=when, updated_at=timezone.now())
    if not updated:
        raise ValidationError("This issue is already going out.")
    transaction.on_commit(partial(_enqueue_scheduled_start, issue_id=issue.pk, when=when))
    issue.refresh_from_db()
    return issue


def _enqueue_scheduled_start(*, issue_id: int, when: dt.datetime) -> None:
    from careertips.newsletter.tasks import start_scheduled_issue

    start_scheduled_issue.using(run_after=when).enqueue(
        issue_id=issue_id, scheduled_for=when.astimezone(dt.UTC).isoformat()
    )


@transaction.atomic
def cancel_schedule(*, issue: Issue) -> Issue:
    updated = Issue.objects.filter(pk=issue.pk, status=Issue.Status.SCHEDULED).update(
        status=Issue.Status.DRAFT, scheduled_for=None, updated_at=timezone.now()
    )
    if not updated:
        raise ValidationError("This issue is not scheduled.")
    issue.refresh_from_db()
    return issue


def start_scheduled_send(*, issue_id: int, scheduled_for: dt.datetime) -> bool:
    """Starts a scheduled issue; does nothing if it was cancelled or moved since."""
    issue = Issue.objects.filter(
        pk=issue_id, status=Issue.Status.SCHEDULED, scheduled_for=scheduled_for
    ).first()
    if issue is None or scheduled_for > timezone.now():
        return False
    return send_issue_now(issue=issue) == StartResult.STARTED


def start_due_scheduled_issues() -> int:
    """A safety net for schedules whose task was lost: starts every overdue scheduled issue."""
    due = Issue.objects.filter(status=Issue.Status.SCHEDULED, scheduled_for__lte=timezone.now())
    return sum(send_issue_now(issue=issue) == StartResult.STARTED for issue in due)


# Claiming -----------------------------------------------------------------------------------


def claim_deliveries(
    *, issue_id: int, worker: str, limit: int, lease_seconds: int
) -> tuple[str, dt.datetime, list[Delivery]]:
    """Claims up to `limit` due deliveries for this worker alone.

    A claim moves `next_attempt_at` to the end of the lease, so claimed rows stop being due
    and come back by themselves if the worker never reports. PostgreSQL picks rows with
    SELECT … FOR UPDATE SKIP LOCKED; SQLite, which has no row locks, in one UPDATE whose
    subquery runs under the database's single write lock, and reads the rows back by token.
    """
    now = timezone.now()
    lease_until = now + dt.timedelta(seconds=lease_seconds)
    token = f"{worker or default_worker_name()}/{secrets.token_hex(6)}"[:100]
    due = Delivery.objects.filter(
        issue_id=issue_id, status=Delivery.Status.PENDING, next_attempt_at__lte=now
    ).order_by("next_attempt_at")
    claim = {"claimed_by": token, "lease_until": lease_until, "next_attempt_at": lease_until}
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
            Delivery.objects.filter(pk__in=ids).update(**claim)
        rows = Delivery.objects.filter(pk__in=ids, claimed_by=token)
    else:
        with transaction.atomic():
            due.filter(pk__in=due.values("pk")[:limit]).update(**claim)
        rows = Delivery.objects.filter(
            issue_id=issue_id,
            status=Delivery.Status.PENDING,
            next_attempt_at=lease_until,
            claimed_by=token,
        )
    return token, lease_until, list(rows.select_related("subscriber").order_by("pk"))


def default_worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


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


# Rate limit ---------------------------------------------------------------------------------


class Clock(Protocol):
    def now(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class Throttle:
    """Holds all workers together to `rate` messages a second.

    Time is cut into slots of about a tenth of a second, each good for `chunk` messages. A
    worker takes the next free slot by adding the slot's key to the shared cache, an atomic
    insert, so no two workers ever use the same slot. In any window of T seconds at most
    rate × T + chunk messages go out.
    """

    SLOT_SECONDS = 0.1

    def __init__(self, *, rate: float, clock: Clock, store: Any = None) -> None:
        self.rate = rate
        self.clock = clock
        self.store = store or cache
        self.chunk = max(1, math.ceil(rate * self.SLOT_SECONDS)) if rate > 0 else 0
        self.width = self.chunk / rate if rate > 0 else 0.0
        self.left = 0
        self.slot_end = 0.0

    def take(self, *, before_wait: Callable[[], None] = lambda: None) -> None:
        """Returns when the next message may go; runs `before_wait` before any pause."""
        if self.rate <= 0:
            return
        now = self.clock.now()
        if self.left and now < self.slot_end:
            self.left -= 1
            return
        start = self._reserve(now) * self.width
        if start > now:
            before_wait()
            self.clock.sleep(start - now)
        self.slot_end = start + self.width
        self.left = self.chunk - 1

    def _reserve(self, now: float) -> int:
        slot = math.floor(now / self.width)
        timeout = 60 + math.ceil(self.width)
        while not self.store.add(f"newsletter:send-slot:{self.rate}:{slot}", 1, timeout):
            slot += 1
        return slot


# Recording outcomes -------------------------------------------------------------------------


def mark_sent(ids: Sequence[int]) -> int:
    """Records accepted messages. This runs once per message, so it is plain SQL: building
    the same UPDATE through the ORM costs more than sending the message does."""
    quote = connection.ops.quote_name
    table = quote(Delivery._meta.db_table)
    status, sent_at, attempts = quote("status"), quote("sent_at"), quote("attempts")
    # Table and column names come from the model; every value is a bound parameter.
    sql = (
        f"UPDATE {table} SET {status} = %s, {sent_at} = %s, {attempts} = {attempts} + 1, "  # noqa: S608
        f"{quote('lease_until')} = NULL, {quote('claimed_by')} = '' "
        f"WHERE {status} = %s AND {quote('id')} IN ({', '.join(['%s'] * len(ids))})"
    )
    now = Delivery._meta.get_field("sent_at").get_db_prep_value(
        timezone.now(), connection, prepared=False
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [Delivery.Status.SENT, now, Delivery.Status.PENDING, *ids])
        return cursor.rowcount


class Ledger:
    """Writes each outcome back to its delivery. Accepted messages are recorded in groups of
    `mark_every` (1 by default: right after the server's reply), which is the number of
    duplicates a crash at the worst moment can cause."""

    def __init__(self, *, config: SendSettings, report: SendReport) -> None:
        self.config = config
        self.report = report
        self.accepted: list[int] = []

    def sent(self, delivery: Delivery) -> None:
        self.accepted.append(delivery.pk)
        if len(self.accepted) >= self.config.mark_every:
            self.flush()

    def flush(self) -> None:
        if not self.accepted:
            return
        self.report.sent += mark_sent(self.accepted)
        self.accepted = []

    def retry(self, delivery: Delivery, error: str) -> None:
        attempts = delivery.attempts + 1
        if attempts >= self.config.max_attempts:
            self._fail(delivery, error)
            return
        self._update(
            delivery,
            attempts=attempts,
            next_attempt_at=timezone.now() + self.config.backoff(attempts),
            last_error=error,
        )
        self.report.retried += 1

    @transaction.atomic
    def bounce(self, delivery: Delivery, error: str) -> None:
        self._fail(delivery, error)
        _suppress(
            Subscriber.objects.filter(pk=delivery.subscriber_id),
            status=Subscriber.Status.BOUNCED,
            detail=error,
        )

    def skip(self, delivery: Delivery) -> None:
        self._update(delivery, status=Delivery.Status.SKIPPED)
        self.report.skipped += 1

    def release(self, deliveries: Sequence[Delivery], *, error: str = "", delay: int = 0) -> None:
        """Gives claimed rows back untried, for this or another worker to take later."""
        changes: dict[str, Any] = {
            "next_attempt_at": timezone.now() + dt.timedelta(seconds=delay),
            "lease_until": None,
            "claimed_by": "",
        }
        if error:
            changes["last_error"] = error
        self.report.released += Delivery.objects.filter(
            pk__in=[d.pk for d in deliveries], status=Delivery.Status.PENDING
        ).update(**changes)

    def _fail(self, delivery: Delivery, error: str) -> None:
        self._update(
            delivery,
            status=Delivery.Status.FAILED,
            attempts=delivery.attempts + 1,
            last_error=error,
        )
        self.report.failed += 1

    def _update(self, delivery: Delivery, **changes: Any) -> None:
        changes.setdefault("lease_until", None)
        changes.setdefault("claimed_by", "")
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING).update(**changes)


# The send loop ------------------------------------------------------------------------------


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    released: int = 0
    batches: int = 0
    stopped: str = ""
    finished: bool = False
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "errors"}


def send_pending(
    *,
    issue_id: int,
    worker: str = "",
    clock: Clock | None = None,
    until: float | None = None,
    config: SendSettings | None = None,
    transport_factory: Callable[[], Transport] | None = None,
) -> SendReport:
    """Sends the issue's due deliveries batch after batch until none is left to claim, the
    server stops taking mail, or the clock passes `until`. Any number of workers may run
    this for the same issue at once."""
    config = config or SendSettings.load()
    clock = clock or SystemClock()
    report = SendReport()
    issue = Issue.objects.filter(pk=issue_id).first()
    if issue is None:
        return report
    throttle = Throttle(rate=config.rate, clock=clock)
    email: IssueEmail | None = None
    transport: Transport | None = None
    try:
        while not report.stopped and (until is None or clock.now() < until):
            token, lease_until, batch = claim_deliveries(
                issue_id=issue_id,
                worker=worker,
                limit=config.batch_size,
                lease_seconds=config.lease_seconds,
            )
            if not batch:
                break
            email = email or render_issue_email(issue)
            transport = transport or (transport_factory or open_transport)()
            deadline = lease_until - dt.timedelta(seconds=min(30, config.lease_seconds / 5))
            send_batch(batch, email=email, transport=transport, throttle=throttle,
                       ledger=Ledger(config=config, report=report), deadline=deadline)  # fmt: skip
            report.batches += 1
    finally:
        if transport is not None:
            transport.close()
    report.finished = finish_issue_if_done(issue_id=issue_id)
    return report


def send_batch(
    batch: Sequence[Delivery],
    *,
    email: IssueEmail,
    transport: Transport,
    throttle: Throttle,
    ledger: Ledger,
    deadline: dt.datetime,
) -> None:
    try:
        for index, delivery in enumerate(batch):
            if timezone.now() >= deadline:
                # The lease is nearly over: another worker may soon take these rows, so
                # sending them here could duplicate. Hand them back instead.
                ledger.release(batch[index:])
                return
            if delivery.subscriber.is_suppressed:
                ledger.skip(delivery)
                continue
            throttle.take(before_wait=ledger.flush)
            outcome, error = deliver(delivery, email=email, transport=transport)
            if outcome == Outcome.SENT:
                ledger.sent(delivery)
            elif outcome == Outcome.RETRY:
                ledger.retry(delivery, error)
            elif outcome == Outcome.BOUNCE:
                ledger.bounce(delivery, error)
            else:
                ledger.release(batch[index:], error=error, delay=ledger.config.retry_seconds)
                ledger.report.stopped = error
                return
    finally:
        ledger.flush()


def deliver(delivery: Delivery, *, email: IssueEmail, transport: Transport) -> tuple[Outcome, str]:
    try:
        recipient = recipient_for(
            delivery.subscriber, message_id=delivery.message_id, links=email.links
        )
        transport.send(email, recipient)
    except Exception as exc:  # noqa: BLE001 -- every failure is recorded on its delivery
        outcome, error = classify_failure(exc)
        logger.info("Delivery %s: %s (%s)", delivery.pk, outcome, error)
        return outcome, error
    return Outcome.SENT, ""


# Finishing ----------------------------------------------------------------------------------


def has_pending(*, issue_id: int) -> bool:
    return Delivery.objects.filter(issue_id=issue_id, status=Delivery.Status.PENDING).exists()


def finish_issue_if_done(*, issue_id: int) -> bool:
    """Marks the issue sent once no delivery is pending; only one caller ever succeeds."""
    if has_pending(issue_id=issue_id):
        return False
    now = timezone.now()
    with transaction.atomic():
        done = Issue.objects.filter(pk=issue_id, status=Issue.Status.SENDING).update(
            status=Issue.Status.SENT,
            sent_at=now,
            published_at=Coalesce(F("published_at"), Value(now, output_field=DateTimeField())),
            updated_at=now,
        )
        if done:
            transaction.on_commit(partial(_announce_published, issue_id=issue_id))
    return bool(done)


def _announce_published(*, issue_id: int) -> None:
    from careertips.newsletter import services

    notify = getattr(services, "notify_published_askers", None)
    if notify is None:
        return
    try:
        notify(issue=Issue.objects.get(pk=issue_id))
    except Exception:
        # The issue is out either way; a failed notice must not fail the sending worker.
        logger.exception("Could not notify the askers published in issue %s", issue_id)


@transaction.atomic
def retry_failed(*, issue: Issue) -> int:
    """Puts failed deliveries back in the queue, except to addresses now suppressed."""
    if issue.status not in (Issue.Status.SENDING, Issue.Status.SENT):
        raise ValidationError("Only an issue that has gone out can have failed deliveries.")
    count = Delivery.objects.filter(
        issue=issue, status=Delivery.Status.FAILED, subscriber__status=Subscriber.Status.ACTIVE
    ).update(
        status=Delivery.Status.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        lease_until=None,
        claimed_by="",
    )
    if count:
        transaction.on_commit(partial(enqueue_send_tasks, issue_id=issue.pk))
    return count


# Suppression --------------------------------------------------------------------------------

SUPPRESSING = {
    "bounced": Subscriber.Status.BOUNCED,
    "complained": Subscriber.Status.COMPLAINED,
    "unsubscribed": Subscriber.Status.UNSUBSCRIBED,
}


def _suppress(subscribers: Any, *, status: str, detail: str) -> int:
    now = timezone.now()
    changes: dict[str, Any] = {
        "status": status,
        "suppressed_reason": detail[:300],
        "updated_at": now,
    }
    if status == Subscriber.Status.UNSUBSCRIBED:
        changes["unsubscribed_at"] = now
    live = [Subscriber.Status.ACTIVE, Subscriber.Status.PENDING]
    return subscribers.filter(status__in=live).update(**changes)


@transaction.atomic
def suppress_address(*, email: str, reason: str, detail: str = "") -> int:
    """Stops all mail to an address a mail service reported (reason: bounced, complained or
    unsubscribed). Returns how many subscribers changed; an unknown address changes none."""
    if reason not in SUPPRESSING:
        raise ValueError(f"Unknown suppression reason {reason!r}")
    email = (email or "").strip()
    if not email:
        return 0
    return _suppress(
        Subscriber.objects.filter(email__iexact=email),
        status=SUPPRESSING[reason],
        detail=detail or reason.capitalize(),
    )


# Progress, preview and test sends -----------------------------------------------------------


@dataclass(frozen=True)
class SendProgress:
    status: str
    total: int
    sent: int
    failed: int
    skipped: int
    pending: int
    in_flight: int
    recent: int
    measured_at: dt.datetime
    window_seconds: int = PROGRESS_WINDOW_SECONDS

    @property
    def is_sending(self) -> bool:
        return self.status == Issue.Status.SENDING

    @property
    def done(self) -> int:
        return self.total - self.pending

    @property
    def percent(self) -> int:
        return math.floor(100 * self.done / self.total) if self.total else 0

    @property
    def rate(self) -> float:
        """Messages per second over the last minute."""
        return self.recent / self.window_seconds

    @property
    def seconds_left(self) -> int | None:
        if not self.pending:
            return 0
        return math.ceil(self.pending / self.rate) if self.rate else None

    @property
    def finishes_at(self) -> dt.datetime | None:
        seconds = self.seconds_left
        return None if seconds is None else self.measured_at + dt.timedelta(seconds=seconds)


def get_send_progress(*, issue: Issue) -> SendProgress:
    now = timezone.now()
    since = now - dt.timedelta(seconds=PROGRESS_WINDOW_SECONDS)
    status = Delivery.Status
    counts = Delivery.objects.filter(issue=issue).aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(status=status.SENT)),
        failed=Count("pk", filter=Q(status=status.FAILED)),
        skipped=Count("pk", filter=Q(status=status.SKIPPED)),
        pending=Count("pk", filter=Q(status=status.PENDING)),
        in_flight=Count("pk", filter=Q(status=status.PENDING, lease_until__gt=now)),
        recent=Count("pk", filter=Q(status=status.SENT, sent_at__gte=since)),
    )
    return SendProgress(status=issue.status, measured_at=now, **counts)


def preview_for(*, issue: Issue, user: Any) -> tuple[str, str]:
    """The HTML and text a subscriber would get, personalised for the staff member."""
    email = render_issue_email(issue)
    recipient = staff_test_recipient(
        email_address=user.email, name=getattr(user, "display_name", ""), issue_id=issue.pk
    )
    return email.html_for(recipient), email.text_for(recipient)


def send_test_email(*, issue: Issue, email_address: str, name: str) -> None:
    email = render_issue_email(issue, subject_prefix="[Test] ")
    recipient = staff_test_recipient(email_address=email_address, name=name, issue_id=issue.pk)
    email.message_for(recipient).send()
