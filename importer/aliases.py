"""Every source alias in one Aho-Corasick automaton, matched over the text in one pass.

Inflected mentions are found without listing inflections: a match may be followed by
the language's case suffixes or particles ("Seulun", "KCNA-nın", "국정원은"), and
in languages with a morphology (Russian, Ukrainian: pymorphy3) names are also matched
lemma by lemma, so "Минобороны России" and "министерства обороны России" find their
aliases whatever the case.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from factcheck.rebuilt import Rebuilt
from sources.text import fold

from .lexicon import Lexicon
from .morph import lemma, parses
from .text import folded_with_offsets

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_WORD = re.compile(r"\w+(?:-\w+)*")
_PREFIX = 4  # words are lemmatised only when an alias word starts the same way
# A one-word Latin alias written with a capital ("Report", "Trend"): an outlet named by a
# common word, not found in the word written in lower case.
# Aliases that only name the source when written with a capital: a word ("Report", "Trend")
# or a short Latin acronym ("UN", "AP": not the case ending in '"Report"un').
_CAPITALISED = re.compile(r"[A-Z][a-z]+$|[A-Z]{2,4}$")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    source_id: int
    match_end: int  # where the alias itself ended, before any suffix


__all__ = ["AliasIndex", "Mention", "alias_index", "lemma", "parses"]


@lru_cache(maxsize=200_000)
def _prefix(word: str) -> str:
    return fold(word)[:_PREFIX]


class AliasIndex:
    """Built from (source_id, name, kind, alias[, folded]) rows; immutable once built.

    SourceAlias rows carry `folded` already, so a rebuild does not fold again.
    """

    def __init__(self, rows, version: tuple = (), homepages: dict[int, str] | None = None):
        self.version = version
        # Source id -> its homepage: the registry's outlet for an article's site.
        self.homepages: dict[int, str] = dict(homepages or {})
        self.sources: dict[int, tuple[str, str]] = {}
        self.by_key: dict[str, int] = {}
        # Source id -> the folded aliases that find it (by_key turned round): a bare head
        # noun is matched against their ends (roles.resolve).
        self.keys_of: dict[int, list[str]] = {}
        self.surface = ahocorasick.Automaton()
        # Cyrillic aliases, lemmatised per morphology on first use ("ru", "uk").
        self._cyrillic: list[tuple[int, list[str]]] = []
        self._lemmas: dict[str, tuple[ahocorasick.Automaton | None, set[str]]] = {}
        self._lemmas_lock = threading.Lock()
        # A person's surname (the last word of a name of two words or more) -> who bears it.
        self.by_surname: dict[str, set[int]] = {}
        for source_id, name, kind, alias, *folded in rows:
            self.sources[source_id] = (name, kind)
            words = alias.split()
            if kind == "official" and len(words) >= 2 and words[-1][:1].isupper():
                self.by_surname.setdefault(fold(words[-1]), set()).add(source_id)
            key = folded[0] if folded else fold(alias)
            if not key:
                continue
            self.by_key[key] = source_id
            self.surface.add_word(key, (source_id, len(key), bool(_CAPITALISED.match(alias))))
            if _CYRILLIC.search(alias):
                self._cyrillic.append((source_id, _WORD.findall(alias)))
        for key, source_id in self.by_key.items():
            self.keys_of.setdefault(source_id, []).append(key)
        if len(self.by_key):
            self.surface.make_automaton()
        self.has_lemmas = bool(self._cyrillic)
        if self.has_lemmas:
            self._lemma_automaton("ru")  # built with the index, as before: the usual case

    def _lemma_automaton(self, code: str) -> tuple[ahocorasick.Automaton | None, set[str]]:
        built = self._lemmas.get(code)
        if built is not None:
            return built
        with self._lemmas_lock:
            if code in self._lemmas:
                return self._lemmas[code]
            automaton = ahocorasick.Automaton()
            prefixes: set[str] = set()
            count = 0
            for source_id, words in self._cyrillic:
                lkey = " ".join(lemma(w, code) for w in words)
                if lkey and lkey not in automaton:
                    automaton.add_word(lkey, (source_id, len(lkey)))
                    count += 1
                # A short word's stem changes within its first four letters ("сили" /
                # "силах"): three are enough to let its inflected forms through.
                prefixes.update(fold(w)[:_PREFIX if len(w) > 5 else 3] for w in words)
            if count:
                automaton.make_automaton()
            self._lemmas[code] = built = (automaton if count else None, prefixes)
            return built

    def __len__(self) -> int:
        return len(self.by_key)

    def name(self, source_id: int) -> str:
        return self.sources[source_id][0]

    def kind(self, source_id: int) -> str:
        return self.sources[source_id][1]

    def surname(self, word: str) -> int | None:
        """The one registry person with this surname ("Чуров" -> Vladimir Churov); None
        when nobody or several bear it."""
        found = self.by_surname.get(fold(word), ())
        return next(iter(found)) if len(found) == 1 else None

    def lookup(self, phrase: str) -> int | None:
        """Exact alias lookup of a whole phrase (folded), with one suffix stripped if needed."""
        return self.by_key.get(fold(phrase))

    def find(self, text: str, lex: Lexicon) -> list[Mention]:
        """Non-overlapping alias mentions, longest first, each on word boundaries."""
        found: list[Mention] = []
        if len(self.by_key):
            folded, offsets = folded_with_offsets(text)
            for end_index, (source_id, length, capitalised) in self.surface.iter(folded):
                start = end_index - length + 1
                if start > 0 and _wordish(folded[start - 1]):
                    continue
                if capitalised and text[offsets[start]].islower():
                    continue  # "media reports", "the trend": words, not "Report", "Trend"
                if start > 1 and folded[start - 1] in lex.joiners and \
                        _wordish(folded[start - 2]):
                    continue  # "Unikal.org-un": a case ending, not the name "UN"
                stop = _suffix_end(folded, end_index + 1, lex)
                if stop is None:
                    continue
                found.append(Mention(offsets[start], offsets[stop - 1] + 1, source_id,
                                     offsets[end_index] + 1))
        if self.has_lemmas and lex.morphology and _CYRILLIC.search(text):
            found.extend(self._find_lemmas(text, lex.morphology))
        return _longest(found)

    def _find_lemmas(self, text: str, code: str) -> list[Mention]:
        automaton, prefixes = self._lemma_automaton(code)
        if automaton is None:
            return []
        words = list(_WORD.finditer(text))
        keys: list[str] = []
        starts: list[int] = []  # position of each word's key in the joined string
        pos = 0
        for w in words:
            word = w.group()
            key = lemma(word, code) if _prefix(word) in prefixes or \
                _prefix(word)[:3] in prefixes else "\x00"
            keys.append(key)
            starts.append(pos)
            pos += len(key) + 1
        joined = " ".join(keys)
        mentions = []
        import bisect

        for end_index, (source_id, length) in automaton.iter(joined):
            start = end_index - length + 1
            first = bisect.bisect_left(starts, start)
            if first >= len(starts) or starts[first] != start:
                continue
            last = bisect.bisect_right(starts, end_index) - 1
            if starts[last] + len(keys[last]) - 1 != end_index:
                continue
            mentions.append(Mention(words[first].start(), words[last].end(), source_id,
                                    words[last].end()))
        return mentions


def _wordish(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _suffix_end(folded: str, i: int, lex: Lexicon) -> int | None:
    """End of the mention: right here, or after an allowed case suffix / particle."""
    if i >= len(folded):
        return i
    j = i
    if folded[j] in lex.joiners and j + 1 < len(folded) and _wordish(folded[j + 1]):
        j += 1  # "KCNA-nın", "KCNA’nın", "Seoul's"
    elif not _wordish(folded[j]):
        return i
    k = j
    while k < len(folded) and _wordish(folded[k]):
        k += 1
    if folded[j:k] in lex.alias_suffixes:
        return k
    return i if j > i else None  # "KCNA-based": the name, then a hyphenated word


def _longest(mentions: list[Mention]) -> list[Mention]:
    # Same span: the alias matched whole before one that needed a case ending ("APA" is
    # the agency APA, not "AP" + the Azerbaijani dative "-A").
    mentions.sort(key=lambda m: (m.start, -(m.end - m.start), m.end - m.match_end))
    kept: list[Mention] = []
    for m in mentions:
        if kept and m.start < kept[-1].end:
            if m.end - m.start > kept[-1].end - kept[-1].start:
                kept[-1] = m
            continue
        kept.append(m)
    return kept


def _registry_version() -> tuple:
    from sources.registry import registry_version  # the models: not at import time

    return registry_version()


def _build_alias_index(version) -> AliasIndex:
    from sources.models import Source, SourceAlias

    rows = SourceAlias.objects.values_list(
        "source_id", "source__name", "source__kind", "alias", "folded"
    ).iterator(chunk_size=5000)
    homepages = dict(Source.objects.exclude(homepage="").values_list("id", "homepage"))
    return AliasIndex(rows, version, homepages)


_ALIASES = Rebuilt(_registry_version, _build_alias_index)


def alias_index() -> AliasIndex:
    """The automaton over all aliases in the database, rebuilt when sources change."""
    return _ALIASES.get()
