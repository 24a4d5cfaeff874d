from django.conf import settings
from django.http import HttpRequest

from careertips.core.mail import mail_is_captured


def site(request: HttpRequest) -> dict:
    return {
        "SITE_NAME": "Career Tips",
        "SITE_URL": settings.SITE_URL,
        "mail_captured": mail_is_captured(),
    }
