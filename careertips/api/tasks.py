from django.tasks import default_task_backend, task
from django.utils import timezone

from careertips.api.models import WebhookDelivery
from careertips.api.services import webhooks


@task()
def deliver_webhook(*, delivery_id: int) -> bool:
    """One attempt; a failure books the next attempt after its back-off."""
    delivery = WebhookDelivery.objects.select_related("endpoint__owner").filter(pk=delivery_id)
    found = delivery.first()
    if found is None:
        return False
    delivered = webhooks.attempt_delivery(delivery=found)
    if found.status == WebhookDelivery.Status.PENDING and found.next_attempt_at:
        schedule_retry(found)
    return delivered


def schedule_retry(delivery: WebhookDelivery) -> None:
    # A backend that cannot defer (the immediate one in tests) leaves the retry to the caller.
    if default_task_backend.supports_defer:
        run_after = max(delivery.next_attempt_at or timezone.now(), timezone.now())
        deliver_webhook.using(run_after=run_after).enqueue(delivery_id=delivery.pk)
