"""Server-side caching of a member's busiest pages (Today, the board, lists, detail pages).

A page is cached per member, per session and per CSRF cookie (the page embeds a token for
that cookie), per local day, and per `User.data_version`, which `DataVersionMiddleware` bumps
after every write request the member makes: any change made through the app makes the next
page render afresh. Whoever else writes what a member's pages show (a task, a coach, staff)
calls `member_data_changed`. Time passing is bounded by MEMBER_PAGE_CACHE_SECONDS and the
local day in the key. Pages with flash messages, htmx partials
and anything but a plain 200 HTML response are never cached.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse

from careertips.core.models import User

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def _key(request: HttpRequest) -> str | None:
    user = request.user
    if request.method != "GET" or not user.is_authenticated:
        return None
    if getattr(request, "htmx", False):
        return None
    csrf_cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    # Without the cookie the page would carry a token no later request could use.
    if not csrf_cookie or len(messages.get_messages(request)):
        return None
    session_key = getattr(request, "session", None) and request.session.session_key
    parts = [
        str(user.pk), str(user.data_version), str(user.local_today()),  # type: ignore[union-attr]
        request.get_full_path(), session_key or "", csrf_cookie,
    ]  # fmt: skip
    return "member-page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def member_page_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serves the member's page from the cache while nothing they did could have changed it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = settings.MEMBER_PAGE_CACHE_SECONDS
        key = _key(request) if seconds else None
        if key is None:
            return view(request, *args, **kwargs)
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if _cacheable(response):
            cache.set(key, (response.content, response["Content-Type"]), seconds)
        return response

    return wrapper


def _cacheable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
        and not any(name.lower().startswith("hx-") for name in response.headers)
    )


def member_data_changed(*member_ids: int | None) -> None:
    """Someone other than the member (a task, a coach, staff) changed what their pages show:
    their cached pages stop being used. Requests of the member's own are covered by
    DataVersionMiddleware."""
    ids = sorted({pk for pk in member_ids if pk is not None})
    if not ids:
        return
    # Every write runs this (the API's inside its transaction): one plain statement costs a
    # tenth of the CPU of building the same UPDATE through the ORM.
    table = connection.ops.quote_name(User._meta.db_table)
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET data_version = data_version + 1 WHERE id IN ({placeholders})",  # noqa: S608 - the table name is ours
            ids,
        )


class DataVersionMiddleware:
    """After any write request by a signed-in member, their cached pages stop being used."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            request.method not in SAFE_METHODS
            and user is not None
            and user.is_authenticated
            and not getattr(request, "member_data_changed", False)  # bumped with the write
        ):
            member_data_changed(user.pk)
        return response
