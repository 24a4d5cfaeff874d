"""Signed links for subscribers: confirm and unsubscribe without logging in.

Tokens carry the subscriber id and their email, so a token stops working if the row is
re-used for another address. Unsubscribe tokens never expire (an old issue's link must work).
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from careertips.newsletter.models import Subscriber

CONFIRM_MAX_AGE = 7 * 24 * 3600


# Confirmation links expire, so they carry a timestamp; unsubscribe links never expire and
# stay the same for a subscriber, so every issue carries the same link.
TIMESTAMPED_PURPOSES = {"confirm"}


def _signer(purpose: str) -> signing.Signer:
    salt = f"newsletter.{purpose}"
    if purpose in TIMESTAMPED_PURPOSES:
        return signing.TimestampSigner(salt=salt)
    return signing.Signer(salt=salt)


def make_token(*, purpose: str, subscriber: Subscriber) -> str:
    return _signer(purpose).sign_object([subscriber.pk, subscriber.email.lower()], compress=False)


def read_token(*, purpose: str, token: str, max_age: int | None = None) -> Subscriber | None:
    """The subscriber the token names, or None for a bad, expired or stale token."""
    signer = _signer(purpose)
    try:
        if isinstance(signer, signing.TimestampSigner):
            pk, email = signer.unsign_object(token, max_age=max_age)
        else:
            pk, email = signer.unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return Subscriber.objects.filter(pk=pk, email__iexact=email).first()


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def confirm_url(subscriber: Subscriber) -> str:
    token = make_token(purpose="confirm", subscriber=subscriber)
    return absolute(reverse("newsletter:confirm", args=[token]))


def unsubscribe_url(subscriber: Subscriber) -> str:
    """The link in the body: opens a page that asks before unsubscribing."""
    token = make_token(purpose="unsubscribe", subscriber=subscriber)
    return absolute(reverse("newsletter:unsubscribe", args=[token]))


def one_click_unsubscribe_url(subscriber: Subscriber) -> str:
    """The List-Unsubscribe URL: a POST with List-Unsubscribe=One-Click unsubscribes (RFC 8058)."""
    token = make_token(purpose="unsubscribe", subscriber=subscriber)
    return absolute(reverse("newsletter:one-click-unsubscribe", args=[token]))


def list_unsubscribe_headers(subscriber: Subscriber) -> dict[str, str]:
    mailto = settings.NEWSLETTER_UNSUBSCRIBE_MAILTO
    token = make_token(purpose="unsubscribe", subscriber=subscriber)
    return {
        "List-Unsubscribe": f"<{one_click_unsubscribe_url(subscriber)}>, "
        f"<mailto:{mailto}?subject=unsubscribe%20{token}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": settings.NEWSLETTER_LIST_ID,
    }


def _bounce_mac(pk: int, email: str) -> str:
    # Hex, not base64: some mail servers change the case of the local part on the way back.
    return salted_hmac(
        "newsletter.bounce", f"{pk}:{email.lower()}", algorithm="sha256"
    ).hexdigest()[:20]


def verp_address(subscriber: Subscriber) -> str:
    """The envelope sender (Return-Path) for this subscriber's copy: bounces come back to
    `bounces+<id>.<mac>@domain` and name the subscriber whatever the bounce's format. Empty
    when NEWSLETTER_BOUNCE_ADDRESS is not set."""
    address = getattr(settings, "NEWSLETTER_BOUNCE_ADDRESS", "")
    if not address or subscriber.pk is None:
        return ""
    local, _, domain = address.rpartition("@")
    return f"{local}+{subscriber.pk}.{_bounce_mac(subscriber.pk, subscriber.email)}@{domain}"


def read_verp_address(address: str) -> Subscriber | None:
    """The subscriber a VERP return path names, or None for any other or forged address."""
    local = address.strip().strip("<>").rpartition("@")[0]
    token = local.partition("+")[2].lower()
    pk, _, mac = token.partition(".")
    if not pk.isdigit() or not mac:
        return None
    subscriber = Subscriber.objects.filter(pk=int(pk)).first()
    if subscriber is None or not constant_time_compare(
        mac, _bounce_mac(subscriber.pk, subscriber.email)
    ):
        return None
    return subscriber
