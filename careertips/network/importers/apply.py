"""The import workflow: preview a file as a batch, queue it, apply it to the network,
reopen or discard it."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from careertips.core import import_jobs
from careertips.core.pagecache import member_data_changed
from careertips.network.duplicates import organization_key
from careertips.network.importers.match import Network, classify_rows, summarize
from careertips.network.importers.parse import parse_upload
from careertips.network.models import Contact, ImportBatch, Organization
from careertips.network.services import organizations_named, tags_named

# An import still "importing" after this long lost its worker, and may be started again.
IMPORT_STALE_AFTER = dt.timedelta(minutes=10)


@transaction.atomic
def preview_import(*, owner: Any, data: bytes, filename: str = "") -> ImportBatch:
    """Parses an upload and keeps it, checked, for review; raises ImportFileError."""
    parsed = parse_upload(data=data, filename=filename)
    classify_rows(rows=parsed.rows, network=Network.load(owner))
    # Unconfirmed uploads are only worth keeping for a day.
    ImportBatch.objects.owned_by(owner).filter(
        status=ImportBatch.Status.PREVIEW, created_at__lt=timezone.now() - dt.timedelta(days=1)
    ).delete()
    return ImportBatch.objects.create(
        owner=owner,
        source=parsed.source,
        filename=filename[:255],
        encoding=parsed.encoding,
        notes=parsed.notes,
        rows=parsed.rows,
    )


@transaction.atomic
def apply_import(*, batch: ImportBatch) -> ImportBatch:
    """Writes a reviewed import in one transaction; re-checks against the network first."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if not (batch.is_pending or batch.is_applying):
        raise ValidationError("This import was already confirmed or discarded.")
    owner = batch.owner
    rows = batch.rows
    network = Network.load(owner)
    classify_rows(rows=rows, network=network)
    creates = [r for r in rows if r["action"] == "create"]
    updates = [r for r in rows if r["action"] == "update"]
    orgs = _organizations_for(owner=owner, rows=creates + updates)
    created = _create_contacts(owner=owner, rows=creates, orgs=orgs)
    updated = _update_contacts(rows=updates, orgs=orgs)
    _add_tags(owner=owner, tagged={**created, **updated})
    member_data_changed(owner.pk)  # written by the task worker, not a request of theirs
    batch.status = ImportBatch.Status.APPLIED
    batch.applied_at = timezone.now()
    batch.created_count, batch.updated_count = len(creates), len(updates)
    batch.skipped_count = len(rows) - len(creates) - len(updates)
    batch.save(
        update_fields=[
            "rows", "status", "applied_at", "created_count", "updated_count", "skipped_count",
            "updated_at",
        ]
    )  # fmt: skip
    return batch


def queue_import(*, batch: ImportBatch, now: dt.datetime | None = None) -> None:
    """Hands a reviewed import to the task worker, which writes it in one transaction while
    the batch's page shows it under way. An import left "importing" for IMPORT_STALE_AFTER
    (its worker was stopped) may be queued again; it cannot be written twice, as the writing
    re-checks the batch under a lock."""
    from careertips.network.tasks import apply_import_batch

    now = now or timezone.now()
    # Until the rows are written the counts are the preview's plan; the writing replaces them.
    planned = summarize(batch.rows)
    with transaction.atomic():
        import_jobs.start_applying(
            ImportBatch,
            pk=batch.pk,
            now=now,
            stale_after=IMPORT_STALE_AFTER,
            created_count=planned["create"],
            updated_count=planned["update"],
        )
        transaction.on_commit(functools.partial(apply_import_batch.enqueue, batch_id=batch.pk))


def is_stale(batch: ImportBatch, *, now: dt.datetime | None = None) -> bool:
    """True when an import has been "importing" so long that its worker must have stopped."""
    return import_jobs.is_stale(batch, now=now or timezone.now(), stale_after=IMPORT_STALE_AFTER)


def reopen_import(*, batch_id: int, note: str) -> None:
    """An import whose writing failed goes back to waiting for confirmation, with why."""
    import_jobs.reopen_failed(ImportBatch, pk=batch_id, note=note)


def discard_import(*, batch: ImportBatch) -> None:
    """Drops an upload still waiting for confirmation; never one under way or written."""
    import_jobs.discard_pending(ImportBatch, pk=batch.pk, now=timezone.now(), rows=[], notes=[])


def _organizations_for(*, owner: Any, rows: list[dict[str, Any]]) -> dict[str, Organization]:
    return organizations_named(
        owner=owner, names=(row["fields"].get("organization", "") for row in rows)
    )


def _contact_values(fields: dict[str, Any], orgs: dict[str, Organization]) -> dict[str, Any]:
    values = {k: v for k, v in fields.items() if k not in ("organization", "tags")}
    if "next_touch_on" in values:
        values["next_touch_on"] = dt.date.fromisoformat(values["next_touch_on"])
    if org := fields.get("organization"):
        values["organization"] = orgs[organization_key(org)]
    return values


def _create_contacts(
    *, owner: Any, rows: list[dict[str, Any]], orgs: dict[str, Organization]
) -> dict[int, list[str]]:
    now = timezone.now()
    contacts = [
        Contact(owner=owner, created_at=now, **_contact_values(r["fields"], orgs)) for r in rows
    ]
    Contact.objects.bulk_create(contacts, batch_size=500)
    tagged = {}
    for row, contact in zip(rows, contacts, strict=True):
        row["match"] = {"pk": contact.pk, "name": contact.name}
        if row["fields"].get("tags"):
            tagged[contact.pk] = row["fields"]["tags"]
    return tagged


def _update_contacts(
    *, rows: list[dict[str, Any]], orgs: dict[str, Organization]
) -> dict[int, list[str]]:
    """Fills blanks row by row: each row fills different fields, and one small UPDATE each is
    faster than bulk_update's CASE expressions over many columns."""
    now = timezone.now()
    tagged = {}
    for row in rows:
        pk = row["match"]["pk"]
        fields = {k: row["fields"][k] for k in row["fills"] if k != "tags"}
        if fields:
            Contact.objects.filter(pk=pk).update(**_contact_values(fields, orgs), updated_at=now)
        if "tags" in row["fills"]:
            tagged[pk] = row["fields"]["tags"]
    return tagged


def _add_tags(*, owner: Any, tagged: dict[int, list[str]]) -> None:
    if not tagged:
        return
    names = {t.casefold(): t for names in tagged.values() for t in names}
    tags = {t.name.casefold(): t for t in tags_named(owner=owner, names=names.values())}
    through = Contact.tags.through
    links = [
        through(contact_id=pk, tag_id=tags[name.casefold()].pk)
        for pk, names in tagged.items()
        for name in names
    ]
    through.objects.bulk_create(links, batch_size=500, ignore_conflicts=True)
