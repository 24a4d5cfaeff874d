from django.conf import settings
from django.urls import reverse

from careertips.core import outbound
from careertips.core.mail import compose
from careertips.pages.models import ContactMessage
from careertips.pages.services import contact_recipients


def send_contact_notification(*, message: ContactMessage) -> bool:
    """Tells the practice about a contact-form message; replies go straight to the visitor."""
    recipients = contact_recipients()
    if not recipients:
        return False
    staff_url = settings.SITE_URL + reverse("pages:staff-message", args=[message.pk])
    outbound.send_from_worker(
        message=compose(
            template="pages/email/contact_notification",
            context={"message": message, "staff_url": staff_url},
            to=recipients,
            reply_to=[message.email],
        ),
        kind="pages.contact_notification",
        object_id=message.pk,
    )
    return True
