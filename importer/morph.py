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


@lru_cache(maxsize=200_000)
def is_genitive_noun(word: str, code: str) -> bool:
    """A noun in the genitive, or an adjective agreeing with one ("палестинского" in
    "Министерство здравоохранения палестинского анклава")."""
    tag = parses(word, code)[0].tag
    return tag.POS in ("NOUN", "ADJF") and tag.case == "gent"


@lru_cache(maxsize=200_000)
def can_be_subject(word: str, code: str, after_preposition: bool) -> bool:
    """Whether a word can head a verb's subject: a nominative reading, or after в/у a
    locative one ("в министерстве заявили"); indeclinable words can be anything."""
    cases = ("loct", "loc2") if after_preposition else (None, "nomn")
    return any(p.tag.case in cases or "Fixd" in p.tag for p in parses(word, code))


def nominative(words: list[str], code: str) -> list[str]:
    """See `_nominative` (remembered: the same names come back sentence after sentence)."""
    return list(_nominative(tuple(words), code))


@lru_cache(maxsize=50_000)
def _nominative(words: tuple[str, ...], code: str) -> tuple[str, ...]:
    """"источника агентства" → "источник агентства", "Александра Хинштейна" → "Александр
    Хинштейн": the head and the names agreeing with it, in the nominative; the
    genitive chain hanging off the head ("Курской области") stays as it is."""
    out = list(words)
    head = parses(words[0], code)[0]
    case = head.tag.case
    if case not in _OBLIQUE or "Fixd" in head.tag:
        return tuple(out)
    # The head noun and the adjectives before it agree with it: "Объединённом комитете" →
    # "Объединённый комитет", "Центрального телеграфного агентства" → "Центральное
    # телеграфное агентство" (each adjective in the head noun's gender).
    agree: dict[int, object] = {}
    for i, word in enumerate(words):
        readings = [p for p in parses(word, code) if p.tag.case == case]
        noun = next((p for p in readings if p.tag.POS == "NOUN"), None)
        if noun is not None and (i == 0 or not any(p.tag.POS in ("ADJF", "PRTF")
                                                   for p in readings)):
            for k in list(agree):
                agree[k] = next((p for p in parses(words[k], code) if p.tag.case == case
                                 and p.tag.POS in ("ADJF", "PRTF")
                                 and (p.tag.number == noun.tag.number == "plur"
                                      or p.tag.gender == noun.tag.gender)), agree[k])
            agree[i] = noun
            break
        adjective = next((p for p in readings if p.tag.POS in ("ADJF", "PRTF")), None)
        if adjective is None:
            agree = {}
            break
        agree[i] = adjective
    for i, word in enumerate(words):
        parse = agree.get(i) or next((p for p in parses(word, code) if p.tag.case == case),
                                     None)
        if parse is None or (len(word) > 1 and word.isupper()):
            continue  # "СМИ", "ЦИК": an acronym keeps its letters
        is_name = bool({"Name", "Surn", "Patr"} & parse.tag.grammemes)
        if i == 0 or i in agree or (is_name and word[:1].isupper()):
            nom = parse.inflect({"nomn"})
            if nom:
                form = nom.word
                out[i] = form[:1].upper() + form[1:] if word[:1].isupper() else form
    return tuple(out)
