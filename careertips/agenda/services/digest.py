"""The opt-in daily digest: who is due one, claiming a day so it goes once, and the schedule."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from careertips.agenda.models import AgendaSettings, DigestLog
from careertips.agenda.services.clock import Clock, zone_of
from careertips.agenda.services.feed import agenda_settings_of, get_agenda_settings
from careertips.agenda.services.goals import goal_progress
from careertips.agenda.services.today import build_agenda
from careertips.core.events import emit
from careertips.core.models import User
from careertips.core.pagecache import member_data_changed

logger = logging.getLogger(__name__)

SCAN_EVERY = dt.timedelta(minutes=5)
# A scan that claimed a task this long ago and never finished is taken for dead.
STALE_SCAN = dt.timedelta(minutes=30)


@transaction.atomic
def update_digest_settings(*, owner: User, enabled: bool, hour: int) -> AgendaSettings:
    prefs = get_agenda_settings(owner)
    prefs.digest_enabled = enabled
    prefs.digest_hour = hour
    prefs.full_clean()
    prefs.save(update_fields=["digest_enabled", "digest_hour", "updated_at"])
    return prefs


def members_due_for_digest(*, now: dt.datetime) -> Iterator[tuple[User, dt.date]]:
    """Members who asked for a digest, whose local clock has reached their hour, and who
    have not had today's (their today, in their own time zone)."""
    last = DigestLog.objects.filter(owner=OuterRef("owner")).order_by("-local_date")
    rows = (
        AgendaSettings.objects.filter(digest_enabled=True, owner__is_active=True)
        .select_related("owner")
        .annotate(last_digest_on=Subquery(last.values("local_date")[:1]))
        .order_by("pk")
    )
    for prefs in rows.iterator(chunk_size=500):
        local = now.astimezone(zone_of(prefs.owner))
        if local.hour < prefs.digest_hour:
            continue
        if prefs.last_digest_on is None or prefs.last_digest_on < local.date():
            yield prefs.owner, local.date()


def claim_digest(*, owner: User, local_date: dt.date) -> DigestLog | None:
    """Reserves the member's digest for that day; None when it is already taken, so two
    workers scanning at once cannot both send it."""
    try:
        with transaction.atomic():
            return DigestLog.objects.create(owner=owner, local_date=local_date)
    except IntegrityError:
        return None


def queue_due_digests(*, now: dt.datetime | None = None) -> int:
    """Claims each due digest and queues its sending; returns how many were queued."""
    from careertips.agenda.tasks import send_digest

    queued = 0
    for owner, local_date in members_due_for_digest(now=now or timezone.now()):
        digest = claim_digest(owner=owner, local_date=local_date)
        if digest is None:
            continue
        transaction.on_commit(partial(send_digest.enqueue, digest_id=digest.pk))
        queued += 1
    return queued


def send_digest(*, digest: DigestLog, now: dt.datetime | None = None) -> bool:
    """Sends one claimed digest, unless it went already, the member opted out meanwhile,
    or nothing is due; the outcome is recorded on the claim either way."""
    from careertips.agenda import emails

    if digest.status != DigestLog.Status.CLAIMED:
        return False
    owner = digest.owner
    if not agenda_settings_of(owner).digest_enabled:
        return _finish(digest, DigestLog.Status.OPTED_OUT, 0)
    clock = Clock.for_user(owner, now)
    agenda = build_agenda(owner=owner, clock=clock)
    if agenda.due_now == 0:
        return _finish(digest, DigestLog.Status.NOTHING_DUE, 0)
    emit("today.items_due", owner, {"due_now": agenda.due_now, "date": clock.today.isoformat()})
    progress = goal_progress(owner=owner, clock=clock)
    emails.daily_digest(owner=owner, agenda=agenda, progress=progress, zone=clock.zone).send()
    return _finish(digest, DigestLog.Status.SENT, agenda.due_now)


def _finish(digest: DigestLog, status: str, count: int) -> bool:
    digest.status = status
    digest.item_count = count
    digest.sent_at = timezone.now() if status == DigestLog.Status.SENT else None
    digest.save(update_fields=["status", "item_count", "sent_at", "updated_at"])
    member_data_changed(digest.owner_id)
    return status == DigestLog.Status.SENT


def schedule_digest_scan(*, delay: dt.timedelta = SCAN_EVERY, include_running: bool = False) -> str:
    """Queues the next scan unless one is waiting already.

    Returns "scheduled", "pending" (one is queued) or "unsupported" (the task backend cannot
    run work later, e.g. the immediate backend of the tests)."""
    from careertips.agenda.tasks import send_due_digests

    if not send_due_digests.get_backend().supports_defer:
        return "unsupported"
    if _scan_pending(include_running=include_running):
        return "pending"
    send_due_digests.using(run_after=timezone.now() + delay).enqueue()
    return "scheduled"


def _scan_pending(*, include_running: bool) -> bool:
    """Whether the database backend holds a scan that will run; other backends cannot be
    asked, and a duplicate scan is harmless anyway: claims keep each digest to one."""
    from careertips.agenda.tasks import send_due_digests

    backend = send_due_digests.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return False
    waiting = Q(status=TaskResultStatus.READY)
    if include_running:
        recent = timezone.now() - STALE_SCAN
        waiting |= Q(status=TaskResultStatus.RUNNING, started_at__gte=recent)
    return (
        DBTaskResult.objects.filter(
            task_path=send_due_digests.module_path, backend_name=backend.alias
        )
        .filter(waiting)
        .exists()
    )
