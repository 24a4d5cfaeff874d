"""The per-caller request limit, counted with one statement per request.

A fixed window per caller: the row's count starts again at 1 when a request arrives in a new
window. One upsert (INSERT ... ON CONFLICT DO UPDATE ... RETURNING, which SQLite and
PostgreSQL both speak) counts the request and answers how many came before it, so every
server process shares the same exact count without the cache's several round trips."""

from __future__ import annotations

import time

from django.db import connection

from careertips.api.models import RateCounter


def count_request(*, identity: str, window: int, now: float | None = None) -> int:
    """Counts one request by `identity` and returns its number within the current window."""
    number = int(now if now is not None else time.time()) // window
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (identity, window_number, count) VALUES (%s, %s, 1) "  # noqa: S608 - the table name is ours
            f"ON CONFLICT (identity) DO UPDATE SET "
            f"count = CASE WHEN {table}.window_number = excluded.window_number "
            f"THEN {table}.count + 1 ELSE 1 END, "
            f"window_number = excluded.window_number "
            f"RETURNING count",
            [identity, number],
        )
        return int(cursor.fetchone()[0])
