from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims"

    def ready(self) -> None:
        # Keeps Claim.search_document in step with edits from any door (admin
        # inlines, API, importer) and with source renames and new aliases.
        from . import relation_signals, signals  # noqa: F401
