"""Bounce and complaint reports from an email service, through django-anymail's tracking
webhooks (mounted at /anymail/<esp>/tracking/, guarded by ANYMAIL_WEBHOOK_SECRET).

Anymail normalises every service's events; the ones that mean "stop mailing this address"
suppress the subscriber. Opens, clicks and deliveries are ignored: no tracking is kept.
"""

from __future__ import annotations

from typing import Any

from anymail.signals import AnymailTrackingEvent, EventType, RejectReason

from careertips.newsletter.sending import suppress_address

# Reasons an email service gives for refusing to send that are about the address itself.
ADDRESS_REJECTIONS = {RejectReason.INVALID, RejectReason.BOUNCED, RejectReason.TIMED_OUT}
# Postmark reports soft bounces as "bounced" too; those are retried by Postmark, not final.
SOFT_BOUNCE_TYPES = {"SoftBounce", "Transient", "DnsError"}


def suppression_reason(event: AnymailTrackingEvent) -> str | None:
    """bounced / complained / unsubscribed, or None for an event that changes nothing."""
    if event.event_type == EventType.BOUNCED:
        esp_event = event.esp_event if isinstance(event.esp_event, dict) else {}
        return None if esp_event.get("Type") in SOFT_BOUNCE_TYPES else "bounced"
    if event.event_type == EventType.REJECTED and event.reject_reason in ADDRESS_REJECTIONS:
        return "bounced"
    if event.event_type == EventType.COMPLAINED:
        return "complained"
    if event.event_type == EventType.UNSUBSCRIBED:
        return "unsubscribed"
    return None


def handle_tracking_event(
    sender: Any, event: AnymailTrackingEvent, esp_name: str, **kw: Any
) -> None:
    reason = suppression_reason(event)
    if reason is None or not event.recipient:
        return
    detail = f"{esp_name} reported {event.event_type}"
    if event.description or event.mta_response:
        detail += f": {event.description or event.mta_response}"
    suppress_address(email=event.recipient, reason=reason, detail=detail)
