"""How allauth sends account mail here: marked as account mail, so the Mailbox of an install
whose mail is captured keeps it with its links and codes redacted (core.mail)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.core.mail import EmailMessage

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
