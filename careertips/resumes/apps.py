from django.apps import AppConfig


class ResumesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "careertips.resumes"
    verbose_name = "Résumés and cover letters"
