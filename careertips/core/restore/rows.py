"""The rows of an archive, made again for another account.

Generic over every model an app exports as `Rows`: each field is read back with the
model's own field (so a field an app adds later comes back with no work), every foreign
key is pointed at the new id of the row it named, and each app's files come back in the
order its `account_data.RESTORE_AFTER` asks for. A nullable reference to a row restored
later (or to a row of the same file) is set once every row is there; many-to-many links
last. Rows are checked in full (`decode`, `check_references`) before `write` creates any.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models

from careertips.core.account_data import Rows, app_modules, declared_exports
from careertips.core.models import User

BATCH = 500
USER = "core.User"


def restore_plan() -> list[Rows]:
    """Every file that comes back, in the order it comes back: apps after the apps their
    `RESTORE_AFTER` names, each app's files in its `EXPORTS` order."""
    by_app = {module.__name__.split(".")[1]: module for module in app_modules()}
    ordered: list[str] = []

    def visit(app: str, path: tuple[str, ...]) -> None:
        if app in ordered:
            return
        if app in path:
            raise ImproperlyConfigured(f"RESTORE_AFTER goes round in a circle: {path}")
        if app not in by_app:
            raise ImproperlyConfigured(f"RESTORE_AFTER names {app}, which has no account_data")
        for before in getattr(by_app[app], "RESTORE_AFTER", ()):
            visit(before, (*path, app))
        ordered.append(app)

    for app in by_app:
        visit(app, ())
    return [
        export
        for app in ordered
        for export in getattr(by_app[app], "EXPORTS", [])
        if isinstance(export, Rows) and not export.restore.skip
    ]


def not_restored() -> list[Rows]:
    return [e for e in declared_exports() if isinstance(e, Rows) and e.restore.skip]


@dataclass
class Record:
    """One archived row, its plain fields read back, its references still old ids."""

    old_id: int
    values: dict[str, Any]
    refs: dict[str, int | None] = field(default_factory=dict)
    links: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class Part:
    export: Rows
    model: type[models.Model]
    records: list[Record]


def label(model: type[models.Model] | Any) -> str:
    return model._meta.label


def decode(export: Rows, rows: Any) -> Part:
    """The file's rows read back with the model's fields; a clear error for anything that
    is not what this version of the model can hold."""
    name = export.name
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ValidationError(f"{name} in the archive is not a list of records.")
    model = export.model
    fields = _fields(export)
    links = {f"{f.name}_ids": f for f in _links(model)}
    known = {"id", *fields, *links, *(f"{f.name}_ids" for f in model._meta.many_to_many)}
    records, seen = [], set()
    for row in rows:
        old_id = row.get("id")
        if not _is_id(old_id) or old_id in seen:
            raise ValidationError(f"{name}: a record has no id, or one another record has.")
        seen.add(old_id)
        if unknown := sorted(set(row) - known):
            raise ValidationError(
                f"{name}: records have fields this version does not know ({', '.join(unknown)}):"
                " the archive comes from a newer Career Tips. Update it, then restore."
            )
        record = _record(name, old_id, row, fields, links)
        for key in export.restore.id_lists:
            listed = record.values.get(key, [])
            if not isinstance(listed, list) or not all(_is_id(i) for i in listed):
                raise ValidationError(f"{name}, record {old_id}: {key} is not a list of ids.")
        records.append(record)
    return Part(export=export, model=model, records=records)


def _fields(export: Rows) -> dict[str, models.Field]:
    return {
        f.attname: f
        for f in export.model._meta.concrete_fields
        if not f.primary_key and f.name not in export.exclude and not f.generated
    }


def _links(model: type[models.Model]) -> list[models.ManyToManyField]:
    """Many-to-many fields kept in the row; those with their own model (an event's
    attendance) come back through that model's file."""
    return [f for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _record(
    name: str,
    old_id: int,
    row: dict[str, Any],
    fields: dict[str, models.Field],
    links: dict[str, models.ManyToManyField],
) -> Record:
    record = Record(old_id=old_id, values={})
    for attname, model_field in fields.items():
        if attname not in row:
            continue  # not exported (a secret): the model's default
        raw = row[attname]
        if model_field.is_relation:
            if raw is not None and not _is_id(raw):
                raise ValidationError(f"{name}, record {old_id}: {attname} is not an id.")
            record.refs[attname] = raw
        else:
            record.values[attname] = _value(name, old_id, model_field, raw)
    for key, link in links.items():
        ids = row.get(key, [])
        if not isinstance(ids, list) or not all(_is_id(i) for i in ids):
            raise ValidationError(f"{name}, record {old_id}: {key} is not a list of ids.")
        record.links[link.name] = ids
    return record


def _value(name: str, old_id: int, model_field: models.Field, raw: Any) -> Any:
    where = f"{name}, record {old_id}, {model_field.name}"
    if raw is None:
        if not model_field.null:
            raise ValidationError(f"{where}: a value is missing.")
        return None
    try:
        value = model_field.to_python(raw)
        model_field.validate(value, None)  # type: ignore[arg-type]
        if value not in model_field.empty_values:
            model_field.run_validators(value)
    except ValidationError as error:
        # Rows the app wrote itself may leave a "required" text empty; anything else is wrong.
        problems = [e for e in error.error_list if e.code != "blank"]
        if problems:
            raise ValidationError(f"{where}: {problems[0].messages[0]}") from None
    except (TypeError, ValueError):
        raise ValidationError(f"{where}: not a value it can hold.") from None
    return value


def check_references(parts: list[Part]) -> None:
    """Every reference to a restored kind of row names a row of the archive."""
    present = {label(part.model): {r.old_id for r in part.records} for part in parts}
    for part in parts:
        fields = _fields(part.export)
        for record in part.records:
            for attname, old in record.refs.items():
                target = label(fields[attname].related_model)
                if old is not None and target in present and old not in present[target]:
                    raise ValidationError(
                        f"{part.export.name}, record {record.old_id}: {attname} names a "
                        "record the archive does not hold."
                    )
            for name, ids in record.links.items():
                target = label(part.model._meta.get_field(name).related_model)
                if target in present and not set(ids) <= present[target]:
                    raise ValidationError(
                        f"{part.export.name}, record {record.old_id}: {name} names a record "
                        "the archive does not hold."
                    )


class Writer:
    """Creates the decoded rows for `user`, remembering each row's new id by its old one
    (None: the row did not come back)."""

    def __init__(self, *, user: User, account_id: int) -> None:
        self.user = user
        self.account_id = account_id
        self.ids: dict[str, dict[int, int | None]] = defaultdict(dict)
        self.done: set[str] = set()
        self.later: list[tuple[models.Model, str, str, int]] = []
        self.counts: dict[str, int] = {}
        self.restored: set[str] = set()

    def write(self, parts: list[Part]) -> dict[str, int]:
        self.restored = {label(part.model) for part in parts}
        for part in parts:
            self._write_part(part)
            self.done.add(label(part.model))
        self._set_later()
        for part in parts:
            self._link(part)
        return self.counts

    def _write_part(self, part: Part) -> None:
        fields = _fields(part.export)
        restore = part.export.restore
        made: list[tuple[Record, models.Model]] = []
        ids = self.ids[label(part.model)]
        for record in part.records:
            if restore.existing and (found := restore.existing(self.user, self._row(record))):
                ids[record.old_id] = found
                continue
            instance = self._instance(part, record, fields)
            if instance is None:
                ids[record.old_id] = None
            else:
                made.append((record, instance))
        created = part.model._default_manager.bulk_create([i for _, i in made], batch_size=BATCH)
        for (record, _), row in zip(made, created, strict=True):
            ids[record.old_id] = row.pk
        self._keep_auto_now(part.model, made)
        self.counts[part.export.name] = len(made)

    def _row(self, record: Record) -> dict[str, Any]:
        return {**record.values, **record.refs}

    def _instance(
        self, part: Part, record: Record, fields: dict[str, models.Field]
    ) -> models.Model | None:
        """The new row, or None when it is not the member's to restore."""
        values = dict(record.values)
        later: list[tuple[str, str, int]] = []
        for attname, old in record.refs.items():
            model_field = fields[attname]
            target = label(model_field.related_model)
            new = self._new_id(target, old, nullable=model_field.null)
            if new is _LATER:
                values[attname] = None
                later.append((attname, target, old))  # type: ignore[arg-type]
            elif new is _NOT_HERE:
                return None
            else:
                values[attname] = new
        restore = part.export.restore
        if restore.object_field:
            target = restore.object_models.get(values.get("kind", ""), "")
            new = self.ids.get(target, {}).get(values.get(restore.object_field, 0))
            if new is None:
                return None  # about a row that did not come back
            values[restore.object_field] = new
        for key, target in restore.id_lists.items():
            if key in values:
                new_ids = (self.ids[target].get(i) for i in values[key])
                values[key] = [i for i in new_ids if i is not None]
        instance = part.model(**values)
        self.later.extend((instance, a, t, o) for a, t, o in later)
        return instance

    def _new_id(self, target: str, old: int | None, *, nullable: bool) -> Any:
        if old is None:
            return None
        if target == USER:
            if old == self.account_id:
                return self.user.pk
            # Another account (the member's coach): its name stays on the row.
            return None if nullable else _NOT_HERE
        if target not in self.done:
            if target in self.restored:
                if not nullable:
                    raise ImproperlyConfigured(f"{target} must come back earlier")
                return _LATER
            return None if nullable else _NOT_HERE  # a kind of row that does not come back
        new = self.ids[target].get(old)
        if new is None:
            return None if nullable else _NOT_HERE
        return new

    def _keep_auto_now(
        self, model: type[models.Model], made: list[tuple[Record, models.Model]]
    ) -> None:
        """bulk_create stamps "updated at" with now: put back the archived times."""
        stamped = [
            f.attname
            for f in model._meta.concrete_fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        kept = [a for a in stamped if any(a in r.values for r, _ in made)]
        if not kept or not made:
            return
        for record, instance in made:
            for attname in kept:
                if attname in record.values:
                    setattr(instance, attname, record.values[attname])
        model._default_manager.bulk_update([i for _, i in made], kept, batch_size=BATCH)

    def _set_later(self) -> None:
        by_model: dict[type[models.Model], list[tuple[models.Model, str]]] = defaultdict(list)
        for instance, attname, target, old in self.later:
            new = self.ids[target].get(old)
            if new is not None:
                setattr(instance, attname, new)
                by_model[type(instance)].append((instance, attname))
        for model, changes in by_model.items():
            attnames = sorted({a for _, a in changes})
            rows = list({id(i): i for i, _ in changes}.values())
            model._default_manager.bulk_update(rows, attnames, batch_size=BATCH)

    def _link(self, part: Part) -> None:
        ids = self.ids[label(part.model)]
        for link in _links(part.model):
            through: Any = link.remote_field.through
            source = link.m2m_field_name() + "_id"
            target = link.m2m_reverse_field_name() + "_id"
            targets = self.ids[label(link.related_model)]
            pairs = {
                (ids[record.old_id], targets[old])
                for record in part.records
                if ids.get(record.old_id) is not None
                for old in record.links.get(link.name, [])
                if targets.get(old) is not None
            }
            through.objects.bulk_create(
                [through(**{source: s, target: t}) for s, t in sorted(pairs)],
                batch_size=BATCH,
            )


_LATER = object()
_NOT_HERE = object()
