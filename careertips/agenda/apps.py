from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "careertips.agenda"
    label = "agenda"
