"""What the words around a number say it is: a clock time, a count, a whole, a number
spelled out in two Russian words (issue 11, batch fresh-b's dev errors).

textfacts.py reads the figures; these are the few tests it asks about a number's
neighbours, kept apart so that its rules stay readable.
"""

from __future__ import annotations

import re
from decimal import Decimal

# A clock time's minutes are not a measure: "오후 6시 30분 기준", "오전 10시 31분" (the hour,
# a small bare number, is already read as a date).
_KO_HOUR_BEFORE = re.compile(r"\d{1,2}\s*시\s*$")


def clock_minutes(text: str, start: int) -> bool:
    """Is the number at start the minutes of a Korean clock time ("6시 30분")?"""
    return _KO_HOUR_BEFORE.search(text, max(0, start - 8), start) is not None


# A small number right after the verb that counts it is a count, not a day of the month:
# "killing 22 mostly Chinese migrant workers", "погибли 22 рабочих" (dates come with a month:
# "killed on 22 June").
_COUNT_VERB_BEFORE = re.compile(
    r"(?:\b(?:killing|killed|kills|injuring|injured|wounding|wounded|claimed the lives of)|"
    r"(?<!\w)(?:погибл\w*|погиб|убит\w*|ранен\w*|пострадал\w*))\s+"
    r"(?:(?:at least|about|around|some|nearly|almost|more than|over|не менее|около|более|"
    r"свыше)\s+)?$",
    re.IGNORECASE)


def counted_by_verb(text: str, start: int) -> bool:
    """Does the number at start come right after a verb of harm ("killing 22")?"""
    return _COUNT_VERB_BEFORE.search(text, max(0, start - 40), start) is not None


# A figure that is the whole a part is counted out of is not what the text reports: "Of the
# 300 members of parliament, 190 were present", "Из 300 депутатов 190", "190 of the 300",
# "190 депутатов из 300",
# "the 300-member Assembly", "재적 300명 중 190명".
_OF_THE_CLAUSE = re.compile(r"^\s*(?:of|из)\s+(?:the\s+|its\s+|all\s+|всех\s+)?$", re.IGNORECASE)
_OUT_OF_BEFORE = re.compile(r"^\s*(?:[^\W\d]+\s+){0,2}(?:of(?:\s+the|\s+all)?|out\s+of|из)\s+$",
                            re.IGNORECASE)
_SIZE_AFTER = re.compile(r"-(?:member|seat|strong)(?!\w)", re.IGNORECASE)
_KO_AMONG_AFTER = re.compile(r"\s*(?:명|석|개|곳)?\s*(?:중|가운데)(?:에서)?(?=\s|,|$)")


def a_whole(text: str, end: int, before: str, clause_before: str, first: bool) -> bool:
    """Is the figure ending at end the whole its text counts a part of? `before` is the
    text since the figure before it (or the start), `clause_before` since its clause began,
    `first` whether it is the text's first figure."""
    return bool(_OF_THE_CLAUSE.match(clause_before)
                or (not first and _OUT_OF_BEFORE.match(before))
                or _SIZE_AFTER.match(text, end)
                or _KO_AMONG_AFTER.match(text, end))


# Russian tens and units in two words: "Двадцать два человека" is 22, not 2.
# Cardinal forms only: "двадцатого июня" (an ordinal) is a date.
_RU_TENS = {"двадцать": 20, "двадцати": 20, "двадцатью": 20, "тридцать": 30, "тридцати": 30,
            "тридцатью": 30, "сорок": 40, "сорока": 40, "пятьдесят": 50, "пятидесяти": 50,
            "шестьдесят": 60, "шестидесяти": 60, "семьдесят": 70, "семидесяти": 70,
            "восемьдесят": 80, "восьмидесяти": 80, "девяносто": 90, "девяноста": 90}
_RU_UNITS = {"один": 1, "одна": 1, "одного": 1, "одной": 1, "два": 2, "две": 2, "двух": 2,
             "три": 3, "трех": 3, "трёх": 3, "четыре": 4, "четырех": 4, "четырёх": 4,
             "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7,
             "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9}
_RU_TENS_UNITS = re.compile(
    r"(?<!\w)(" + "|".join(sorted(_RU_TENS, key=len, reverse=True)) + r")(?:\s+(" + "|".join(
        sorted(_RU_UNITS, key=len, reverse=True)) + r"))?(?!\w)", re.IGNORECASE)


def russian_tens(text: str) -> list[tuple[Decimal, int, int]]:
    """Russian tens, with the unit after them if there is one: "двадцать два" → 22."""
    return [(Decimal(_RU_TENS[m.group(1).lower()] + _RU_UNITS.get((m.group(2) or "").lower(),
                                                                   0)), m.start(), m.end())
            for m in _RU_TENS_UNITS.finditer(text)]
