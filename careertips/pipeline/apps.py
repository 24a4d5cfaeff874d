from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "careertips.pipeline"
    label = "pipeline"
