"""An article's main text from its URL, fetched through the SSRF guard, read by trafilatura."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sources.safehttp import FetchError, UnsafeURL, fetch_document

__all__ = ["Article", "FetchError", "NoMainText", "UnsafeURL", "fetch_article"]


class NoMainText(ValueError):
    """The page came back but holds no article text we can read."""


@dataclass(frozen=True)
class Article:
    url: str
    final_url: str
    title: str
    text: str
    published: dt.date | None = None  # from the page's metadata (trafilatura)
    site_name: str = ""


def fetch_article(url: str) -> Article:
    """Fetch `url` and return its main text.

    Raises UnsafeURL (the guard refused the address or a redirect), FetchError (network
    fault, too large) or NoMainText (not HTML / plain text, error status, or no article).
    """
    import trafilatura

    doc = fetch_document(url)
    if doc.status >= 400:
        raise NoMainText(f"The page answered HTTP {doc.status}.")
    published, site_name = None, ""
    if doc.content_type == "text/plain":
        text = doc.text().strip()
        title = ""
    elif doc.is_html:
        html = doc.text()
        text = trafilatura.extract(html, include_comments=False, include_tables=False,
                                   favor_precision=True, url=doc.final_url) or ""
        meta = trafilatura.extract_metadata(html)
        title = (meta.title if meta and meta.title else "")[:500]
        published = _date(meta.date if meta else None)
        site_name = ((meta.sitename if meta else "") or "")[:200]
    else:
        raise NoMainText(f"The page is {doc.content_type or 'of no stated type'}, not an article.")
    if len(text.split()) < 5:
        raise NoMainText("No article text found on the page.")
    return Article(url=url, final_url=doc.final_url, title=title, text=text,
                   published=published, site_name=site_name)


def _date(value: str | None) -> dt.date | None:
    """trafilatura gives ISO dates ("2025-08-15"); anything else is no date."""
    try:
        return dt.date.fromisoformat((value or "")[:10]) if value else None
    except ValueError:
        return None
