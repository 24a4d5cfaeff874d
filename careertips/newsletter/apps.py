from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "careertips.newsletter"
    label = "newsletter"

    def ready(self) -> None:
        # django-anymail reports bounces and complaints through this signal: it is the
        # library's interface, so the one signal receiver in the app lives here.
        from anymail.signals import tracking

        from careertips.newsletter.webhooks import handle_tracking_event

        tracking.connect(handle_tracking_event, dispatch_uid="newsletter.suppress_on_bounce")

    def upkeep_tasks(self) -> list:
        """Periodic tasks `schedule_upkeep` starts: the inbound mailbox poll, when configured."""
        from django.conf import settings

        from careertips.newsletter.tasks import poll_inbound_mailbox

        return [poll_inbound_mailbox] if settings.INBOUND_MAILBOX_URL else []
