from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "careertips.insights"
    label = "insights"
    verbose_name = "Insights"
