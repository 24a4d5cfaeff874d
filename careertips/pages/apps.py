from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "careertips.pages"
    label = "pages"
