from django.core.mail import EmailMultiAlternatives

from careertips.core.mail import compose
from careertips.debriefs.models import Debrief


def thank_you(debrief: Debrief) -> EmailMultiAlternatives:
    """The member's own note to the hiring manager; replies go straight to the member."""
    return compose(
        template="debriefs/email/thank_you",
        context={"debrief": debrief, "body": debrief.thank_you_body,
                 "subject": debrief.thank_you_subject},
        to=[debrief.contact.email],
        reply_to=[debrief.owner.email],
    )  # fmt: skip
