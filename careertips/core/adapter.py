"""django-allauth adapters: how allauth sends account mail here (marked as account mail, so
the Mailbox of an install whose mail is captured keeps it with its links and codes redacted,
core.mail), which client address its limits count, and which second factors may go."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.http import HttpRequest

from careertips.core.http import client_ip
from careertips.core.mail import ACCOUNT_MAIL_HEADER

# Context values of allauth's mail that let whoever reads them act for the account.
SECRET_KEYS = ("key", "code", "token", "password_reset_url", "activate_url")


class AccountAdapter(DefaultAccountAdapter):
    def render_mail(
        self,
        template_prefix: str,
        email: str | list[str],
        context: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> EmailMessage:
        headers = {**(headers or {}), ACCOUNT_MAIL_HEADER: template_prefix.rsplit("/", 1)[-1]}
        message = super().render_mail(template_prefix, email, context, headers=headers)
        # Kept on the message object only (never in a header), for the capturing backend.
        message.account_secrets = [  # type: ignore[attr-defined]
            str(context[key]) for key in SECRET_KEYS if context.get(key)
        ]
        return message

    def get_client_ip(self, request: HttpRequest) -> str:
        """Sign-in limits count the same address as every other limit on the site."""
        address = client_ip(request)
        if not address:
            raise PermissionDenied("Unable to determine the client's address.")
        return address


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """A practice account keeps at least one second factor (recovery codes alone are not
        one); anyone else may turn two-factor sign-in off."""
        if not authenticator.user.is_staff:
            return True
        others = (
            Authenticator.objects.filter(user_id=authenticator.user_id)
            .exclude(pk=authenticator.pk)
            .exclude(type=Authenticator.Type.RECOVERY_CODES)
        )
        return others.exists()
