from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from careertips.core.backup import BackupError, backup_directory, run_backup


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database and var/ files into a dated archive in "
        "--dir (default BACKUP_DIR), then prune archives beyond BACKUP_KEEP_DAILY/WEEKLY."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dir", type=Path, help="Folder for the archive (default BACKUP_DIR).")

    def handle(self, *args: Any, dir: Path | None, **options: Any) -> None:  # noqa: A002
        directory = dir or backup_directory()
        if directory is None:
            raise CommandError("Set BACKUP_DIR or pass --dir.")
        try:
            record = run_backup(directory=directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        assert record is not None  # noqa: S101 - only a scheduled day can be taken already
        self.stdout.write(f"{directory / record.archive} ({record.size:,} bytes)")
