from django.apps import AppConfig


class SimilarityConfig(AppConfig):
    """Similar claims across languages: embeddings, ranking, editors' answers, figure tracker.

    It depends on claims and sources; nothing in claims depends on it.
    """

    name = "similarity"
    verbose_name = "Similar claims"

    def ready(self) -> None:
        # A claim saved from any door (admin, API, importer) is queued for embedding.
        from . import signals  # noqa: F401
