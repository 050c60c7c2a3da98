"""Russian: cased, six cases (pymorphy3 lemmatises and inflects names), genitive chains."""

from __future__ import annotations

import re

from ..aliases import lemma, parses
from .base import Language

_CYRILLIC_WORD = re.compile(r"[а-яё-]+")
_OBLIQUE = {"gent", "datv", "accs", "ablt", "loct", "gen2", "loc2"}


def nominative(words: list[str]) -> list[str]:
    """"источника агентства" → "источник агентства", "Александра Хинштейна" → "Александр
    Хинштейн": the head and the names agreeing with it, in the nominative; the
    genitive chain hanging off the head ("Курской области") stays as it is."""
    out = list(words)
    head = parses(words[0])[0]
    case = head.tag.case
    if case not in _OBLIQUE or "Fixd" in head.tag:
        return out
    for i, word in enumerate(words):
        parse = next((p for p in parses(word) if p.tag.case == case), None)
        if parse is None:
            continue
        is_name = bool({"Name", "Surn", "Patr"} & parse.tag.grammemes)
        if i == 0 or (is_name and word[:1].isupper()):
            nom = parse.inflect({"nomn"})
            if nom:
                form = nom.word
                out[i] = form[:1].upper() + form[1:] if word[:1].isupper() else form
    return out


class Russian(Language):
    code = "ru"
    name = "Russian"
    lingua = "RUSSIAN"
    appositions = True
    speaker_closes_clause = True

    def mark(self, word: str) -> str | None:
        # "Института изучения войны": genitive nouns after a name belong to it.
        if not word[:1].islower() or not _CYRILLIC_WORD.fullmatch(word):
            return None
        tag = parses(word)[0].tag
        return "g" if tag.POS == "NOUN" and tag.case == "gent" else None

    def base_form(self, surface: str) -> str:
        words = super().base_form(surface).split()
        return " ".join(nominative(words)) if words else ""

    def head_forms(self, word: str) -> list[str]:
        return [word, lemma(word)]


LANGUAGE = Russian()
