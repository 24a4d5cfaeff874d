"""Check constraints that validate in Python.

Django validates a `CheckConstraint` by building and running a `SELECT 1 WHERE …` query, one
per constraint, on every `full_clean()` and every model form. Ours are plain comparisons of
a row's own fields (`stage IN (…)`, `pay_min <= pay_max`, `title <> ''`), so this subclass
evaluates them on the instance instead, with SQL's three-valued logic: a comparison with NULL
is unknown, and a check fails only when its condition is false. A condition it cannot judge
exactly (a join, a function, strings ordered by a database collation) goes to the database as
before. The database still enforces every constraint; this only answers the form sooner.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import F, Q

# Values that Python orders as the database does (strings are ordered by a collation).
_ORDERED = (int, float, Decimal, dt.date, dt.datetime, dt.time, dt.timedelta)
_COMPARE = {
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
}
_LOOKUPS = {"exact", "in", "isnull", *_COMPARE}


class _Unsupported(Exception):
    """The condition needs the database to judge it."""


class CheckConstraint(models.CheckConstraint):
    def validate(
        self,
        model: type[models.Model],
        instance: models.Model,
        exclude: Any = None,
        using: str = DEFAULT_DB_ALIAS,
    ) -> None:
        if exclude and self._expression_refs_exclude(model, self.condition, exclude):  # type: ignore[attr-defined]
            return
        try:
            verdict = judge(Q(self.condition), model, instance)
        except _Unsupported:
            super().validate(model, instance, exclude=exclude, using=using)
            return
        if verdict is False:  # unknown (NULL) passes, as in the database
            raise ValidationError(
                self.get_violation_error_message(), code=self.violation_error_code
            )

    def deconstruct(self) -> Any:
        # Migrations record Django's own class: the table's constraint is the same.
        _, args, kwargs = super().deconstruct()
        return "django.db.models.CheckConstraint", args, kwargs


def judge(node: Q, model: type[models.Model], instance: models.Model) -> bool | None:
    """True, False or None (unknown) for `node` on `instance`; raises if it cannot tell."""
    verdicts = [
        judge(child, model, instance) if isinstance(child, Q) else _lookup(child, model, instance)
        for child in node.children
    ]
    if node.connector == Q.AND:
        verdict = False if False in verdicts else (None if None in verdicts else True)
    elif node.connector == Q.OR:
        verdict = True if True in verdicts else (None if None in verdicts else False)
    else:
        raise _Unsupported(node.connector)
    if node.negated:
        return None if verdict is None else not verdict
    return verdict


def _lookup(child: Any, model: type[models.Model], instance: models.Model) -> bool | None:
    if not isinstance(child, tuple) or len(child) != 2:
        raise _Unsupported(child)
    path, expected = child
    name, _, lookup = path.partition("__")
    lookup = lookup or "exact"
    if lookup not in _LOOKUPS:
        raise _Unsupported(path)  # a join, a transform or a lookup judged only by the database
    value = _value(name, model, instance)
    if lookup == "isnull":
        return (value is None) == bool(expected)
    if isinstance(expected, F):
        expected = _value(expected.name, model, instance)  # type: ignore[attr-defined]
    elif hasattr(expected, "resolve_expression"):
        raise _Unsupported(expected)
    if lookup == "in":
        if value is None:
            return None
        return value in list(expected)
    if value is None or expected is None:
        return None
    if lookup == "exact":
        return bool(value == expected)
    if lookup in _COMPARE:
        if not (isinstance(value, _ORDERED) and isinstance(expected, _ORDERED)):
            raise _Unsupported(path)
        try:
            return bool(_COMPARE[lookup](value, expected))
        except TypeError as error:  # a date against a datetime, say
            raise _Unsupported(path) from error
    raise _Unsupported(lookup)  # pragma: no cover - _LOOKUPS lists only the ones above


def _value(name: str, model: type[models.Model], instance: models.Model) -> Any:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist as error:
        raise _Unsupported(name) from error
    if not getattr(field, "concrete", False) or getattr(field, "generated", False):
        raise _Unsupported(name)
    value = getattr(instance, field.attname)
    if hasattr(value, "resolve_expression"):
        raise _Unsupported(name)
    return value
