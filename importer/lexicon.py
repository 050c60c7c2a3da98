"""Per-language cue phrases, name-phrase words, suffixes and number words, read from data/*.toml."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from sources.text import fold

DATA = Path(__file__).with_name("data")


@dataclass(frozen=True)
class Cue:
    """An attributing phrase and where its source sits.

    kind: speech (the source asserts: claimant), according ("according to X": claimant,
    or conduit when someone else in the sentence speaks), citing (X is the one cited:
    claimant), relay (reported/relayed: conduit when a claimant is named, else outlet),
    outlet (the publication's own formula, "Yonhap reports"), quoting ("A quoted B":
    A relays, B speaks), anaphor ("the letter says": the last claimant).
    slot: before | after | auto (after when a comma or quote precedes the cue) | subject
    (the clause's subject, for verb-final Azerbaijani and Korean).
    media_only: the name is taken only when it is a news outlet ("Hamas told Reuters"
    relays; "Putin told Biden" does not).
    """

    pattern: re.Pattern
    kind: str
    slot: str
    stance: str
    gap: int
    media_only: bool = False


@dataclass(frozen=True)
class Lexicon:
    language: str
    cues: tuple[Cue, ...]
    alias_suffixes: frozenset[str]
    joiners: str
    max_suffix: int
    nouns: tuple[str, ...]
    connectors: frozenset[str]
    coordinators: frozenset[str]
    stop_caps: re.Pattern | None
    pronouns: frozenset[str]
    oblique: tuple[str, ...]
    particles: tuple[str, ...]
    subject_particles: tuple[str, ...]
    ko_stop: frozenset[str]
    kind_hints: tuple[tuple[re.Pattern, str], ...]
    descriptors: tuple[str, ...]
    titles: frozenset[str]
    determiners: frozenset[str]
    place_links: frozenset[str]
    media_hint: re.Pattern | None
    # pymorphy3's dictionary for lemma matching of aliases ("ru", "uk"); None: no morphology.
    morphology: str | None = None
    # "Об этом сообщило Минобороны": the sentence's sources are those of the sentence(s)
    # before it, which had no cue of their own.
    back_reference: re.Pattern | None = None
    # Where one figure clause ends and the next begins: ", and", "; ", ", including".
    clause_break: re.Pattern | None = None
    # Where a coordinated assertion with its own subject and predicate begins (", and all
    # reports about it are false"): its own claim even without a figure.
    assertion_break: re.Pattern | None = None
    # A break that opens a part of the count before it: "including", "в том числе".
    subset_words: tuple[str, ...] = ()
    # Two figures with no clause break between them are cut all the same, before the short
    # words leading the second (clauses._bare): where prepositions lead a figure (en, ru,
    # uk), not where postpositions follow it and the verb ends the clause (az, ko).
    figures_apart: bool = False
    # Unnamed groups ("officials", "sources"): not one registry body by description.
    group_nouns: frozenset[str] = frozenset()
    # Descriptions that stand for the last body named ("ведомство", "qurum"), folded stems.
    generic_nouns: tuple[str, ...] = ()
    # Titles that each say "the head of" a body ("sədr", "rəhbər", "başçı"): a second
    # mention by one of them ("vilayət rəhbəri") points back to the head named by another.
    head_titles: tuple[str, ...] = ()
    # Long forms and the short ones sources go by: ("министерств\w* обороны", "Минобороны").
    short_forms: tuple[tuple[re.Pattern, str], ...] = ()
    # Words before a body's name that stand for the body ("пресс-служба", "press office").
    speaks_for: re.Pattern | None = None
    # "источник ТАСС", "собеседник РИА Новости": an unnamed person who told an outlet; the
    # group is the head words, the outlet after them carried the words (a conduit).
    source_of: re.Pattern | None = None
    # A relay verb in the present that names the publisher when it ends a chain: "…, the
    # chairman said, News.Az reports" (News.Az is the outlet, not a conduit).
    publisher_verb: re.Pattern | None = None
    # Where or when a subject spoke, between it and its verb: "The ministry in a press
    # statement on Friday said": not words that keep the verb from its subject.
    circumstance: re.Pattern | None = None
    # What opens a further statement after the speaker ("…,” he said, adding that …").
    added_content: re.Pattern | None = None
    # A second verb of the same subject ("said that A and denied B"): what ends the text
    # before it, and how a clause opened by a stance verb starts (groups denies/disputes).
    shared_subject: re.Pattern | None = None
    stance_lead: re.Pattern | None = None
    # Words a noun stem would take that are no name's words: adverbs ("офіційно" from
    # "офіційн", as in "Москва офіційно заявляла").
    not_nouns: re.Pattern | None = None
    # A person's own body, named by the person ("канцелярія Нетаньягу", "офис Зеленского"):
    # the body speaks, a new source, not the person. Folded stems.
    office_nouns: tuple[str, ...] = ()
    figures: dict = field(hash=False, compare=False, default_factory=dict)
    _noun_cache: dict = field(hash=False, compare=False, default_factory=dict, repr=False)

    def is_office(self, phrase: str) -> bool:
        """Whether the phrase opens with a person's own body ("канцелярія Нетаньягу")."""
        words = phrase.split()
        return bool(self.office_nouns) and len(words) > 1 and \
            fold(words[0]).startswith(self.office_nouns)

    def is_noun(self, token: str) -> bool:
        """Lower-case words that belong in a source's name: "ministry", "agentliyinin"."""
        known = self._noun_cache.get(token)
        if known is None:
            known = self._noun_cache[token] = self._is_noun_uncached(token)
        return known

    def _is_noun_uncached(self, token: str) -> bool:
        folded = fold(token)
        if self.not_nouns is not None and self.not_nouns.search(folded):
            return False
        for stem in self.nouns:
            if folded.startswith(stem) and len(folded) - len(stem) <= self.max_suffix:
                return True
        return False

    def is_descriptor(self, word: str) -> bool:
        """Words that describe a named source without naming another: "agency", "agentliyi"."""
        folded = fold(word)
        return any(folded.startswith(d) and len(folded) - len(d) <= self.max_suffix + 2
                   for d in self.descriptors)

    def guess_kind(self, name: str) -> str:
        for pattern, kind in self.kind_hints:
            if pattern.search(name):
                return kind
        return "other"


_WORDS = re.compile(r"^\\b\(\?:(?P<inner>.*)\)\\b$")
_PLAIN = re.compile(r"[^\W\d_]+")


def _split_top(inner: str) -> list[str] | None:
    """The top-level alternatives of a group's inside; None if the brackets do not pair."""
    items, depth, start, i = [], 0, 0, 0
    while i < len(inner):
        ch = inner[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return None
        elif ch == "|" and depth == 0:
            items.append(inner[start:i])
            start = i + 1
        i += 1
    items.append(inner[start:])
    return items if depth == 0 else None


def _as_trie(pattern: str) -> str:
    """"\\b(?:заявив|заявила|…)\\b" with its plain words as a trie ("заяв(?:ив|ила)…"):
    the same matches (each alternative is one word ending at a word boundary, so which
    is tried first does not change what matches), found without trying a hundred words
    at every word start — the largest cue lists are the slowest regexes of a language."""
    m = _WORDS.match(pattern)
    items = _split_top(m.group("inner")) if m else None
    if not items or any("\\s" in item or " " in item for item in items):
        return pattern
    plain = [w.casefold() for w in items if _PLAIN.fullmatch(w)]
    if len(plain) < 8:
        return pattern
    rest = [w for w in items if not _PLAIN.fullmatch(w)]
    trie: dict = {}
    for word in plain:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return r"\b(?:" + "|".join([_trie_regex(trie), *rest]) + r")\b"


def _trie_regex(node: dict) -> str:
    ends = "" in node
    branches = [re.escape(ch) + _trie_regex(child) for ch, child in sorted(node.items())
                if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return "(?:" + body + ")?"
    return body


@cache
def lexicon(language: str) -> Lexicon:
    raw = tomllib.loads((DATA / f"{language}.toml").read_text(encoding="utf-8"))
    flags = re.IGNORECASE | re.UNICODE
    cues = tuple(
        Cue(
            pattern=re.compile(_as_trie(c["pattern"]), flags),
            kind=c["kind"],
            slot=c.get("slot", "before"),
            stance=c.get("stance", "asserts"),
            gap=int(c.get("gap", raw.get("default_gap", 3))),
            media_only=bool(c.get("media_only", False)),
        )
        for c in raw["cue"]
    )
    names = raw.get("names", {})
    stop = names.get("stop_caps")
    media = raw.get("media_hint")
    return Lexicon(
        language=language,
        cues=cues,
        alias_suffixes=frozenset(fold(s) for s in raw.get("alias_suffixes", [])),
        joiners=raw.get("joiners", ""),
        max_suffix=int(names.get("max_suffix", 3)),
        nouns=tuple(sorted({fold(n) for n in names.get("nouns", [])}, key=len, reverse=True)),
        connectors=frozenset(fold(c) for c in names.get("connectors", [])),
        coordinators=frozenset(fold(c) for c in names.get("coordinators", [])),
        stop_caps=re.compile(stop, flags) if stop else None,
        pronouns=frozenset(fold(p) for p in names.get("pronouns", [])),
        oblique=tuple(fold(s) for s in names.get("oblique_suffixes", [])),
        particles=tuple(sorted(raw.get("particles", []), key=len, reverse=True)),
        subject_particles=tuple(sorted(raw.get("subject_particles", []), key=len, reverse=True)),
        ko_stop=frozenset(names.get("stop_words", [])),
        kind_hints=tuple(
            (re.compile(h["pattern"], flags), h["kind"]) for h in raw.get("kind_hint", [])
        ),
        media_hint=re.compile(media, flags) if media else None,
        descriptors=tuple(fold(d) for d in names.get("descriptors", [])),
        titles=frozenset(names.get("titles", [])),
        determiners=frozenset(fold(d) for d in names.get("determiners", [])),
        place_links=frozenset(fold(d) for d in names.get("place_links", [])),
        figures=raw.get("figures", {}),
        morphology=raw.get("morphology"),
        back_reference=re.compile(raw["back_reference"], flags) if raw.get("back_reference")
        else None,
        clause_break=re.compile(raw["clause_break"], flags) if raw.get("clause_break") else None,
        assertion_break=re.compile(raw["assertion_break"], flags)
        if raw.get("assertion_break") else None,
        generic_nouns=tuple(fold(n) for n in names.get("generic_nouns", [])),
        head_titles=tuple(fold(n) for n in names.get("head_titles", [])),
        group_nouns=frozenset(fold(n) for n in names.get("group_nouns", [])),
        subset_words=tuple(fold(w) for w in raw.get("subset_words", [])),
        figures_apart=bool(raw.get("figures_apart", False)),
        short_forms=tuple((re.compile(s["long"], flags), s["short"])
                          for s in raw.get("short_form", [])),
        speaks_for=re.compile(names["speaks_for"], flags) if names.get("speaks_for") else None,
        source_of=re.compile(names["source_of"], flags) if names.get("source_of") else None,
        publisher_verb=re.compile(raw["publisher_verb"], flags) if raw.get("publisher_verb")
        else None,
        not_nouns=re.compile(names["not_nouns"], flags) if names.get("not_nouns") else None,
        circumstance=re.compile(raw["circumstance"], flags) if raw.get("circumstance")
        else None,
        added_content=re.compile(raw["added_content"], flags) if raw.get("added_content")
        else None,
        shared_subject=re.compile(raw["shared_subject"], flags) if raw.get("shared_subject")
        else None,
        stance_lead=re.compile(raw["stance_lead"], flags) if raw.get("stance_lead") else None,
        office_nouns=tuple(fold(n) for n in names.get("office_nouns", [])),
    )
