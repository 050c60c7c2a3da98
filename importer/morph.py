"""pymorphy3 for the Slavic languages (its dictionaries ship in wheels: nothing downloads).

Every reading is remembered: pymorphy3's dictionary walk is the slow part of Russian and
Ukrainian extraction, and the same words come back article after article.
"""

from __future__ import annotations

from functools import cache, lru_cache

from sources.text import fold

_OBLIQUE = {"gent", "datv", "accs", "ablt", "loct", "gen2", "loc2"}


@cache
def analyzer(code: str):
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=code)


@lru_cache(maxsize=200_000)
def parses(word: str, code: str = "ru") -> tuple:
    """pymorphy3's readings of a word, most likely first."""
    return tuple(analyzer(code).parse(word))


@lru_cache(maxsize=200_000)
def lemma(word: str, code: str = "ru") -> str:
    """The word's dictionary form, folded: the key alias words are matched on."""
    return fold(parses(word.lower(), code)[0].normal_form)


def is_genitive_noun(word: str, code: str) -> bool:
    tag = parses(word, code)[0].tag
    return tag.POS == "NOUN" and tag.case == "gent"


def nominative(words: list[str], code: str) -> list[str]:
    """"источника агентства" → "источник агентства", "Александра Хинштейна" → "Александр
    Хинштейн": the head and the names agreeing with it, in the nominative; the
    genitive chain hanging off the head ("Курской области") stays as it is."""
    out = list(words)
    head = parses(words[0], code)[0]
    case = head.tag.case
    if case not in _OBLIQUE or "Fixd" in head.tag:
        return out
    for i, word in enumerate(words):
        parse = next((p for p in parses(word, code) if p.tag.case == case), None)
        if parse is None:
            continue
        is_name = bool({"Name", "Surn", "Patr"} & parse.tag.grammemes)
        if i == 0 or (is_name and word[:1].isupper()):
            nom = parse.inflect({"nomn"})
            if nom:
                form = nom.word
                out[i] = form[:1].upper() + form[1:] if word[:1].isupper() else form
    return out
