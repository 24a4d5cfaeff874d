from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "careertips.stories"
    label = "stories"
    verbose_name = "Stories, coverage and goals"
