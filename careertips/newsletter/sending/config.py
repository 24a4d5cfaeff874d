"""How sending behaves: every knob comes from settings (docs/sending.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings


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
            mark_every=max(1, int(getattr(settings, "NEWSLETTER_SEND_MARK_EVERY", 10))),
            workers=max(1, int(getattr(settings, "NEWSLETTER_SEND_WORKERS", 2))),
            task_seconds=max(10, int(getattr(settings, "NEWSLETTER_SEND_TASK_SECONDS", 240))),
        )

    def backoff(self, attempts: int) -> dt.timedelta:
        return dt.timedelta(seconds=self.retry_seconds * 2 ** max(0, attempts - 1))
