from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Restore a member's data archive (the ZIP from Settings → Your data) into their "
        "empty account, e.g. `careertips restore_account ada@example.com data.zip`. With "
        "--create, an account that does not exist yet is created first (on a new install)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("zipfile", type=Path)
        parser.add_argument(
            "--create", action="store_true", help="Create the account when there is none."
        )

    def handle(self, *args: Any, email: str, zipfile: Path, create: bool, **options: Any) -> None:
        from careertips.core.models import User
        from careertips.core.restore.services import restore_account
        from careertips.core.services import create_account

        if not zipfile.is_file():
            raise CommandError(f"No such file: {zipfile}")
        user = User.objects.filter(email__iexact=email).first()
        try:
            if user is None and create:
                user = create_account(email=email, roles=[], password=None, display_name="")
                self.stdout.write(f"Created {user.email}.")
            if user is None:
                raise CommandError(
                    f"No account {email}: create it (sign up, or `careertips create_account`) "
                    "or pass --create."
                )
            with zipfile.open("rb") as source:
                counts = restore_account(user=user, source=source)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Restored {sum(counts.values()):,} records into {user.email}.")
        for name, count in counts.items():
            if count:
                self.stdout.write(f"  {name}: {count:,}")
