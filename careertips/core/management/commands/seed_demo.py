from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Load the demo search once; never touches existing data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load it even on an install served over HTTPS (the demo logins are public).",
        )

    def handle(self, *args: Any, force: bool, **options: Any) -> None:
        from careertips.core.demo import seed_demo

        if settings.HTTPS and not force:
            raise CommandError(
                "This install is served over HTTPS (HTTPS=true), so it looks like production: "
                "the demo accounts have published passwords, one an administrator. Run with "
                "--force if you really want them here."
            )
        created = seed_demo()
        self.stdout.write("Demo data loaded." if created else "Demo data already present.")
