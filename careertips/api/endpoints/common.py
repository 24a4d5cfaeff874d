"""Pieces every resource shares: ids in paths, plain text, the pages' forms as validators,
and cursor pagination."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from collections.abc import Sequence
from typing import Annotated, Any

from django import forms
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from ninja import Field, Path, Schema
from pydantic import AfterValidator

from careertips.api.errors import Invalid, errors_of_form
from careertips.core.access import MAX_ID

PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

PathId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _plain(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("Remove control characters from this text.")
    return value


# Text as people type it: no NUL or other control characters (line breaks and tabs are fine).
Text = Annotated[str, AfterValidator(_plain)]
Limit = Annotated[int, Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)]
RefId = Annotated[int, Field(ge=1, le=MAX_ID)]


def as_form_value(value: Any) -> Any:
    """A JSON value as a browser would post it to the page's form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [as_form_value(item) for item in value]
    return str(value)


def form_data(values: dict[str, Any]) -> dict[str, Any]:
    return {name: as_form_value(value) for name, value in values.items()}


def submit[F: forms.BaseForm](form: F) -> F:
    """The pages' own validation, with their messages, for the API's input."""
    if not form.is_valid():
        raise Invalid(errors_of_form(form))
    return form


def instance_values(instance: Model, fields: Sequence[str]) -> dict[str, Any]:
    """What the edit form would show for `instance`: a PATCH starts from these."""
    return forms.model_to_dict(instance, fields=fields)


class Cursor:
    """Keyset pagination on (`field` descending, id descending): stable while rows move."""

    def __init__(self, field: str = "") -> None:
        self.field = field

    def page[M: Model | dict[str, Any]](
        self, rows: QuerySet[Any, M], *, cursor: str | None, limit: int
    ) -> tuple[list[M], str | None]:
        rows = rows.order_by(*self.order)
        if cursor:
            rows = rows.filter(self.after(*self.decode(cursor)))
        return self.cut(list(rows[: limit + 1]), limit)

    @property
    def order(self) -> list[str]:
        return [f"-{self.field}", "-id"] if self.field else ["-id"]

    def cut[M: Model | dict[str, Any]](
        self, found: list[M], limit: int
    ) -> tuple[list[M], str | None]:
        """The page from the rows read (`limit` and one more, to tell if there are others),
        and the cursor of the next page, if any."""
        if len(found) <= limit:
            return found, None
        found = found[:limit]
        return found, self._encode(found[-1])

    def _encode(self, row: Model | dict[str, Any]) -> str:
        # Rows come as model instances, or as plain values where a list reads only columns.
        values: dict[str, Any] = row if isinstance(row, dict) else {"id": row.pk}
        key: list[Any] = [values["id"]]
        if self.field:
            value = values[self.field] if self.field in values else getattr(row, self.field)
            key.insert(0, value.isoformat() if hasattr(value, "isoformat") else value)
        return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")

    def decode(self, cursor: str) -> tuple[Any, int]:
        """The (field's value, id) a cursor given out stands for; a 422 for anything else."""
        try:
            key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
            pk = int(key[-1])
            if not 0 < pk <= MAX_ID or len(key) != (2 if self.field else 1):
                raise ValueError
            value = dt.datetime.fromisoformat(key[0]) if self.field else None
        except (ValueError, TypeError, IndexError, binascii.Error, UnicodeDecodeError):
            raise Invalid([("cursor", "This cursor is not one the API gave out.")]) from None
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value)  # as the ORM would take it, read prepared or not
        return value, pk

    def after(self, value: Any, pk: int) -> Q:
        """The rows past (value, pk) in the page order."""
        if not self.field:
            return Q(id__lt=pk)
        return Q(**{f"{self.field}__lt": value}) | Q(**{self.field: value, "id__lt": pk})


class Page(Schema):
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` for the next page; null on the last page."
    )
