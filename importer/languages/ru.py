"""Russian: cased, six cases (pymorphy3 lemmatises and inflects names), genitive chains."""

from __future__ import annotations

import re

from .. import morph
from .base import Language

_CYRILLIC_WORD = re.compile(r"[а-яёіїєґ'’-]+")


class Slavic(Language):
    """A cased language with case endings that pymorphy3 reads (its `lex.morphology`)."""

    appositions = True
    speaker_closes_clause = True

    def mark(self, word: str) -> str | None:
        # "Института изучения войны": genitive nouns after a name belong to it.
        if not word[:1].islower() or not _CYRILLIC_WORD.fullmatch(word):
            return None
        return "g" if morph.is_genitive_noun(word, self.lex.morphology) else None

    def base_form(self, surface: str) -> str:
        words = super().base_form(surface).split()
        return " ".join(morph.nominative(words, self.lex.morphology)) if words else ""

    def head_forms(self, word: str) -> list[str]:
        return [word, morph.lemma(word, self.lex.morphology)]


class Russian(Slavic):
    code = "ru"
    name = "Russian"
    lingua = "RUSSIAN"


LANGUAGE = Russian()
