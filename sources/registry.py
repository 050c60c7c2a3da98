"""Creating sources and resolving names to them."""

from collections.abc import Iterable

from django.db import transaction

from .models import Source, SourceAlias
from .text import fold


def registry_version() -> tuple:
    """Cheap staleness key for indexes over the registry's names: alias count, highest
    alias id, source count, latest source change."""
    from django.db.models import Count, Max

    aliases = SourceAlias.objects.aggregate(n=Count("id"), top=Max("id"))
    sources = Source.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    return (aliases["n"], aliases["top"], sources["n"], sources["at"])


def add_alias(source: Source, alias: str) -> SourceAlias:
    """Give `source` another name; ValidationError if another source holds it."""
    existing = SourceAlias.objects.filter(folded=fold(alias), source=source).first()
    if existing:
        return existing
    row = SourceAlias(source=source, alias=alias.strip())
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def create_source(name: str, *, aliases: Iterable[str] = (), **fields) -> Source:
    """A new source, its name and aliases registered for matching, all or nothing."""
    source = Source(name=name.strip(), **fields)
    source.full_clean()
    source.save()
    for alias in (source.name, *aliases):
        add_alias(source, alias)
    return source


def ensure_name_alias(source: Source) -> None:
    """Keep a source findable by its own name after a rename."""
    if not SourceAlias.objects.filter(source=source, folded=fold(source.name)).exists():
        add_alias(source, source.name)


def resolve(name: str) -> Source | None:
    """The source an alias names, case- and accent-insensitively, or None."""
    row = SourceAlias.objects.filter(folded=fold(name)).select_related("source").first()
    return row.source if row else None
