import datetime as dt

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from careertips.agenda.services.goals import Progress
from careertips.agenda.services.today import Agenda
from careertips.core.mail import compose
from careertips.core.models import User


def daily_digest(
    *, owner: User, agenda: Agenda, progress: list[Progress], zone: dt.tzinfo
) -> EmailMultiAlternatives:
    """What is overdue and due today, with a glance at the week; times in the member's zone."""
    context = {
        "owner": owner,
        "agenda": agenda,
        "overdue": agenda.group("overdue"),
        "today": agenda.group("today"),
        "soon": agenda.group("soon"),
        "progress": progress,
        "site_url": settings.SITE_URL,
        "today_url": settings.SITE_URL + "/today/",
        "settings_url": settings.SITE_URL + "/today/#reminders",
    }
    with timezone.override(zone):
        return compose(template="agenda/email/digest", context=context, to=[owner.email])
