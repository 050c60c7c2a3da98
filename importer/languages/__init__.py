"""The languages the importer reads: one module each, one lexicon file each (data/<code>.toml).

Adding a language: a module here subclassing `base.Language`, its lexicon file, its line
in `_ALL`, and labelled passages for the bench. `SUPPORTED` is the one list that forms,
the API, detection and the docs read.
"""

from __future__ import annotations

from . import az, en, ko, ru, uk
from .base import Language

# In the order forms offer them.
_ALL: tuple[Language, ...] = (az.LANGUAGE, ru.LANGUAGE, ko.LANGUAGE, en.LANGUAGE, uk.LANGUAGE)
LANGUAGES: dict[str, Language] = {lang.code: lang for lang in _ALL}
SUPPORTED: tuple[str, ...] = tuple(LANGUAGES)


def get(code: str) -> Language:
    """The language for an ISO 639-1 code in SUPPORTED (KeyError otherwise)."""
    return LANGUAGES[code]


__all__ = ["LANGUAGES", "SUPPORTED", "Language", "get"]
