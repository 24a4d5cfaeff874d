"""Writing each outcome back to its delivery."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from careertips.newsletter.models import Delivery, Subscriber
from careertips.newsletter.sending.config import SendSettings

# Recording outcomes -------------------------------------------------------------------------


def mark_sent(ids: Sequence[int]) -> int:
    """Records accepted messages. This runs once per few messages, so it is plain SQL:
    building the same UPDATE through the ORM costs more than sending a message does."""
    now = Delivery._meta.get_field("sent_at").get_db_prep_value(
        timezone.now(), connection, prepared=False
    )
    params = [Delivery.Status.SENT, now, Delivery.Status.PENDING, *ids]
    with connection.cursor() as cursor:
        cursor.execute(_mark_sent_sql(connection.vendor, len(ids)), params)
        return cursor.rowcount


@functools.cache
def _mark_sent_sql(vendor: str, count: int) -> str:
    """The UPDATE for `count` ids; `vendor` keys the cache because quoting differs."""
    quote = connection.ops.quote_name
    table = quote(Delivery._meta.db_table)
    status, sent_at, attempts = quote("status"), quote("sent_at"), quote("attempts")
    # Table and column names come from the model; every value is a bound parameter.
    sql = (
        f"UPDATE {table} SET {status} = %s, {sent_at} = %s, {attempts} = {attempts} + 1, "  # noqa: S608
        f"{quote('lease_until')} = NULL, {quote('claimed_by')} = '' "
        f"WHERE {status} = %s AND {quote('id')} IN ({', '.join(['%s'] * count)})"
    )
    return sql


class Ledger:
    """Writes each outcome back to its delivery. Accepted messages are recorded in groups of
    `mark_every`, and always before the worker pauses or ends its batch: that group is all
    a crash at the worst moment can cause to be sent twice."""

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
        suppress_subscribers(
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


# Suppression --------------------------------------------------------------------------------

SUPPRESSING = {
    "bounced": Subscriber.Status.BOUNCED,
    "complained": Subscriber.Status.COMPLAINED,
    "unsubscribed": Subscriber.Status.UNSUBSCRIBED,
}


def suppress_subscribers(subscribers: Any, *, status: str, detail: str) -> int:
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
