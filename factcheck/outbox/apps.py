from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "factcheck.outbox"
    label = "outbox"
    verbose_name = "Task outbox"

    def ready(self) -> None:
        from . import receivers  # noqa: F401
