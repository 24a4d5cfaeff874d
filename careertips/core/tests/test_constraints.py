"""Check constraints judged in Python agree with the database, row for row."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from careertips.core.constraints import CheckConstraint, _Unsupported, judge
from careertips.pipeline.models import Opportunity

pytestmark = pytest.mark.django_db

SAMPLES_PER_CONSTRAINT = 80


def _check_constraints() -> list[tuple[type[models.Model], models.CheckConstraint]]:
    return [
        (model, constraint)
        for model in apps.get_models()
        if model.__module__.startswith("careertips.")
        for constraint in model._meta.constraints
        if isinstance(constraint, models.CheckConstraint)
    ]


def _names_and_values(node: Q) -> tuple[set[str], list[Any]]:
    names, values = set(), []
    for child in node.children:
        if isinstance(child, Q):
            more_names, more_values = _names_and_values(child)
            names |= more_names
            values += more_values
            continue
        path, expected = child
        names.add(path.split("__")[0])
        if isinstance(expected, F):
            names.add(expected.name)
        elif isinstance(expected, (list, tuple, set, frozenset)):
            values += list(expected)
        else:
            values.append(expected)
    return names, values


def _pool(field: models.Field, mentioned: list[Any]) -> list[Any]:
    """Values worth trying for a field: NULL, edges, the constraint's own figures, nonsense."""
    numbers = [v for v in mentioned if isinstance(v, (int, Decimal)) and not isinstance(v, bool)]
    edges = sorted({*numbers, *(n - 1 for n in numbers), *(n + 1 for n in numbers), 0, 1, 5})
    if isinstance(field, models.ForeignKey):
        return [None, 1, 2]
    if isinstance(field, models.BooleanField):
        return [None, True, False]
    if isinstance(field, models.DecimalField):
        return [None, *(Decimal(n) for n in edges), Decimal("0.5")]
    if isinstance(field, (models.IntegerField, models.FloatField)):
        return [None, *edges]
    if isinstance(field, models.DateTimeField):
        base = dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC)
        return [None, base, base + dt.timedelta(hours=2), base - dt.timedelta(days=3)]
    if isinstance(field, models.DateField):
        return [None, dt.date(2026, 5, 1), dt.date(2026, 5, 2), dt.date(2025, 12, 31)]
    choices = [value for value, _ in (field.choices or [])]
    strings = [v for v in mentioned if isinstance(v, str)]
    return [None, "", "x", "not-a-choice", *choices[:6], *strings[:6]]


def _cases(model: type[models.Model], constraint: models.CheckConstraint, rng: random.Random):
    names, mentioned = _names_and_values(Q(constraint.condition))
    fields = [model._meta.get_field(name) for name in sorted(names)]
    pools = [_pool(field, mentioned) for field in fields]
    combos = list(itertools.product(*pools))
    rng.shuffle(combos)
    for combo in combos[:SAMPLES_PER_CONSTRAINT]:
        instance = model()
        for field, value in zip(fields, combo, strict=True):
            setattr(instance, field.attname, value)
        yield instance, dict(zip(names, combo, strict=False))


def _database_passes(model, constraint, instance) -> bool:
    try:
        models.CheckConstraint.validate(constraint, model, instance)
    except ValidationError:
        return False
    return True


def test_it_uses_the_python_check_for_every_constraint_of_the_project():
    found = _check_constraints()
    assert len(found) > 50
    others = [f"{m.__name__}.{c.name}" for m, c in found if not isinstance(c, CheckConstraint)]
    assert others == []


def test_it_judges_every_constraint_as_the_database_does():
    rng = random.Random(20261206)  # noqa: S311 - a fixed sample of rows, not a secret
    disagreements, compared, unsupported = [], 0, []
    for model, constraint in _check_constraints():
        for instance, values in _cases(model, constraint, rng):
            try:
                verdict = judge(Q(constraint.condition), model, instance)
            except _Unsupported:
                unsupported.append(constraint.name)
                break
            compared += 1
            if (verdict is not False) != _database_passes(model, constraint, instance):
                disagreements.append((constraint.name, values, verdict))
    assert disagreements == []
    assert unsupported == []  # every constraint of ours is simple enough to judge here
    assert compared > 1000


def test_it_reports_a_violation_with_the_constraint_message():
    opportunity = Opportunity(pay_min=120_000, pay_max=90_000)
    constraint = next(
        c for c in Opportunity._meta.constraints if c.name.endswith("pay_range_ordered")
    )
    with pytest.raises(ValidationError) as raised:
        constraint.validate(Opportunity, opportunity)
    assert raised.value.messages == [constraint.get_violation_error_message()]


def test_it_treats_a_comparison_with_null_as_unknown_and_lets_it_pass():
    opportunity = Opportunity(applied_on=dt.date(2026, 1, 2), found_on=None)
    condition = Q(applied_on__isnull=True) | Q(applied_on__gte=F("found_on"))
    assert judge(condition, Opportunity, opportunity) is None
    assert judge(~Q(applied_on__gte=F("found_on")), Opportunity, opportunity) is None


def test_it_leaves_string_ordering_and_joins_to_the_database():
    opportunity = Opportunity(title="b", location="a")
    with pytest.raises(_Unsupported):
        judge(Q(title__gt=F("location")), Opportunity, opportunity)
    with pytest.raises(_Unsupported):
        judge(Q(organization__name="x"), Opportunity, opportunity)


def test_it_skips_constraints_on_excluded_fields_as_django_does():
    opportunity = Opportunity(pay_min=120_000, pay_max=90_000)
    constraint = next(
        c for c in Opportunity._meta.constraints if c.name.endswith("pay_range_ordered")
    )
    constraint.validate(Opportunity, opportunity, exclude={"pay_max"})  # no error


def test_it_keeps_migrations_pointing_at_djangos_class():
    constraint = CheckConstraint(condition=Q(id__gt=0), name="positive")
    assert constraint.deconstruct()[0] == "django.db.models.CheckConstraint"
