"""Emails of the debrief workflow: one function per message."""

from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from careertips.core.mail import compose
from careertips.debriefs.models import Debrief


def thank_you(debrief: Debrief) -> EmailMultiAlternatives:
    """The member's own note to the hiring manager; replies go straight to the member."""
    owner = debrief.owner
    contact = debrief.contact
    if contact is None or not contact.email:
        raise ValueError("The contact has no email address.")
    # Names go into headers: whatever was imported, they stay on one line.
    sender = " ".join((owner.display_name or owner.short_name).split())
    name = " ".join(contact.name.split())
    message = compose(
        template="debriefs/email/thank_you",
        context={
            "debrief": debrief,
            "sender": sender,
            "reply_address": owner.email,
            "subject": debrief.thank_you_subject,
            "body": debrief.thank_you_body,
        },
        to=[formataddr((name, contact.email))],
        reply_to=[formataddr((sender, owner.email))],
    )
    # Sent from the installation's address (so it is not spoofing), but named for the member.
    message.from_email = formataddr(
        (f"{sender} via Career Tips", parseaddr(settings.DEFAULT_FROM_EMAIL)[1])
    )
    return message
