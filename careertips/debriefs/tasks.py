import logging

from django.tasks import task

from careertips.debriefs import emails
from careertips.debriefs.models import Debrief

logger = logging.getLogger(__name__)


@task(queue_name="mail")
def send_thank_you_email(*, debrief_id: int) -> None:
    debrief = (
        Debrief.objects.select_related("contact", "owner", "opportunity__organization")
        .filter(pk=debrief_id)
        .first()
    )
    # The debrief or the contact's address may be gone by the time the worker runs.
    if debrief is None or debrief.contact is None or not debrief.contact.email:
        logger.warning("Thank-you note for debrief %s not sent: no recipient.", debrief_id)
        return
    emails.thank_you(debrief).send()
