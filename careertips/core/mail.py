"""Mail helpers: the capturing backend, account-mail redaction, and message composition."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string

# Set on account mail (sign-up confirmation, password reset, email change, security and
# two-factor notices) by core.adapter; its links and codes are secrets of the account.
ACCOUNT_MAIL_HEADER = "X-Careertips-Account-Mail"
REDACTED_LINK = "[link hidden: account mail]"
REDACTED_CODE = "[code hidden]"
_URL = re.compile(r"https?://[^\s\"'<>]+")
# Links that carry an account's key, in mail kept before redaction existed.
_KEYED_ACCOUNT_URL = re.compile(
    r"https?://[^\s\"'<>]*/accounts/(?:confirm-email|password/reset/key)/[^\s\"'<>]*"
)


def mail_is_captured() -> bool:
    """True on the embedded default: no mail server, mail kept in the Mailbox."""
    return str(settings.MAILERS["default"]["BACKEND"]).endswith(".CapturingEmailBackend")


def is_account_mail(message: EmailMessage) -> bool:
    return ACCOUNT_MAIL_HEADER in getattr(message, "extra_headers", {})


def redact(text: str, *, secrets: Iterable[str] = (), every_link: bool = True) -> str:
    """The text without its links (or only the account-keyed ones) and these secret codes."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, REDACTED_CODE)
    return (_URL if every_link else _KEYED_ACCOUNT_URL).sub(REDACTED_LINK, text)


def redacted_copy(message: EmailMessage) -> EmailMessage:
    """Account mail as the Mailbox may show it: every link and code replaced."""
    secrets = getattr(message, "account_secrets", ())
    clean = copy.copy(message)
    clean.subject = redact(str(message.subject), secrets=secrets)
    clean.body = redact(str(message.body), secrets=secrets)
    if alternatives := getattr(message, "alternatives", None):
        clean.alternatives = [  # type: ignore[attr-defined]
            type(alt)(redact(str(alt[0]), secrets=secrets), alt[1]) for alt in alternatives
        ]
    return clean


class CapturingEmailBackend(BaseEmailBackend):
    """Keeps every message in the database so administrators can read it in the browser.
    Account mail is kept redacted: a captured reset link would let whoever reads the
    Mailbox take the account over."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from careertips.core.models import CapturedEmail

        rows = []
        for message in email_messages:
            if not message.recipients():
                continue
            if is_account_mail(message):
                message = redacted_copy(message)
            html = ""
            for content, mimetype in getattr(message, "alternatives", []):
                if mimetype == "text/html":
                    html = str(content)
            mime = message.message()
            rows.append(
                CapturedEmail(
                    from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
                    to="\n".join(message.recipients()),
                    subject=str(message.subject),
                    text_body=str(message.body),
                    html_body=html,
                    headers={k: str(v) for k, v in mime.items()},
                    message_id=str(mime.get("Message-ID", "")),
                    raw=mime.as_string(),
                )
            )
        CapturedEmail.objects.bulk_create(rows)
        return len(rows)


def compose(
    *,
    template: str,
    context: dict,
    to: list[str],
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    """Builds a message from the `<template>_subject.txt`, `.txt` and `.html` triple."""
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=to, reply_to=reply_to or [], headers=headers or {}
    )
    message.attach_alternative(html, "text/html")
    return message
