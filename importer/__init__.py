"""Attribution extraction: an article's attributed claims, proposed for an editor to accept.

    from importer import extract
    result = extract(text, language="az")   # language optional: detected when absent

The admin import page, the API, the `extract_claims` command and any task call this
one function. It reads the database (source aliases) and writes nothing.
"""

from __future__ import annotations

import re
import unicodedata

from .aliases import AliasIndex, alias_index
from .engine import claims_of_span, extract_text
from .language import SUPPORTED, UnsupportedLanguage, detect, normalise
from .languages import get as get_language
from .sites import site_of
from .tagger import Tagger, fill
from .tagger import default as default_tagger
from .types import (
    Extraction,
    ProposedAttribution,
    ProposedClaim,
    ProposedQuantity,
    ResolvedSource,
)

MAX_CHARS = 100_000  # about 15,000 words: a long feature, not a book
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f]")

__all__ = [
    "MAX_CHARS", "SUPPORTED", "BadText", "Extraction", "ProposedAttribution", "ProposedClaim",
    "ProposedQuantity", "ResolvedSource", "TextTooLong", "UnsupportedLanguage", "extract",
]


class BadText(ValueError):
    """Empty, binary or otherwise unreadable input."""


class TextTooLong(BadText):
    pass


def check_text(text: str) -> str:
    if not isinstance(text, str):
        raise BadText("Text must be a string.")
    if "\x00" in text:
        raise BadText("Text contains NUL bytes; send plain text.")
    if len(_CONTROL.findall(text, 0, 5000)) > 5 or "\ufffd" in text[:5000]:
        raise BadText("Text looks binary (control characters or undecodable bytes).")
    if len(text) > MAX_CHARS:
        raise TextTooLong(f"Text is longer than {MAX_CHARS:,} characters.")
    if not text.strip():
        raise BadText("Text is empty.")
    return text


def _mixed_scripts(sample: str) -> bool:
    """Letters of three or more scripts, none holding half of them: junk, not prose (an
    article in any language keeps most of its letters in its own script)."""
    scripts: dict[str, int] = {}
    for ch in sample:
        if ch.isalpha():
            script = unicodedata.name(ch, "?").split(" ")[0]
            scripts[script] = scripts.get(script, 0) + 1
    letters = sum(scripts.values())
    return letters >= 20 and len(scripts) >= 3 and max(scripts.values()) < letters / 2


def extract(text: str, language: str | None = None, *, index: AliasIndex | None = None,
            url: str = "", tagger: Tagger | str | None = "default") -> Extraction:
    """Propose the attributed claims in `text` (a language in SUPPORTED).

    `url`, the article's address: a source the text names that is the site itself
    ("Як інформує «НБН»" on nbnews.com.ua) is proposed as the outlet (importer.sites).

    `tagger`: the learned source tagger (importer.tagger) that fills the rules' gaps;
    "default" is the shipped model when its manifest switches it on, None the rules alone.

    Raises BadText / TextTooLong for unusable input and UnsupportedLanguage for a
    language code (given or detected) outside SUPPORTED.
    """
    check_text(text)
    code = normalise(language)
    detected = code is None
    if detected:
        if _mixed_scripts(text[:5000]):
            # Given a language, the caller vouches for the text; asked to guess, we do
            # not read junk as the nearest language.
            raise BadText("Text mixes scripts with none of them dominant: not an article.")
        found = detect(text)
        if found is None:
            raise UnsupportedLanguage("Could not tell the text's language; pass `language`.")
        code = normalise(found)
    if tagger == "default":
        tagger = default_tagger()
    lang = get_language(code)
    index = index if index is not None else alias_index()
    evidence: dict = {}
    claims = extract_text(text, lang, index, site_of(url) if url else None, evidence)
    if tagger is not None:
        fill(text, lang, index, claims, tagger, claims_of_span, evidence)
    return Extraction(language=code, detected=detected, claims=claims)
