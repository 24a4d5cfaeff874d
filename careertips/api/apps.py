from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "careertips.api"
    label = "api"

    def ready(self) -> None:
        from careertips.api.services.webhooks import on_event
        from careertips.core import events

        # Services announce events through core; the webhooks listen without core knowing.
        events.register(on_event)
