"""Queries a page runs on every view, compiled once per process: building and compiling a
queryset costs the ORM far more than running a small query, and a page with a dozen of
them spends most of its time there.

    LATEST = Prepared(
        lambda owner: Note.objects.filter(owner_id=owner).values_list("pk", "text")[:10],
        owner=int,
    )
    rows = LATEST(owner=user.pk)  # a list of tuples, as values_list gives them

`build` is called once per database connection with stand-in values for its arguments; the
compiled SQL is kept and run again with the real values in their places. So `build` must
only *pass* its arguments into lookups (never branch on them or compute with them), and
its queryset is a values() or values_list() query (dicts are given as tuples, in the
order of the values named), or one of model rows read through `instances()` (below). The
rows come back through the same converters Django's own iteration uses (aware datetimes,
booleans on SQLite...).

A `wrapper` after `build`, plain SQL that SQLite and PostgreSQL read alike, reads the rows
through an outer query: its `{rows}` is the compiled queryset. Its columns are given as the
driver gives them.

Where the rows are wanted as model instances (a row a service goes on to save), `build` gives
a queryset of the model itself, perhaps with select_related(), and `instances()` reads it:

    NOTE = Prepared(lambda pk: Note.objects.filter(pk=pk).select_related("owner"), pk=int)
    notes = NOTE.instances(pk=pk)  # a list of Note, each owner filled in as the ORM would
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

# Checked on every call against a fresh build when true (the test suite turns it on), so that a
# build that branches on its values, or a value the ORM rewrites, fails a test.
VERIFY = False


class PreparedMismatch(AssertionError):
    pass


# Stand-ins no real value takes: ints past any row id a database here hands out; days and
# moments in a year no search reaches.
_FIRST_MARK = 2_147_480_000
_DAY_ZERO = dt.date(1111, 1, 1)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]  # (position in params, argument name)
    compiler: Any
    converters: dict[int, Any]
    # For a queryset of model rows: builds the instance (and its select_related ones) of a row.
    instance: Callable[[tuple[Any, ...]], Any] | None = None


class Prepared:
    def __init__(
        self, build: Callable[..., QuerySet[Any]], wrapper: str = "{rows}", /, **kinds: type
    ) -> None:
        self.build = build
        self.wrapper = wrapper
        self.kinds = kinds
        self._compiled: weakref.WeakKeyDictionary[Any, _Compiled] = weakref.WeakKeyDictionary()

    def __call__(self, /, **values: Any) -> list[tuple[Any, ...]]:
        compiled = self._compiled_for(connections[DEFAULT_DB_ALIAS])
        if not compiled.sql:
            return []
        sql, params = self.statement(**values)
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = [
                tuple(row) for row in compiled.compiler.apply_converters(rows, compiled.converters)
            ]
        return rows

    def instances(self, /, **values: Any) -> list[Any]:
        """The rows as model instances, for a `build` that gives a queryset of its model."""
        rows = self(**values)
        make = self._compiled_for(connections[DEFAULT_DB_ALIAS]).instance
        if make is None:
            raise TypeError("instances() needs a build that gives plain model rows")
        return [make(row) for row in rows]

    def statement(self, /, **values: Any) -> tuple[str, list[Any]]:
        """The SQL and parameters for these values, to run through an outer query of one's
        own; the SQL is empty when the query can have no rows."""
        connection = connections[DEFAULT_DB_ALIAS]
        compiled = self._compiled_for(connection)
        params = list(compiled.params)
        for position, name in compiled.slots:
            params[position] = self._adapt(connection, name, values[name])
        if VERIFY and compiled.sql:
            self._verify(compiled.sql, params, values, DEFAULT_DB_ALIAS)
        return compiled.sql, params

    def _compiled_for(self, connection: Any) -> _Compiled:
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = self._compile(connection, DEFAULT_DB_ALIAS)
        return compiled

    def _compile(self, connection: Any, using: str) -> _Compiled:
        marks = {
            name: self._mark(index, kind) for index, (name, kind) in enumerate(self.kinds.items())
        }
        rows = self.build(**marks).using(using)
        compiler = rows.query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # e.g. a slice of nothing: no query to run, as with the ORM
            return _Compiled("", (), (), compiler, {})
        adapted = {self._adapt(connection, name, mark): name for name, mark in marks.items()}
        slots = tuple(
            (position, adapted[param])
            for position, param in enumerate(params)
            if _hashable(param) and param in adapted
        )
        missing = set(marks) - {name for _, name in slots}
        if missing:
            raise ValueError(f"build never passes on {', '.join(sorted(missing))}")
        if self.wrapper != "{rows}":
            return _Compiled(self.wrapper.format(rows=sql), tuple(params), slots, compiler, {})
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(fields)
        instance = _instance_maker(rows, compiler, using)
        return _Compiled(sql, tuple(params), slots, compiler, converters, instance)

    def _verify(self, sql: str, params: list[Any], values: dict[str, Any], using: str) -> None:
        rows = self.build(**values).using(using)
        try:
            fresh_sql, fresh = rows.query.get_compiler(using=using).as_sql()
        except EmptyResultSet:
            fresh_sql, fresh = "", ()
        if fresh_sql:
            fresh_sql = self.wrapper.format(rows=fresh_sql)
        if (fresh_sql, list(fresh)) != (sql, params):
            raise PreparedMismatch(f"{sql} {params} but built {fresh_sql} {list(fresh)}")

    def _mark(self, index: int, kind: type) -> Any:
        if kind is int:
            return _FIRST_MARK + index
        if kind is dt.datetime:
            return dt.datetime.combine(_DAY_ZERO + dt.timedelta(days=index), dt.time(), dt.UTC)
        if kind is dt.date:
            return _DAY_ZERO + dt.timedelta(days=index)
        if kind is str:
            return f"\x00mark{index}\x00"
        raise TypeError(f"no stand-in for {kind.__name__}")

    def _adapt(self, connection: Any, name: str, value: Any) -> Any:
        """The value as the ORM hands it to the driver for a lookup on a field of its kind."""
        kind = self.kinds[name]
        if kind is dt.datetime:
            return connection.ops.adapt_datetimefield_value(value)
        if kind is dt.date:
            return connection.ops.adapt_datefield_value(value)
        return value


def _instance_maker(
    rows: QuerySet[Any], compiler: Any, using: str
) -> Callable[[tuple[Any, ...]], Model] | None:
    """What Django's own iteration of model rows (ModelIterable) does with each row, its
    column positions worked out once; None for values, annotations, or a fetch mode that
    tracks peers (rows read one call at a time have none)."""
    klass_info, select = compiler.klass_info, compiler.select
    fetch_mode = rows._fetch_mode  # type: ignore[attr-defined]  # how the ORM would read them
    if not klass_info or compiler.annotation_col_map or fetch_mode.track_peers:
        return None
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    names = [column[0].target.attname for column in select[start:end]]
    model = klass_info["model"]
    populators = get_related_populators(klass_info, select, using, fetch_mode)

    def make(row: tuple[Any, ...]) -> Model:
        instance = model.from_db(using, names, row[start:end], fetch_mode=fetch_mode)
        for populator in populators:
            populator.populate(row, instance)
        return instance

    return make


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
