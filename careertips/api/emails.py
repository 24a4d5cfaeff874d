"""Telling an endpoint's owner that their webhooks stopped."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from careertips.api.models import WebhookEndpoint
from careertips.core.mail import compose


def send_endpoint_disabled(*, endpoint: WebhookEndpoint) -> None:
    compose(
        template="api/email/endpoint_disabled",
        context={"endpoint": endpoint, "url": settings.SITE_URL + reverse("api:webhooks")},
        to=[endpoint.owner.email],
    ).send()
