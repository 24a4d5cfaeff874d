"""Recording backups for staff, keeping N daily and M weekly archives, and the daily run."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from careertips.core.backup.archive import PREFIX, SUFFIX, take_backup
from careertips.core.models import Backup

logger = logging.getLogger(__name__)

# Staff are warned when the last good backup is older than this.
STALE_AFTER = dt.timedelta(hours=36)


def backup_directory() -> Path | None:
    directory = getattr(settings, "BACKUP_DIR", "")
    return Path(directory) if directory else None


def run_backup(*, directory: Path, scheduled_day: dt.date | None = None) -> Backup | None:
    """Takes a backup and records it; prunes old archives after a success.

    With `scheduled_day`, the day is claimed first: only one of several workers backs up, and
    None tells the others the day is taken."""
    try:
        with transaction.atomic():
            record = Backup.objects.create(scheduled_day=scheduled_day)
    except IntegrityError:
        return None
    try:
        archive = take_backup(directory=directory)
    except Exception as error:
        logger.exception("backup failed")
        record.status, record.error, record.finished_at = (
            Backup.Status.FAILED,
            str(error),
            timezone.now(),
        )
        # A failed day is released so the next hourly run tries again.
        record.scheduled_day = None
        record.save(update_fields=["status", "error", "finished_at", "scheduled_day"])
        raise
    record.status, record.finished_at = Backup.Status.OK, timezone.now()
    record.archive, record.size = archive.path.name, archive.size
    record.save(update_fields=["status", "finished_at", "archive", "size"])
    logger.info("backup written", extra={"archive": str(archive.path), "size": archive.size})
    prune_archives(
        directory=directory,
        keep_daily=settings.BACKUP_KEEP_DAILY,
        keep_weekly=settings.BACKUP_KEEP_WEEKLY,
    )
    return record


def run_due_backup(*, now: dt.datetime | None = None) -> str:
    """The hourly check of the schedule: backs up once a day, at BACKUP_HOUR (UTC) or later."""
    directory = backup_directory()
    if directory is None:
        return "off"
    now = (now or timezone.now()).astimezone(dt.UTC)
    if now.hour < settings.BACKUP_HOUR:
        return "not yet"
    if Backup.objects.filter(scheduled_day=now.date()).exists():
        return "done"
    try:
        record = run_backup(directory=directory, scheduled_day=now.date())
    except Exception:  # noqa: BLE001 - recorded on the Backup row and logged; retried next hour
        return "failed"
    return "taken" if record else "done"


def prune_archives(
    *, directory: Path, keep_daily: int, keep_weekly: int, now: dt.datetime | None = None
) -> list[Path]:
    """Deletes archives beyond the newest of each of the last `keep_daily` days and of each of
    the last `keep_weekly` ISO weeks; returns the deleted paths. Archives of the last 24 hours
    stay (one taken by hand before an upgrade is not pruned by the next scheduled one), and
    other files are left alone."""
    recent = (now or timezone.now()) - dt.timedelta(hours=24)
    dated = sorted(
        (
            (when, path)
            for path in directory.glob(f"{PREFIX}*{SUFFIX}")
            if (when := _archive_time(path))
        ),
        reverse=True,
    )
    keep = {path for when, path in dated if when > recent}
    days: set[dt.date] = set()
    weeks: set[tuple[int, int]] = set()
    for when, path in dated:
        week = tuple(when.isocalendar())[:2]
        if when.date() not in days and len(days) < keep_daily:
            days.add(when.date())
            keep.add(path)
        if week not in weeks and len(weeks) < keep_weekly:
            weeks.add(week)  # type: ignore[arg-type]
            keep.add(path)
    deleted = [path for _, path in dated if path not in keep]
    for path in deleted:
        path.unlink(missing_ok=True)
    return deleted


def _archive_time(path: Path) -> dt.datetime | None:
    stamp = path.name.removeprefix(PREFIX).removesuffix(SUFFIX)
    try:
        return dt.datetime.strptime(stamp, "%Y%m%d-%H%M%S").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


@dataclass(frozen=True)
class BackupStatus:
    last: Backup | None
    last_ok: Backup | None
    warning: str


def backup_status(*, now: dt.datetime | None = None) -> BackupStatus:
    """What staff see: the last backup, the last good one, and a warning when either is wrong."""
    now = now or timezone.now()
    last = Backup.objects.first()
    last_ok = Backup.objects.filter(status=Backup.Status.OK).first()
    warning = ""
    if last and last.status == Backup.Status.FAILED:
        warning = f"The last backup failed: {last.error[:300]}"
    elif last_ok is None and backup_directory():
        warning = "No backup has been taken yet."
    elif last_ok and last_ok.started_at < now - STALE_AFTER:
        warning = (
            f"The last good backup is older than {STALE_AFTER.total_seconds() / 3600:.0f} hours."
        )
    return BackupStatus(last=last, last_ok=last_ok, warning=warning)
