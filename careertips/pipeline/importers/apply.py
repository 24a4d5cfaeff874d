"""The opportunity import workflow: read a file into a batch, map its columns and statuses,
queue it, write it to the pipeline, reopen or discard it."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from careertips.core import import_jobs
from careertips.core.models import User
from careertips.core.pagecache import member_data_changed
from careertips.core.uploads import HEADER_SEARCH_LINES, ImportFileError, read_table
from careertips.network.duplicates import normalize_name, organization_key
from careertips.network.models import Contact
from careertips.network.services import contacts_named, organizations_named
from careertips.pipeline.importers.columns import FIELDS, find_header, guess_mapping, stage_key
from careertips.pipeline.importers.rows import (
    Pipeline,
    check_rows,
    mapping_problems,
    summarize,
    unknown_stages,
)
from careertips.pipeline.models import (
    CLOSED_STAGES,
    Opportunity,
    OpportunityImport,
    Stage,
    StageChange,
)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 10_000
# An import still "importing" after this long lost its worker, and may be started again.
IMPORT_STALE_AFTER = dt.timedelta(minutes=10)
FAILED_NOTE = (
    "The import stopped with an error and nothing was changed. Try again; if it fails again, "
    "split the file and import each part."
)


def _recheck(batch: OpportunityImport, *, pipeline: Pipeline | None = None) -> None:
    check_rows(
        rows=batch.rows,
        headers=batch.headers,
        mapping=batch.mapping,
        stage_map=batch.stage_map,
        pipeline=pipeline or Pipeline.load(batch.owner),
        today=batch.owner.local_today(),
    )


@transaction.atomic
def preview_import(*, owner: User, data: bytes, filename: str = "") -> OpportunityImport:
    """Reads an upload, guesses its columns and keeps it, checked, for review; raises
    ImportFileError for a file that cannot be used."""
    table = read_table(
        data=data, filename=filename, max_bytes=MAX_UPLOAD_BYTES, max_rows=MAX_IMPORT_ROWS
    )
    if not table.rows:
        raise ImportFileError("The file has no rows.")
    start = find_header(table.rows, search=HEADER_SEARCH_LINES)
    headers = [h or f"Column {i + 1}" for i, h in enumerate(table.rows[start])]
    body = list(zip(table.lines[start + 1 :], table.rows[start + 1 :], strict=True))
    if not body:
        raise ImportFileError("The file has a header but no opportunities.")
    if len(body) > MAX_IMPORT_ROWS:
        raise ImportFileError(
            f"The file has {len(body):,} rows; import at most {MAX_IMPORT_ROWS:,} at a time. "
            "Split the file and import each part."
        )
    preset, mapping = guess_mapping(headers)
    batch = OpportunityImport(
        owner=owner,
        filename=filename[:255],
        kind=table.kind,
        encoding=table.encoding,
        preset=preset,
        headers=headers,
        mapping=mapping,
        rows=[{"line": line, "cells": cells} for line, cells in body],
        notes=table.notes,
    )
    _recheck(batch)
    # Unconfirmed uploads are only worth keeping for a day.
    OpportunityImport.objects.owned_by(owner).filter(
        status=OpportunityImport.Status.PREVIEW,
        created_at__lt=timezone.now() - dt.timedelta(days=1),
    ).delete()
    batch.save()
    return batch


@transaction.atomic
def map_import(
    *, batch: OpportunityImport, mapping: list[str], stages: dict[str, str] | None = None
) -> OpportunityImport:
    """Sets what each column holds and what unknown statuses mean (remembered for the file),
    then checks every row again."""
    batch = OpportunityImport.objects.select_for_update().get(pk=batch.pk)
    if not batch.is_pending:
        raise ValidationError("This import was already confirmed or discarded.")
    if len(mapping) != len(batch.headers) or any(m and m not in FIELDS for m in mapping):
        raise ValidationError("Choose what each column holds from the list.")
    for raw, stage in (stages or {}).items():
        if stage not in Stage.values:
            raise ValidationError(f"Choose one of our stages for “{raw}”.")
        batch.stage_map[stage_key(raw)] = stage
    batch.mapping = mapping
    _recheck(batch)
    batch.save(update_fields=["mapping", "stage_map", "rows", "updated_at"])
    return batch


def blockers(batch: OpportunityImport) -> list[str]:
    """Why the import cannot be confirmed yet: a mapping or a status to settle first."""
    found = mapping_problems(batch.headers, batch.mapping)
    if unknown := unknown_stages(batch.rows):
        found.append("Say what these statuses mean: " + ", ".join(f"“{s}”" for s in unknown) + ".")
    return found


def queue_import(*, batch: OpportunityImport, now: dt.datetime | None = None) -> None:
    """Hands a reviewed import to the task worker, which writes it in one transaction while
    the batch's page shows it under way (see core.import_jobs)."""
    from careertips.pipeline.tasks import apply_opportunity_import

    if problems := blockers(batch):
        raise ValidationError(problems)
    planned = summarize(batch.rows)
    with transaction.atomic():
        import_jobs.start_applying(
            OpportunityImport,
            pk=batch.pk,
            now=now or timezone.now(),
            stale_after=IMPORT_STALE_AFTER,
            created_count=planned["create"],
            skipped_count=len(batch.rows) - planned["create"],
        )
        transaction.on_commit(
            functools.partial(apply_opportunity_import.enqueue, batch_id=batch.pk)
        )


def is_stale(batch: OpportunityImport, *, now: dt.datetime | None = None) -> bool:
    return import_jobs.is_stale(batch, now=now or timezone.now(), stale_after=IMPORT_STALE_AFTER)


def reopen_import(*, batch_id: int, note: str = FAILED_NOTE) -> None:
    import_jobs.reopen_failed(OpportunityImport, pk=batch_id, note=note)


def discard_import(*, batch: OpportunityImport) -> None:
    import_jobs.discard_pending(OpportunityImport, pk=batch.pk, now=timezone.now(), rows=[])


@transaction.atomic
def apply_import(*, batch: OpportunityImport) -> OpportunityImport:
    """Writes a reviewed import in one transaction, re-checked against the pipeline as it is
    now: organizations and contacts found or added, opportunities with their stage history."""
    batch = OpportunityImport.objects.select_for_update().select_related("owner").get(pk=batch.pk)
    if batch.status not in (OpportunityImport.Status.PREVIEW, OpportunityImport.Status.APPLYING):
        raise ValidationError("This import was already confirmed or discarded.")
    owner = batch.owner
    _recheck(batch)
    if problems := blockers(batch):
        raise ValidationError(problems)
    creates = [row for row in batch.rows if row["action"] == "create"]
    orgs = organizations_named(owner=owner, names=(r["fields"]["organization"] for r in creates))
    people = _people(owner=owner, rows=creates, orgs=orgs)
    zone, today = zoneinfo.ZoneInfo(owner.time_zone), owner.local_today()
    opportunities = [_opportunity(owner, row, orgs, people, zone, today) for row in creates]
    Opportunity.objects.bulk_create(opportunities, batch_size=500)
    note = f"Imported from {batch.filename or 'a file'}"[:500]
    changes = []
    for row, opportunity in zip(creates, opportunities, strict=True):
        row["match"] = {"pk": opportunity.pk}
        changes += [
            StageChange(opportunity=opportunity, from_stage=a, to_stage=b, changed_at=at, note=note)
            for a, b, at in _history(row["fields"], zone, today)
        ]
    StageChange.objects.bulk_create(changes, batch_size=1000)
    member_data_changed(owner.pk)  # written by the task worker, not a request of theirs
    batch.status = OpportunityImport.Status.APPLIED
    batch.applied_at = timezone.now()
    batch.created_count, batch.skipped_count = len(creates), len(batch.rows) - len(creates)
    batch.save(
        update_fields=["rows", "status", "applied_at", "created_count", "skipped_count",
                       "updated_at"]
    )  # fmt: skip
    return batch


def _people(*, owner: User, rows: list[dict[str, Any]], orgs: dict) -> dict[str, Contact]:
    triples = []
    for row in rows:
        fields = row["fields"]
        org = orgs[organization_key(fields["organization"])]
        if name := fields.get("hiring_manager"):
            triples.append((name, org, Contact.Relationship.HIRING_MANAGER))
        triples += [(name, org, Contact.Relationship.OTHER) for name in fields.get("contacts", [])]
    return contacts_named(owner=owner, people=triples)


def _day(fields: dict[str, Any], key: str) -> dt.date | None:
    return dt.date.fromisoformat(fields[key]) if fields.get(key) else None


def _at(day: dt.date, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    # Midday in the member's zone: the day stays the same wherever the page is read.
    return dt.datetime.combine(day, dt.time(12), tzinfo=zone)


def _history(
    fields: dict[str, Any], zone: zoneinfo.ZoneInfo, today: dt.date
) -> list[tuple[str, str, dt.datetime]]:
    """The stage moves the file tells of: applied on its date, then on to the stage it is in."""
    stage, applied = fields["stage"], _day(fields, "applied_on")
    found = _day(fields, "found_on")
    stage_date = _day(fields, "stage_date")
    if stage == Stage.INTERESTED or applied is None or stage == Stage.APPLIED:
        day = stage_date or applied or found or today
        return [("", stage, _at(day, zone))]
    later = max(stage_date or applied, applied)
    return [("", Stage.APPLIED, _at(applied, zone)), (Stage.APPLIED, stage, _at(later, zone))]


def _opportunity(
    owner: User,
    row: dict[str, Any],
    orgs: dict,
    people: dict[str, Contact],
    zone: zoneinfo.ZoneInfo,
    today: dt.date,
) -> Opportunity:
    fields = row["fields"]
    history = _history(fields, zone, today)
    applied = _day(fields, "applied_on")
    moved = history[-1][2]
    first = history[0][2].date()
    found = min(d for d in (_day(fields, "found_on") or first, first, applied) if d is not None)
    manager = fields.get("hiring_manager")
    values = {k: fields[k] for k in ("title", "posting_url", "location", "work_mode", "source",
              "pay_min", "pay_max", "currency", "notes", "description") if k in fields}  # fmt: skip
    return Opportunity(
        owner=owner,
        organization=orgs[organization_key(fields["organization"])],
        stage=fields["stage"],
        stage_changed_at=moved,
        found_on=found,
        applied_on=applied,
        closed_on=moved.date() if fields["stage"] in CLOSED_STAGES else None,
        hiring_manager=people.get(normalize_name(manager)) if manager else None,
        **values,
    )
