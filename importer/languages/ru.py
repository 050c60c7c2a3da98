"""Russian: cased, six cases (pymorphy3 lemmatises and inflects names), genitive chains."""

from __future__ import annotations

import re

from .. import morph
from ..text import Token
from .base import Language

_CYRILLIC_WORD = re.compile(r"[а-яёіїєґ'’-]+")
_LATIN = re.compile(r"[A-Za-z]")
_PREPOSITION = re.compile(r"(?:^|\s)(?:в|во|у)\s+$", re.IGNORECASE)


class Slavic(Language):
    """A cased language with case endings that pymorphy3 reads (its `lex.morphology`)."""

    appositions = True
    head_first = True
    speaker_closes_clause = True
    subject_leads = True
    # "щонайменше 6 житлових будинків", "десятки одиниць техніки": the words after a
    # figure are what it counts, so a figure with a noun of its own does not take the
    # kind of the toll before it (clauses._uncounted).
    noun_after_counts = True

    def mark(self, word: str) -> str | None:
        # "Института изучения войны": genitive nouns after a name belong to it.
        if not word[:1].islower() or not _CYRILLIC_WORD.fullmatch(word):
            return None
        return "g" if morph.is_genitive_noun(word, self.lex.morphology) else None

    def ends_phrase(self, left: Token, right: Token, same_mention: bool) -> bool:
        """A name in Latin letters is not followed by the Cyrillic words of its own
        name: "агентству Reuters | южнокорейский депутат" are two phrases."""
        return not same_mention and bool(_LATIN.search(left.text)) and \
            right.text[:1].islower() and bool(_CYRILLIC_WORD.fullmatch(right.text))

    def belongs_to_before(self, word: str) -> bool:
        # No nominative reading: a genitive after the name, "Збройних сил України".
        return _CYRILLIC_WORD.fullmatch(word.lower()) is not None and \
            not morph.can_be_subject(word, self.lex.morphology, False)

    def can_speak(self, text: str, cand) -> bool:
        if cand.pronoun:
            return True
        first = text[cand.start:cand.end].split()[0]
        if not _CYRILLIC_WORD.fullmatch(first.lower()) or first.isupper():
            return True  # Reuters, ЦИК: no case to read
        # "В министерстве заявили", "У Пхеньяні підтвердили"; not "в Госдуму".
        after = bool(_PREPOSITION.search(text, max(0, cand.start - 4), cand.start))
        return morph.can_be_subject(first, self.lex.morphology, after)

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
