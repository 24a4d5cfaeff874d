from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Remove an account's second factor (authenticator app, security keys, recovery codes) "
        "and sign it out everywhere, for someone who lost their device."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email", help="the address the account signs in with")

    def handle(self, *args: Any, email: str, **options: Any) -> None:
        from careertips.core.models import User
        from careertips.core.twofactor import reset_second_factor

        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account signs in with {email}.")
        removed = reset_second_factor(user=user)
        then = (
            "it must set up a new one at its next sign-in"
            if user.is_staff
            else "it signs in with its password alone until it sets up a new one"
        )
        self.stdout.write(
            f"Removed {removed} second-factor record(s) of {user.email} and signed it out "
            f"everywhere; {then}."
        )
