"""How Today groups and ranks each source's rows: plain SQL around the source's own query, so
that one statement gives each group's first keys and its count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Statement:
    """A source's query read through a wrapper, which takes `bounds` before the query's own
    parameters and the limit after them."""

    wrapper: str
    sql: str
    params: Sequence[Any]
    limit: int
    bounds: Sequence[Any]

    def parts(self, connection: Any) -> tuple[str, tuple[Any, ...]]:
        bounds = (_adapt(connection, b) for b in self.bounds)
        return self.wrapper.format(rows=self.sql), (*bounds, *self.params, self.limit)


# Due dates and moments share one column of the union, as ISO text: SQLite keeps them so
# (cast, so that no branch's declared type converts the others' values), and PostgreSQL's
# JSON form of either is ISO 8601 whatever its DateStyle.
_DUE_AS_TEXT = {"postgresql": "to_json(numbered.agenda_due) #>> '{}'"}
_DUE_STORED = "CAST(numbered.agenda_due AS TEXT)"


def run_all(statements: dict[str, Statement]) -> dict[str, list[tuple]]:
    """Each statement's rows, by its name, from one statement: the statements' rows one after
    another (UNION ALL), each tagged with its place."""
    if not statements:
        return {}
    connection = connections[DEFAULT_DB_ALIAS]
    due = _DUE_AS_TEXT.get(connection.vendor, _DUE_STORED)
    names = list(statements)
    branches: list[str] = []
    params: list[Any] = []
    for place, name in enumerate(names):
        sql, values = statements[name].parts(connection)
        branches.append(
            f"SELECT {place} AS agenda_source, numbered.agenda_pk, numbered.agenda_bucket, "  # noqa: S608 -- our own SQL
            f"{due} AS agenda_due, numbered.agenda_rank, numbered.agenda_total "
            f"FROM ({sql}) numbered"
        )
        params.extend(values)
    found: dict[str, list[tuple]] = {name: [] for name in names}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(branches), params)
        for place, *row in cursor.fetchall():
            found[names[place]].append(tuple(row))
    return found


def run(statement: Statement) -> list[tuple]:
    """One statement's rows."""
    if not statement.sql:  # a query that can have no rows
        return []
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute(*statement.parts(connection))
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
