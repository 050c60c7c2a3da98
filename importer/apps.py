from django.apps import AppConfig


class ImporterConfig(AppConfig):
    """The article importer: an article's attributed claims, proposed for an editor.

    It depends on claims and sources; nothing in claims depends on it.
    """

    name = "importer"
    verbose_name = "Article importer"
