"""An API write is one short transaction: the count against the caller's rate limit, the write
through the services and the member's page-cache version commit together.

Counted separately they were three commits per write, each queuing for SQLite's single write
lock (and on PostgreSQL each a round trip and a WAL flush). The transaction covers only the
operation: reading the token, parsing the body and writing the JSON answer stay outside it,
so the lock is held as briefly as the write needs. Reads are counted as they are admitted
(api/auth.py)."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from careertips.api.errors import RateLimited
from careertips.api.services.ratelimit import count_request
from careertips.core.pagecache import member_data_changed

# Set by api.auth on an admitted write whose count is still owed.
PENDING = "api_write_owes_count"


def in_one_transaction(view_func: Callable[..., Any]) -> Callable[..., Any]:
    """Runs an admitted write's operation with its rate count and version bump, in one
    transaction. A refused write (over the limit) writes nothing. A write the services refuse
    still counts: its savepoint rolls back, the count commits, then the error is answered."""

    @wraps(view_func)
    def operation(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        identity = getattr(request, PENDING, None)
        if identity is None:
            return view_func(request, *args, **kwargs)
        setattr(request, PENDING, None)
        failure: Exception | None = None
        with transaction.atomic():
            charge(identity)
            try:
                with transaction.atomic():
                    result = view_func(request, *args, **kwargs)
                    member_data_changed(request.user.pk)
                    request.member_data_changed = True  # type: ignore[attr-defined]
            except Exception as exc:  # answered below, after the count has committed
                failure = exc
        if failure is not None:
            raise failure
        return result

    return operation


def count_refused(run: Callable[..., Any]) -> Callable[..., Any]:
    """A write turned away before its operation ran (a body that doesn't parse) still counts."""

    @wraps(run)
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = run(request, *args, **kwargs)
        identity = getattr(request, PENDING, None)
        if identity is not None:
            setattr(request, PENDING, None)
            count_request(identity=identity, window=settings.API_RATE_WINDOW)
        return response

    return view


def charge(identity: str) -> None:
    """Counts one request; raises RateLimited (a 429 with Retry-After) past the limit."""
    limit, window = settings.API_RATE_LIMIT, settings.API_RATE_WINDOW
    if count_request(identity=identity, window=window) > limit:
        raise RateLimited(retry_after=window - int(time.time()) % window)
