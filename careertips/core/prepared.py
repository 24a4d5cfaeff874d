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
its queryset must be a values() or values_list() query (dicts are given as tuples, in the
order of the values named). The rows come back through the same converters Django's own
iteration uses (aware datetimes, booleans on SQLite...).

A `wrapper` after `build`, plain SQL that SQLite and PostgreSQL read alike, reads the rows
through an outer query: its `{rows}` is the compiled queryset. Its columns are given as the
driver gives them.
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
        return _Compiled(sql, tuple(params), slots, compiler, compiler.get_converters(fields))

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


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def columns(model: type[Model], path: str = "") -> list[str]:
    """What values_list() names to read every column of `model` (reached through the relation
    `path`, such as "contact__organization", when given), in the order its __init__ takes them."""
    prefix = f"{path}__" if path else ""
    return [prefix + field.attname for field in model._meta.concrete_fields]


class PreparedModels[T: Model]:
    """A Prepared query that gives instances of `model`, as iterating the queryset would:
    `build` gives the plain queryset (no values()), `joins` the relations select_related()
    would follow, each a path and the model it reaches. Each instance holds its related rows
    (None for an empty nullable relation), cached where the ORM caches them.

        LATEST = PreparedModels(
            Note,
            lambda owner: Note.objects.filter(owner_id=owner)[:10],
            {"folder": Folder},
            owner=int,
        )
        notes = LATEST(owner=user.pk)  # notes[0].folder needs no query
    """

    def __init__(
        self,
        model: type[T],
        build: Callable[..., QuerySet[T]],
        joins: dict[str, type[Model]] | None = None,
        /,
        **kinds: type,
    ) -> None:
        related: list[tuple[str, type[Model]]] = [("", model), *(joins or {}).items()]
        self.joins = [_Join(path, each) for path, each in related]
        names = [name for join in self.joins for name in columns(join.model, join.path)]
        self.query = Prepared(lambda **values: build(**values).values_list(*names), **kinds)

    def __call__(self, /, **values: Any) -> list[T]:
        return [self._instances(row) for row in self.query(**values)]

    def _instances(self, row: tuple[Any, ...]) -> T:
        made: dict[str, Model | None] = {}
        start = 0
        for join in self.joins:
            end = start + len(join.names)
            values = row[start:end]
            start = end
            made[join.path] = instance = (
                None
                if values[join.pk_index] is None
                else join.model.from_db(DEFAULT_DB_ALIAS, join.names, values)
            )
            if not join.path:
                continue
            parent_path, _, name = join.path.rpartition("__")
            parent = made[parent_path]
            if parent is None:  # select_related() goes no further than an empty relation
                continue
            field = parent._meta.get_field(name)
            field.set_cached_value(parent, instance)  # type: ignore[union-attr]
            if instance is not None and field.unique:  # a one-to-one caches its way back too
                field.remote_field.set_cached_value(instance, parent)  # type: ignore[union-attr]
        return made[""]  # type: ignore[return-value]


class _Join:
    def __init__(self, path: str, model: type[Model]) -> None:
        self.path, self.model = path, model
        self.names = [field.attname for field in model._meta.concrete_fields]
        self.pk_index = model._meta.concrete_fields.index(model._meta.pk)


def set_prefetched(instance: Model, name: str, rows: list[Any]) -> None:
    """Leaves on `instance` what prefetch_related(name) would for the reverse foreign key
    `name`, its rows read some other way: `instance.<name>.all()` gives them without a query,
    and each row's foreign key holds `instance`."""
    manager = getattr(instance, name)
    queryset = manager.get_queryset()  # filtered to the instance, should anyone filter further
    for row in rows:
        manager.field.set_cached_value(row, instance)
    queryset._result_cache = rows
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}  # type: ignore[attr-defined]
    instance._prefetched_objects_cache[name] = queryset  # type: ignore[attr-defined]
