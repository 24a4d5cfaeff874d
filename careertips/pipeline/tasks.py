"""Work the pipeline hands to the task worker."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.tasks import task

from careertips.pipeline import importers
from careertips.pipeline.models import OpportunityImport, PostingCapture
from careertips.pipeline.services import fail_capture, read_capture

logger = logging.getLogger(__name__)


@task()
def apply_opportunity_import(*, batch_id: int) -> dict[str, int] | None:
    """Writes a confirmed import; on any failure nothing is written and the batch reopens."""
    applying = OpportunityImport.objects.filter(
        pk=batch_id, status=OpportunityImport.Status.APPLYING
    )
    batch = applying.only("pk").first()
    if batch is None:
        return None  # discarded, already written, or written by a second delivery of this task
    try:
        batch = importers.apply_import(batch=batch)
    except ValidationError as error:
        importers.reopen_import(batch_id=batch_id, note=" ".join(error.messages))
        return None
    except Exception:
        logger.exception("Opportunity import %s failed", batch_id)
        importers.reopen_import(batch_id=batch_id)
        return None
    return {"created": batch.created_count, "skipped": batch.skipped_count}


@task()
def read_posting(*, capture_id: int) -> str | None:
    """Reads a pasted posting address; the page polls the capture for the outcome."""
    capture = PostingCapture.objects.filter(
        pk=capture_id, status=PostingCapture.Status.READING
    ).first()
    if capture is None:
        return None  # cleared, or already read by a second delivery of this task
    try:
        capture = read_capture(capture=capture)
    except Exception:
        logger.exception("Reading posting capture %s failed", capture_id)
        capture = fail_capture(
            capture=capture, error="Something went wrong reading this page; try again."
        )
    return capture.status
