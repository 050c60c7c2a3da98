"""What a claim's text says about its figure, event and stance, when the database does not.

A claim entered by an editor has its figure (Quantity) and the stance of its
attributions; a text sent to the API, or a claim with no figure recorded, has
only words. These small per-language word lists (az, ru, uk, ko, en) recognise the
numbers, what happened to the people counted, and denial, well enough for
ranking: they never decide anything alone.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from claims.search import search_fold
from similarity import numberwords

# A number with thousands separators (1,000  1 000  1.000) and perhaps a decimal part
# after them ("7,687.5", "7 687,5"), or a plain number with one; then an optional
# multiplier word: "11 тысяч", "1만", "2 min", "1.5 million".
_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+(?:[.,]\d+(?![\d]))?|\d+(?:[.,]\d+)?)\s*"
    r"(thousand|million|billion|тыс\w*|тис\w*|млн|миллион\w*|мільйон\w*|млрд|мільярд\w*|"
    # Azerbaijani "min" (thousand) with its case endings only: "3 minors", "40 mines" are not
    # thousands.
    r"min(?:ə|dən|i|in|inin|də|dir|lik)?(?![^\W\d_])|milyon\w*|"
    r"milyard\w*|trillion|трлн|триллион\w*|трильйон\w*|trilyon\w*|"
    r"천|만|억)?",
    re.IGNORECASE,
)
_MULTIPLIERS = {
    "thousand": 1000, "тыс": 1000, "тис": 1000, "min": 1000, "천": 1000, "만": 10_000,
    "million": 10**6, "млн": 10**6, "миллион": 10**6, "мільйон": 10**6, "milyon": 10**6,
    "억": 10**8, "billion": 10**9, "млрд": 10**9, "мільярд": 10**9, "milyard": 10**9,
    "trillion": 10**12, "трлн": 10**12, "триллион": 10**12, "трильйон": 10**12,
    "trilyon": 10**12,
}
# Korean counters right after a number make it a count, never a year or a day.
_COUNTERS = frozenset("명여대발척개")
# So does a word for people: "выжили 29 человек", "29 people", "29 nəfər" (not 29 December),
# with an Azerbaijani case ending too ("10 nəfərin öldüyü", "nəfəri", "nəfərə").
_PEOPLE = re.compile(r"\s*(?:человек|чел\.|людей|осіб|people|persons|(?:nəfər|nefer)\w*)(?!\w)",
                     re.IGNORECASE)
# Korean groups add up: "1만 1천명" (11,000), "2천700명" (2,700), "1만2000명" (12,000),
# "1만 2천 300명" (12,300). Written out as digits before the figures are read.
_KOREAN_SUM = re.compile(
    r"(?<![\d.,])(?:(\d+)\s*만\s*)?(?:(\d+)\s*천\s*)?(\d{1,4}(?:\.\d+)?)?(?![\d.,])")

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


# Multipliers of the languages that write a decimal comma: "87,113 млн" is 87.113 million.
_COMMA_DECIMAL = ("тыс", "тис", "млн", "миллион", "мільйон", "млрд", "мільярд", "min",
                  "milyon", "milyard", "трлн", "триллион", "трильйон", "trilyon")
_GROUPED = re.compile(r"(\d{1,3}(?:([ ,.])\d{3})+)(?:([.,])(\d+))?")


def _to_number(digits: str, multiplier: str | None) -> Decimal | None:
    raw = digits.replace("\u00a0", " ").replace("\u202f", " ")
    grouped = _GROUPED.fullmatch(raw)
    if (grouped and multiplier and re.fullmatch(r"\d{1,3},\d{3}", raw)
            and multiplier.lower().startswith(_COMMA_DECIMAL)):
        raw = raw.replace(",", ".")  # "87,113 млн": one group before a word = a decimal comma
    elif grouped and grouped.group(3) and grouped.group(3) == grouped.group(2):
        raw = re.sub(r"[ ,.]", "", grouped.group(1))  # "1.000.5": no decimal part to trust
    elif grouped:
        # "7,687.5", "7 687,5": separators out, the other mark is the decimal point.
        raw = re.sub(r"[ ,.]", "", grouped.group(1)) + (
            "." + grouped.group(4) if grouped.group(3) else "")
    else:
        raw = raw.replace(",", ".")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    if multiplier:
        key = multiplier.lower()
        factor = next((f for stem, f in _MULTIPLIERS.items() if key.startswith(stem)), 1)
        value *= factor
    return value


def _spans(text: str) -> list[tuple[Decimal, int, int]]:
    """Each figure of a text (after the Korean sum is written out) with where it stands."""
    found = []
    for match in _NUMBER.finditer(text):
        value = _to_number(match.group(1), match.group(2))
        if value is None:
            continue
        bare = match.group(1).isdigit() and match.group(2) is None
        if _UNIT.match(text, match.end()) and numberwords.clock_minutes(text, match.start()):
            continue  # "오후 6시 30분 기준": a clock time, not a measure
        counter = text[match.end():match.end() + 1] in _COUNTERS  # "2000여명", "9명"
        # "7 faizə", "21%", "86 minutes": a share or a measure, never a date.
        counter = counter or bool(_PERCENT.match(text, match.end())
                                  or _UNIT.match(text, match.end())
                                  or _PEOPLE.match(text, match.end())
                                  or numberwords.counted_by_verb(text, match.start()))
        if bare and not counter and (
                (len(match.group(1)) == 4 and 1900 <= value <= 2100) or value <= 31):
            continue  # a year ("2024", not "2,000") or a day of the month, most likely
        factor = value / _to_number(match.group(1), None) if match.group(2) and value else 1
        if (found and (factor > 1 or bare) and value < found[-1][3] and found[-1][3] > 1
                and not text[found[-1][2]:match.start()].strip()):
            # "38 milyard 356 milyon", "41 млрд 703,6 млн": one figure in two groups; so is
            # a bare rest after a word ("50 min 96 nəfər" = 50,096, "45 min 968" = 45,968).
            last = found.pop()
            value, start, factor = last[0] + value, last[1], last[3]
        else:
            start = match.start()
        found.append((value, start, match.end(), factor))
    spelled = _spelled(text)
    # "49-point-42": the words make one figure of the digits' two.
    spans = [(v.normalize(), start, end) for v, start, end, _ in found
             if not any(s <= start and end <= e and e - s > end - start for _, s, e in spelled)]
    spans += [(v.normalize(), start, end) for v, start, end in spelled
              if not any(s <= start and end <= e for _, s, e, _ in found)]
    return sorted(spans, key=lambda f: f[1])


def _korean_sum(text: str) -> str:
    def add(match: re.Match) -> str:
        man, cheon, rest = match.groups()
        if sum(part is not None for part in (man, cheon, rest)) < 2 or (
                rest and len(rest.split(".")[0]) == 4 and cheon):
            return match.group(0)  # a lone group is _NUMBER's; "2천 2024" is not one figure
        if rest and "." in rest and not (man or cheon):
            return match.group(0)
        # "7천687.5㎞" is 7,687.5 km: a decimal part stays with the last group.
        return str(int(man or 0) * 10_000 + int(cheon or 0) * 1000 + Decimal(rest or 0))

    if "억" in text or "조" in text:
        text = _KOREAN_LARGE.sub(_korean_large, text)
    if "만" not in text and "천" not in text:
        return text
    return _KOREAN_SUM.sub(add, text)


# Korean money counts in 조 (10^12) and 억 (10^8), each with its own groups: "3천억 달러"
# (300 billion), "1조3천억", "1조 3000억" (1.3 trillion), "1822조 원".
_KOREAN_LARGE = re.compile(
    r"(?<![\d.,])(?:(\d+(?:\.\d+)?)\s*조\s*)?(?:(?:(\d+)\s*천\s*)?(\d{1,4}(?:,\d{3})?)?\s*억"
    r"|(?<=조)(?=\s*[^\d\s]|\s*$))")


def _korean_large(match: re.Match) -> str:
    jo, cheon, rest = match.groups()
    if not (jo or cheon or rest):
        return match.group(0)
    value = Decimal(jo or 0) * 10**12 + (
        int(cheon or 0) * 1000 + Decimal((rest or "0").replace(",", ""))) * 10**8
    return str(value.quantize(Decimal(1)) if value == value.to_integral() else value)


@lru_cache(maxsize=16384)
def _text_spans(text: str) -> tuple[str, tuple[tuple[Decimal, int, int], ...]]:
    """The text with its Korean sums written out, and its figures' spans: read once for
    numbers() and _figures() both (the slowest part of a text's facts, read for every
    candidate of a similar-claims request: docs/matching.md)."""
    text = _korean_sum(text)
    return text, tuple(_spans(text))


@lru_cache(maxsize=16384)
def numbers(text: str) -> frozenset[Decimal]:
    """The figures a text states, as plain numbers: "1만 1천명" → 11000, "11 тысяч" → 11000.

    Years (1900–2100 standing alone) and day numbers are left out: they are
    dates, not figures.
    """
    return frozenset(value for value, _, _ in _text_spans(text)[1])


# Figures spelled out, as agencies write them: "nine deaths", "three-thousand troops",
# "27-hundred wounded", "около двух тысяч", "девяти солдат", "doqquz əsgər".
_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
    "один": 1, "одного": 1, "два": 2, "двух": 2, "две": 2, "три": 3, "трех": 3, "трёх": 3,
    "четыре": 4, "четырех": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7,
    "семи": 7, "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9, "десять": 10,
    "десяти": 10, "сто": 100, "сотни": 100, "сотен": 100,
    "bir": 1, "iki": 2, "üç": 3, "dörd": 4, "beş": 5, "altı": 6, "yeddi": 7, "səkkiz": 8,
    "doqquz": 9, "on": 10, "yüz": 100,
}
_SCALES = {"hundred": 100, "thousand": 1000, "тысяч": 1000, "тысячи": 1000, "тысяча": 1000,
           "min": 1000, "million": 10**6, "миллион": 10**6, "миллиона": 10**6,
           "milyon": 10**6}
_WORDS = re.compile(
    r"(?<![\w.,])(\d+|" + "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True)) +
    r")(?:[\s-]+(" + "|".join(sorted(map(re.escape, _SCALES), key=len, reverse=True)) +
    r"))?(?!\w)", re.IGNORECASE)


# "Thirty-eight people died": tens and units joined by a hyphen are one figure.
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_DIGIT_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TENS_UNITS = re.compile(r"(?<![\w-])(" + "|".join(_TENS) + r")-(" + "|".join(_DIGIT_WORDS) +
                         r")(?![\w-])", re.IGNORECASE)


# Decimals read out as broadcasters script them: "49-point-42 percent", "eight-point-34".
_POINT = re.compile(r"(?<![\w-])(\d+|" + "|".join(_DIGIT_WORDS) + r")-point-(\d+)(?![\w-])",
                    re.IGNORECASE)


def _spelled(text: str) -> list[tuple[Decimal, int, int]]:
    found = [(Decimal(_TENS[m.group(1).lower()] + _DIGIT_WORDS.index(m.group(2).lower()) + 1),
              m.start(), m.end()) for m in _TENS_UNITS.finditer(text)]
    found += numberwords.russian_tens(text)  # "Двадцать два человека"
    for m in _POINT.finditer(text):
        head = m.group(1).lower()
        whole = head if head.isdigit() else str(_DIGIT_WORDS.index(head) + 1)
        found.append((Decimal(f"{whole}.{m.group(2)}"), m.start(), m.end()))
    taken = [(start, end) for _, start, end in found]
    for match in _WORDS.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        head, scale = match.group(1).lower(), (match.group(2) or "").lower()
        if head.isdigit():
            if not scale:
                continue  # plain digits are _NUMBER's
            value = int(head)
        elif head in _UNITS:
            value = _UNITS[head]
        else:  # case-insensitive matching lets "ı" stand for "i" ("sıx" for "six"): not ours
            continue
        if scale and scale not in _SCALES:
            continue
        value *= _SCALES.get(scale, 1)
        if value >= 2 and not (head == "on" and not scale):  # az "on" is also a word
            found.append((Decimal(value), match.start(), match.end()))
    return found


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


# A figure followed by one of these is a share, not a head count: "60 faizdən çoxu".
_PERCENT = re.compile(r"\s*(?:%|per\s?cent|процент|відсот|faiz|퍼센트|프로)", re.IGNORECASE)
# A figure followed by a unit measures that, not people: "7,687.5 km" high, "5,156 초",
# "86 минут". Its kind is the unit, so a figure in km is tied to something (main figure)
# and never the same figure as a count of seconds.
_UNITS_OF = {
    "km": r"km(?![a-z])|kilomet|kilometr|км(?![а-я])|километр|кілометр|㎞|킬로미터",
    "seconds": r"seconds?(?![a-z])|секунд|saniy|초",
    "minutes": r"minutes?(?![a-z])|минут|хвилин|dəqiqə|deqiqe|분(?!의)",
}
_UNIT = re.compile(r"\.?\s*(?:" + "|".join(f"(?P<{k}>{v})" for k, v in _UNITS_OF.items()) + ")",
                   re.IGNORECASE)
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
    text, all_spans = _text_spans(text)
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
        percent = _PERCENT.match(text, end) is not None
        unit = None if percent else _UNIT.match(text, end)
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
    if first[1] & _UNITS_OF.keys():
        # A measured flight states its height, reach and time together ("86 minutes, to
        # 7,000 km"): the first figure of each measure is main. (Korean too: "고도
        # 7,687.5km로 상승해 1,001.2km 거리를" is altitude first, then distance.)
        kinds: dict[str, Decimal] = {}
        for value, kinds_of, *_ in main:
            for kind in kinds_of & _UNITS_OF.keys():
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
