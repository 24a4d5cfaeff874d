"""Work the network hands to the task worker."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.tasks import task

from careertips.network import importers
from careertips.network.models import ImportBatch

logger = logging.getLogger(__name__)

FAILED_NOTE = (
    "The import stopped with an error and nothing was changed. Try again; if it fails again, "
    "split the file and import each part."
)


@task()
def apply_import_batch(*, batch_id: int) -> dict[str, int] | None:
    """Writes a confirmed import; on any failure nothing is written and the batch reopens."""
    # Only its key: apply_import reads the rows once, under its lock.
    applying = ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.APPLYING)
    batch = applying.only("pk").first()
    if batch is None:
        return None  # discarded, already written, or written by a second delivery of this task
    try:
        batch = importers.apply_import(batch=batch)
    except ValidationError:
        return None
    except Exception:
        logger.exception("Import batch %s failed", batch_id)
        importers.reopen_import(batch_id=batch_id, note=FAILED_NOTE)
        return None
    return {
        "created": batch.created_count,
        "updated": batch.updated_count,
        "skipped": batch.skipped_count,
    }
