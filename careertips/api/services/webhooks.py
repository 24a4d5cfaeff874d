"""Outgoing webhooks: endpoints, the events they receive, signed deliveries with retries.

Signatures follow Standard Webhooks: `webhook-signature: v1,<base64 HMAC-SHA256>` of
`<webhook-id>.<webhook-timestamp>.<body>`, keyed with the base64-decoded part of the
endpoint's `whsec_…` secret."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import http.client
import json
import logging
import secrets
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from careertips.api.auth import is_editor
from careertips.api.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from careertips.core import safefetch
from careertips.core.access import owned_or_404
from careertips.core.models import User
from careertips.core.prepared import Prepared

logger = logging.getLogger(__name__)

MEMBER_EVENTS = {
    "opportunity.stage_changed": "An opportunity moved to another stage",
    "debrief.opened": "A debrief opened after a “no”",
    "debrief.closed": "A debrief was closed or skipped",
    "today.items_due": "Today has items due (with the daily digest)",
}
EDITOR_EVENTS = {
    "subscriber.confirmed": "A subscriber confirmed",
    "subscriber.unsubscribed": "A subscriber unsubscribed",
    "issue.sent": "An issue finished sending",
}
ALL_EVENTS = {**MEMBER_EVENTS, **EDITOR_EVENTS}
# After the first try: 5 s, 5 min, 30 min, 2 h, 5 h and 10 h, about 17.5 hours in all.
RETRY_DELAYS = [
    dt.timedelta(seconds=5), dt.timedelta(minutes=5), dt.timedelta(minutes=30),
    dt.timedelta(hours=2), dt.timedelta(hours=5), dt.timedelta(hours=10),
]  # fmt: skip
MAX_ENDPOINTS_PER_OWNER = 20
USER_AGENT = "CareerTips-Webhooks/1"


def get_endpoint_for(user: Any, pk: int) -> WebhookEndpoint:
    return owned_or_404(WebhookEndpoint.objects.owned_by(user), pk, "webhook endpoint")


def events_for(user: User) -> dict[str, str]:
    return {**MEMBER_EVENTS, **(EDITOR_EVENTS if is_editor(user) else {})}


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(*, secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


# Address safety ---------------------------------------------------------------------------


def vetted_address(url: str) -> tuple[str, str, int]:
    """(host, the IP address to connect to, port) for a URL that is safe to call; raises a
    ValidationError on the `url` field for anything else (a private network unless allowed)."""
    allow = settings.API_WEBHOOK_ALLOW_PRIVATE
    try:
        target = safefetch.check_url(url, allow_private=allow, allow_loopback=allow)
    except safefetch.ForbiddenAddress:
        raise ValidationError(
            {"url": "This address is on a private or local network, which webhooks cannot call."}
        ) from None
    except safefetch.FetchRefused as refused:
        raise ValidationError({"url": refused.message}) from None
    return target.host, target.address, target.port


# Endpoints --------------------------------------------------------------------------------


def _clean_events(*, owner: User, events: Iterable[str]) -> list[str]:
    chosen = sorted(set(events))
    allowed = events_for(owner)
    if not chosen:
        raise ValidationError({"events": "Choose at least one event."})
    if any(kind not in allowed for kind in chosen):
        raise ValidationError({"events": "Choose events from the list."})
    return chosen


@transaction.atomic
def create_endpoint(
    *, owner: User, url: str, events: Iterable[str], description: str = ""
) -> WebhookEndpoint:
    url = url.strip()
    if len(url) > 1000:
        raise ValidationError({"url": "Keep the address under 1,000 characters."})
    vetted_address(url)
    chosen = _clean_events(owner=owner, events=events)
    if WebhookEndpoint.objects.owned_by(owner).count() >= MAX_ENDPOINTS_PER_OWNER:
        raise ValidationError({"url": "You have too many endpoints: delete some first."})
    return WebhookEndpoint.objects.create(
        owner=owner, url=url, events=chosen, description=description[:200], secret=new_secret()
    )


@transaction.atomic
def enable_endpoint(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    endpoint.is_active = True
    endpoint.disabled_reason = ""
    endpoint.failure_streak = 0
    endpoint.save(update_fields=["is_active", "disabled_reason", "failure_streak", "updated_at"])
    return endpoint


@transaction.atomic
def delete_endpoint(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()


# Events in, deliveries out -----------------------------------------------------------------


# A member's active endpoints, compiled once per process (core.prepared): read after every
# stage move and debrief change.
_ACTIVE_ENDPOINTS = Prepared(
    lambda owner: WebhookEndpoint.objects.filter(owner_id=owner, is_active=True), owner=int
)


def on_event(kind: str, owner_id: int | None, payload: dict[str, Any]) -> None:
    """Receives every event from core.events: one delivery per endpoint that asked for it."""
    if kind not in ALL_EVENTS:
        return
    if kind in EDITOR_EVENTS:
        editors = WebhookEndpoint.objects.filter(is_active=True).select_related("owner")
        chosen = [e for e in editors if kind in e.events and is_editor(e.owner)]
    else:
        # A member's own event, after each of their writes: their endpoints only, no owner row.
        mine = _ACTIVE_ENDPOINTS.instances(owner=owner_id) if owner_id is not None else []
        chosen = [e for e in mine if kind in e.events]
    for endpoint in chosen:
        queue_delivery(endpoint=endpoint, kind=kind, data=payload)


def queue_delivery(*, endpoint: WebhookEndpoint, kind: str, data: dict[str, Any]) -> None:
    from careertips.api.tasks import deliver_webhook

    now = timezone.now()
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        message_id="msg_" + secrets.token_urlsafe(18),
        kind=kind,
        payload={"type": kind, "timestamp": now.isoformat(), "data": data},
        next_attempt_at=now,
    )
    transaction.on_commit(lambda: deliver_webhook.enqueue(delivery_id=delivery.pk))


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POSTs to the vetted address itself, so a DNS answer cannot change between check and call."""
    host, address, port = vetted_address(url)
    parts = urlsplit(url)
    target = safefetch.Target(url, parts.scheme, host, address, port)
    conn = safefetch.connect_to(target, timeout=settings.API_WEBHOOK_TIMEOUT)
    try:
        conn.request("POST", target.path, body, headers)
        response = conn.getresponse()
        response.read(64 * 1024)
        return response.status
    finally:
        conn.close()


def attempt_delivery(*, delivery: WebhookDelivery) -> bool:
    """One try; books the next after a failure, or gives up and counts it against the endpoint."""
    endpoint = delivery.endpoint
    if delivery.status != WebhookDelivery.Status.PENDING:
        return delivery.status == WebhookDelivery.Status.SUCCEEDED
    if not endpoint.is_active:
        _give_up(delivery, "The endpoint is disabled.")
        return False
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(
            secret=endpoint.secret, message_id=delivery.message_id, timestamp=timestamp, body=body
        ),
    }
    started = time.monotonic()
    status, error = None, ""
    try:
        status = _post(endpoint.url, body, headers)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    except (OSError, http.client.HTTPException) as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]
    elapsed = int((time.monotonic() - started) * 1000)
    return _record(delivery, status, error, elapsed)


def _record(delivery: WebhookDelivery, status: int | None, error: str, elapsed: int) -> bool:
    now = timezone.now()
    WebhookAttempt.objects.create(
        delivery=delivery, attempted_at=now, status_code=status, error=error, duration_ms=elapsed
    )
    delivery.attempts += 1
    delivery.last_status_code = status
    delivery.last_error = error or ("" if status and status < 300 else f"HTTP {status}")
    if status is not None and 200 <= status < 300:
        delivery.status = WebhookDelivery.Status.SUCCEEDED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).update(failure_streak=0)
    elif delivery.attempts <= len(RETRY_DELAYS):
        delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts - 1]
    else:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
    delivery.save(
        update_fields=[
            "attempts", "last_status_code", "last_error", "status", "delivered_at",
            "next_attempt_at",
        ]
    )  # fmt: skip
    if delivery.status != WebhookDelivery.Status.SUCCEEDED:
        _count_failure(delivery.endpoint)
    return delivery.status == WebhookDelivery.Status.SUCCEEDED


def _give_up(delivery: WebhookDelivery, reason: str) -> None:
    delivery.status = WebhookDelivery.Status.FAILED
    delivery.last_error = reason
    delivery.next_attempt_at = None
    delivery.save(update_fields=["status", "last_error", "next_attempt_at"])


def _count_failure(endpoint: WebhookEndpoint) -> None:
    """Consecutive failed attempts; past the limit the endpoint is disabled and its owner told."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failure_streak=F("failure_streak") + 1)
    endpoint.refresh_from_db(fields=["failure_streak", "is_active"])
    if endpoint.is_active and endpoint.failure_streak >= settings.API_WEBHOOK_DISABLE_AFTER:
        disable_endpoint(
            endpoint=endpoint,
            reason=f"Disabled after {endpoint.failure_streak} failed deliveries in a row.",
        )


@transaction.atomic
def disable_endpoint(*, endpoint: WebhookEndpoint, reason: str) -> None:
    from careertips.api.emails import send_endpoint_disabled

    done = WebhookEndpoint.objects.filter(pk=endpoint.pk, is_active=True).update(
        is_active=False, disabled_reason=reason[:300], updated_at=timezone.now()
    )
    if done:
        endpoint.is_active, endpoint.disabled_reason = False, reason[:300]
        transaction.on_commit(lambda: send_endpoint_disabled(endpoint=endpoint))
        # What was still waiting for this endpoint will not be tried again.
        WebhookDelivery.objects.filter(
            endpoint=endpoint, status=WebhookDelivery.Status.PENDING
        ).update(status=WebhookDelivery.Status.FAILED, next_attempt_at=None,
                 last_error="The endpoint was disabled.")  # fmt: skip


@transaction.atomic
def send_test_event(*, endpoint: WebhookEndpoint) -> None:
    queue_delivery(endpoint=endpoint, kind="ping", data={"endpoint_id": endpoint.pk})
