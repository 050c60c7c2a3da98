"""One "figure" box read the way the editor typed it: "at least 1,200", "~600",
"10,000–13,000", "more than 10 thousand", "10 mindən çox", "около 600", "1만여 명".

The reading is the importer's (importer.figures, the parser it runs on articles in
az, ru, ko, en, uk); claims must not import the importer, so the box lives here,
downstream of both.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from importer.figures import parse_figures

LANGUAGES = ("en", "ru", "az", "ko", "uk")
# Signs an editor types for "about" that no article spells that way.
_ABOUT = re.compile(r"^\s*(?:~|≈|c\.|ca\.|circa)\s*", re.IGNORECASE)
_BARE = re.compile(r"^\s*\d{1,3}(?:[,\u00a0\u202f ]\d{3})*(?:\.\d+)?\s*$|^\s*\d+(?:\.\d+)?\s*$")


@dataclass(frozen=True)
class Reading:
    qualifier: str
    value: Decimal | None
    lower: Decimal | None
    upper: Decimal | None
    unit: str
    counted: str


def read_figure(typed: str, language: str = "en") -> Reading | None:
    """The figure in `typed`, read in the claim's language first, then in the others."""
    text = " ".join(typed.split())
    about = bool(_ABOUT.match(text))
    text = _ABOUT.sub("", text)
    if _BARE.match(text):
        try:
            value = Decimal(re.sub(r"[,\u00a0\u202f ]", "", text))
        except InvalidOperation:
            return None
        return Reading("approximately" if about else "exact", value, None, None, "", "")
    primary = (language or "en").split("-")[0].lower()
    for lang in dict.fromkeys((primary, *LANGUAGES)):
        if lang not in LANGUAGES:
            continue
        found = parse_figures(text, lang)
        if not found:
            continue
        f = found[0]
        if about and f.qualifier == "exact":
            return Reading("approximately", f.value, None, None, f.unit, f.counted)
        return Reading(f.qualifier, f.value, f.lower, f.upper, f.unit, f.counted)
    return None
