"""Claiming deliveries for one worker, under a lease."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket

from django.db import connection, transaction
from django.utils import timezone

from careertips.newsletter.models import Delivery


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
