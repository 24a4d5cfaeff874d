"""`careertips api_token create EMAIL --name NAME --scopes read,write [--expires-days N]`
and `careertips api_token revoke EMAIL --name NAME`, for operators and scripts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from careertips.api.models import ApiToken
from careertips.api.services.tokens import create_token, revoke_token
from careertips.core.models import User


class Command(BaseCommand):
    help = "Creates or revokes a personal access token for the JSON API."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a token and print its secret once.")
        create.add_argument("email")
        create.add_argument("--name", required=True)
        create.add_argument("--scopes", default="read", help="Comma-separated: read,write,editor")
        create.add_argument("--expires-days", type=int, default=None)
        revoke = actions.add_parser("revoke", help="Revoke the owner's tokens of that name.")
        revoke.add_argument("email")
        revoke.add_argument("--name", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"].strip()).first()
        if user is None:
            raise CommandError(f"No account with the address {options['email']}.")
        if options["action"] == "create":
            self._create(user, options)
        else:
            tokens = ApiToken.objects.owned_by(user).filter(name=options["name"])
            for token in tokens.filter(revoked_at__isnull=True):
                revoke_token(token=token)
            self.stderr.write(f"Revoked {tokens.count()} token(s) named {options['name']}.")

    def _create(self, user: User, options: dict[str, Any]) -> None:
        days = options["expires_days"]
        if days is not None and days < 1:
            raise CommandError("--expires-days must be 1 or more.")
        expires_at = timezone.now() + dt.timedelta(days=days) if days else None
        scopes = [s.strip() for s in options["scopes"].split(",") if s.strip()]
        try:
            _, secret = create_token(
                owner=user, name=options["name"], scopes=scopes, expires_at=expires_at
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        # The secret alone on stdout, so scripts can capture it; it is never shown again.
        self.stdout.write(secret)
