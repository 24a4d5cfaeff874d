from django.apps import AppConfig


class DebriefsConfig(AppConfig):
    name = "careertips.debriefs"
    label = "debriefs"
