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
    possessive_places = True
    noun_after_counts = True

    def base_form(self, surface: str) -> str:
        words = super().base_form(surface).split()
        if not words:
            return ""
        words[-1] = re.sub(r"['’]s$", "", words[-1])
        return " ".join(words)


    def unknown_name(self, readings: list[str]) -> str:
        """A person is filed under their name, not their title: "UNRWA spokesman Adnan
        Abu Hasna" is Adnan Abu Hasna (the guide's "Kremlin spokesman Dmitry Peskov")."""
        name = readings[0]
        words = name.split()
        titles = [i for i, w in enumerate(words[:-1]) if _TITLE.fullmatch(w)]
        if titles:
            rest = words[titles[-1] + 1:]
            rest = rest[1:] if rest and rest[0] in {"of", "for"} else rest
            if len(rest) >= 2 and all(w[:1].isupper() for w in rest) and \
                    not any(self.lex.is_noun(w) for w in rest):
                return " ".join(rest)
        return name


# Titles before a person's name (lower case in running text).
_TITLE = re.compile(r"spokes(?:man|woman|person)|minister|president|secretary|ambassador|"
                    r"envoy|governor|mayor|commander|general|official|officer|aide|adviser|"
                    r"advisor|chief|lawmaker|senator|chairman|chairwoman|chair|director|head|"
                    r"leader|representative|deputy|analyst|expert|researcher|correspondent")


LANGUAGE = English()
