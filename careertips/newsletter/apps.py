from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "careertips.newsletter"
    label = "newsletter"
