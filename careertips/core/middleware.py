import zoneinfo
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect

from careertips.core import twofactor


class UserTimezoneMiddleware:
    """Shows times in the member's own time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class StaffSignInMiddleware:
    """Practice accounts (`is_staff`) reach no page but their own account pages until they have
    a second factor, and their sessions end sooner than members' (core/twofactor.py)."""

    # Signing in and out, setting up the second factor, email and password stay reachable.
    OPEN_PREFIX = "/accounts/"
    AFTER_SET_UP = "after_second_factor_url"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        staff = user is not None and user.is_authenticated and user.is_staff
        if staff and (response := self.check(request, user)):
            return response
        return self.get_response(request)

    def check(self, request: HttpRequest, user: Any) -> HttpResponse | None:
        if twofactor.staff_session_expired(request):
            logout(request)
            hours = settings.STAFF_SESSION_SECONDS // 3600
            messages.info(request, f"Practice sessions last {hours} hours at most: sign in again.")
            login_url = reverse("account_login")
            return self.redirect(request, f"{login_url}?{urlencode({'next': request.path})}")
        if twofactor.STAFF_SINCE not in request.session:
            twofactor.start_staff_session(request)  # the role was given during the session
        elif not request.session.get_expire_at_browser_close():
            request.session.set_expiry(0)  # "Remember me" does not apply to practice accounts
        if request.path.startswith(self.OPEN_PREFIX):
            return None
        if twofactor.session_has_second_factor(request, user):
            request.session.pop(self.AFTER_SET_UP, None)  # writes only if it was there
            return None
        if request.method == "GET" and not getattr(request, "htmx", False):
            request.session[self.AFTER_SET_UP] = request.get_full_path()
        messages.warning(
            request,
            "Practice accounts sign in with a second factor. Set up an authenticator app to "
            "continue.",
        )
        return self.redirect(request, reverse("mfa_activate_totp"))

    def redirect(self, request: HttpRequest, url: str) -> HttpResponse:
        return HttpResponseClientRedirect(url) if getattr(request, "htmx", False) else redirect(url)
