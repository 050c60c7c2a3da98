"""English: cased, no case endings but the possessive 's; "…, said X" after the quote."""

from __future__ import annotations

import re

from .base import Language


class English(Language):
    code = "en"
    name = "English"
    lingua = "ENGLISH"
    appositions = True
    speaker_closes_clause = True

    def base_form(self, surface: str) -> str:
        words = super().base_form(surface).split()
        if not words:
            return ""
        words[-1] = re.sub(r"['’]s$", "", words[-1])
        return " ".join(words)


LANGUAGE = English()
