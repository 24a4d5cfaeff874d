"""Work the pipeline hands to the task worker."""

from __future__ import annotations

import logging

from django.tasks import task

from careertips.pipeline.models import PostingCapture
from careertips.pipeline.services import fail_capture, read_capture

logger = logging.getLogger(__name__)


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
