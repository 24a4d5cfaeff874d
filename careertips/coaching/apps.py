from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "careertips.coaching"
    label = "coaching"
    verbose_name = "Coaching"
