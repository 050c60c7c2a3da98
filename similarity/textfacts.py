"""What a claim's text says about its figure, event and stance, when the database does not.

A claim entered by an editor has its figure (Quantity) and the stance of its
attributions; a text sent to the API, or a claim with no figure recorded, has
only words. These small per-language word lists (az, ru, uk, ko, en) recognise what
happened to the people counted, which figure is the text's main one, and denial, well
enough for ranking: they never decide anything alone. The numbers themselves are
found by numerals.py.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from claims.search import search_fold
from similarity import numberwords
from similarity.numerals import PERCENT, UNIT, UNITS_OF, text_spans

# What happened to those counted. Stems, matched at word starts on folded text
# (Korean: anywhere, since particles attach to the word).
EVENTS: dict[str, tuple[str, ...]] = {
    "killed": ("killed", "dead", "died", "death", "deaths", "perished", "fatalit",
               "lost their lives", "lost his life", "lost her life",
               "погиб", "убит", "гибел", "смерт", "погибш",
               # "öldüyü" (that … died) folds to "olduyu"; "olduğu" (that … was) to "oldugu".
               "helak", "oldurul", "olub", "olen", "olum", "olduy", "qetle",
               "사망", "전사", "숨지", "숨졌", "사살",
               "загин", "загибл", "загибел", "вбит", "вбив", "killing",
               # A toll's victims are its dead ("zəlzələ qurbanlarının sayı", "число жертв").
               "qurban", "жертв", "victims", "희생자"),
    "wounded": ("wounded", "injured", "injuri", "ранен", "ранены", "ранения",
                "yaralan", "yarali", "부상", "поранен", "пораненн", "wounding",
                # Korean "were hurt": "3640명이 다쳤다", "다친 것으로", "다쳐".
                "다쳤", "다친", "다쳐"),
    "casualties": ("casualt", "losses", "потер", "втрат", "itki", "사상자", "손실",
                   "killed or wounded",
                   "wounded or killed", "killed and wounded", "убиты или ранены",
                   "убитыми и ранеными", "olen ve yaralanan", "oldurulen ve yaralanan"),
    "deployed": ("deployed", "sent", "dispatch", "troops arrived", "направ", "отправ",
                 "перебро", "развернут", "відправ", "переки", "розгорн", "gonder",
                 "yerlesdir", "파병", "배치", "투입"),
    "captured": ("captured", "captive", "prisoner", "плен", "полон", "esir", "생포", "포로"),
    # The survivors of a crash are a count of their own, not of the dead beside them:
    # "38 killed, 29 survived", "38명이 사망하고 29명이 생존".
    "survived": ("surviv", "выжил", "выжив", "уцелел", "вижил", "вижив", "sag qal",
                 "sag qurtar", "생존"),
}
DENIAL = ("deny", "denies", "denied", "denial", "dismiss", "refute", "rejected the",
          "no evidence", "not true", "false report", "fake", "опроверг", "отрица", "отверга",
          "не соответств", "фейк", "неправд", "ложн", "спростов", "заперечу", "не відповіда",
          "tekzib", "inkar", "yalan", "esassiz", "heqiqete uygun deyil",
          "부인", "사실무근", "사실이 아니", "거짓", "가짜")


_WORD = re.compile(r"\w+")
_search_fold = lru_cache(maxsize=16384)(search_fold)  # trigrams and _fold share it


@lru_cache(maxsize=16384)
def _fold(text: str) -> str:
    # Azerbaijani ə folds to e here (as it is typed on keyboards without it): "helak".
    return _search_fold(text).replace("ə", "e")


class _Stems:
    """Does a folded text hold any of these stems? Korean stems anywhere (particles attach
    to the word), others at a word start. One compiled pattern per list: this runs for
    every candidate of every similar-claims request (docs/matching.md, ranking cost)."""

    def __init__(self, stems: tuple[str, ...]):
        self.hangul = tuple(s for s in stems if re.match(r"[\uac00-\ud7af]", s))
        others = sorted((s for s in stems if s not in self.hangul), key=len, reverse=True)
        self.pattern = (re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, others)) + ")")
                        if others else None)

    def first_in(self, folded: str) -> int | None:
        """Where the first of these stems starts in a folded text, or None."""
        starts = [at for stem in self.hangul if (at := folded.find(stem)) >= 0]
        if self.pattern is not None and (match := self.pattern.search(folded)) is not None:
            starts.append(match.start())
        return min(starts, default=None)

    def last_end_in(self, folded: str) -> int | None:
        """Where the last of these stems ends in a folded text, or None."""
        ends = [at + len(stem) for stem in self.hangul if (at := folded.rfind(stem)) >= 0]
        if self.pattern is not None:
            ends += [match.end() for match in self.pattern.finditer(folded)]
        return max(ends, default=None)

    def found_in(self, folded: str) -> bool:
        if any(stem in folded for stem in self.hangul):
            return True
        return self.pattern is not None and self.pattern.search(folded) is not None


_EVENT_STEMS = {kind: _Stems(stems) for kind, stems in EVENTS.items()}
_DENIAL_STEMS = _Stems(DENIAL)


@lru_cache(maxsize=16384)
def events(text: str) -> frozenset[str]:
    folded = _fold(text)
    found = {kind for kind, stems in _EVENT_STEMS.items() if stems.found_in(folded)}
    if "casualties" in found and len(found & {"killed", "wounded"}) == 2:
        found -= {"killed", "wounded"}  # "killed or wounded" is one count, the casualties
    if found & {"killed", "wounded", "casualties"}:
        found.discard("deployed")  # "troops deployed to Russia were killed": who, not what
    return frozenset(found)


_HARM = frozenset({"killed", "wounded", "casualties"})
_SPECIFIC = frozenset({"killed", "wounded"})
# A Russian or Ukrainian participle in the plural, describing the people before the comma
# ("воинов, погибших", "людей, убитых"): not a new clause's subject ("사망자는 151명, 부상자는").
_PARTICIPLE = re.compile(r"\s*([а-яёіїє]+(?:ших|вших|щих|нных|ных|тых|лих|них|тих))(?!\w)",
                         re.IGNORECASE)
# Where a figure's words end: a sentence, a clause ("300 killed, 2,700 wounded").
_CLAUSE_END = re.compile(r"[.;:!?\n]\s|,\s|[()\[\]]")


def _nearest_events(before: str, after: str, clause: bool = True) -> frozenset[str]:
    """The events named nearest a figure, on either side within its clause: "300 killed",
    "погибли 300", "사망자 600명", "600명이 사망", "killed 300 and wounded 2,700".
    `clause=False`: anywhere up to the neighbouring figures (a phrase set off by commas
    between the figure and its verb: "100 военных, дислоцированных в России, погибли")."""
    if clause:
        if (cut := _CLAUSE_END.search(after)) is not None:
            # A participle right after the comma still tells who was counted: "43 тысячи
            # воинов, погибших на поле боя".
            told = _PARTICIPLE.match(after, cut.end()) if cut.group().startswith(",") else None
            after = after[:told.end()] if told and events(told.group(1)) & _SPECIFIC else (
                after[:cut.start()])
        before = before[max((m.end() for m in _CLAUSE_END.finditer(before)), default=0):]
    after, before = _fold(after), _fold(before)
    distances: dict[str, int] = {}
    told_after: dict[str, int] = {}
    for kind, stems in _EVENT_STEMS.items():
        found = []
        if (start := stems.first_in(after)) is not None:
            found.append(start)
            told_after[kind] = start
        if (end := stems.last_end_in(before)) is not None:
            found.append(len(before) - end)
        if found:
            distances[kind] = min(found)
    if not distances:
        return frozenset()
    if told_after and _HANGUL.search(after):
        # Korean puts the verb after its subject: in "38명이 사망하고 29명이 생존한", 사망
        # before 29 is the 38's; 29's own is the one after it.
        distances = {kind: told_after[kind] for kind in told_after}
    nearest = {kind for kind, d in distances.items() if d == min(distances.values())}
    if nearest == {"casualties"} and len(told := _SPECIFIC & distances.keys()) == 1:
        # "Losses" is the frame, "killed" says which: "потеряла 43 тысячи воинов, погибших",
        # "lost 45,000 killed". Both named ("killed or wounded") is the casualties.
        nearest = told
    harm = {kind: d for kind, d in told_after.items() if kind in _HARM}
    if nearest == {"deployed"} and harm:
        # "2,000 soldiers deployed to Russia have been killed": who, not what (as events()).
        nearest = {kind for kind, d in harm.items() if d == min(harm.values())}
    return frozenset({"casualties"} if "casualties" in nearest else nearest)


# Words that make the figure after them (in its clause) a part of another one or a side
# remark: "600 killed, including 50 children", "в том числе 28", "onlardan 28-i".
_PART_BEFORE = _Stems(("including", "includ", "among them", "among whom", "of whom",
                       "of which", "of them", "в том числе", "из них", "из которых",
                       "включая", "среди них", "у тому числі", "з них", "серед них",
                       "o cumleden", "onlardan", "onlarin", "daxil olmaqla", "이 중", "이중",
                       "그중", "그 중"))
# Korean puts the marker after the part: "사망자 600명을 포함, 총 4천700명의 사상자".
_PART_AFTER = _Stems(("포함",))
# The next item of a list of parts: one or two words and a comma or "and" between two figures
# ("o cümlədən 106 qadın, 63 uşaq, 70 qoca", "в том числе 63 ребенка, 106 женщин").
_LIST_JOIN = re.compile(r"^\s*[^\W\d]+(?:\s+[^\W\d]+)?\s*(?:,|\s(?:and|və|ve|и|та|і))\s*$",
                        re.IGNORECASE)


# A change by a share is not a level: "(5,4% çox)", "3% more", "на 0,7% больше".
_CHANGE_AFTER = re.compile(r"\s*(?:%|faiz|процент\w*|per\s?cent)\W{0,3}\s*(?:çox|az|more|less|"
                           r"higher|lower|больше|меньше|выше|ниже)(?!\w)", re.IGNORECASE)
# A change in percentage points is not a level: "0,25 faiz bəndi", "на 2 процентных пункта".
_POINTS = re.compile(r"\s*(?:%|faiz|процент\w*|відсотк\w*|percent(?:age)?)?\s*-?(?:bənd|bend|"
                     r"пункт|п\.\s?п|points?(?![a-z])|포인트|p(?![a-z]))", re.IGNORECASE)
# The earlier value of a change, a figure the text moves away from: "up from 19%",
# "from 19% to 21%", "с 7,50% до 7,75%", "7,25 faizdən 7 faizə", "7.25%에서 7%로".
_SINCE_BEFORE = re.compile(r"(?:\b(?:up|down|rising|falling|compared)\s+(?:from|with|to)|"
                           r"\bпротив|\bпо сравнению с|\bв сравнении с)\s*$", re.IGNORECASE)
_FROM_BEFORE = re.compile(r"\b(?:from|с|со|від)\s*$", re.IGNORECASE)
_TO_AFTER = re.compile(r"^\s*(?:%|per\s?cent|процент\w*|faiz\w*)?\s*(?:to|до)\s*$",
                       re.IGNORECASE)
_AZ_FROM_AFTER = re.compile(r"^\s*(?:%|faiz)?-?(?:dən|dan|den)(?!\w)", re.IGNORECASE)
_AZ_TO_AFTER = re.compile(r"\s*(?:%|faiz)?-?(?:ə|a|e|dək|dek|dak)(?!\w)", re.IGNORECASE)
_KO_FROM_AFTER = re.compile(r"^\s*(?:%|퍼센트)?에서")
_KO_TO_AFTER = re.compile(r"\s*(?:%|퍼센트)?(?:로|으로)")


# A figure inside a relative clause describes a noun of the sentence, not what it reports:
# "since the attack that killed 1,200, …", "нападение, в результате которого погибли 1200, …".
_RELATIVE_BEFORE = re.compile(
    r"\b(?:that|which|who)\s+(?:killed|left|wounded|injured|claimed|took)\s+"
    r"(?:the\s+lives\s+of\s+)?(?:(?:at\s+least|about|around|some|more\s+than|over|nearly|"
    r"almost)\s+)?$|^\s*(?:в\s+результате\s+|во\s+время\s+|при\s+)?котор\w*\s+(?:\S+\s+){0,4}$",
    re.IGNORECASE)


# A sentence telling what was said before ("Earlier, he put the toll at 46,000", "Ранее …
# сообщал о 46 тысячах", "앞서 … 4만6000명") is background to the figure reported now.
_EARLIER = _Stems(("earlier", "previously", "ранее", "прежде", "раніше", "daha once",
                   "evveller", "앞서", "이전에"))
_SENTENCE_END = re.compile(r"[.!?]\s|\n")


# What someone said follows "said that": a figure before it in the same sentence is the
# setting of the statement, not what it reports ("комментируя слова Трампа о потерях в 400
# тысяч, заявил, что «… 43 тысячи …»", "who in February put it at 31,000, said that 43,000").
_REPORTED = re.compile(
    r"\b(?:said|says|stated|announced|reported|added|noted|wrote|told\s+\w+)\s+that\b|"
    r"(?<!\w)(?:заяв|сообщ|сказа|отмет|подчеркн|утвержда|добави|написа|повідом|зазнач)\w*,?\s+"
    r"(?:что|що)(?!\w)|"
    r"(?<!\w)(?:bildirib|deyib|qeyd edib|açıqlayıb|vurğulayıb|əlavə edib|yazıb)\s+ki(?!\w)",
    re.IGNORECASE)


def _before_what_was_said(text: str, spans: list, i: int) -> bool:
    """Is figure i before "said that" in its sentence, with a figure after it?"""
    end = spans[i][2]
    stop = _SENTENCE_END.search(text, end)
    said = _REPORTED.search(text, end, stop.start() if stop else len(text))
    return said is not None and any(said.end() <= start < (stop.start() if stop else len(text))
                                    for _, start, _ in spans[i + 1:])


# How far a count has got is not a result: "после обработки 99% бюллетеней", "обработал все
# 100% бюллетеней", "after counting 24% of the votes", "with 93 percent of the vote counted",
# "개표율 98% 시점", "개표가 95.08% 실시된", "99% 이상의 선거구에서".
_TALLY_AFTER = re.compile(
    r"\s*(?:%|per\s?cent|процент\w*|faiz\w*)\s*(?:of\s+(?:the\s+)?)?(?:всех\s+)?"
    r"(?:бюллетен|протокол|ballot|votes?\s+(?:were\s+|had\s+been\s+)?counted|polling\s+station|"
    r"precinct|избирательных\s+участк|участк|bülleten|protokol|məntəqə|menteqe|"
    r"(?:이상의\s*)?(?:선거구|투표소))", re.IGNORECASE)
_TALLY_BEFORE = re.compile(
    r"(?:обработк\w*|обработал\w*|подсч[её]т\w*|after\s+counting|counting\s+of|개표율|개표가|"
    r"개표)\s*(?:всех\s+|все\s+|about\s+|over\s+|약\s*)?$", re.IGNORECASE)


# A figure in brackets right after another is that one converted: "1조 3000억 달러(약 1822조
# 원)", "38.3 billion manat ($22.5 billion)", "(около 2 млрд долларов)".
_CONVERSION_BEFORE = re.compile(
    r"^\s*\S{0,12}\s*\(\s*(?:약|about|around|approx\.?|approximately|около|примерно|təxminən|"
    r"≈|~)?\s*[$€£₩₼]?\s*$", re.IGNORECASE)


# An age describes the people counted, it is not the count: "여성의 평균 출산 연령은 33.6세",
# "a 40-year-old survivor", "40 yaşında".
_AGE = re.compile(r"(?:세(?![계금대력부트션기])|[\s-]years?[\s-]old(?!\w)|\s*yaşında|\s*yaşlı)",
                  re.IGNORECASE)


# A percentage, as written: "98 percent", "99,43%", "87,55 faizi".
_SHARE = re.compile(r"(?<![\d.,])(\d{1,3}(?:[.,]\d+)?)(?=\s*(?:%|per\s?cent|процент|faiz))",
                    re.IGNORECASE)


@lru_cache(maxsize=16384)
def interim(text: str) -> bool:
    """Does the text give a result of a count still under way ("after processing of more
    than 98 percent of the ballots", "개표율 95.08%")? Its figures are a snapshot: one that
    a more precise figure rounds to is a coincidence, not the same figure (ranking)."""
    for match in _SHARE.finditer(text):
        if (_tally(text, match.start(), match.end())
                and Decimal(match.group(1).replace(",", ".")) < 100):
            return True
    return False


def _tally(text: str, start: int, end: int) -> bool:
    """Is the percentage at start..end the share of ballots counted so far?"""
    return bool(_TALLY_AFTER.match(text, end) or _TALLY_BEFORE.search(text, 0, start))


def _earlier_value(text: str, spans: list, i: int, before: str, after: str) -> bool:
    """Is figure i the earlier value of a change the text reports ("up from 19%")?"""
    if _SINCE_BEFORE.search(before):
        return True
    if i + 1 >= len(spans):
        return False
    next_end = spans[i + 1][2]
    return bool((_FROM_BEFORE.search(before) and _TO_AFTER.match(after))
                or (_AZ_FROM_AFTER.match(after) and _AZ_TO_AFTER.match(text, next_end))
                or (_KO_FROM_AFTER.match(after) and _KO_TO_AFTER.match(text, next_end)))


# A Korean figure right after its own topic ("김문수 후보는 41.15%, 이준석 후보는 8.34%를"):
# one item of a parallel list.
# Only if no verb ends a clause since the figure before: "350명 정도지만 … 전사자는 600명
# …이며 현재는 2000여명" is a story told in order, its main clause last.
_KO_TOPIC_BEFORE = re.compile(r"[\uac00-\ud7af][은는]\s*$")
_KO_CONNECTIVE = re.compile(r"지만|으나|는데|며\s|고\s|다[.,]?\s")


@lru_cache(maxsize=16384)
def _figures(text: str) -> tuple[tuple[Decimal, frozenset[str], bool, bool, bool], ...]:
    """Each figure in order: its value, what it counts ({""} unknown), whether it is a
    percentage, and whether it stands in a secondary place (a part named after
    "including"/"в том числе"/"o cümlədən", or before "포함"; the earlier value of a change,
    "up from 19%"; a change in percentage points; a figure in a relative clause, "the
    attack that killed 1,200"; a figure in a sentence telling what was said earlier), and
    whether it comes right after a Korean topic ("후보는 41.15%")."""
    text, all_spans = text_spans(text)
    spans: list[tuple[Decimal, int, int]] = []
    for span in all_spans:
        if not spans or span[1] >= spans[-1][2]:  # "11 тысяч" read as digits and as words
            spans.append(span)
    out = []
    listed = False  # the figure before is a part named after "including" or its list's next
    lists: dict[int, list[int]] = {}  # the figure before a list of parts -> the parts
    whole = -1
    for i, (value, start, end) in enumerate(spans):
        before = text[spans[i - 1][2] if i else 0:start]
        after = text[end:spans[i + 1][1] if i + 1 < len(spans) else len(text)]
        percent = PERCENT.match(text, end) is not None
        unit = None if percent else UNIT.match(text, end)
        kinds = frozenset({"percent"}) if percent else frozenset({unit.lastgroup}) if unit else (
            _nearest_events(before, after) or _nearest_events(before, after, clause=False)
            or frozenset({""}))
        clause_before = text[max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)),
                                 default=0):start]
        cut = _CLAUSE_END.search(text, end)
        clause_after = text[end:cut.start() if cut else len(text)]
        # A list goes on only after a whole ("613 nəfər, o cümlədən …"): in "Including 40
        # children, 500 people were killed" the 500 is the whole.
        including = _PART_BEFORE.found_in(_fold(clause_before)) or (
            listed and whole >= 0 and _LIST_JOIN.match(before) is not None
            and not events(before))
        if including and not listed:
            whole = i - 1
        if including and whole >= 0:
            lists.setdefault(whole, []).append(i)
        listed = including
        part = (including
                # "포함" marks the figure just before it, not every figure of its clause.
                or _PART_AFTER.first_in(_fold(clause_after[:len(after)])) is not None
                or _POINTS.match(text, end) is not None
                or _CHANGE_AFTER.match(text, end) is not None
                or _RELATIVE_BEFORE.search(clause_before) is not None
                or (percent and _tally(text, start, end))
                or _AGE.match(text, end) is not None
                or numberwords.a_whole(text, end, before, clause_before, i == 0)
                or (i > 0 and _CONVERSION_BEFORE.search(before) is not None)
                or _EARLIER.found_in(_fold(text[max((m.end() for m in _SENTENCE_END.finditer(
                    text, 0, start)), default=0):start]))
                or _earlier_value(text, spans, i, before, after)
                or _before_what_was_said(text, spans, i))
        out.append((value, kinds, percent, part,
                    _KO_TOPIC_BEFORE.search(clause_before) is not None
                    and not (i and _KO_CONNECTIVE.search(before))))
    for whole, parts in lists.items():
        # "613 nəfər, o cümlədən 106 qadın, 63 uşaq, 70 qoca … qətlə yetirilib": the whole
        # counts what its parts count when it names nothing itself (its verb comes after the
        # list).
        told = next((out[j][1] for j in parts if out[j][1] != {""}), None)
        if told and out[whole][1] == {""} and not out[whole][2]:
            out[whole] = (out[whole][0], told, *out[whole][2:])
    for i in range(len(out) - 1):
        # A sign written once for two shares: "Ərdoğan 52,14, Kılıçdaroğlu isə 47,86%",
        # "52,14 и 47,86%". A decimal with no word of its own shares the percent of the
        # next figure, written to as many places, a few words on in the same sentence.
        value, kinds, percent, *rest = out[i]
        following = out[i + 1]
        between = text[spans[i][2]:spans[i + 1][1]]
        if (kinds == {""} and not percent and following[2]
                and value != value.to_integral_value()
                and value.as_tuple().exponent == following[0].as_tuple().exponent
                and len(between) <= 40 and not _SENTENCE_END.search(between)):
            out[i] = (value, frozenset({"percent"}), True, *rest)
    return tuple(out)


@lru_cache(maxsize=16384)
def figure_events(text: str) -> frozenset[tuple[Decimal, str]]:
    """Each figure with what it counts: "300 killed, 2,700 wounded, 3,000 casualties" →
    (300, killed), (2700, wounded), (3000, casualties). A figure with no event word in its
    clause is paired with "" (unknown: it agrees with any event); a percentage with
    "percent". A figure is the same figure as another's only if it counts the same thing
    (ranking._figures_agree)."""
    return frozenset((value, kind) for value, kinds, *_ in _figures(text) for kind in kinds)


@lru_cache(maxsize=16384)
def main_figure_events(text: str) -> frozenset[tuple[Decimal, str]]:
    """The figure the text is about, with what it counts: the first figure tied to an
    event (a percentage counts as one), leaving out figures in a secondary place
    ("including …", "… 포함") and, beside a figure of people killed or wounded, the
    figures of people sent (who, not what, as in events()). Korean puts its main clause
    last ("… 350명 정도지만 … 600명 … 현재는 2000여명으로 추산"): of several figures
    counting the same thing, the last, unless each follows a topic of its own ("A는 41.15%,
    B는 8.34%": a parallel list, whose first is main). A text with one figure has that one
    as its main."""
    figures = _figures(text)
    if len(figures) <= 1:
        return frozenset((value, kind) for value, kinds, *_ in figures for kind in kinds)
    main = [f for f in figures if not f[3]] or list(figures)
    tied = [f for f in main if f[1] != {""}]
    if any(f[1] & _HARM for f in tied):
        tied = [f for f in tied if f[1] != {"deployed"}]
    first = (tied or main)[0]
    if first[1] & UNITS_OF.keys():
        # A measured flight states its height, reach and time together ("86 minutes, to
        # 7,000 km"): the first figure of each measure is main. (Korean too: "고도
        # 7,687.5km로 상승해 1,001.2km 거리를" is altitude first, then distance.)
        kinds: dict[str, Decimal] = {}
        for value, kinds_of, *_ in main:
            for kind in kinds_of & UNITS_OF.keys():
                kinds.setdefault(kind, value)
        return frozenset((value, kind) for kind, value in kinds.items())
    if _HANGUL.search(text):
        same = [f for f in main if f[1] == first[1]]
        # Each after a topic of its own is a parallel list ("A는 41.15%, B는 8.34%를
        # 기록했다"): its first item is the text's main figure, as in other languages.
        first = same[0] if len(same) > 1 and all(f[4] for f in same) else same[-1]
    return frozenset((first[0], kind) for kind in first[1])


_HANGUL = re.compile(r"[\uac00-\ud7af]")


@lru_cache(maxsize=16384)
def denies(text: str) -> bool:
    return _DENIAL_STEMS.found_in(_fold(text))


def trigram_words(text: str) -> str:
    """The folded words trigrams are cut from (similarity/storedfacts.py stores them)."""
    return " ".join(_WORD.findall(_search_fold(text)))


def trigrams_of_words(folded: str) -> frozenset[str]:
    return frozenset(folded[i:i + 3] for i in range(max(0, len(folded) - 2)))


@lru_cache(maxsize=16384)
def trigrams(text: str) -> frozenset[str]:
    return trigrams_of_words(trigram_words(text))
