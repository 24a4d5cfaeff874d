from django.tasks import task

from careertips.agenda.models import DigestLog
from careertips.agenda.services import digest


@task()
def send_due_digests() -> int:
    """Every few minutes: queue the digests whose hour has come, then book the next scan."""
    try:
        return digest.queue_due_digests()
    finally:
        # Even a failed scan books the next one, so one bad run does not stop the digests.
        digest.schedule_digest_scan()


@task(queue_name="mail")
def send_digest(*, digest_id: int) -> bool:
    claimed = DigestLog.objects.select_related("owner").filter(pk=digest_id).first()
    if claimed is None:
        return False
    return digest.send_digest(digest=claimed)
