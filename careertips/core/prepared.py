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

A value of kind `list` is a list of ids for an `__in` lookup (`list[str]`, of text, such as
themes). The query is compiled once for
each length it is called with (duplicates and None dropped first, as the lookup does), so it
suits lists of a bounded size, such as the rows a page shows:

    NOTES = Prepared(lambda pks: Note.objects.filter(pk__in=pks).values_list("pk", "text"),
                     pks=list)

A `wrapper` after `build`, plain SQL that SQLite and PostgreSQL read alike, reads the rows
through an outer query: its `{rows}` is the compiled queryset. Its columns are given as the
driver gives them.

`slice(start, stop, ...)` reads one page of the rows (LIMIT and OFFSET after the compiled
query), `count(...)` counts them, and `PreparedList` hands both to a Paginator.

Where the rows are wanted as model instances (a row a service goes on to save), `build` gives
a queryset of the model itself, perhaps with select_related(), and `instances()` reads it:

    NOTE = Prepared(lambda pk: Note.objects.filter(pk=pk).select_related("owner"), pk=int)
    notes = NOTE.instances(pk=pk)  # a list of Note, each owner filled in as the ORM would
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

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
_FIRST_LIST_MARK = 3_000_000_000  # the ids of a list: a million apart per list
_DAY_ZERO = dt.date(1111, 1, 1)


_COUNTED = "SELECT COUNT(*) FROM ({rows}) counted"


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    # (position in params, argument name, index in the list for a list, else None)
    slots: tuple[tuple[int, str, int | None], ...]
    compiler: Any
    converters: dict[int, Any]
    sliced: bool = False
    # For a queryset of model rows: builds the instance (and its select_related ones) of a row.
    instance: Callable[[tuple[Any, ...]], Any] | None = None


class _Given(NamedTuple):
    """One call's values, as the query reads them, and its SQL compiled for their shape."""

    connection: Any
    values: dict[str, Any]
    compiled: _Compiled


class Prepared:
    """A values() or values_list() query compiled once per database connection (see above)."""

    def __init__(
        self, build: Callable[..., QuerySet[Any]], wrapper: str = "{rows}", /, **kinds: type
    ) -> None:
        self.build = build
        self.wrapper = wrapper
        self.kinds = kinds
        self._lists = [name for name, kind in kinds.items() if _is_list(kind)]
        self._compiled: weakref.WeakKeyDictionary[Any, dict[tuple[int, ...], _Compiled]] = (
            weakref.WeakKeyDictionary()
        )

    def __call__(self, /, **values: Any) -> list[tuple[Any, ...]]:
        return self._rows(self._given(values))

    def slice(self, start: int, stop: int, /, **values: Any) -> list[tuple[Any, ...]]:
        """Rows `start` to `stop` of the query, as a slice of its queryset gives them: a page of
        a list, for whichever page is asked, from the one compiled query. Its build must not
        slice the queryset itself."""
        return self._slice(self._given(values), start, stop)

    def count(self, /, **values: Any) -> int:
        """How many rows the query gives."""
        given = self._given(values)
        if not given.compiled.sql:
            return 0
        with given.connection.cursor() as cursor:
            cursor.execute(_COUNTED.format(rows=given.compiled.sql), self._params(given))
            return int(cursor.fetchone()[0])

    def instances(self, /, **values: Any) -> list[Any]:
        """The rows as model instances, for a `build` that gives a queryset of its model."""
        given = self._given(values)
        return self._made(given, self._rows(given))

    def instance_slice(self, start: int, stop: int, /, **values: Any) -> list[Any]:
        """Instances `start` to `stop`, read as `slice` reads the rows."""
        given = self._given(values)
        return self._made(given, self._slice(given, start, stop))

    def statement(self, /, **values: Any) -> tuple[str, list[Any]]:
        """The SQL and parameters for these values, to run through an outer query of one's
        own; the SQL is empty when the query can have no rows."""
        given = self._given(values)
        return given.compiled.sql, self._params(given)

    def _given(self, values: dict[str, Any]) -> _Given:
        """The values as the query reads them, with its SQL compiled for their shape: worked
        out once per call."""
        connection = connections[DEFAULT_DB_ALIAS]
        values = self._distinct(values)
        return _Given(connection, values, self._compiled_for(connection, values))

    def _params(self, given: _Given) -> list[Any]:
        compiled, values = given.compiled, given.values
        params = list(compiled.params)
        for position, name, index in compiled.slots:
            value = values[name] if index is None else values[name][index]
            params[position] = self._adapt(given.connection, name, value)
        if VERIFY and compiled.sql:
            self._verify(compiled.sql, params, values, DEFAULT_DB_ALIAS)
        return params

    def _slice(self, given: _Given, start: int, stop: int) -> list[tuple[Any, ...]]:
        if given.compiled.sliced:
            raise ValueError("a prepared query that slices its queryset cannot be sliced again")
        if stop <= start:
            return []
        return self._rows(given, " LIMIT %s OFFSET %s", [stop - start, start])

    def _rows(
        self, given: _Given, tail: str = "", more: Sequence[Any] = ()
    ) -> list[tuple[Any, ...]]:
        compiled = given.compiled
        if not compiled.sql:
            return []
        with given.connection.cursor() as cursor:
            cursor.execute(compiled.sql + tail, [*self._params(given), *more])
            rows = cursor.fetchall()
        if compiled.converters:
            rows = [
                tuple(row) for row in compiled.compiler.apply_converters(rows, compiled.converters)
            ]
        return rows

    def _made(self, given: _Given, rows: list[tuple[Any, ...]]) -> list[Any]:
        make = given.compiled.instance
        if make is None:
            raise TypeError("instances() needs a build that gives plain model rows")
        return [make(row) for row in rows]

    def _distinct(self, values: dict[str, Any]) -> dict[str, Any]:
        """Lists as an `__in` lookup reads them: without None, each id once, in order."""
        if not self._lists:
            return values
        lists = {name: list(dict.fromkeys(v for v in values[name] if v is not None))
                 for name in self._lists}  # fmt: skip
        return {**values, **lists}

    def _compiled_for(self, connection: Any, values: dict[str, Any]) -> _Compiled:
        shapes = self._compiled.get(connection)
        if shapes is None:
            shapes = self._compiled[connection] = {}
        shape = tuple(len(values[name]) for name in self._lists)
        compiled = shapes.get(shape)
        if compiled is None:
            compiled = shapes[shape] = self._compile(connection, DEFAULT_DB_ALIAS, shape)
        return compiled

    def _compile(self, connection: Any, using: str, shape: tuple[int, ...]) -> _Compiled:
        lengths = dict(zip(self._lists, shape, strict=True))
        marks = {
            name: self._mark(index, kind, lengths.get(name, 0))
            for index, (name, kind) in enumerate(self.kinds.items())
        }
        rows = self.build(**marks).using(using)
        compiler = rows.query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # e.g. a slice of nothing: no query to run, as with the ORM
            return _Compiled("", (), (), compiler, {})
        adapted: dict[Any, tuple[str, int | None]] = {}
        for name, mark in marks.items():
            if isinstance(mark, list):
                adapted.update((element, (name, i)) for i, element in enumerate(mark))
            else:
                adapted[self._adapt(connection, name, mark)] = (name, None)
        slots = tuple(
            (position, *adapted[param])
            for position, param in enumerate(params)
            if _hashable(param) and param in adapted
        )
        missing = {name for name, mark in marks.items() if mark != []} - {n for _, n, _ in slots}
        if missing:
            raise ValueError(f"build never passes on {', '.join(sorted(missing))}")
        sliced = rows.query.is_sliced
        if self.wrapper != "{rows}":
            return _Compiled(
                self.wrapper.format(rows=sql), tuple(params), slots, compiler, {}, sliced
            )
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(fields)
        instance = _instance_maker(rows, compiler, using)
        return _Compiled(sql, tuple(params), slots, compiler, converters, sliced, instance)

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

    def _mark(self, index: int, kind: type, length: int = 0) -> Any:
        if kind == list[str]:
            return [f"\x00mark{index}.{i}\x00" for i in range(length)]
        if kind is list:
            return [_FIRST_LIST_MARK + index * 1_000_000 + i for i in range(length)]
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
        if _is_list(kind):
            return value
        if kind is dt.datetime:
            return connection.ops.adapt_datetimefield_value(value)
        if kind is dt.date:
            return connection.ops.adapt_datefield_value(value)
        return value


class PreparedList:
    """A prepared query's rows as a Paginator reads them: counted, then read a page at a time,
    each through the query compiled once."""

    def __init__(self, query: Prepared, /, *, counted: Prepared | None = None, **values: Any):
        """counted: a query with as many rows and the same arguments, cheaper to count (the
        rows without their joins for totals, say)."""
        self.query = query
        self.counted = counted or query
        self.values = values

    def count(self) -> int:
        return self.counted.count(**self.values)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[tuple[Any, ...]]:
        if not isinstance(index, slice) or index.step is not None or index.start is None:
            raise TypeError("a prepared list is read a page at a time: list[start:stop]")
        return self.query.slice(index.start, index.stop, **self.values)


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


def _is_list(kind: Any) -> bool:
    """`list` (of ids) or `list[str]` (of text)."""
    return kind is list or kind == list[str]


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


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
