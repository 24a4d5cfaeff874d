"""The life of an import waiting for confirmation, shared by every importer's batch model.

A batch model has `status` ("preview", "applying", "applied", "discarded"), `notes` and
`updated_at`. Confirming hands the batch to the task worker by one conditional update; a
batch left "applying" longer than `stale_after` lost its worker and may be confirmed again.
The writing itself re-checks the batch under a row lock, so it never happens twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, Q

from careertips.core.pagecache import member_data_changed

PREVIEW, APPLYING = "preview", "applying"


def start_applying(
    model: type[Model], *, pk: int, now: dt.datetime, stale_after: dt.timedelta, **planned: Any
) -> None:
    """Marks the batch "applying" (with the counts it plans); refuses one under way or done."""
    waiting = Q(status=PREVIEW) | Q(status=APPLYING, updated_at__lt=now - stale_after)
    rows = model._default_manager.filter(pk=pk)
    if rows.filter(waiting).update(status=APPLYING, updated_at=now, **planned):
        return
    if rows.filter(status=APPLYING).exists():
        raise ValidationError("This import is already under way.")
    raise ValidationError("This import was already confirmed or discarded.")


def is_stale(batch: Any, *, now: dt.datetime, stale_after: dt.timedelta) -> bool:
    """True when an import has been "applying" so long that its worker must have stopped."""
    return batch.status == APPLYING and batch.updated_at < now - stale_after


def reopen_failed(model: type[Model], *, pk: int, note: str) -> None:
    """An import whose writing failed goes back to waiting for confirmation, with why."""
    batch = model._default_manager.filter(pk=pk, status=APPLYING).defer("rows").first()
    if batch is None:
        return
    batch.status = PREVIEW  # type: ignore[attr-defined]
    batch.notes = [*batch.notes, note]  # type: ignore[attr-defined]
    batch.save(update_fields=["status", "notes", "updated_at"])
    member_data_changed(batch.owner_id)  # type: ignore[attr-defined]  # by the worker


def discard_pending(model: type[Model], *, pk: int, now: dt.datetime, **cleared: Any) -> None:
    """Drops a batch still waiting for confirmation. One conditional update, so it can never
    undo an import the task worker is writing or has written."""
    rows = model._default_manager.filter(pk=pk)
    if rows.filter(status=PREVIEW).update(status="discarded", updated_at=now, **cleared):
        return
    if rows.filter(status=APPLYING).exists():
        raise ValidationError("This import is under way; it cannot be discarded now.")
    raise ValidationError("This import was already confirmed; it cannot be discarded.")
