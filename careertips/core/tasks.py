import datetime as dt

from django.tasks import task
from django.utils import timezone

from careertips.core import outbound
from careertips.core.backup import run_due_backup
from careertips.core.models import Heartbeat
from careertips.core.periodic import schedule_unless_pending

HEARTBEAT_EVERY = dt.timedelta(seconds=60)
BACKUP_CHECK_EVERY = dt.timedelta(hours=1)
STATISTICS_EVERY = dt.timedelta(days=1)


@task(queue_name="mail")
def deliver_mail(*, mail_id: int) -> str:
    """One attempt at one transactional message; a failure books the next attempt."""
    return outbound.deliver(mail_id=mail_id)


@task()
def heartbeat() -> None:
    """Every minute: proves to /healthz that a worker is taking tasks off the queue."""
    try:
        Heartbeat.objects.update_or_create(name="worker", defaults={"beat_at": timezone.now()})
    finally:
        schedule_unless_pending(heartbeat, delay=HEARTBEAT_EVERY)


@task()
def backup_if_due() -> str:
    """Every hour: takes the day's backup when BACKUP_DIR is set and the day has none yet."""
    outcome = "failed"
    try:
        outcome = run_due_backup()
        return outcome
    finally:
        if outcome != "off":
            schedule_unless_pending(backup_if_due, delay=BACKUP_CHECK_EVERY)


@task()
def refresh_statistics() -> str:
    """When the workers start, then daily: the planner's statistics (core/db/statistics.py)."""
    from careertips.core.db.statistics import refresh_statistics as gather

    try:
        return gather()
    finally:
        schedule_unless_pending(refresh_statistics, delay=STATISTICS_EVERY)


@task()
def restore_account_task(*, restore_id: int) -> str:
    """Restores an uploaded archive into its member's empty account (or refuses it)."""
    from careertips.core.restore.services import run_restore

    return run_restore(restore_id=restore_id)
