from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "careertips.offers"
    label = "offers"
