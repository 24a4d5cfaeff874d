"""Protections shared by the public forms: per-IP rate limits, a honeypot and clean one-liners.

Counters live in the configured cache (the database cache in production, so every web
process shares them).
"""

from __future__ import annotations

import hashlib

from django import forms
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

# One notion of the visitor's address for every limit on the site, sign-in included.
from careertips.core.http import client_ip as client_ip

HONEYPOT_FIELD = "website"


def _bucket_key(scope: str, identity: str, window: int) -> str:
    bucket = int(timezone.now().timestamp()) // window
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}:{bucket}"


def hit_limit(*, scope: str, identity: str, limit: int, window: int) -> bool:
    """Counts one attempt; True once `identity` has made more than `limit` in this window."""
    key = _bucket_key(scope, identity, window)
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr: start again
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count > limit


def is_rate_limited(request: HttpRequest, *, scope: str, limit: int, window: int = 3600) -> bool:
    return hit_limit(
        scope=scope, identity=client_ip(request) or "unknown", limit=limit, window=window
    )


class HoneypotMixin(forms.Form):
    """A field people never see; bots that fill every input reveal themselves."""

    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        # Drawn out of sight, not by the field partial (django-stubs lacks this argument).
        template_name="core/forms/honeypot.html",  # type: ignore[call-arg]
    )

    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())


def single_line(value: str, *, label: str) -> str:
    """Names and subjects end up in mail headers: no line breaks or control characters."""
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise forms.ValidationError(f"{label} must be a single line of plain text.")
    return " ".join(value.split())
