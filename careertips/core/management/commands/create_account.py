import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from careertips.core.mail import mail_is_captured
from careertips.core.roles import parse_roles


class Command(BaseCommand):
    help = (
        "Create an account with its address confirmed and the given roles, e.g. "
        "`careertips create_account ada@example.com --roles administrator "
        "--password-from-stdin`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument(
            "--roles", default="", help="Comma-separated: coach, editor, administrator."
        )
        parser.add_argument("--name", default="", help="The display name.")
        parser.add_argument(
            "--password-from-stdin",
            action="store_true",
            help="Read the password from the first line of standard input.",
        )

    def handle(
        self, *args: Any, email: str, roles: str, name: str, password_from_stdin: bool, **options
    ) -> None:
        from careertips.core.services import create_account

        try:
            wanted = parse_roles(roles)
        except ValueError as error:
            raise CommandError(str(error)) from None
        password = sys.stdin.readline().rstrip("\r\n") if password_from_stdin else None
        if password_from_stdin and not password:
            raise CommandError("No password on standard input.")
        try:
            user = create_account(email=email, roles=wanted, password=password, display_name=name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        held = ", ".join(wanted) or "member only"
        self.stdout.write(f"Created {user.email} ({held}); address confirmed.")
        if password is None:
            self.stdout.write(self._no_password_hint(user.email))

    def _no_password_hint(self, email: str) -> str:
        if mail_is_captured():
            # Reset links are hidden in the Mailbox of an install whose mail is captured.
            return f"No password set: give it one with `careertips changepassword {email}`."
        return (
            'No password set: its owner chooses one with "Forgot your password?", or give '
            f"it one with `careertips changepassword {email}`."
        )
