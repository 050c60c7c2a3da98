"""Text folding shared by alias matching everywhere (admin, API, importer)."""

import re
import unicodedata

_SPACE = re.compile(r"\s+")
# Quotes and dashes that editors paste in many shapes but mean the same.
_PUNCT = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
# The combining marks (accents NFKD split off), dropped by one translate in C rather than
# a test per character in Python: fold runs for every candidate of every similar-claims
# request (docs/matching.md). All of them lie in the first two planes (a test holds this).
_COMBINING = {cp: None for cp in range(0x20000) if unicodedata.combining(chr(cp))}


def fold(text: str) -> str:
    """Case- and accent-insensitive key for a name or alias.

    NFKD splits accents off their letters so they can be dropped; NFC afterwards
    recomposes Hangul syllables, which NFKD had split into jamo.
    "Seul", "SEÜL" and "seül" fold alike; "조선중앙통신" survives intact.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_PUNCT))
    stripped = decomposed.translate(_COMBINING)
    return _SPACE.sub(" ", unicodedata.normalize("NFC", stripped).casefold()).strip()
