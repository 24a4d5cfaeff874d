"""Two-factor sign-in for practice accounts (docs/two-factor.md).

allauth's `mfa` app does the work: authenticator apps, recovery codes, security keys and
the code asked at sign-in. What Career Tips adds: a practice account (`user.is_staff`) must
have a second factor before any page, and its sessions are short. The session remembers that
the account has one, so pages cost no extra query; resetting the factor ends the sessions.
"""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_removed
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from careertips.core.models import User

# Session keys: the account had a second factor when last checked; when the session began.
HAS_SECOND_FACTOR = "careertips.has_second_factor"
STAFF_SINCE = "careertips.staff_since"

SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def has_second_factor(user: User) -> bool:
    """An authenticator app or a security key (recovery codes only stand in for those)."""
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).exists()


def session_has_second_factor(request: HttpRequest, user: User) -> bool:
    if request.session.get(HAS_SECOND_FACTOR):
        return True
    if has_second_factor(user):  # set up in this session, or the role came after sign-in
        request.session[HAS_SECOND_FACTOR] = True
        return True
    return False


def start_staff_session(request: HttpRequest) -> None:
    """Practice sessions end when the browser closes, and STAFF_SESSION_SECONDS after now."""
    request.session.set_expiry(0)
    request.session[STAFF_SINCE] = time.time()


def staff_session_expired(request: HttpRequest) -> bool:
    since = request.session.get(STAFF_SINCE)
    return isinstance(since, float) and time.time() - since > settings.STAFF_SESSION_SECONDS


@receiver(user_logged_in, dispatch_uid="careertips.core.twofactor.on_sign_in")
def on_sign_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """allauth signs in only after the second factor, so the check is done once, here."""
    if request is None or not hasattr(request, "session") or not user.is_staff:
        return
    start_staff_session(request)
    request.session[HAS_SECOND_FACTOR] = has_second_factor(user)


@receiver(authenticator_removed, dispatch_uid="careertips.core.twofactor.on_factor_removed")
def on_factor_removed(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """The next page checks again: a practice account that removed its last factor (allauth
    lets a security key go) is sent to set up another."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(HAS_SECOND_FACTOR, None)


@transaction.atomic
def reset_second_factor(*, user: User) -> int:
    """Removes the account's authenticators and recovery codes and signs it out everywhere,
    so its next sign-in asks for a password only (and a practice account sets up a new
    factor). Returns how many authenticators were removed."""
    removed, _ = Authenticator.objects.filter(user_id=user.pk).delete()
    end_sessions(user=user)
    return removed


def end_sessions(*, user: User) -> None:
    live = Session.objects.filter(expire_date__gt=timezone.now())
    ended = [s.pk for s in live.iterator() if s.get_decoded().get("_auth_user_id") == str(user.pk)]
    Session.objects.filter(pk__in=ended).delete()
