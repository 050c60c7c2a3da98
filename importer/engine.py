"""Sentence by sentence: find attributing phrases, bind each to the name it governs,
give each source its role, carry pronouns and standing conduits across sentences.

Rules, not a trained model: the cue lexicons (data/*.toml) say which phrase points
where; this module knows only the order of words in the four languages.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from sources.text import fold

from .aliases import AliasIndex, Mention, lemma
from .figures import main_figure, parse_figures
from .lexicon import Cue, Lexicon
from .text import Token, Unit, sentences, tokens
from .types import ProposedAttribution, ProposedClaim, ResolvedSource

_STOP_PUNCT = re.compile(r"[.;:!?“”«»\"()\[\]]")
_QUOTED = re.compile(r"[“«\"](?P<q>[^”»\"]{20,})[”»\"]")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_DIGIT = re.compile(r"\d")
_ADNOMINAL = re.compile(r"(?:한|된|는|던|을|인)$")  # Korean verb forms before a noun
MEDIA_KINDS = {"state_media", "news_outlet"}
PERSON_KINDS = {"official"}


@dataclass
class Candidate:
    start: int
    end: int
    source_id: int | None
    coordinated: list[Candidate] | None = None
    pronoun: bool = False
    suffix: str | None = None  # the case ending after a known name, when the phrase ends in one


@dataclass
class Binding:
    candidate: Candidate
    cue: Cue
    cue_start: int
    cue_end: int
    role_hint: str


@dataclass
class _State:
    last_claimant: ProposedAttribution | None = None
    last_person: ProposedAttribution | None = None
    standing_conduit: ProposedAttribution | None = None


@lru_cache(maxsize=100_000)
def _fold(word: str) -> str:
    return fold(word)


def extract_text(text: str, lex: Lexicon, index: AliasIndex) -> list[ProposedClaim]:
    mentions = index.find(text, lex)
    all_cues = [(cue, m.start(), m.end()) for cue in lex.cues
                for m in cue.pattern.finditer(text) if m.end() > m.start()]
    claims: list[ProposedClaim] = []
    state = _State()
    before_conduit: list[ProposedClaim] = []
    all_cues.sort(key=lambda c: c[1])
    cue_starts = [c[1] for c in all_cues]
    mention_starts = [m.start for m in mentions]
    order = {cue: i for i, cue in enumerate(lex.cues)}
    for unit in sentences(text):
        lo, hi = bisect_left(mention_starts, unit.start), bisect_left(mention_starts, unit.end)
        inside = [m for m in mentions[lo:hi] if m.end <= unit.end]
        lo, hi = bisect_left(cue_starts, unit.start), bisect_left(cue_starts, unit.end)
        # Back in lexicon order: where two cues overlap, the one listed first wins.
        cues = sorted((c for c in all_cues[lo:hi] if c[2] <= unit.end),
                      key=lambda c: order[c[0]])
        claim = _sentence(text, unit, lex, index, inside, state, cues) if cues else None
        if claim is None:
            continue
        claims.append(claim)
        conduit = next((a for a in claim.attributions if a.role == "conduit"
                        and a.source.kind in MEDIA_KINDS), None)
        named = next((a for a in claim.attributions if not a.inferred
                      and a.source.kind in MEDIA_KINDS), None)
        if conduit is None and named is not None and state.standing_conduit is not None:
            # "KCNA agentliyinin məlumatına görə …": the agency named again is the one the
            # next sentences come through; point at its latest mention.
            state.standing_conduit = named
        if conduit and state.standing_conduit is None:
            # A lead sentence before the agency is first named came through it too.
            for earlier in before_conduit:
                _add_standing(earlier, conduit)
        if conduit:
            state.standing_conduit = conduit
        elif state.standing_conduit:
            _add_standing(claim, state.standing_conduit)
        else:
            before_conduit.append(claim)
    return claims


def _add_standing(claim: ProposedClaim, conduit: ProposedAttribution) -> None:
    """A person's words reach us through the agency that carried them earlier in the article."""
    claimants = claim.claimants
    if not claimants or any(a.role == "conduit" for a in claim.attributions):
        return
    if not all(a.source.kind in PERSON_KINDS for a in claimants):
        return
    if any(a.source == conduit.source for a in claim.attributions):
        return
    claim.attributions.append(ProposedAttribution(
        surface=conduit.surface, start=conduit.start, end=conduit.end, role="conduit",
        phrase=conduit.phrase, stance="asserts", source=conduit.source, inferred=True,
    ))


def _cue_matches(text: str, unit: Unit, lex: Lexicon, matches) -> list[tuple[Cue, int, int]]:
    """Cue matches in the sentence; an earlier-listed cue wins where two overlap."""
    taken: list[tuple[int, int]] = []
    found = []
    for cue, start, end in matches:  # in lexicon order
        if start > unit.start and text[start].isupper() and \
                text[start - 1] == " " and lex.language != "ko":
            continue  # "States" in "United States" is a name, not a verb
        if any(s < end and start < e for s, e in taken):
            continue
        taken.append((start, end))
        found.append((cue, start, end))
    found.sort(key=lambda c: c[1])
    return found


def _sentence(text: str, unit: Unit, lex: Lexicon, index: AliasIndex,
              mentions: list[Mention], state: _State, matches) -> ProposedClaim | None:
    cues = _cue_matches(text, unit, lex, matches)
    if not cues:
        return None
    toks = tokens(text, unit.start, unit.end)
    if lex.language == "ko":
        candidates = _korean_candidates(text, toks, lex, mentions, cues, index)
    else:
        candidates = _runs(text, toks, lex, mentions, cues, index)
    bindings: list[Binding] = []
    anaphors = []
    bound: dict[int, int] = {}
    for cue, cs, ce in cues:
        if cue.kind == "anaphor":
            anaphors.append((cue, cs, ce))
            continue
        for hint, cand in _bind(text, cue, cs, ce, candidates, lex, unit, bound):
            bindings.append(Binding(cand, cue, cs, ce, hint))
            bound[id(cand)] = cs
    attributions = _roles(text, bindings, lex, index, state)
    if not any(a.role == "claimant" for a in attributions) and anaphors and state.last_claimant:
        cue, cs, ce = anaphors[0]
        prev = state.last_claimant
        attributions.append(ProposedAttribution(
            surface=text[cs:ce], start=cs, end=ce, role="claimant", phrase=text[cs:ce],
            stance=cue.stance, source=prev.source, inferred=True,
        ))
    if not attributions:
        return None
    claim_start, claim_end = unit.start, unit.end
    quoted = _QUOTED.search(text, unit.start, unit.end)
    if quoted and (quoted.end("q") - quoted.start("q")) > 0.4 * (unit.end - unit.start):
        claim_start, claim_end = quoted.start("q"), quoted.end("q")
    while claim_end > claim_start and text[claim_end - 1] in " .":
        claim_end -= 1
    claim = ProposedClaim(text=text[claim_start:claim_end], start=claim_start, end=claim_end,
                          attributions=attributions)
    spans = [(a.start, a.end) for a in attributions]
    figures = [f for f in parse_figures(text, lex.language, claim_start, claim_end)
               if not any(s <= f.start < e for s, e in spans)]
    claim.quantity = main_figure(figures)
    for a in attributions:
        if a.role == "claimant" and not a.inferred:
            state.last_claimant = a
            if a.source.kind in PERSON_KINDS:
                state.last_person = a
    return claim


# --- candidates ---------------------------------------------------------------------


def _runs(text: str, toks: list[Token], lex: Lexicon, mentions: list[Mention], cues,
          index: AliasIndex) -> list[Candidate]:
    """Name-like phrases: capitalised words, source nouns ("ministry", "agentliyi"),
    joined by connectors ("of", "the"), and alias mentions; never across punctuation."""
    in_cue = [(cs, ce) for _, cs, ce in cues]
    cover = _cover(toks, mentions)
    marks = []
    for i, t in enumerate(toks):
        in_mention = cover[i] is not None
        if not in_mention and any(cs <= t.start < ce for cs, ce in in_cue):
            marks.append("x")
            continue
        folded = _fold(t.text)
        if folded in lex.pronouns:
            marks.append("p")
        elif (in_mention
              or (t.capitalised and not (lex.stop_caps and lex.stop_caps.match(t.text)))
              or (lex.is_noun(t.text) and not t.text[:1].isdigit())):
            marks.append("n")
        elif folded in lex.coordinators:
            marks.append("c")
        elif folded in lex.connectors:
            marks.append("j")
        elif lex.language == "ru" and _ru_genitive_noun(t.text):
            marks.append("g")
        else:
            marks.append("x")
    cands: list[Candidate] = []
    i = 0
    while i < len(toks):
        if marks[i] == "p":
            cands.append(Candidate(toks[i].start, toks[i].end, None, pronoun=True))
            i += 1
            continue
        if marks[i] != "n":
            i += 1
            continue
        j = i
        while j + 1 < len(toks):
            gap = text[toks[j].end:toks[j + 1].start]
            if not (re.fullmatch(r"\s*|\s*\(\s*|\s*\)\s*|-", gap)
                    or (gap.startswith(".") and _INITIALS.fullmatch(toks[j].text)
                        and re.fullmatch(r"\.\s+", gap))):
                break
            if cover[j] is not None and _mention_boundary(toks[j], toks[j + 1], cover[j],
                                                          cover[j + 1], lex):
                break
            if lex.language == "az" and (cover[j] is None or cover[j] is not cover[j + 1]) \
                    and _izafet_end(toks[j], toks[j + 1]):
                break
            if marks[j + 1] == "n":
                j += 1
                continue
            # "Института изучения войны": genitive nouns after a name belong to it.
            if marks[j + 1] == "g" and (marks[j] == "n" or (marks[j] == "g" and j > i
                                                             and marks[j - 1] == "n")):
                j += 1
                continue
            # Up to two connectors between names: "Institute for the Study of War".
            k = j + 1
            while k < len(toks) and k - j <= 2 and marks[k] in "jc" and \
                    not text[toks[k - 1].end:toks[k].start].strip():
                k += 1
            if k > j + 1 and k < len(toks) and marks[k] == "n" and \
                    not text[toks[k - 1].end:toks[k].start].strip():
                j = k
                continue
            # "officials in Kyiv", "the embassy in Seoul": a place after a source noun.
            if (j + 2 < len(toks) and _fold(toks[j + 1].text) in lex.place_links
                    and toks[j + 2].capitalised and lex.is_noun(toks[j].text)
                    and not text[toks[j + 1].end:toks[j + 2].start].strip()):
                j += 2
                continue
            break
        cand = _candidate(text, toks[i:j + 1], marks[i:j + 1], lex, mentions, index)
        if i > 0 and _fold(toks[i - 1].text) in lex.determiners and \
                not text[toks[i - 1].end:toks[i].start].strip():
            # "the ministry", "two diplomats": the phrase as an editor would mark it.
            cand.start = toks[i - 1].start
        cands.append(cand)
        i = j + 1
    return cands


# A name in the genitive modifies what follows: "North Korea's state media",
# "Şimali Koreyanın dövlət mediası".
_GENITIVE = {"s", "'s", "ın", "in", "un", "ün", "nın", "nin", "nun", "nün", "의"}
_INITIALS = re.compile(r"(?:[A-ZА-Я]\.)+[A-ZА-Я]")  # "U.S." in "a senior U.S. official"
_AZ_PLAIN_CASE = re.compile(r"(?:n[ıiuü]n|n?d[ae]n|n?d[aə]n|n?d[aə]|y?l[aə])$")
_AZ_TITLE = re.compile(r"(?:prezident|nazir|katib|sözçü|nümayəndə|sədr|səfir|rəis|başçı|"
                       r"komandan|spiker|müavin|rəhbər|müşavir|köməkçi|baş nazir|"
                       r"direktor|sədri|generalı|xanım|cənab)")
_AZ_I_ADJECTIVES = {"şimali", "cənubi", "şərqi", "qərbi", "milli", "ali", "rəsmi", "hərbi",
                    "xarici", "daxili", "mərkəzi", "siyasi", "iqtisadi", "dini", "elmi",
                    "ictimai", "regional", "federal", "baş"}
_POSSESSIVE = re.compile(r"(?:s?[ıiuü])$")


def _izafet_end(left: Token, right: Token) -> bool:
    """A compound ends in -i; a case-marked word after it starts another phrase:
    "Reuters agentliyi | mənbələrə", "Müdafiə Nazirliyi | Rusiyanın". A bare word after
    it is an adjective's noun or an apposition: "rəsmi nümayəndəsi", "katibi Aygün"."""
    if not _POSSESSIVE.search(left.text):
        return False
    if left.text.lower() in _AZ_I_ADJECTIVES:
        return False  # "Şimali Koreya", "Xarici İşlər": an adjective, not a compound's end
    if right.capitalised:
        # "Nazirliyi Rusiyanın" and "İdarəsi Kursk" end here; "Rəisləri Komitəsi" goes on,
        # and so do "katibi Aygün", "Prezidenti Rəcəb": a title, then its holder's name.
        if _AZ_PLAIN_CASE.search(right.text):
            return True
        if _AZ_TITLE.match(left.text.lower()):
            return False
        return not left.capitalised or not _POSSESSIVE.search(right.text)
    return az_stem(right.text) != right.text or (
        len(right.text) > 4 and right.text[-1] in "aə" and right.text[-2] not in _AZ_VOWELS)


def _ru_genitive_noun(word: str) -> bool:
    from .aliases import parses

    if not word[:1].islower() or not _CYRILLIC_WORD.fullmatch(word):
        return False
    tag = parses(word)[0].tag
    return tag.POS == "NOUN" and tag.case == "gent"


_CYRILLIC_WORD = re.compile(r"[а-яё-]+")


def _cover(toks: list[Token], mentions: list[Mention]) -> list[Mention | None]:
    """For each token, the alias mention it lies in (both lists are in text order)."""
    out: list[Mention | None] = []
    k = 0
    for t in toks:
        while k < len(mentions) and mentions[k].end <= t.start:
            k += 1
        m = mentions[k] if k < len(mentions) else None
        out.append(m if m is not None and m.start <= t.start < m.end else None)
    return out


def _mention_boundary(left: Token, right: Token, ending: Mention, starting: Mention | None,
                      lex: Lexicon) -> bool:
    """Two names side by side ("V.Volodin Kim Çen Ina", "Dmitri Peskov Moskvanın") or an
    inflected name followed by more words ("Kim Çen Ina Kursk") are separate phrases."""
    if ending.end != left.end:
        return False
    if ending is starting:
        return False
    if starting is not None:
        return True
    suffix = _fold(left.text[len(left.text) - (ending.end - ending.match_end):]).lstrip("-'")
    if ending.end > ending.match_end and suffix not in _GENITIVE:
        return True  # "Kim Çen Ina | Kursk": a dative ends the phrase
    return right.capitalised and not lex.is_noun(right.text)


def _candidate(text: str, run: list[Token], marks: list[str], lex: Lexicon,
               mentions: list[Mention], index: AliasIndex) -> Candidate:
    start, end = run[0].start, run[-1].end
    inner = [m for m in mentions if m.start >= start and m.end <= end]
    source_id = None
    if inner:
        rest = text[inner[-1].end:end].split()
        # "KCNA agentliyi", "агентство ТАСС" name the agency; "Russia's Defence Ministry"
        # names the ministry, not Russia.
        if all(lex.is_descriptor(w) for w in rest):
            source_id = inner[-1].source_id
    coord = [k for k, t in enumerate(run) if marks[k] == "c"]
    suffix = None
    if inner and inner[-1].end == end:
        suffix = fold(text[inner[-1].match_end:end]).lstrip("-'")
    cand = Candidate(start, end, source_id, suffix=suffix)
    if coord:
        parts, begin = [], 0
        for k in [*coord, len(run)]:
            parts.append(run[begin:k])
            begin = k + 1
        head = run[-1]
        subs = []
        for part in parts:
            if not part:
                continue
            ps, pe = part[0].start, part[-1].end
            sid = next((m.source_id for m in mentions if m.start >= ps and m.end <= pe), None)
            if part[-1] is not head and (sid is None or lex.is_noun(head.text)):
                # "Cənubi Koreya və Qərb kəşfiyyatına": the head noun belongs to both.
                sid = _lookup_with_head(text[ps:pe], head.text, lex, index) or sid
            subs.append(Candidate(ps, pe, sid))
        if len(subs) > 1:
            cand.coordinated = subs
    return cand


def _lookup_with_head(phrase: str, head: str, lex: Lexicon, index: AliasIndex) -> int | None:
    for form in _head_forms(head, lex):
        found = index.lookup(f"{phrase} {form}")
        if found:
            return found
    return None


def _head_forms(word: str, lex: Lexicon) -> list[str]:
    forms = [word]
    if lex.language == "az":
        forms.append(az_stem(word))
    if re.search(r"[а-яё]", word, re.I):
        forms.append(lemma(word))
    return forms


def _korean_candidates(text: str, toks: list[Token], lex: Lexicon, mentions: list[Mention],
                       cues, index: AliasIndex) -> list[Candidate]:
    """Korean: a word with its particle is one token ("국정원은"); a source is a noun token,
    possibly after bare nouns ("북한 조선중앙통신은")."""
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
        stem = _strip_particle(t.text, lex)
        if t.text in lex.pronouns or stem in lex.pronouns:
            cands.append(Candidate(t.start, t.end, None, pronoun=True))
            continue
        # Only a word with a particle can be a subject, and only a word a cue follows
        # ("국정원에 따르면", "합참 발표에 따르면") a cue's name: skip the rest early.
        if stem == t.text and i not in cut_here and not _next_is_cue(text, t.end,
                                                                    followed_by_cue):
            continue
        if stem in lex.ko_stop or t.text in lex.ko_stop or _DIGIT.search(t.text):
            continue
        begin = i
        while begin > 0 and begin > i - 2:
            prev = toks[begin - 1]
            named = any(m.start <= prev.start and prev.end <= m.match_end for m in mentions)
            if not named and (
                    _strip_particle(prev.text, lex) != prev.text or prev.text in lex.ko_stop
                    or _DIGIT.search(prev.text) or _ADNOMINAL.search(prev.text)):
                break
            if text[prev.end:toks[begin].start].strip():
                break
            begin -= 1
        start = toks[begin].start
        whole = next((m for m in mentions if m.start <= t.start and m.match_end == t.end), None)
        particle = "" if whole else t.text[len(stem):]
        cands.append(Candidate(start, t.end, _korean_source(text, start, t, lex, mentions,
                                                           index), suffix=particle))
    return cands


def _next_is_cue(text: str, end: int, starts: set[int]) -> bool:
    """Whether a cue starts right after this word (over spaces)."""
    while end < len(text) and text[end] == " ":
        end += 1
    return end in starts


def _korean_source(text: str, start: int, last: Token, lex: Lexicon, mentions: list[Mention],
                   index: AliasIndex) -> int | None:
    """The source a Korean phrase names: its last name, if only a title or a descriptor
    follows ("김정은 국무위원장은", "러시아 타스통신은"); "합참 공보실장은" is the officer."""
    inner = [m for m in mentions if m.start >= start and m.match_end <= last.end]
    if not inner:
        return None
    m = inner[-1]
    tail = text[m.match_end:last.end]
    rest = [] if tail in lex.particles else _strip_particle(tail, lex).split()
    if not rest or all(lex.is_descriptor(w) for w in rest):
        return m.source_id
    if index.kind(m.source_id) == "official" and all(w in lex.titles for w in rest):
        return m.source_id
    return None


@lru_cache(maxsize=100_000)
def _strip_particle_cached(word: str, particles: tuple[str, ...]) -> str:
    for p in particles:
        if word.endswith(p) and len(word) > len(p):
            return word[: -len(p)]
    return word


def _strip_particle(word: str, lex: Lexicon) -> str:
    return _strip_particle_cached(word, lex.particles)


# --- binding ------------------------------------------------------------------------

_HINTS = {"speech": "claimant", "citing": "claimant", "according": "according",
          "relay": "relay", "outlet": "outlet", "quoting": "relay"}


def _bind(text: str, cue: Cue, cs: int, ce: int, cands: list[Candidate], lex: Lexicon,
          unit: Unit, bound: dict[int, int]):
    hint = _HINTS[cue.kind]
    slots = _slot_order(text, cue, cs, ce, unit, lex)
    for slot in slots:
        found = _in_slot(text, slot, cue, cs, ce, cands, lex, unit, bound)
        if found:
            yield hint, found
            if cue.kind == "quoting":
                after = _in_slot(text, "after", cue, cs, ce, cands, lex, unit, bound)
                if after:
                    yield "claimant", after
            return


# ", speaking on condition of anonymity," between a subject and its verb.
_PARENTHETICAL = re.compile(r"^\s*,[^,.;:!?“”«»\"]{1,80},\s*$")
_APPOSITIVE = re.compile(r",[^,.;:!?“”«»\"]{3,80},\s*$")
_COMPLEMENTISER = re.compile(r"\s*(?:that|что|ki)\b|\s*[:,]", re.I)


def _slot_order(text: str, cue: Cue, cs: int, ce: int, unit: Unit, lex: Lexicon) -> list[str]:
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
             lex: Lexicon, unit: Unit, bound: dict[int, int]) -> Candidate | None:
    if slot == "before":
        point, jumped = cs, False
        appositive = _APPOSITIVE.search(text, unit.start, cs)
        if appositive and lex.language in ("en", "ru"):
            # "Kim Yo Jong, the powerful sister of leader Kim Jong Un, said": the name
            # inside the apposition is not the speaker.
            point = appositive.start()
        for cand in sorted((c for c in cands if c.end <= cs), key=lambda c: -c.end):
            if cand.end > point:
                continue
            if id(cand) in bound:
                # "Yonhap, citing the JCS, reported": look past the cited name and its cue.
                point, jumped = min(cand.start, bound[id(cand)]), True
                continue
            between = _PARENTHETICAL.sub("", text[cand.end:point])
            if _STOP_PUNCT.search(between):
                return None
            if "," in between and lex.language != "az" and not jumped:
                return None
            if len(tokens(between)) > cue.gap:
                return None
            return cand
        return None
    if slot == "after":
        for cand in sorted((c for c in cands if c.start >= ce), key=lambda c: c.start):
            if id(cand) in bound:
                return None
            between = text[ce:cand.start]
            if _STOP_PUNCT.search(between) or "," in between:
                return None
            if len([t for t in tokens(between) if fold(t.text) not in lex.connectors]) \
                    > cue.gap:
                return None
            if cue.slot == "auto" and lex.language in ("en", "ru") and not re.match(
                    r"\s*(?:[,.;:!?”»\"(—–-]|$|\s+(?:on|in|at|during|late|earlier|citing|"
                    r"quoting|в|на|во|со\s+ссылкой)\b)",
                    text[cand.end:unit.end]):
                return None  # "…, said Washington was watching": Washington is no speaker
            return cand
        return None
    if slot == "subject":
        return _subject(text, cs, [c for c in cands if id(c) not in bound], lex, unit)
    return None


def _subject(text: str, cs: int, cands: list[Candidate], lex: Lexicon, unit: Unit
             ) -> Candidate | None:
    """The clause's subject in verb-final languages: its first name in the nominative."""
    clause_start = unit.start
    # A subordinate "X-a görə," or quotation before the subject is not the subject.
    for m in re.finditer(r"[,:]\s|[”»\"][,.]?\s*(?:[-–—]\s*)?(?:deyə\s+)?", text[unit.start:cs]):
        prefix = text[unit.start:unit.start + m.start()]
        opening_quote = m.group()[0] in "”»\"" and text[unit.start] in "“«\"„"
        if opening_quote or (lex.language == "az"
                             and re.search(r"görə$|ki$|isə$", prefix.strip())):
            clause_start = unit.start + m.end()
    ordered = cands
    if lex.language == "ko" and (text.startswith("고", cs + len(text[cs:].split()[0]))
                                 or text[cs:cs + 8].split()[0].endswith("다고")):
        # "통신은 김여정 부부장이 …을 반박했다고 보도했다": the verb inside the report takes
        # the nearest subject; the reporting verb, bound after it, the topic.
        ordered = list(reversed(cands))
    for cand in ordered:
        if cand.end > cs or cand.start < clause_start:
            continue
        word = text[cand.start:cand.end]
        if lex.language == "ko":
            # "김정은" is a name, not 김정 + the particle 은.
            if cand.pronoun or cand.suffix in lex.subject_particles:
                return cand
            continue
        if cand.pronoun:
            after = text[cand.end:cand.end + 2]
            if after.startswith(",") or after.startswith(" "):
                return cand
            continue
        if cand.suffix is not None:
            if cand.suffix in lex.oblique:
                continue
        elif _oblique(word, lex):
            trimmed = _trim_oblique(text, cand, lex)
            if trimmed is None:
                continue
            cand = trimmed
        tail = text[cand.end:cs]
        if re.match(r"\s*(?:görə|üçün|ilə|tərəfindən|haqqında|barədə|qarşı|kimi|sonra|əvvəl|"
                    r"arasında\w*|ilə|uğrunda|adından|əleyhinə)\b", tail):
            continue
        return cand
    return None


_AMBIGUOUS_ENDINGS = {"ya", "yə", "na", "nə", "ni", "nu", "nı", "nü"}


def _safe_oblique(lex: Lexicon) -> list[str]:
    """Endings that mark case even on a name we do not know ("Koreya" ends in -ya too)."""
    return sorted((s for s in lex.oblique if len(s) > 1 and s not in _AMBIGUOUS_ENDINGS),
                  key=len, reverse=True)


def _trim_oblique(text: str, cand: Candidate, lex: Lexicon) -> Candidate | None:
    """"… sözçüsü Nasir Kənani Vaşinqtonun": a title and name ran into the next name,
    which is in the genitive; the subject is the part before it."""
    words = list(re.finditer(r"\S+", text[cand.start:cand.end]))
    if len(words) < 3:
        return None
    head = words[:-1]
    titled = any(not w.group()[0].isupper() and lex.is_noun(w.group()) for w in head[:-1])
    if not titled or not head[-1].group()[0].isupper():
        return None
    return Candidate(cand.start, cand.start + head[-1].end(), None)


def _oblique(phrase: str, lex: Lexicon) -> bool:
    last = fold(phrase.split()[-1])
    return any(last.endswith(s) and len(last) > len(s) + 2 for s in _safe_oblique(lex))


# --- roles --------------------------------------------------------------------------


def _roles(text: str, bindings: list[Binding], lex: Lexicon, index: AliasIndex,
           state: _State) -> list[ProposedAttribution]:
    expanded: list[tuple[Binding, Candidate]] = []
    for b in bindings:
        for cand in b.candidate.coordinated or [b.candidate]:
            expanded.append((b, cand))
    if any(b.cue.kind == "citing" for b, _ in expanded):
        # "Yonhap, citing the JCS, said …": the one who cites passes the claim on.
        for b, _ in expanded:
            if b.cue.kind == "speech" and b.cue.stance == "asserts":
                b.role_hint = "relay"
    speakers = [(b, c) for b, c in expanded if b.role_hint == "claimant"]
    if len(speakers) > 1:
        # "Pyongyang has denied it, KCNA said": the agency that says so carries the claim.
        for b, cand in speakers:
            source = _resolve(text, cand, lex, index, state)
            if source and _is_media(source, lex) and b.cue.stance == "asserts":
                b.role_hint = "relay"
    has_claimant = any(b.role_hint == "claimant" for b, _ in expanded)
    out: list[ProposedAttribution] = []
    seen: set = set()
    for b, cand in expanded:
        role = {"claimant": "claimant", "outlet": "outlet"}.get(b.role_hint)
        source = _resolve(text, cand, lex, index, state)
        if source is None:
            continue
        if b.role_hint == "according":
            role = "conduit" if has_claimant else "claimant"
        if role == "outlet" and source.id is None and source.kind == "other":
            source = ResolvedSource(None, source.name, "news_outlet")
        elif b.role_hint == "relay":
            role = "conduit" if has_claimant else "outlet"
            if not has_claimant and not _is_media(source, lex):
                role = "claimant"  # "officials reported": they assert it themselves
        key = (source.id or source.name, role)
        if key in seen:
            continue
        seen.add(key)
        out.append(ProposedAttribution(
            surface=text[cand.start:cand.end], start=cand.start, end=cand.end, role=role,
            phrase=text[b.cue_start:b.cue_end], stance=b.cue.stance if role == "claimant"
            else "asserts", source=source, inferred=cand.pronoun,
        ))
    return out


def _is_media(source: ResolvedSource, lex: Lexicon) -> bool:
    if source.kind in MEDIA_KINDS:
        return True
    return source.id is None and bool(lex.media_hint and lex.media_hint.search(source.name))


def _resolve(text: str, cand: Candidate, lex: Lexicon, index: AliasIndex, state: _State
             ) -> ResolvedSource | None:
    if cand.pronoun:
        prev = state.last_person or state.last_claimant
        return prev.source if prev else None
    if cand.source_id is not None:
        return ResolvedSource(cand.source_id, index.name(cand.source_id),
                              index.kind(cand.source_id))
    surface = text[cand.start:cand.end]
    name = _base_form(surface, lex)
    if not name or len(name) < 2:
        return None
    names = [name]
    if lex.language == "az":
        # "Pentaqonun" is Pentaqon+un or Pentaqo+nun; a known alias settles it.
        last = surface.split()[-1]
        names += [f"{surface[: len(surface) - len(last)]}{alt}" for alt in az_stems(last)]
    for candidate in names:
        found = index.lookup(candidate)
        if found:
            return ResolvedSource(found, index.name(found), index.kind(found))
    if lex.language == "az" and len(names) > 2 and not _POSSESSIVE.search(name):
        # Pentaqo+nun or Pentaqon+un: names end in a consonant more often, but a compound
        # ends in its possessive ("İdarəsi+nin").
        name = names[-1] if re.search(r"[^aeəıioöuü]$", names[-1]) else name
    return ResolvedSource(None, name, lex.guess_kind(name))


_AZ_VOWELS = set("aeəıioöuüAEƏIİOÖUÜ")
# Case endings, longest first, with the sound they follow: "v" a vowel, "c" a consonant,
# "" either. Bare -a/-ə, -ya/-yə and -ı/-i are left alone: "Moskva", "Koreya" and
# "prezidenti" end so too.
_AZ_CASES = [
    ("ndan", "v"), ("ndən", "v"), ("nın", "v"), ("nin", "v"), ("nun", "v"), ("nün", "v"),
    ("nda", "v"), ("ndə", "v"), ("dan", ""), ("dən", ""), ("tan", "c"), ("tən", "c"),
    ("yla", "v"), ("ylə", "v"), ("ın", "c"), ("in", "c"), ("un", "c"), ("ün", "c"),
    ("na", "v"), ("nə", "v"), ("da", ""), ("də", ""),
    ("ta", "c"), ("tə", "c"), ("la", ""), ("lə", ""), ("nı", "v"), ("ni", "v"),
    ("nu", "v"), ("nü", "v"),
]


def _az_soften_back(stem: str) -> str:
    """Undo the softening before a vowel: "Nazirliy(in)" → "Nazirlik", "Prokurorluğ(un)" →
    "Prokurorluq"."""
    if re.search(r"l[iü]y$", stem):
        return stem[:-1] + "k"
    if re.search(r"l[ıu]ğ$", stem):
        return stem[:-1] + "q"
    return stem


def az_stems(word: str) -> list[str]:
    """Every reading of the case ending: "Pentaqonun" → ["Pentaqo", "Pentaqon"]."""
    out = []
    for ending, after in _AZ_CASES:
        if word.lower().endswith(ending) and len(word) >= len(ending) + 3:
            stem = word[: -len(ending)].rstrip("-'’")
            if after == "v" and stem[-1] not in _AZ_VOWELS:
                continue
            if after == "c" and stem[-1] in _AZ_VOWELS:
                continue
            out.append(_az_soften_back(stem))
    return out


def az_stem(word: str) -> str:
    """An Azerbaijani name without its case ending: "İdarəsinin" → "İdarəsi", "Seulun" →
    "Seul", "KCNA-nın" → "KCNA", "kəşfiyyatına" → "kəşfiyyatı"."""
    for ending, after in _AZ_CASES:
        if not word.lower().endswith(ending) or len(word) < len(ending) + 3:
            continue
        stem = word[: -len(ending)]
        if stem[-1] in "-'’":
            return stem[:-1]
        if after == "v" and stem[-1] not in _AZ_VOWELS:
            continue
        if after == "c" and stem[-1] in _AZ_VOWELS:
            continue
        return _az_soften_back(stem)
    return word


def _base_form(surface: str, lex: Lexicon) -> str:
    """The name without its case ending: "Rəsmi Bakının" → "Rəsmi Bakı", "국방부는" → "국방부"."""
    surface = re.sub(r"^(?:the|The|в|во|у)\s+", "", surface.strip())
    if lex.language == "ko":
        return _strip_particle(surface, lex)
    words = surface.split()
    if not words:
        return ""
    last = words[-1]
    if lex.language == "az":
        last = az_stem(last)
    elif lex.language == "en":
        last = re.sub(r"['’]s$", "", last)
    elif lex.language == "ru":
        return " ".join(ru_nominative(words))
    words[-1] = last
    return " ".join(words)


_RU_OBLIQUE = {"gent", "datv", "accs", "ablt", "loct", "gen2", "loc2"}


def ru_nominative(words: list[str]) -> list[str]:
    """"источника агентства" → "источник агентства", "Александра Хинштейна" → "Александр
    Хинштейн": the head and the names agreeing with it, in the nominative; the
    genitive chain hanging off the head ("Курской области") stays as it is."""
    from .aliases import parses

    out = list(words)
    head = parses(words[0])[0]
    case = head.tag.case
    if case not in _RU_OBLIQUE or "Fixd" in head.tag:
        return out
    for i, word in enumerate(words):
        parse = next((p for p in parses(word) if p.tag.case == case), None)
        if parse is None:
            continue
        is_name = bool({"Name", "Surn", "Patr"} & parse.tag.grammemes)
        if i == 0 or (is_name and word[:1].isupper()):
            nominative = parse.inflect({"nomn"})
            if nominative:
                form = nominative.word
                out[i] = form[:1].upper() + form[1:] if word[:1].isupper() else form
    return out
