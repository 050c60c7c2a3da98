"""Korean: uncased, verb-final, particles glued to the word ("국정원은"), its own numerals
("1만5000", "2천700명") and counters that say what is counted."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from sources.text import fold

from ..text import Token
from .base import DIGITS, Language, to_decimal

if TYPE_CHECKING:
    from ..aliases import AliasIndex, Mention
    from ..phrases import Candidate

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_DIGIT = re.compile(r"\d")
_ADNOMINAL = re.compile(r"(?:한|된|는|던|을|인)$")  # verb forms before a noun
# A verb that ends a clause ("됐다고", "밝혔으며"): never the first word of a name.
_VERBAL = re.compile(
    r"(?:다|다고|라고|냐고|자고|며|으며|면서|지만|는데|했고|됐고|였고|었고|았고|따르면|하면|되면)$")
# The end of a reported clause: "…올라갔다고 합동참모본부가 밝혔다".
_QUOTATIVE = re.compile(r"(?:[다라냐자]|다[”\"’]|[”\"’])고\s")
# "6천1백", "6천 1백", "1만 1천": a group may follow the one before it after a space.
_NUMBER = (r"\d+(?:[.,]\d+)?\s?[십백천만억조](?:\s?\d+(?:[.,]\d+)?\s?[십백천만억조])*"
           r"(?:\s?\d+(?:,\d{3})*)?")
_UNIT = re.compile(r"[십백천만억조]")
_QUOTED = re.compile(r"[“\"‘][^”\"’]*[”\"’]")
_TOPIC = ("은", "는")
# A background clause ("침공이 이어지고 있는 가운데", "협상이 진행되는 와중에"): its subject
# is the setting's, and the speaker comes after it.
_SETTING = ("가운데", "와중에", "상황에서")
_BACKGROUND = re.compile(r"[가-힣]+(?:는|은|한|된|던)\s+(?:가운데|와중에|상황에서)(?=[,\s])")
# "하마스가 운영하는 가자지구 보건부는": the subject of a relative clause of control
# describes the body that speaks; it does not speak.
_CONTROLS = re.compile(r"\s+(?:(?:운영|통치|통제|장악|관할|지배)(?:하는|한|하고\s+있는)|이끄는)\s")
_VERB_BEFORE_NOUN = re.compile(r"[가-힣](?:[하되](?:는|던)|받(?:은|는|던)|당(?:한|하는))$")
# Heads a name ends in, which alone (or after 이, "this") point back to it ("통신은" after
# "조선중앙통신은", "이 관계자는" after "합참 관계자는").
_HEADS = frozenset({
    "통신", "통신사", "매체", "방송", "신문", "보건부", "국방부", "외교부", "외무성", "국방성",
    "정보총국", "정보국", "정보원", "총참모부", "참모본부", "선관위", "통계청", "당국",
    "관계자", "당국자", "소식통", "대변인"})
_SURNAME_TITLE = re.compile(r"([가-힣])\s+([가-힣]+)")  # "이 의원", "김 위원장"
_QUOTE_PARTICLES = {"고", "며", "면서", "라고", "이라고"}
# Names joined into one subject: "로이터와 AP 통신은", "미·일", "A 및 B".
_AND = ("와", "과", "및")
_JOINED = re.compile(r"[\s‘’'\"“”]*(?:·|및\s)")
_QUOTES = " ‘’'\"“”"
_BIG = {"만": 10**4, "억": 10**8, "조": 10**12}
_SMALL = {"십": 10, "백": 100, "천": 1000}


def korean_number(raw: str) -> Decimal:
    """"1만5000" → 15000, "2천700" → 2700, "17만5000" → 175000."""
    total = Decimal(0)
    current = Decimal(0)
    for num, unit in re.findall(r"(\d+(?:[.,]\d+)?)?\s?([십백천만억조]|$)", raw.replace(",", "")):
        n = Decimal(num) if num else None
        if unit in _SMALL:
            current += (n if n is not None else 1) * _SMALL[unit]
        elif unit in _BIG:
            total += (current + (n or 0) if (current or n) else 1) * _BIG[unit]
            current = Decimal(0)
        elif n is not None:
            current += n
    return total + current


@lru_cache(maxsize=100_000)
def _strip_cached(word: str, particles: tuple[str, ...]) -> str:
    for p in particles:
        if word.endswith(p) and len(word) > len(p):
            return word[: -len(p)]
    return word


@lru_cache(maxsize=8)
def _compact_names(index: AliasIndex) -> dict[str, int]:
    """The registry's names with their spaces taken out ("이스라엘군", "가자지구보건부")."""
    return {key.replace(" ", ""): source_id for key, source_id in index.by_key.items()
            if " " in key or _HANGUL.search(key)}


def _next_is_cue(text: str, end: int, starts: set[int]) -> bool:
    """Whether a cue starts right after this word (over spaces, closing brackets and
    quotes; the cue may begin with its own space: " 보도에 따르면")."""
    if end in starts:
        return True
    while end < len(text) and text[end] in " )’”'\"":  # "정보총국(HUR)을 인용해"
        end += 1
        if end in starts:
            return True
    return False


class Korean(Language):
    code = "ko"
    name = "Korean"
    lingua = None  # Hangul says it: no model asked
    cased = False
    bare_numbers_count = True
    predicate_follows = True
    drops_subjects = True
    lead_words = 3  # the verb ends the clause: "일본 방위상은 2000km가 넘은 것으로 추정했다"
    number_pattern = f"{_NUMBER}|{DIGITS}"
    nested_speech = re.compile(r"\s*고\s")
    quote_min = 10

    def recognise(self, sample: str) -> bool:
        # No need to ask a model about a script only Korean uses.
        hangul = sum(1 for ch in sample if "\uac00" <= ch <= "\ud7a3")
        return hangul > len(sample) * 0.15

    def strip_particle(self, word: str) -> str:
        return _strip_cached(word, self.lex.particles)

    def candidates(self, text: str, toks: list[Token], mentions: list[Mention], cues,
                   index: AliasIndex) -> list[Candidate]:
        """A word with its particle is one token ("국정원은"); a source is a noun token,
        possibly after bare nouns ("북한 조선중앙통신은")."""
        from ..phrases import Candidate

        lex = self.lex
        cands = []
        starts = sorted(cs for _, cs, _ in cues)
        cut_here = set()
        cut = []
        for t in toks:
            inner = next((cs for cs in starts if t.start < cs < t.end), None) \
                if starts[0] < t.end and t.start < starts[-1] else None
            if inner:
                cut_here.add(len(cut))
            cut.append(Token(t.start, inner, text[t.start:inner]) if inner else t)
        toks = cut
        followed_by_cue = set(starts)
        for i, t in enumerate(toks):
            if not (_HANGUL.search(t.text) or t.text[:1].isalpha()):
                continue
            stem = self.strip_particle(t.text)
            if t.text in lex.pronouns or stem in lex.pronouns:
                cands.append(Candidate(t.start, t.end, None, pronoun=True))
                continue
            etc = t.text[len(stem):] if stem == "등" and i > 0 and \
                text[toks[i - 1].end:t.start] == " " else ""
            if etc in lex.subject_particles:
                # "키이우인디펜던트와 우크라인스카프라우다 등은": the names before "등" (and
                # others) are the subject, with its particle.
                i, t = i - 1, toks[i - 1]
                stem = t.text
            else:
                etc = ""
            # Only a word with a particle can be a subject, and only a word a cue follows
            # ("국정원에 따르면", "합참 발표에 따르면") a cue's name: skip the rest early.
            if stem == t.text and not etc and i not in cut_here and \
                    not _next_is_cue(text, t.end, followed_by_cue):
                continue
            # A number is no name ("300여 명은"); a name may hold digits ("뉴스1에 따르면").
            if stem in lex.ko_stop or t.text in lex.ko_stop or t.text[:1].isdigit():
                continue
            if _VERB_BEFORE_NOUN.search(t.text):
                continue  # "운영하는", "진행되는", "훈련받은": a verb before its noun
            begin = i
            # "우크라이나 국방부 정보총국(HUR)을 인용해": the bracketed short name closes the
            # phrase before it, the bracket and all.
            bracketed = text.startswith(")", t.end) and t.start > 0 and text[t.start - 1] == "("
            while begin > 0 and begin > i - (3 if bracketed else 2):
                prev = toks[begin - 1]
                named = any(m.start <= prev.start and prev.end <= m.match_end for m in mentions)
                # "이 의원은": a one-syllable surname before a title, not "이" (this).
                surname = len(prev.text) == 1 and stem in lex.titles
                if prev.text in _AND or prev.text in _SETTING or (not named and (
                        self.strip_particle(prev.text) != prev.text
                        or (prev.text in lex.ko_stop and not surname)
                        or _DIGIT.search(prev.text) or _ADNOMINAL.search(prev.text)
                        or _VERBAL.search(prev.text))):
                    break
                gap = text[prev.end:toks[begin].start]
                if gap.strip(" ’”") and not (bracketed and begin == i and gap == "("):
                    break  # "‘AP’ 통신은" is one phrase; "통해 \"한국군이" two
                begin -= 1
            start = toks[begin].start
            whole = next((m for m in mentions if m.start <= t.start and m.match_end == t.end),
                         None)
            particle = etc or ("" if whole else t.text[len(stem):])
            end = t.end + 1 if bracketed and begin < i else t.end
            cand = Candidate(start, end, self._source(text, start, t, mentions, index),
                             suffix=particle)
            partner = self._partner(text, toks, begin, mentions, index, cand.source_id)
            if partner is not None:
                cand.coordinated = [partner, Candidate(start, t.end, cand.source_id,
                                                       suffix=particle)]
            cands.append(cand)
        return self._joined_topics(text, cands, index)

    def _partner(self, text: str, toks: list[Token], begin: int, mentions: list[Mention],
                 index: AliasIndex, source_id: int | None) -> Candidate | None:
        """"로이터와 AP 통신은", "‘로이터’와 ‘AP’ 통신은", "美·日 정부는": a known name joined
        to the phrase by 와/과/및/·, speaking with it."""
        from ..phrases import Candidate

        k = begin - 1
        if k >= 0 and toks[k].text in _AND:
            k -= 1
            joined = True
        else:
            joined = k >= 0 and _JOINED.match(text, toks[k].end, toks[begin].start) is not None
        if k < 0 or (not joined and not toks[k].text.endswith(_AND)):
            return None
        if text[toks[k].end:toks[begin].start].strip(_QUOTES + "·와과및 "):
            return None
        word = toks[k]
        name = word.text[:-1] if word.text.endswith(_AND) and not joined else word.text
        name_end = word.start + len(name.rstrip(_QUOTES))
        known = next((m for m in mentions if m.start <= word.start and m.match_end == name_end),
                     None)  # "한국 정부와": the name may start words before
        if known is None or source_id is None or \
                index.kind(known.source_id) != index.kind(source_id):
            # Only names on file of one kind: "북한과 러시아 국방부는" may be Russia's
            # ministry alone; "로이터와 AP 통신은" are two agencies.
            return None
        return Candidate(known.start, name_end, known.source_id)

    def _joined_topics(self, text: str, cands: list[Candidate], index: AliasIndex
                       ) -> list[Candidate]:
        """"아제르바이잔은 국방부는": two topics in a row that together are one known name
        ("아제르바이잔 국방부") are that name, the second's particle closing it."""
        from ..phrases import Candidate

        out: list[Candidate] = []
        for cand in cands:
            prev = out[-1] if out else None
            if prev is not None and prev.suffix in _TOPIC and cand.suffix in _TOPIC \
                    and text[prev.end:cand.start] == " " and not prev.pronoun:
                first = text[prev.start:prev.end - len(prev.suffix)]
                second = text[cand.start:cand.end - len(cand.suffix)]
                found = index.lookup(f"{first} {second}")
                if found is not None:
                    out[-1] = Candidate(prev.start, cand.end, found, suffix=cand.suffix)
                    continue
            out.append(cand)
        return out

    def _source(self, text: str, start: int, last: Token, mentions: list[Mention],
                index: AliasIndex) -> int | None:
        """The source a phrase names: its last name, if only a title or a descriptor
        follows ("김정은 국무위원장은", "러시아 타스통신은"); "합참 공보실장은" is the officer."""
        inner = [m for m in mentions if m.start >= start and m.match_end <= last.end]
        if not inner:
            # Korean spacing varies ("이스라엘 군" for the registry's "이스라엘군",
            # "프리도니아국방부" for "프리도니아 국방부"): the whole phrase may be a name on
            # file once the spaces of both are gone.
            phrase = self.strip_particle(text[start:last.end])
            return _compact_names(index).get(fold(phrase.replace(" ", "")))
        m = inner[-1]
        tail = text[m.match_end:last.end].lstrip(_QUOTES)  # "‘AP’ 통신은"
        rest = [] if tail in self.lex.particles else self.strip_particle(tail).split()
        if not rest or all(self.lex.is_descriptor(w) for w in rest):
            return m.source_id
        if index.kind(m.source_id) == "official" and all(w in self.lex.titles for w in rest):
            return m.source_id
        return None

    def is_head(self, word: str) -> bool:
        return word in _HEADS

    def base_form(self, surface: str) -> str:
        return self.strip_particle(super().base_form(surface))

    def surname(self, name: str) -> str | None:
        m = _SURNAME_TITLE.fullmatch(name)
        return m.group(1) if m and m.group(2) in self.lex.titles else None

    def subject_order(self, text: str, cs: int, cands: list[Candidate]) -> list[Candidate]:
        lo = max(text.rfind(". ", 0, cs), text.rfind("\n", 0, cs), 0)
        setting = next(reversed(list(_BACKGROUND.finditer(text, lo, cs))), None)
        if setting is not None and any(c.start >= setting.end() for c in cands):
            cands = [c for c in cands if c.start >= setting.end()]
        if any(_CONTROLS.match(text, c.end) for c in cands):
            cands = [c for c in cands if not _CONTROLS.match(text, c.end)]
        words = text[cs:cs + 40].split()
        # The cue may begin with its spaces (" 분석하고 있다") or with the quotative of
        # the clause before it ("고 보고했다고 전했다"): its verb is the word after those.
        first = words[1] if len(words) > 1 and words[0] in _QUOTE_PARTICLES else \
            (words[0] if words else "")
        at = text.find(first, cs)
        if text.startswith("고", at + len(first)) or first[:8].endswith("다고"):
            # "통신은 김여정 부부장이 …을 반박했다고 보도했다": the verb inside the report
            # takes the nearest subject; the reporting verb, bound after it, the topic.
            # Nobody inside a quotation speaks it ("부부장이 “한국군이 …”라고 밝혔다고").
            lo = max(text.rfind(". ", 0, cs), text.rfind("\n", 0, cs), 0)
            quoted = [(q.start(), q.end()) for q in _QUOTED.finditer(text, lo, cs)]
            return [c for c in reversed(cands)
                    if not any(s < c.start < e for s, e in quoted)]
        lo = max(text.rfind(". ", 0, cs), text.rfind("\n", 0, cs), 0)  # this sentence
        # The cue may begin with the quotative's own 고 ("”고 덧붙였다").
        quoted = next(reversed(list(_QUOTATIVE.finditer(text, lo, min(len(text), cs + 2)))),
                      None)
        if quoted is not None:
            # "…올라갔다고 합동참모본부가 밝혔다": the reporting verb's subject follows the
            # reported clause; a subject inside it ("북한이") is the clause's own.
            after = [c for c in cands if c.start >= quoted.end()]
            inside = (quoted.start(), quoted.end())
            if quoted.group()[-3] in "”\"’" or quoted.group()[0] in "”\"’":
                # "이어 “추가 …”고 덧붙였다": nothing inside the quotation speaks it.
                opened = max(text.rfind(q, lo, quoted.start()) for q in "“\"‘")
                inside = (opened if opened >= 0 else lo, quoted.end())
            return after + [c for c in cands
                            if c.start < quoted.end() and not inside[0] <= c.start < inside[1]]
        return cands

    def as_subject(self, text: str, cand: Candidate, cs: int) -> Candidate | None:
        # Only a pronoun or a word with a subject particle: "김정은" is a name, not 김정 + 은.
        if cand.pronoun or cand.suffix in self.lex.subject_particles:
            return cand
        return None

    def read_number(self, raw: str, decimal_comma: bool) -> Decimal | None:
        if _UNIT.search(raw):
            return korean_number(raw)
        return to_decimal(raw.strip(), decimal_comma)

    def counted_before(self, before: str) -> str:
        ahead = re.findall(r"[가-힣A-Za-z]+", before[-20:])
        noun = ahead[-1] if ahead else ""
        if _VERBAL.search(noun) or re.search(r"(?:[하되지치졌았었였]고|하며|하여)$", noun):
            return ""  # "18명이 사망하고 35명이 다쳤다": the verb before counts nothing
        return re.sub(r"(?:은|는|이|가|을|를|의|에|에서|로|으로|와|과|도)$", "", noun)


LANGUAGE = Korean()
