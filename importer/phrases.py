"""Name-like phrases in a sentence: the candidates a cue may bind.

Capitalised words, the language's source nouns ("ministry", "agentliyi"), connectors
("of", "the") and alias mentions, split where two names meet or a case ending closes a
phrase; coordinated heads distributed ("Cənubi Koreya və Qərb kəşfiyyatına").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from sources.text import fold

from .aliases import AliasIndex, Mention
from .text import Token

if TYPE_CHECKING:
    from .languages.base import Language


@dataclass
class Candidate:
    start: int
    end: int
    source_id: int | None
    coordinated: list[Candidate] | None = None
    pronoun: bool = False
    suffix: str | None = None  # the case ending after a known name, when the phrase ends in one


@lru_cache(maxsize=100_000)
def folded(word: str) -> str:
    return fold(word)


# A name in the genitive modifies what follows: "North Korea's state media",
# "Şimali Koreyanın dövlət mediası".
_GENITIVE = {"s", "'s", "ın", "in", "un", "ün", "nın", "nin", "nun", "nün", "의"}
_DOMAIN = re.compile(r"\w\.(?:az|ru|ua|com|org|net|kr|info|news|uz|ge|am|by|kz)$", re.I)
_INITIALS = re.compile(r"(?:[A-ZА-Я]\.)+[A-ZА-Я]")  # "U.S." in "a senior U.S. official"
_ACRONYM_CLOSES = re.compile(r"\s*\)")
_OPENS = re.compile(r"\s*\(\s*")
_PERSON = {"official"}
_MEDIA = {"state_media", "news_outlet"}
_BRACKETED = re.compile(r"\s*\(\s*[^\W\d_][\w.&-]{1,11}\s*\)$")


def runs(lang: Language, text: str, toks: list[Token], mentions: list[Mention], cues,
         index: AliasIndex) -> list[Candidate]:
    """Name-like phrases: capitalised words, source nouns ("ministry", "agentliyi"),
    joined by connectors ("of", "the"), and alias mentions; never across punctuation."""
    lex = lang.lex
    in_cue = [(cs, ce) for _, cs, ce in cues]
    cover = _cover(toks, mentions)
    marks = []
    for i, t in enumerate(toks):
        in_mention = cover[i] is not None
        if not in_mention and any(cs <= t.start < ce for cs, ce in in_cue):
            marks.append("x")
            continue
        word = folded(t.text)
        if not in_mention and _CHANNEL.match(t.text):
            # "в своем Telegram-канале", "у Telegram", "on Facebook": where the words were
            # posted, never who said them (unless the registry holds the network itself).
            marks.append("x")
        elif word in lex.pronouns:
            marks.append("p")
        elif (in_mention
              or (t.capitalised and not (lex.stop_caps and lex.stop_caps.match(t.text)))
              or (lex.is_noun(t.text) and not t.text[:1].isdigit())):
            marks.append("n")
        elif word in lex.coordinators:
            marks.append("c")
        elif word in lex.connectors:
            marks.append("j")
        else:
            marks.append(lang.mark(t.text) or "x")
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
        commas: list[int] = []  # run positions where a listed name begins after a comma
        while j + 1 < len(toks):
            gap = text[toks[j].end:toks[j + 1].start]
            if lang.joint_lists and _JOINT_LIST.match(text, toks[j].end) and \
                    marks[j] == "n" and toks[j + 1].capitalised and marks[j + 1] == "n":
                # "Daxili İşlər Nazirliyi, Baş Prokurorluq və ANAMA birgə məlumat yayıb":
                # the bodies of a joint statement are one coordinated phrase.
                commas.append(j + 1 - i)
                j += 1
                continue
            if not (re.fullmatch(r"\s*|\s*\(\s*|\s*\)\s*|-", gap)
                    # "“Yonhap” agentliyi": a quoted name and its descriptor.
                    or (re.fullmatch(r"[”\"»]\s+", gap) and toks[j].capitalised
                        and lex.is_descriptor(toks[j + 1].text))
                    or (gap.startswith(".") and _INITIALS.fullmatch(toks[j].text)
                        and re.fullmatch(r"\.\s+", gap))):
                break
            # "Ukraine's military intelligence (HUR)": a known name and its acronym in
            # brackets are one phrase, whether or not the acronym is on file.
            acronym = "(" in gap and _OPENS.fullmatch(gap) is not None and \
                _ACRONYM_CLOSES.match(text, toks[j + 1].end) is not None
            # "Президент України Володимир Зеленський", "prime minister of Armenia Nikol
            # Pashinyan": a title with its country, then the person, is one phrase.
            # (A person on file under another kind, "головнокомандувач ЗСУ Олександр
            # Сирський", is known by a name that reads as a person's.)
            titled = (cover[j] is not None and cover[j + 1] is not None
                      and cover[j] is not cover[j + 1] and toks[i].start < cover[j].start
                      and (index.kind(cover[j + 1].source_id) in _PERSON
                           or lex.guess_kind(text[cover[j + 1].start:cover[j + 1].end])
                           == "official")
                      and index.kind(cover[j].source_id) not in _PERSON)
            # "в Повітряних силах Збройних сил України": a known body and the one it
            # belongs to, in the genitive, are one phrase naming the first (head_first).
            owner = (lang.head_first and cover[j] is not None and cover[j + 1] is not None
                     and cover[j] is not cover[j + 1] and cover[j].end == toks[j].end
                     and index.kind(cover[j].source_id) not in _PERSON
                     and index.kind(cover[j + 1].source_id) not in _PERSON
                     and lang.belongs_to_before(toks[j + 1].text))
            # "Azərbaycan Minatəmizləmə Agentliyinin": a country's name opening a body's
            # (a capitalised word, then a source noun, nothing but spaces between).
            opens_body = (cover[j] is not None and cover[j + 1] is None
                          and cover[j].end == toks[j].end
                          and index.kind(cover[j].source_id) == "government"
                          and toks[j + 1].capitalised
                          and _noun_follows(text, toks, j + 1, lex))
            if cover[j] is not None and not acronym and not titled and not owner and \
                    not opens_body and \
                    not _titled_person(text, toks, marks, cover, i, j, lang) and \
                    _mention_boundary(toks[j], toks[j + 1], cover[j], cover[j + 1], lang):
                break
            if _DOMAIN.search(toks[j].text):
                break  # "Tezadlar.az | CNN-ə": a site's name is whole
            if lang.head_first and cover[j] is not None and cover[j + 1] is None and \
                    cover[j].end == toks[j].end and \
                    index.kind(cover[j].source_id) in _MEDIA and \
                    not toks[j + 1].capitalised and lex.is_noun(toks[j + 1].text) and \
                    not lex.is_descriptor(toks[j + 1].text):
                break  # "сообщил ТАСС | источник в силовых структурах": two phrases
            if lang.ends_phrase(toks[j], toks[j + 1],
                                cover[j] is not None and cover[j] is cover[j + 1]):
                break
            if marks[j + 1] == "n":
                j += 1
                continue
            # "Института изучения войны": genitive nouns after a name belong to it.
            # Up to three: "Министерство здравоохранения палестинского анклава".
            if marks[j + 1] == "g" and (marks[j] == "n" or (marks[j] == "g" and j > i and (
                    marks[j - 1] == "n" or (j - 1 > i and marks[j - 1] == "g"
                                            and marks[j - 2] == "n")))):
                j += 1
                continue
            if cover[j] is not None and cover[j].end == toks[j].end and \
                    index.kind(cover[j].source_id) in _PERSON:
                break  # "Зеленський у Телеграмі": a person's name ends there
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
            if (j + 2 < len(toks) and folded(toks[j + 1].text) in lex.place_links
                    and toks[j + 2].capitalised and lex.is_noun(toks[j].text)
                    and not text[toks[j + 1].end:toks[j + 2].start].strip()):
                j += 2
                continue
            break
        cand = _candidate(text, toks[i:j + 1], marks[i:j + 1], lang, mentions, index,
                          commas)
        if i > 0 and folded(toks[i - 1].text) in lex.determiners and \
                not text[toks[i - 1].end:toks[i].start].strip():
            # "the ministry", "two diplomats": the phrase as an editor would mark it.
            cand.start = toks[i - 1].start
        cands.append(cand)
        i = j + 1
    return cands


# Heads that end a body's name without being a source noun of their own.
_NAME_HEADS = {"project", "programme", "program", "initiative", "network", "group"}


def _inside_a_name(run: list[Token], marks: list[str], k: int, mentions: list[Mention],
                   lang: Language) -> bool:
    """Whether the coordinator at run[k] is a word of one English name, not a join of two:
    "the Ministry of Commerce and Industry", "Institute of Volcanology and Seismology"
    (a field after "of"/"for"), "Armed Conflict Location and Event Data Project" (no head
    noun before "and", one after it)."""
    # Only where names take "of"/"for" inside them (the lexicon's connectors say so).
    if not {"of", "for"} & lang.lex.connectors or k == 0 or k + 1 >= len(run):
        return False
    left, right = run[:k], run[k + 1:]
    if any(m.start < right[-1].end and m.end > left[0].start for m in mentions):
        return False
    lex = lang.lex
    if len(right) == 1 and right[0].capitalised and not lex.is_noun(right[0].text) and \
            any(folded(t.text) in ("of", "for") for t in left[1:]):
        return True
    return len(left) >= 2 and all(t.capitalised and not lex.is_noun(t.text) for t in left) \
        and all(t.capitalised for t in right) and (
            lex.is_noun(right[-1].text) or folded(right[-1].text) in _NAME_HEADS) and \
        not any(marks[i] == "c" for i in range(k + 1, len(run)))


# A social network or messenger, alone or as "Telegram-канал", "Telegram kanalında".
CHANNEL = _CHANNEL = re.compile(
    r"(?i)(?:telegram|teleqram|телеграм|телеграмм|facebook|фейсбук|фейсбуці|twitter|твиттер|твіттер|"
    r"instagram|инстаграм|інстаграм|youtube|ютуб|tiktok|viber|вайбер|whatsapp|vkontakte|"
    r"вконтакте)(?=$|[-\W])")
# ", " inside a list of names a joint statement closes ("X, Y və Z birgə …").
_JOINT_LIST = re.compile(r",\s+(?=[^,.;:!?]*\svə\s[^,.;:!?]*\bbirgə\b)")
_PERSON_NAME = re.compile(r"[A-ZА-ЯЁІЇЄҐƏÜÖĞÇŞİ][\w'’-]+\s+[A-ZА-ЯЁІЇЄҐƏÜÖĞÇŞİ][\w'’-]+"
                          r"(?=\s*$|\s*[,.;:!?()«»“”\"—–]|\s+[^\W\d_A-ZА-ЯЁІЇЄҐƏÜÖĞÇŞİ])")


def _noun_follows(text: str, toks: list[Token], k: int, lex) -> bool:
    """Whether one of the two words after toks[k], with only spaces between, is a
    source noun ("Minatəmizləmə | Agentliyinin")."""
    for t in toks[k + 1:k + 3]:
        if text[toks[k].end:t.start].strip():
            return False
        if lex.is_noun(t.text):
            return True
    return False


def _titled_person(text: str, toks: list[Token], marks: list[str],
                   cover: list[Mention | None], i: int, j: int, lang: Language) -> bool:
    """"речник Повітряних сил Юрій Ігнат", "глава Минобороны России Андрей Белоусов": a
    title, the body it belongs to (a known name), then a person's first name and surname
    the registry does not hold: one phrase, the person (a title before the body says the
    name after it is its holder's, not a second source)."""
    if cover[j] is None or cover[j].end != toks[j].end or j + 2 >= len(toks) or \
            cover[j + 1] is not None or cover[j + 2] is not None:
        return False
    lex = lang.lex
    title = [t for t in toks[i:j + 1] if t.end <= cover[j].start
             and not t.capitalised and lex.is_noun(t.text)]
    if not any(lex.guess_kind(t.text) == "official" for t in title):
        return False
    name = _PERSON_NAME.match(text, toks[j + 1].start)
    if name is None or (lex.stop_caps and any(lex.stop_caps.match(w)
                                              for w in name.group().split())):
        return False
    return lex.guess_kind(name.group()) == "official"


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
                      lang: Language) -> bool:
    """Two names side by side ("V.Volodin Kim Çen Ina", "Dmitri Peskov Moskvanın") or an
    inflected name followed by more words ("Kim Çen Ina Kursk") are separate phrases."""
    if ending.end != left.end:
        return False
    if ending is starting:
        return False
    if starting is not None:
        return True
    suffix = folded(left.text[len(left.text) - (ending.end - ending.match_end):]).lstrip("-'")
    if ending.end > ending.match_end and suffix not in _GENITIVE:
        return True  # "Kim Çen Ina | Kursk": a dative ends the phrase
    if 2 <= len(right.text) <= 3 and right.text.isupper() and lang.cased and \
            ending.end == ending.match_end and left.text[:1].isupper():
        return False  # "Минобороны АР": a body and its country's initials
    return right.capitalised and not lang.lex.is_noun(right.text)


def _candidate(text: str, run: list[Token], marks: list[str], lang: Language,
               mentions: list[Mention], index: AliasIndex, commas: list[int] | None = None
               ) -> Candidate:
    lex = lang.lex
    start, end = run[0].start, run[-1].end
    if text.startswith(")", end) and "(" in text[start:end]:
        end += 1  # "military intelligence (HUR)": the acronym's bracket closes the name
    inner = [m for m in mentions if m.start >= start and m.end <= end]
    source_id = None
    if inner:
        named = [m for m in inner if not _BRACKETED.fullmatch(text[m.start - 1:end])] \
            or inner
        inner = named  # "… intelligence (HUR)": the name before the bracket names it
        # '"Al Jazeera" telekanalına': the closing quote is no word of the name.
        rest = [w for w in (w.strip("\"”»“«'") for w in
                            _BRACKETED.sub("", text[inner[-1].end:end]).split()) if w]
        # "KCNA agentliyi", "агентство ТАСС" name the agency; "Russia's Defence Ministry"
        # names the ministry, not Russia.
        if all(lex.is_descriptor(w) for w in rest):
            source_id = inner[-1].source_id
            # "Министерство обороны Азербайджана", "пресс-служба министерства обороны
            # Азербайджана": a body named before its country is the body, not the country.
            lead = [w for w in text[start:inner[-1].start].split()
                    if not lex.is_descriptor(w) and folded(w) not in lex.determiners]
            whole = _short_lookup(text[start:end], lang, index) \
                if lead and lex.short_forms and any(lex.is_noun(w) for w in lead) else None
            if lex.is_office(text[start:end]) and index.kind(source_id) in _PERSON and \
                    len(inner) == 1:
                source_id = None  # "канцелярія Нетаньягу": the office, a source of its own
            elif whole is not None:
                # "Міністерство охорони здоров'я ХАМАС" is the body the registry knows
                # for short ("МОЗ Гази"), not Hamas.
                source_id = whole
            elif lead and index.kind(source_id) == "government" and \
                    not any(m.end <= inner[-1].start for m in inner) and \
                    any(lex.is_noun(w) for w in lead):
                source_id = None
            elif len(lead) == 1 and lex.short_forms and index.kind(source_id) not in _PERSON and \
                    not any(m.end <= inner[-1].start for m in inner):
                # "Азербайджанское Минобороны" is not Russia's (the registry's bare
                # "Минобороны"): the country's adjective, read as the registry names it.
                source_id = _short_lookup(text[start:end], lang, index) or source_id
    if lang.head_first and len(inner) >= 2 and not text[start:inner[0].start].strip() and \
            not text[inner[0].end:inner[1].start].strip() and \
            not {index.kind(inner[0].source_id), index.kind(inner[1].source_id)} & _PERSON:
        # "в Повітряних силах Збройних сил України": the Air Force, of the Armed Forces.
        source_id = inner[0].source_id
    coord = [k for k, t in enumerate(run) if marks[k] == "c" and not _inside_a_name(
        run, marks, k, mentions, lang)]
    suffix = None
    if inner and inner[-1].end == end:
        suffix = fold(text[inner[-1].match_end:end]).lstrip("-'")
    cand = Candidate(start, end, source_id, suffix=suffix)
    if coord or commas:
        parts, begin = [], 0
        # A coordinator is no word of the names it joins; a listing comma sits between.
        cuts = sorted([(k, 1) for k in coord] + [(k, 0) for k in commas or []])
        for k, skip in [*cuts, (len(run), 0)]:
            parts.append(run[begin:k])
            begin = k + skip
        head = run[-1]
        subs = []
        for part in parts:
            if not part:
                continue
            ps, pe = part[0].start, part[-1].end
            found = next((m for m in mentions if m.start >= ps and m.end <= pe), None)
            sid = found.source_id if found is not None else None
            if found is not None and commas and not all(
                    lex.is_descriptor(w) for w in _BRACKETED.sub("", text[found.end:pe]).split()):
                # "Azərbaycan Minatəmizləmə Agentliyi" in a list: a body of the country.
                sid = None
            if part[-1] is not head and (sid is None or lex.is_noun(head.text)):
                # "Cənubi Koreya və Qərb kəşfiyyatına": the head noun belongs to both.
                sid = _lookup_with_head(text[ps:pe], head.text, lang, index) or sid
            subs.append(Candidate(ps, pe, sid))
        if len(subs) > 1:
            cand.coordinated = subs
    return cand


def _short_lookup(surface: str, lang: Language, index: AliasIndex) -> int | None:
    """The source the registry knows the phrase by for short, if any."""
    return next((found for form in lang.short_readings(surface, lang.base_form(surface))
                 if form != surface for found in [index.lookup(form)] if found), None)


def _lookup_with_head(phrase: str, head: str, lang: Language, index: AliasIndex) -> int | None:
    for form in lang.head_forms(head):
        found = index.lookup(f"{phrase} {form}")
        if found:
            return found
    return None
