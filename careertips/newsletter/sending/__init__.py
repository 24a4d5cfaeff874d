"""Sending an issue: freeze the audience, claim deliveries under a lease, send each message
over one reused connection, record every outcome, and finish the issue exactly once.

Crash safety rests on three rules (docs/sending.md explains them):
- a delivery is claimed by moving its `next_attempt_at` to the end of a lease, so a worker
  that dies simply lets the lease run out and any worker claims the row again;
- a delivery is marked sent only after the mail server accepted it, at most
  `NEWSLETTER_SEND_MARK_EVERY` messages later, which bounds the duplicates a crash can cause;
- every copy of a delivery carries the Message-ID stored on the row, so a duplicate is
  recognisable downstream.

This module holds the workflows staff and tasks call. The machinery lives beside it:
`claim` (leases), `worker` (the send loop), `transport` (the mail server and what its
replies mean), `throttle` (the shared rate limit) and `ledger` (recording outcomes).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import secrets
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from careertips.newsletter.models import Delivery, Issue, Subscriber
from careertips.newsletter.sending.claim import claim_deliveries
from careertips.newsletter.sending.config import SendSettings
from careertips.newsletter.sending.ledger import SendReport, suppress_subscribers
from careertips.newsletter.sending.message import (
    message_id_domain,
    render_issue_email,
    staff_test_recipient,
)
from careertips.newsletter.sending.throttle import Clock, SystemClock, Throttle
from careertips.newsletter.sending.transport import Outcome, classify_failure
from careertips.newsletter.sending.worker import (
    finish_issue_if_done,
    has_pending,
    request_stop,
    send_pending,
    stop_requested,
)

__all__ = [
    "Clock", "Outcome", "SendProgress", "SendReport", "SendSettings", "StartResult",
    "SystemClock", "Throttle", "cancel_schedule", "can_schedule", "claim_deliveries",
    "classify_failure", "enqueue_send_tasks", "finish_issue_if_done", "freeze_audience",
    "get_send_progress", "has_pending", "preview_for", "request_stop", "retry_failed",
    "schedule_issue", "send_issue_now", "send_pending", "send_test_email",
    "start_due_scheduled_issues", "start_scheduled_send", "stop_requested", "suppress_address",
]  # fmt: skip

PROGRESS_WINDOW_SECONDS = 60


# Starting a send ----------------------------------------------------------------------------


class StartResult(StrEnum):
    STARTED = "started"
    ALREADY_SENDING = "already sending"
    ALREADY_SENT = "already sent"


def freeze_audience(*, issue: Issue) -> int:
    """One pending delivery per active subscriber, each with its own fixed Message-ID.
    Running it again adds only subscribers not on the list yet. Returns the audience size.

    The database writes the rows itself, in one INSERT … SELECT … ON CONFLICT DO NOTHING:
    100,000 deliveries in a second or two, where bulk_create spent some twenty seconds
    preparing a million values in Python."""
    domain = message_id_domain()
    field = Delivery._meta.get_field("next_attempt_at")
    params = [
        issue.pk,
        Delivery.Status.PENDING,
        # <ct.ISSUE.SUBSCRIBER.NONCE@domain>: unique per delivery, stable across retries.
        f"<ct.{issue.pk}.",
        f".{secrets.token_hex(5)}@{domain}>",
        field.get_db_prep_value(timezone.now(), connection, prepared=False),
        Subscriber.Status.ACTIVE,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_freeze_sql(connection.vendor), params)
    return Delivery.objects.filter(issue_id=issue.pk).count()


@functools.cache
def _freeze_sql(vendor: str) -> str:
    """The INSERT … SELECT for `vendor` (SQLite and PostgreSQL share the syntax)."""
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(name)
        for name in (
            "issue_id", "subscriber_id", "status", "message_id", "attempts",
            "next_attempt_at", "claimed_by", "last_error",
        )
    )  # fmt: skip
    subscriber_id = quote("id")
    message_id = f"CAST(%s AS TEXT) || CAST({subscriber_id} AS TEXT) || CAST(%s AS TEXT)"
    # Table and column names come from the models; every value is a bound parameter.
    return (
        f"INSERT INTO {quote(Delivery._meta.db_table)} ({columns}) "  # noqa: S608
        f"SELECT %s, {subscriber_id}, %s, {message_id}, 0, %s, '', '' "
        f"FROM {quote(Subscriber._meta.db_table)} WHERE {quote('status')} = %s "
        "ON CONFLICT DO NOTHING"
    )


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


SUPPRESSING = {
    "bounced": Subscriber.Status.BOUNCED,
    "complained": Subscriber.Status.COMPLAINED,
    "unsubscribed": Subscriber.Status.UNSUBSCRIBED,
}


@transaction.atomic
def suppress_address(*, email: str, reason: str, detail: str = "") -> int:
    """Stops all mail to an address a mail service reported (reason: bounced, complained or
    unsubscribed). Returns how many subscribers changed; an unknown address changes none."""
    if reason not in SUPPRESSING:
        raise ValueError(f"Unknown suppression reason {reason!r}")
    email = (email or "").strip()
    if not email:
        return 0
    return suppress_subscribers(
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
