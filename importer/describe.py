"""Names the alias index does not hold verbatim, matched to sources all the same.

- **Anaphora**: "the ministry", "nazirliyin", "ведомство", "qurum" — a description made
  only of source nouns is the source named earlier in the article whose name shares its
  head noun; a generic one ("ведомство", "qurum", "the agency") the last body named.
- **Descriptions**: "the coastal enclave's health ministry", "Минздрав анклава",
  "보건부" — the registry source whose aliases hold every word of the description; when
  several do, the one whose other alias words the article mentions ("Gaza" for the Gaza
  health ministry).
- **Titles before a known name**: "Лідер Північної Кореї Кім Чен Ин" is Kim Jong Un.

Words are compared by a crude stem (five letters; three syllables in Hangul, particle
off), enough to let case endings meet: "nazirliyi" / "nazirliyin", "министерства" /
"министерство".
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from sources.text import fold

from .aliases import AliasIndex
from .types import ResolvedSource

if TYPE_CHECKING:
    from .languages.base import Language
    from .roles import ArticleState

_WORD = re.compile(r"\w+")
_HELD_BY = re.compile(r"\w-(?:controlled|run|led|backed|held|linked|allied|affiliated)$",
                      re.IGNORECASE)
_BASED = re.compile(r"(?<=\w)-based$", re.IGNORECASE)
_DOMAIN = re.compile(r"\w\.[^\W\d_]{2,}\b")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_KO_PARTICLES = ("에서는", "에서", "으로", "에게", "에는", "은", "는", "이", "가", "을", "를",
                 "의", "에", "와", "과", "도", "로")
PERSON_KINDS = {"official"}


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    word = fold(word)
    if _HANGUL.match(word):
        for p in _KO_PARTICLES:
            if word.endswith(p) and len(word) > len(p) + 1:
                word = word[: -len(p)]
                break
        return word[:3]
    # Five letters let case endings meet ("nazirliyi" / "nazirliyin"); a short word
    # loses its last letter ("Газе" / "Газы", "Gaza").
    return word[:5] if len(word) >= 6 else word[:max(3, len(word) - 1)]


@lru_cache(maxsize=200_000)
def _folded(word: str) -> str:
    return fold(word)


def stems(text: str, skip: frozenset[str] = frozenset()) -> set[str]:
    words = [w for w in _WORD.findall(text) if len(w) >= 2]
    if skip:
        words = [w for w in words if _folded(w) not in skip]
    return {stem(w) for w in words}


class Descriptions:
    """Stem → sources, built once per alias index (lazily: most articles need none)."""

    def __init__(self, index: AliasIndex):
        self.by_stem: dict[str, set[int]] = {}
        self.of_source: dict[int, set[str]] = {}
        for key, source_id in index.by_key.items():
            for s in stems(key):
                self.by_stem.setdefault(s, set()).add(source_id)
                self.of_source.setdefault(source_id, set()).add(s)


_CACHE: dict[int, tuple[AliasIndex, Descriptions]] = {}


def descriptions(index: AliasIndex) -> Descriptions:
    cached = _CACHE.get(id(index))
    if cached is None or cached[0] is not index:
        _CACHE.clear()  # one live index at a time; an old one is not kept alive
        cached = _CACHE[id(index)] = (index, Descriptions(index))
    return cached[1]


def _skip(lang: Language) -> frozenset[str]:
    lex = lang.lex
    return lex.connectors | lex.determiners | lex.place_links


def is_description(name: str, lang: Language) -> bool:
    """Only source nouns and lower-case words: "the ministry", "Nazirliyin", "ведомство"."""
    words = [w for w in name.split() if _folded(w) not in _skip(lang)]
    return bool(words) and all(lang.lex.is_noun(w) or not w[:1].isupper() for w in words) \
        and any(lang.lex.is_noun(w) for w in words)


def antecedent(name: str, lang: Language, state: ArticleState) -> ResolvedSource | None:
    """The source named earlier in the article that a description points back to."""
    if not is_description(name, lang) or not state.named:
        return None
    own = stems(name, _skip(lang))
    for named_stems, source in reversed(state.named):
        if source.kind not in PERSON_KINDS and own & named_stems:
            return source
    # Only a bare generic description ("ведомство", "пресс-служба ведомства", "qurum") is
    # the last body named; "Министерство здравоохранения палестинского анклава" says
    # which ministry it is.
    if bare_generic(name, lang):
        return next((s for _, s in reversed(state.named) if s.kind not in PERSON_KINDS), None)
    return None


def bare_generic(name: str, lang: Language) -> bool:
    """Whether the name is only a generic description: "ведомство", "пресс-служба
    ведомства", "регулятора", "qurum", "the agency"."""
    lex = lang.lex
    if not lex.generic_nouns:
        return False
    words = [w for w in name.split() if _folded(w) not in _skip(lang)]
    generic = [w for w in words if fold(w).startswith(lex.generic_nouns)]
    rest = [w for w in words if w not in generic
            and not (lex.speaks_for and lex.speaks_for.match(f"{w} "))]
    return bool(generic) and not rest


def _is_head(word_stem: str, heads: set[str]) -> bool:
    """A head title's stem, however long the word was ("sədr" of "sədri", "səd")."""
    return any(word_stem.startswith(h) or h.startswith(word_stem) for h in heads)


def earlier_person(name: str, lang: Language, state: ArticleState) -> ResolvedSource | None:
    """The person named before whom a second mention points back to: by the surname alone
    ("…, сказал Чуров" after "Владимир Чуров") or by the title alone ("…, написав
    командувач" after "командувач Повітряних сил … Микола Олещук"). Every word of the
    second mention must be in how that person was named."""
    words = [w for w in name.split() if _folded(w) not in _skip(lang)]
    if not words or len(words) > 2 or not state.named:
        return None
    surname = len(words) == 1 and words[0][:1].isupper() and not lang.lex.is_noun(words[0])
    title = is_description(name, lang) and lang.lex.guess_kind(name) in PERSON_KINDS
    if not (surname or title):
        return None
    own = stems(name, _skip(lang))
    heads = stems(" ".join(lang.lex.head_titles))
    for named_stems, source in reversed(state.named):
        if source.kind not in PERSON_KINDS or not own:
            continue
        if own <= named_stems:
            return source
        # "vilayət rəhbəri" after "Vilayət … Administrasiyasının sədri Oleh Sinehubov": one
        # head title for another, the rest of the mention in how the person was named.
        rest = {w for w in own if not _is_head(w, heads)}
        if title and rest and rest <= named_stems and rest != own and \
                any(_is_head(w, heads) for w in named_stems):
            return source
    return None


def described(name: str, lang: Language, index: AliasIndex, state: ArticleState
              ) -> int | None:
    """The one registry source whose aliases hold every word of the description, trying
    the whole phrase, then without its trailing modifiers ("Минздрав | анклава"), then
    without its leading ones ("the coastal enclave's | health ministry")."""
    if _DOMAIN.search(name):
        return None  # "News.Az" is a name of its own, not a description of "Report.az"
    # "Hamas-controlled", "Kremlin-backed": who holds the body, not what it is.
    # "Gaza-based", "Kyiv-based": where the body sits, said as its place ("Gaza").
    words = [_BASED.sub("", w) for w in name.split() if fold(w) not in _skip(lang)
             and not _HELD_BY.search(w)]
    person = lang.lex.guess_kind(name) == "official"
    tries = [words]
    if not person:
        # Only modifiers are dropped ("Минздрав | анклава", "the coastal enclave's |
        # health ministry"), never a name ("Azeri | Foreign Ministry" is not Armenia's).
        # The head noun stays: "Российская | газета" is no "Российская".
        tries += [words[:k] for k in range(len(words) - 1, 0, -1)
                  if all(not w[:1].isupper() and not lang.lex.is_descriptor(w)
                         for w in words[k:])]
        tries += [words[k:] for k in range(1, len(words))
                  if all(not w[:1].isupper() for w in words[:k])]
        # What is left must still say what kind of body it is ("Минздрав", "health
        # ministry"), not only where ("Ukraine's").
        tries = [words] + [t for t in tries[1:] if any(lang.lex.is_noun(w) for w in t)]
    for part in tries:
        found = _described(" ".join(part), lang, index, state, person)
        if found:
            return found
    return None


def _described(name: str, lang: Language, index: AliasIndex, state: ArticleState,
               person: bool) -> int | None:
    own = stems(name, _skip(lang))
    if not own:
        return None
    d = descriptions(index)
    found: set[int] | None = None
    for s in own:
        ids = d.by_stem.get(s)
        if not ids:
            return None
        found = set(ids) if found is None else found & ids
        if not found:
            return None
    assert found is not None
    if len(found) == 1 and len(own) >= 2:
        return next(iter(found))
    if person and len(own) < 2:
        return None  # "officials" is nobody in particular
    scored = sorted(((len((d.of_source[sid] - own) & state.context), sid) for sid in found),
                    reverse=True)
    if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return scored[0][1]
    return None


def titled(name: str, index: AliasIndex) -> int | None:
    """A known name after a title: the longest tail of the phrase that is an alias."""
    words = name.split()
    for i in range(1, len(words)):
        if words[i][:1].isupper() or _HANGUL.match(words[i]):
            found = index.lookup(" ".join(words[i:]))
            if found:
                return found
    return None


# A stem found in the aliases of more sources than this says nothing about a country.
_COMMON = 12
_POSSESSIVE = re.compile(r"^(?P<place>.+?)['’]s\s+(?P<rest>.+)$")


def of_place(name: str, lang: Language, index: AliasIndex) -> int | None:
    """"Seoul's spy agency", "South Korea's spy agency", "Azeri Foreign Ministry": the one
    registry body of the place's country that the description fits — all its words, or
    else its kind (an intelligence agency)."""
    m = _POSSESSIVE.match(name)
    place, rest = (m.group("place"), m.group("rest")) if m else \
        (name.split()[0], " ".join(name.split()[1:]))
    if not rest or not place[:1].isupper() or not is_description(rest.lower(), lang):
        return None
    d = descriptions(index)
    country = _country(place, index, d)
    if country is None:
        return None
    # The country's own words: not "government" or "of", which other governments share.
    others = set().union(*(d.of_source.get(g, set()) for g in _governments(index)
                           if g != country))
    places = {s for s in d.of_source[country] - others
              if len(d.by_stem.get(s, ())) <= _COMMON}
    own = stems(rest, _skip(lang))
    near = [sid for sid, have in d.of_source.items()
            if sid != country and have & places]
    whole = [sid for sid in near if own <= d.of_source[sid]]
    if len(whole) == 1:
        return whole[0]
    kind = lang.lex.guess_kind(rest)
    if whole or kind == "other":
        return None
    same = [sid for sid in near if index.kind(sid) == kind]
    return same[0] if len(same) == 1 else None


def _country(place: str, index: AliasIndex, d: Descriptions) -> int | None:
    """The government a place stands for: "Seoul", "South Korea", "Azeri"."""
    found = index.lookup(place)
    governments = _governments(index)
    if found in governments:
        return found
    own = stems(place)
    whole = [sid for sid in governments if own <= d.of_source.get(sid, set())]
    if len(whole) == 1:
        return whole[0]
    if len(own) == 1:
        (stem_,) = own
        prefixed = [sid for sid in governments if len(stem_) >= 4 and any(
            s.startswith(stem_) for s in d.of_source.get(sid, ()))]
        if len(prefixed) == 1:
            return prefixed[0]
    return None


def _governments(index: AliasIndex) -> list[int]:
    return [sid for sid, (name, _) in index.sources.items() if name.startswith("Government of")]
