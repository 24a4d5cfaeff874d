"""Mail helpers: the capturing backend and message composition."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string


class CapturingEmailBackend(BaseEmailBackend):
    """Keeps every message in the database so staff can read it in the browser."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from careertips.core.models import CapturedEmail

        rows = []
        for message in email_messages:
            if not message.recipients():
                continue
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
