"""Text folding shared by alias matching everywhere (admin, API, importer)."""

import re
import unicodedata

_SPACE = re.compile(r"\s+")
# Quotes and dashes that editors paste in many shapes but mean the same.
_PUNCT = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def fold(text: str) -> str:
    """Case- and accent-insensitive key for a name or alias.

    NFKD splits accents off their letters so they can be dropped; NFC afterwards
    recomposes Hangul syllables, which NFKD had split into jamo.
    "Seul", "SEÜL" and "seül" fold alike; "조선중앙통신" survives intact.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_PUNCT))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACE.sub(" ", unicodedata.normalize("NFC", stripped).casefold()).strip()
