from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from careertips.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive into an empty database: checks its checksums and manifest, "
        "verifies the row counts, then migrates forward when the archive is older."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force", action="store_true",
            help="Replace a database that holds data (and var/ files that differ).",
        )  # fmt: skip

    def handle(self, *args: Any, archive: Path, force: bool, **options: Any) -> None:
        try:
            manifest = restore_backup(archive=archive, force=force, say=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} (Career Tips "
            f"{manifest['app_version']}); migrations are up to date."
        )
