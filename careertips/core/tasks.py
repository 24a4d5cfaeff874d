from django.tasks import task

from careertips.core import outbound


@task(queue_name="mail")
def deliver_mail(*, mail_id: int) -> str:
    """One attempt at one transactional message; a failure books the next attempt."""
    return outbound.deliver(mail_id=mail_id)
