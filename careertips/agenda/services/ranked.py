"""How Today groups and ranks each source's rows: plain SQL around the source's own query, so
that one statement gives each group's first keys and its count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from careertips.agenda.services.items import OVERDUE, SOON, TODAY

# The grouping and ranking wrap the source's own query rather than going through the ORM's
# conditional expressions and window filtering, which compile every expression several times
# over (most of Today's cost). Plain SQL that SQLite and PostgreSQL read alike; the bounds
# are compared with the due value as the ORM would (the same adapted parameters); due dates
# tie on the primary key.
_GROUPED = (
    "SELECT base.agenda_pk, base.agenda_due, CASE WHEN base.agenda_due < %s THEN {overdue} "
    "{today}ELSE {soon} END AS agenda_bucket FROM ({{rows}}) base"
)
_RANKED = (
    "SELECT agenda_pk, agenda_bucket, agenda_due, agenda_rank, agenda_total FROM ("
    "SELECT grouped.agenda_pk, grouped.agenda_bucket, grouped.agenda_due, "
    "ROW_NUMBER() OVER (PARTITION BY grouped.agenda_bucket "
    "ORDER BY grouped.agenda_due, grouped.agenda_pk) AS agenda_rank, "
    "COUNT(*) OVER (PARTITION BY grouped.agenda_bucket) AS agenda_total "
    "FROM ({grouped}) grouped) ranked WHERE agenda_rank <= %s"
)
RANKED_IN_THREE = _RANKED.format(
    grouped=_GROUPED.format(
        overdue=OVERDUE, today=f"WHEN base.agenda_due < %s THEN {TODAY} ", soon=SOON
    )
)
RANKED_IN_TWO = _RANKED.format(grouped=_GROUPED.format(overdue=OVERDUE, today="", soon=TODAY))


def run(
    wrapper: str, sql: str, params: Iterable[Any], limit: int, bounds: Iterable[Any]
) -> list[tuple]:
    """A query's SQL read through a wrapper, which takes `bounds` before the query's own
    parameters and the limit after them."""
    if not sql:  # a query that can have no rows
        return []
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute(
            wrapper.format(rows=sql), (*(_adapt(connection, b) for b in bounds), *params, limit)
        )
        return cursor.fetchall()


def _adapt(connection: Any, value: dt.date) -> Any:
    """A bound as the database compares it: as the ORM passes a date or a moment."""
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return connection.ops.adapt_datefield_value(value)


def from_db(value: Any) -> Any:
    """A due date or moment read past the ORM: SQLite gives computed ones as text, and
    moments as naive UTC."""
    if isinstance(value, str):
        value = parse_date(value) or parse_datetime(value)
    if isinstance(value, dt.datetime) and timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value
