from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = "Editor's desk"

    def ready(self) -> None:
        # sources and claims never import the desk: it registers with them here.
        from . import signals

        signals.connect()
