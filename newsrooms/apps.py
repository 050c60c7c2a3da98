from django.apps import AppConfig


class NewsroomsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "newsrooms"
    verbose_name = "Newsrooms and API keys"

    def ready(self) -> None:
        # Registers the OpenAPI description of Bearer keys with drf-spectacular.
        from . import auth  # noqa: F401
