from django.tasks import task

from careertips.debriefs import emails
from careertips.debriefs.models import Debrief


@task(queue_name="mail")
def send_thank_you_email(*, debrief_id: int) -> None:
    debrief = Debrief.objects.select_related("contact", "owner", "opportunity__organization").get(
        pk=debrief_id
    )
    emails.thank_you(debrief).send()
