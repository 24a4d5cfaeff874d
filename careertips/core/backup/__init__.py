"""Backups of the database and var/ files, their restore, retention and daily schedule."""

from careertips.core.backup.archive import (
    FORMAT_VERSION,
    Archive,
    BackupError,
    restore_backup,
    take_backup,
)
from careertips.core.backup.schedule import (
    backup_directory,
    backup_status,
    prune_archives,
    run_backup,
    run_due_backup,
)

__all__ = [
    "FORMAT_VERSION", "Archive", "BackupError", "backup_directory", "backup_status",
    "prune_archives", "restore_backup", "run_backup", "run_due_backup", "take_backup",
]  # fmt: skip
