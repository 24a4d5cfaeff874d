"""Today's light queries, compiled once per process.

Each source's query has the same SQL for every member and every day: only its parameters
change (the member, today, now, the week's bounds). Building it with the ORM and compiling it
costs more than running it, so each is compiled once from two made-up members whose every
input differs, and later calls fill in their own values. A parameter is filled in only when
it is one of the named values below in both made-up builds; one that is the same in both is a
constant of the query (a stage, a status). A query whose SQL differs between the two builds,
or with a parameter that is neither, is not kept: it is built afresh on every call instead.
"""

from __future__ import annotations

import datetime as dt
import threading
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connections
from django.db.models import QuerySet

from careertips.agenda.services.clock import Clock
from careertips.agenda.services.items import HORIZON_DAYS
from careertips.core.models import User

if TYPE_CHECKING:
    from careertips.agenda.services.sources import Context

# Every value of a member's context a query may hold, by name.
NAMED: dict[str, Callable[[Context], Any]] = {
    "owner": lambda ctx: ctx.owner.pk,
    "today": lambda ctx: ctx.today,
    "tomorrow": lambda ctx: ctx.tomorrow,
    "horizon": lambda ctx: ctx.horizon,
    "now": lambda ctx: ctx.clock.now,
    "today_start": lambda ctx: ctx.today_start,
    "tomorrow_start": lambda ctx: ctx.tomorrow_start,
    "horizon_end": lambda ctx: ctx.horizon_end,
    "week_before": lambda ctx: ctx.today_start - dt.timedelta(days=HORIZON_DAYS),
    "follow_up_cutoff": lambda ctx: ctx.today - dt.timedelta(days=ctx.owner.follow_up_days),
}
# Checked on every call against a fresh build when true (the test suite turns it on).
VERIFY = False


@dataclass(frozen=True)
class Prepared:
    sql: str
    # Each parameter: (name, None) for a value of the caller's context, (None, value) for a
    # constant.
    slots: tuple[tuple[str | None, Any], ...]

    def params(self, connection: Any, ctx: Context) -> list[Any]:
        values = {}
        out = []
        for name, constant in self.slots:
            if name is None:
                out.append(constant)
                continue
            if name not in values:
                values[name] = adapt(connection, NAMED[name](ctx))
            out.append(values[name])
        return out


class PreparedMismatch(AssertionError):
    """A prepared query would have run other SQL than a fresh build of it."""


_cache: dict[tuple, Prepared | None] = {}
_lock = threading.Lock()


def adapt(connection: Any, value: Any) -> Any:
    """A value as the ORM passes it to the database."""
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def compiled(
    kind: str, ctx: Context, build: Callable[[Context], QuerySet]
) -> tuple[str, list[Any], str]:
    """The SQL and parameters of `build(ctx)`, and the database alias it runs on."""
    key = (kind, kind in ctx.snoozed_kinds)
    if key not in _cache:
        with _lock:
            if key not in _cache:
                _cache[key] = _prepare(ctx, build)
    prepared = _cache[key]
    if prepared is None or VERIFY:
        rows = build(ctx)
        sql, params = rows.query.get_compiler(using=rows.db).as_sql()
        if prepared is not None:
            filled = prepared.params(connections[rows.db], ctx)
            if (prepared.sql, filled) != (sql, list(params)):
                raise PreparedMismatch(f"{kind}: {sql} {params} but prepared {filled}")
        return sql, list(params), rows.db
    return prepared.sql, prepared.params(connections["default"], ctx), "default"


def _sentinels(ctx: Context) -> tuple[Context, Context]:
    """Two made-up members with nothing in common but which kinds they have snoozed."""
    from careertips.agenda.services.sources import Context

    made = []
    for pk, days, now, zone in (
        (987_654_301, 37, dt.datetime(2911, 3, 14, 5, 6, 7, 123, dt.UTC), "UTC"),
        (987_654_302, 41, dt.datetime(2923, 8, 21, 15, 16, 17, 456, dt.UTC), "Pacific/Chatham"),
    ):
        owner = User(pk=pk, follow_up_days=days)
        clock = Clock(now=now, zone=zoneinfo.ZoneInfo(zone))
        today = clock.today
        horizon = today + dt.timedelta(days=HORIZON_DAYS)
        made.append(Context(owner, clock, today, horizon, ctx.snoozed_kinds))
    return made[0], made[1]


def _prepare(ctx: Context, build: Callable[[Context], QuerySet]) -> Prepared | None:
    first, second = _sentinels(ctx)
    rows = build(first)
    if rows.db != "default":
        return None
    connection = connections[rows.db]
    sql, one = rows.query.get_compiler(using=rows.db).as_sql()
    other_sql, other = build(second).query.get_compiler(using=rows.db).as_sql()
    if sql != other_sql or len(one) != len(other):
        return None
    named = {
        name: (adapt(connection, value(first)), adapt(connection, value(second)))
        for name, value in NAMED.items()
    }
    slots: list[tuple[str | None, Any]] = []
    for a, b in zip(one, other, strict=True):
        if a == b:
            slots.append((None, a))
            continue
        names = [name for name, pair in named.items() if pair == (a, b)]
        if len(names) != 1:
            return None
        slots.append((names[0], None))
    return Prepared(sql, tuple(slots))
