from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "careertips.core"
    label = "core"
    verbose_name = "Core"
