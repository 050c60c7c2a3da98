"""Who a bare text names: the sources on file whose names or aliases it contains.

A text sent to POST /claims/similar/ has no attributions, so "the same figure
from another claimant" (NIS's ~3,000 casualties against Zelensky's) looked the
same to the ranking. The sources' names and aliases (`SourceAlias`, in every
language an editor recorded) are matched over the folded text in one
Aho-Corasick pass; every source named counts as a possible claimant, so a text
naming two sources agrees with a claim from either (ranking.compare).

The importer has its own, richer matcher (importer/aliases.py, with Russian
lemmas), but similarity sits below the importer and cannot use it. This one
takes an alias at a word start, followed by a word end or, for Korean aliases and
others of four or more characters, by an inflection or particle ("Zelenskinin",
"Пескова", "국정원은"); a Cyrillic word alias also matches its stem without the usual
nominative ending ("Зеленский" → "Зеленского").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import ahocorasick

from factcheck.rebuilt import Rebuilt
from sources.text import fold

# Nominative endings (as folded: й loses its breve) dropped from a one-word Cyrillic
# alias to match its other cases; -ов/-ин surnames need none ("Пескова" starts "песков").
_CYRILLIC_ENDING = re.compile(r"^([\u0400-\u04ff]{4,}?)(ии|ыи|ои|ая|а|я)$")
# A name of several Cyrillic words inflects in every word ("Центральной избирательной
# комиссии Республики Корея", "Министерства обороны России"): such aliases are matched a
# second time with each Cyrillic word cut to its stem, over the text cut the same way.
_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+")
_WORD_ENDING = re.compile(r"^([\u0400-\u04ff]{3,}?)(ами|ями|ого|его|ому|ему|ыми|ими|ая|яя|ое|ее|"
                          r"ои|еи|ии|ыи|ия|ию|ие|ые|ых|их|ым|им|ом|ем|ам|ям|ах|ях|"
                          r"а|я|ы|и|у|ю|е|о)$")
_MIN_INFLECTED = 4  # shorter aliases ("NIS", "GUR") must end at a word end, unless Korean
_GLOSS = re.compile(r"\s*\([^()]*\)\s*$")


def _stem(word: re.Match) -> str:
    ending = _WORD_ENDING.match(word.group())
    return ending.group(1) if ending else word.group()


def _stems(folded: str) -> str:
    return _CYRILLIC_WORD.sub(_stem, folded)


def _hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3"


class NameIndex:
    """Built from (source_id, alias) rows; immutable once built."""

    def __init__(self, rows: Iterable[tuple[int, str]], version: tuple = (),
                 parents: dict[int, int] | None = None):
        self.version = version
        self._parents = dict(parents or {})  # source id -> the body it speaks for
        self._automaton = ahocorasick.Automaton()
        self._stemmed = ahocorasick.Automaton()
        stemmed = 0
        count = 0
        for source_id, alias in rows:
            # "National Intelligence Service (South Korea)": texts say the name, not the gloss.
            key = fold(_GLOSS.sub("", alias)) or fold(alias)
            if not key:
                continue
            keys = {key}
            stem = _CYRILLIC_ENDING.match(key)
            if stem and " " not in key:
                keys.add(stem.group(1))
            if " " in key and _CYRILLIC_WORD.search(key):
                cut = _stems(key)
                _, ids = self._stemmed.get(cut, (len(cut), frozenset()))
                self._stemmed.add_word(cut, (len(cut), ids | {source_id}))
                stemmed += 1
            for k in keys:
                _, ids = self._automaton.get(k, (len(k), frozenset()))
                self._automaton.add_word(k, (len(k), ids | {source_id}))
                count += 1
        self._empty = count == 0
        if not self._empty:
            self._automaton.make_automaton()
        self._has_stemmed = stemmed > 0
        if self._has_stemmed:
            self._stemmed.make_automaton()

    def parents_of(self, ids: Iterable[int]) -> frozenset[int]:
        """The bodies these sources belong to (Source.parent)."""
        return frozenset(p for i in ids if (p := self._parents.get(i)) is not None)

    def find(self, text: str) -> frozenset[int]:
        """The sources whose name or alias the text contains."""
        if self._empty or not text:
            return frozenset()
        folded = fold(text)
        found: set[int] = set()
        for end, (length, ids) in self._automaton.iter(folded):
            start = end - length + 1
            if start > 0 and folded[start - 1].isalnum():
                continue
            after = folded[end + 1] if end + 1 < len(folded) else " "
            # Korean particles attach to the name ("국정원은"); short Latin names do not inflect.
            if after.isalnum() and length < _MIN_INFLECTED and not _hangul(folded[end]):
                continue
            found.update(ids)
        if self._has_stemmed and _CYRILLIC_WORD.search(folded):
            cut = _stems(folded)
            for end, (length, ids) in self._stemmed.iter(cut):
                start = end - length + 1
                # Each word was cut to its stem on both sides: the name starts and ends
                # where words of the text do.
                after = cut[end + 1] if end + 1 < len(cut) else " "
                if (start > 0 and cut[start - 1].isalnum()) or after.isalnum():
                    continue
                found.update(ids)
        return frozenset(found)


def _registry_version() -> tuple:
    from sources.registry import registry_version  # the models: not at import time

    return registry_version()


def _build_name_index(version) -> NameIndex:
    from sources.models import Source, SourceAlias

    rows = [*Source.objects.values_list("id", "name"),
            *SourceAlias.objects.values_list("source_id", "alias")]
    parents = dict(Source.objects.filter(parent__isnull=False).values_list("id", "parent_id"))
    return NameIndex(rows, version, parents)


_NAMES = Rebuilt(_registry_version, _build_name_index)


def name_index() -> NameIndex:
    """Every source's name and aliases from the database, rebuilt when sources change."""
    return _NAMES.get()


def named_in(text: str) -> frozenset[int]:
    return name_index().find(text)


def parents_of(ids: Iterable[int]) -> frozenset[int]:
    return name_index().parents_of(ids)
