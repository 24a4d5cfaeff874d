"""An API write is one short transaction: the count against the caller's rate limit, the write
through the services and the member's page-cache version commit together.

Counted separately they were three commits per write, each queuing for SQLite's single write
lock (and on PostgreSQL each a round trip and a WAL flush). The transaction covers only the
write itself: reading the token, parsing and checking the input, and reading the answer back
stay outside it, so the lock is held no longer than the write needs. Every write operation
makes its change inside `committing(request)`; reads are counted as they are admitted
(api/auth.py)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from careertips.api.errors import RateLimited
from careertips.api.services.ratelimit import count_request
from careertips.core.pagecache import member_data_changed

# Set by api.auth on an admitted write whose count is still owed.
PENDING = "api_write_owes_count"


@contextmanager
def committing(request: HttpRequest) -> Iterator[None]:
    """The write's transaction: the change, then the count against the limit and the member's
    page version, last, so the two rows every write of a caller updates are locked only for
    the moment before the commit (on PostgreSQL, writes of one token run side by side until
    then). Past the limit the whole transaction rolls back: a 429 with Retry-After, nothing
    written. A change the services refuse rolls back whole and still counts, in a statement of
    its own, before the error goes on to be answered (a savepoint around every change, kept
    for the rare refusal, cost each write two more statements)."""
    identity = getattr(request, PENDING, None)
    setattr(request, PENDING, None)
    changed = False
    try:
        with transaction.atomic():
            yield
            changed = True
            if identity is not None:
                charge(identity)
            member_data_changed(request.user.pk)
    except Exception:
        if identity is not None and not changed:
            charge(identity)
        raise
    request.member_data_changed = True  # type: ignore[attr-defined]


def unnested[F: Callable[..., Any]](service: F) -> F:
    """A service (decorated with transaction.atomic) to call inside `committing`, run in the
    write's own transaction rather than in a savepoint of its own: any error rolls that
    transaction back whole, so the savepoint could never be rolled back to alone, and each
    cost two more statements (a create has two services, so four of its twelve)."""
    if not transaction.get_connection().in_atomic_block:  # then it needs its own
        return service
    return cast(F, getattr(service, "__wrapped__", service))


def count_refused(run: Callable[..., Any]) -> Callable[..., Any]:
    """A write turned away before it reached its transaction (a body that doesn't parse, an
    id that isn't the caller's, input that fails its checks) still counts."""

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
