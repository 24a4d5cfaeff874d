"""The send loop: batch after batch until nothing is left to claim."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Sequence
from functools import partial

from django.db import transaction
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from careertips.core.events import emit
from careertips.newsletter.models import Delivery, Issue
from careertips.newsletter.sending.claim import claim_deliveries
from careertips.newsletter.sending.config import SendSettings
from careertips.newsletter.sending.ledger import Ledger, SendReport
from careertips.newsletter.sending.message import (
    IssueEmail,
    recipient_for,
    render_issue_email,
)
from careertips.newsletter.sending.throttle import Clock, SystemClock, Throttle
from careertips.newsletter.sending.transport import (
    Outcome,
    Transport,
    classify_failure,
    open_transport,
)

logger = logging.getLogger(__name__)


# The send loop ------------------------------------------------------------------------------

_stop = threading.Event()


def request_stop() -> None:
    """Asks running sends in this process to record what went out, hand back the rest of
    their batch and return (a worker's SIGTERM handler calls this)."""
    _stop.set()


def stop_requested() -> bool:
    return _stop.is_set()


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
        while not (report.stopped or _stop.is_set()) and (until is None or clock.now() < until):
            _token, lease_until, batch = claim_deliveries(
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
            ledger = Ledger(config=config, report=report)
            send_batch(
                batch,
                email=email,
                transport=transport,
                throttle=throttle,
                ledger=ledger,
                deadline=deadline,
            )
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
            if _stop.is_set():
                ledger.release(batch[index:])
                ledger.report.stopped = "asked to stop"
                return
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
            emit("issue.sent", None, {"issue_id": issue_id, "sent_at": now.isoformat()})
    return bool(done)


def _announce_published(*, issue_id: int) -> None:
    from careertips.newsletter import services

    try:
        services.notify_published_askers(issue=Issue.objects.get(pk=issue_id))
    except Exception:
        # The issue is out either way; a failed notice must not fail the sending worker.
        logger.exception("Could not notify the askers published in issue %s", issue_id)
