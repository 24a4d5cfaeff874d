from django.tasks import task

from careertips.pages import emails
from careertips.pages.models import ContactMessage


@task(queue_name="mail")
def notify_staff_of_message(*, message_id: int) -> None:
    message = ContactMessage.objects.filter(pk=message_id).first()
    if message is not None:
        emails.send_contact_notification(message=message)
