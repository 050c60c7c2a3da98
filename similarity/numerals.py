"""Numbers as news copy writes them, in az, ru, uk, ko and en: digits with any
thousands separator and a decimal comma or point, multiplier words ("11 тысяч", "1만",
"1.5 million"), Korean groups ("2천700명", "1조3천억"), figures spelled out ("nine",
"около двух тысяч", "thirty-eight"), and the units that make a figure a measure.

textfacts.py decides what the numbers mean (the main figure, what it counts); this
module only finds them and their values.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

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
        if UNIT.match(text, match.end()) and numberwords.clock_minutes(text, match.start()):
            continue  # "오후 6시 30분 기준": a clock time, not a measure
        counter = text[match.end():match.end() + 1] in _COUNTERS  # "2000여명", "9명"
        # "7 faizə", "21%", "86 minutes": a share or a measure, never a date.
        counter = counter or bool(PERCENT.match(text, match.end())
                                  or UNIT.match(text, match.end())
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
def text_spans(text: str) -> tuple[str, tuple[tuple[Decimal, int, int], ...]]:
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
    return frozenset(value for value, _, _ in text_spans(text)[1])


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


# A figure followed by one of these is a share, not a head count: "60 faizdən çoxu".
PERCENT = re.compile(r"\s*(?:%|per\s?cent|процент|відсот|faiz|퍼센트|프로)", re.IGNORECASE)
# A figure followed by a unit measures that, not people: "7,687.5 km" high, "5,156 초",
# "86 минут". Its kind is the unit, so a figure in km is tied to something (main figure)
# and never the same figure as a count of seconds.
UNITS_OF = {
    "km": r"km(?![a-z])|kilomet|kilometr|км(?![а-я])|километр|кілометр|㎞|킬로미터",
    "seconds": r"seconds?(?![a-z])|секунд|saniy|초",
    "minutes": r"minutes?(?![a-z])|минут|хвилин|dəqiqə|deqiqe|분(?!의)",
}
UNIT = re.compile(r"\.?\s*(?:" + "|".join(f"(?P<{k}>{v})" for k, v in UNITS_OF.items()) + ")",
                   re.IGNORECASE)
