"""The outlet proposed for a whole article: its dateline's, else its site's."""

from __future__ import annotations

from urllib.parse import urlsplit

from sources.models import Source

from .types import Extraction


def proposed_outlet(result: Extraction, url: str) -> int | None:
    """The article's outlet: its dateline's ("(Reuters) –") when the tracker knows it,
    else the source whose homepage is on the article's site."""
    found = {a.source.id for c in result.claims for a in c.attributions
             if a.role == "outlet" and a.source.id}
    if len(found) == 1:
        return found.pop()
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    if not host:
        return None
    for source in Source.objects.exclude(homepage="").only("id", "homepage"):
        if (urlsplit(source.homepage).hostname or "").removeprefix("www.") == host:
            return source.pk
    return None
