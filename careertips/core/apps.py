from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "careertips.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from careertips.core import checks  # noqa: F401 -- registers the deploy checks
