"""Bind each cue to the name it governs: before it, after it, or the clause's subject."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sources.text import fold

from .languages.base import Language
from .lexicon import Cue
from .phrases import Candidate
from .text import Unit, tokens

# Verbs whose source is their subject, in the nominative ("в интервью агентству Reuters"
# names its source in the dative: its cue says where to look, slot "after").
_SAYS = ("speech", "relay")
_STOP_PUNCT = re.compile(r"[.;:!?“”«»\"()\[\]]")
_HINTS = {"speech": "claimant", "citing": "claimant", "according": "according",
          "relay": "relay", "outlet": "outlet", "quoting": "relay"}
# ", speaking on condition of anonymity," between a subject and its verb.
_PARENTHETICAL = re.compile(r"^\s*,[^,.;:!?“”«»\"]{1,80},\s*$")
# Long enough for a title with a body's full name ("Philippe Lazzarini, Commissioner-General
# of the United Nations Relief and Works Agency … (UNRWA), announced").
_APPOSITIVE = re.compile(r",[^,.;:!?“”«»\"]{3,160},\s*$")
# A name in quotes next to its cue: "«Хамас» стверджує", "“Report” xəbər verir ki",
# "передает «Российская газета»", ""Unian"a istinadən" (a case ending after the quote).
_CLOSING_QUOTE = re.compile(r"^[”\"»](?:[^\W\d_]{1,4}\b)?")
_OPENING_QUOTE = re.compile(r"[“«\"„]$")
# A person's initials before the surname ("сказал В.Горбунов", "отметила Э. Набиуллина",
# "said J. R. Smith"): part of the name, not a full stop between the cue and it.
_INITIALS_BEFORE = re.compile(r"(?:(?<=\s)|^)(?:[A-ZА-ЯЁІЇЄҐƏ]\.\s?){1,2}$")
_COMPLEMENTISER = re.compile(r"\s*(?:that|что|ki)\b|\s*[:,]", re.I)
_CLAUSE_END_AFTER_SPEAKER = re.compile(
    r"\s*(?:[,.;:!?”»\"(—–-]|$|\s+(?:on|in|at|during|late|earlier|citing|"
    r"quoting|в|на|во|у|під|по|со\s+ссылкой|з\s+посиланням|із\s+посиланням)\b)")


@dataclass
class Binding:
    candidate: Candidate
    cue: Cue
    cue_start: int
    cue_end: int
    role_hint: str


def bind(text: str, cue: Cue, cs: int, ce: int, cands: list[Candidate], lang: Language,
         unit: Unit, bound: dict[int, int]):
    hint = _HINTS[cue.kind]
    for slot in _slot_order(text, cue, cs, ce, unit):
        found = _in_slot(text, slot, cue, cs, ce, cands, lang, unit, bound)
        if found:
            yield hint, found
            if cue.kind == "quoting":
                after = _in_slot(text, "after", cue, cs, ce, cands, lang, unit, bound)
                if after:
                    yield "claimant", after
            return


def _slot_order(text: str, cue: Cue, cs: int, ce: int, unit: Unit) -> list[str]:
    if cue.slot != "auto":
        return [cue.slot]
    if _COMPLEMENTISER.match(text, ce):
        return ["before", "after"]  # "X, citing Y, reported that …": the speaker came first
    before = text[unit.start:cs].rstrip()
    if not before or before[-1] in ",\"”»—–-" or re.search(r"(?:^|\s)(?:as|как)$", before,
                                                          re.I):
        return ["after", "before"]
    return ["before", "after"]


def _in_slot(text: str, slot: str, cue: Cue, cs: int, ce: int, cands: list[Candidate],
             lang: Language, unit: Unit, bound: dict[int, int]) -> Candidate | None:
    if slot == "before":
        return _before(text, cue, cs, cands, lang, unit, bound)
    if slot == "after":
        return _after(text, cue, ce, cands, lang, unit, bound)
    if slot == "subject":
        return _subject(text, cs, [c for c in cands if id(c) not in bound], lang, unit)
    return None


def _before(text: str, cue: Cue, cs: int, cands: list[Candidate], lang: Language, unit: Unit,
            bound: dict[int, int]) -> Candidate | None:
    found = _before_near(text, cue, cs, cands, lang, unit, bound)
    if found is None and lang.subject_leads and cue.kind in _SAYS:
        # "Центризбирком к завершению второго дня голосования … зафиксировал явку": the
        # sentence's first phrase, in the nominative, with nothing but words between it
        # and its verb, is the subject however far it stands.
        first = min((c for c in cands if c.end <= cs), key=lambda c: c.start, default=None)
        if first is not None and id(first) not in bound and \
                len(tokens(text[unit.start:first.start])) <= 1 and \
                not _STOP_PUNCT.search(text[first.end:cs]) and "," not in text[first.end:cs] \
                and lang.can_speak(text, first):
            return first
    return found


_NAME_ONLY = re.compile(r"[A-ZА-ЯЁІЇЄҐ][\w'’.-]*(?:\s+[A-ZА-ЯЁІЇЄҐ][\w'’.-]*)+")


def _named_in_apposition(text: str, appositive: re.Match, cands: list[Candidate],
                         lang: Language) -> Candidate | None:
    """"The ministry's spokesman, Igor Konashenkov, said": a title, then the person's name
    between commas — the person speaks (guide §2: "ministry spokesman X" is X)."""
    inner = text[appositive.start() + 1:appositive.end()].strip(" ,")
    if not _NAME_ONLY.fullmatch(inner):
        return None
    at = appositive.start() + 1 + text[appositive.start() + 1:].find(inner)
    name = next((c for c in cands if c.start == at and c.end == at + len(inner)), None)
    title = next((c for c in cands if c.end == appositive.start()), None)
    if name is None or title is None:
        return None
    if not _a_title(text[title.start:title.end], lang):
        return None  # "Kim Yo Jong, the sister of …": a name first, the apposition describes
    return name


def _a_title(said: str, lang: Language) -> bool:
    """A person's title ("the ministry's spokesman", "governor"), not a name: an official's
    words with one in lower case past the article."""
    return lang.lex.guess_kind(said) == "official" and any(
        w[:1].islower() and fold(w) not in lang.lex.determiners for w in said.split())


def _before_near(text: str, cue: Cue, cs: int, cands: list[Candidate], lang: Language,
                 unit: Unit, bound: dict[int, int]) -> Candidate | None:
    point, jumped = cs, False
    appositive = _APPOSITIVE.search(text, unit.start, cs)
    if appositive and lang.appositions:
        named = _named_in_apposition(text, appositive, cands, lang)
        if named is not None and id(named) not in bound:
            return named
        # "Kim Yo Jong, the powerful sister of leader Kim Jong Un, said": the name
        # inside the apposition is not the speaker.
        point = appositive.start()
    circumstance = lang.lex.circumstance
    aside = [m.span() for m in circumstance.finditer(text, unit.start, cs)] \
        if circumstance is not None else []
    for cand in sorted((c for c in cands if c.end <= cs), key=lambda c: -c.end):
        if cand.end > point:
            continue
        if any(s <= cand.start and cand.end <= e for s, e in aside):
            continue  # "in a press statement": "press" is no speaker
        if id(cand) in bound:
            # "Yonhap, citing the JCS, reported": look past the cited name and its cue.
            point, jumped = min(cand.start, bound[id(cand)]), True
            continue
        if cue.kind in _SAYS and cue.slot != "after" and not lang.can_speak(text, cand):
            continue  # "…, в Госдуму зафиксировал": an object, not the speaker
        between = _PARENTHETICAL.sub("", text[cand.end:point])
        if circumstance is not None:
            between = circumstance.sub(" ", between)
        if cand.start > 0 and text[cand.start - 1] in "“«\"„":
            between = _CLOSING_QUOTE.sub("", between)
        between = _OPENING_QUOTE.sub("", between)
        if _STOP_PUNCT.search(between):
            return None
        if "," in between and lang.comma_cuts_before and not jumped:
            return None
        if len(tokens(between)) > cue.gap:
            return None
        return cand
    return None


def _after(text: str, cue: Cue, ce: int, cands: list[Candidate], lang: Language, unit: Unit,
           bound: dict[int, int]) -> Candidate | None:
    skipped: list[Candidate] = []
    for cand in sorted((c for c in cands if c.start >= ce), key=lambda c: c.start):
        if id(cand) in bound:
            return None
        if cand.end - cand.start == 1 and text[cand.end:cand.end + 1] == "." and \
                text[cand.start].isupper():
            continue  # "Э." of "Э. Набиуллина": an initial, the surname follows
        raw = text[ce:cand.start]
        for s in skipped:
            # "сообщил «Интерфаксу» начальник пресс-службы": the addressee in quotes is
            # passed over like an unquoted one ("сообщил журналистам глава МИД").
            if s.start > 0 and s.end < len(text) and text[s.start - 1] in "«\"“" and \
                    text[s.end] in "»\"”":
                raw = raw.replace(text[s.start - 1:s.end + 1], text[s.start:s.end])
        between = _OPENING_QUOTE.sub("", raw.rstrip()) if \
            _OPENING_QUOTE.search(raw.rstrip()) else raw
        between = _INITIALS_BEFORE.sub("", between)
        if _STOP_PUNCT.search(between) or "," in between:
            return None
        if len([t for t in tokens(between) if fold(t.text) not in lang.lex.connectors]) \
                > cue.gap:
            return None
        if cue.kind in _SAYS and cue.slot != "after" and not lang.can_speak(text, cand):
            skipped.append(cand)
            continue  # "сообщил журналистам глава МИД": the addressee, then the speaker
        if cue.slot == "auto" and lang.speaker_closes_clause and \
                not _CLAUSE_END_AFTER_SPEAKER.match(text[cand.end:unit.end]):
            if lang.head_first and any(o.start > cand.end and
                                       not text[cand.end:o.start].strip(" »\"”")
                                       for o in cands):
                continue  # "…, сообщил ТАСС источник в силовых структурах": told, then who
            if re.search(r"(?:^|\s)(\w+)\s+$", between) and \
                    fold(between.split()[-1]) in lang.lex.connectors:
                continue  # "повідомив у Telegram президент …": a place, then the speaker
            return None  # "…, said Washington was watching": Washington is no speaker
        return _apposed_name(text, cand, cands, lang) or cand
    return None


_NAME_APPOSED = re.compile(r",\s*([^,.]{3,60}?)\s*(?:,|\.(?:\s|$)|$)")


def _apposed_name(text: str, title: Candidate, cands: list[Candidate], lang: Language
                  ) -> Candidate | None:
    """"According to the governor, Oleh Syniehubov, …": the title, then the person's name
    between commas — the person (as _named_in_apposition, with the name after the cue)."""
    if not lang.appositions:
        return None
    m = _NAME_APPOSED.match(text, title.end)
    if m is None or not _NAME_ONLY.fullmatch(m.group(1)):
        return None
    name = next((c for c in cands if c.start == m.start(1) and c.end == m.end(1)), None)
    if name is None or not _a_title(text[title.start:title.end], lang):
        return None
    return name


def _subject(text: str, cs: int, cands: list[Candidate], lang: Language, unit: Unit
             ) -> Candidate | None:
    """The clause's subject in verb-final languages: its first name in the nominative."""
    clause_start = unit.start
    # A subordinate "X-a görə," or quotation before the subject is not the subject.
    # "Qiymətlər 10 faiz artıb, - deyə ekspert … bildirib": what was said ends at "deyə",
    # quotation marks or not, and the speaker comes after it.
    for m in re.finditer(r",\s*[-–—]\s*deyə\s+|[,:]\s|[”»\"][,.]?\s*(?:[-–—]\s*)?(?:deyə\s+)?",
                         text[unit.start:cs]):
        prefix = text[unit.start:unit.start + m.start()]
        opening_quote = m.group()[0] in "”»\"" and text[unit.start] in "“«\"„"
        if opening_quote or m.group().rstrip().endswith("deyə") or (
                lang.subordinate_end and lang.subordinate_end.search(prefix.strip())):
            clause_start = unit.start + m.end()
    for cand in lang.subject_order(text, cs, cands):
        if cand.end > cs or cand.start < clause_start:
            continue
        found = lang.as_subject(text, cand, cs)
        if found is not None:
            return found
    return None
