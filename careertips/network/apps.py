from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "careertips.network"
    label = "network"
