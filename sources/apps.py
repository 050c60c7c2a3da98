from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = "Sources and links"

    def ready(self) -> None:
        from . import signals  # noqa: F401
