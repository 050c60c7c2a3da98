"""Sentences, tokens and an offset-keeping fold of the text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from sources.text import fold

# "Metbuat.az", "LB.live", "Цензор.НЕТ" are one word; "Росстат.Интерфакс" (an aggregator
# gluing the outlet to the sentence's last word) is two: a full stop before a capital
# Cyrillic letter and lower-case ones.
TOKEN = re.compile(r"\w+(?:[-'’]\w+|\.(?![А-ЯЁІЇЄҐ][а-яёіїєґ])\w+)*", re.UNICODE)
_QUOTE_OPEN = {"“": "”", "«": "»", "„": "“"}
_INTERESTING = re.compile(r"[.!?“”«»„\"]")
# Abbreviations after which a full stop does not end a sentence.
_ABBREV = re.compile(
    r"(?:\b(?:[A-ZА-ЯƏÜÖĞÇŞİ]|Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Sgt|Capt|Adm|Gov|Sen|Rep|St|No|vs|etc|"
    r"Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec|U\.S|U\.N|г|гг|тыс|тис|млн|млрд|ул|им|т|д|р|рр|"
    r"ген|проф|акад|см|ok)\.)$",
    re.UNICODE,
)


# A sentence glued to the one before by a page that lost the space: only words that
# open sentences, so "News.Az" and "Metbuat.az" stay whole.
_GLUED = re.compile(r"(?:The|It|He|She|They|We|This|That|These|But|However|According|In)\b")
# …or after a reporting verb, which ends its sentence whatever word opens the next:
# "…, state officials said.Emergency crews have …".
_GLUED_AFTER = re.compile(r"\b(?:said|says|added|reported|stated|told\s+\w+)$")


class Token(NamedTuple):
    # A tuple, not a dataclass: thousands are made per article and tuples are cheap.
    start: int
    end: int
    text: str

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper()


@dataclass(frozen=True)
class Unit:
    """A sentence, or a quotation with several sentences treated as one claim."""

    start: int
    end: int
    paragraph: int


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    return [Token(*m.span(), m.group()) for m in TOKEN.finditer(text, start, end or len(text))]


def sentences(text: str) -> list[Unit]:
    """Split into sentences, keeping a quotation's inner sentences together.

    A full stop ends a sentence when followed by space and a capital, digit, quote or
    Hangul; not after initials ("V.Putin" has no space) or common abbreviations.
    """
    units: list[Unit] = []
    paragraph = 0
    for para in re.finditer(r"[^\n]+", text):
        start = para.start()
        i = start
        depth: list[str] = []
        end = para.end()
        while i < end:
            jump = _INTERESTING.search(text, i, end)
            if jump is None:
                break
            i = jump.start()
            ch = text[i]
            if ch == '"' and (not depth or depth[-1] != '"'):
                # A straight quote opens when none is open, closes when one is: "…. …"고
                # 전했다 keeps its sentences together as “…” does.
                depth.append('"')
            elif ch in _QUOTE_OPEN:
                depth.append(_QUOTE_OPEN[ch])
            elif depth and ch == depth[-1]:
                depth.pop()
            elif ch in ".!?" and not depth:
                j = i + 1
                while j < end and text[j] in ".!?\"”»)’":
                    j += 1
                if j >= end:
                    break
                if ch == "." and ((text[i - 1].islower() and (
                        _GLUED.match(text, j) or (text[j].isupper() and _GLUED_AFTER.search(
                            text, max(start, i - 24), i)))) or (
                        text[i - 1] == "다" and "\uac00" <= text[j] <= "\ud7a3")):
                    # "…on Tuesday.The JCS said …", "at 9:30 a.m.It said …": a page that
                    # lost the space after its full stop; Korean "…않았다.전날 …" (a
                    # sentence's verb ends in 다).
                    units.append(_trimmed(text, start, j, paragraph))
                    start = i = j
                    continue
                if text[j].isspace():
                    k = j
                    while k < end and text[k].isspace():
                        k += 1
                    nxt = text[k] if k < end else ""
                    if (nxt and (nxt.isupper() or nxt.isdigit() or nxt in "“«\"'‘(—–-"
                                 or "\uac00" <= nxt <= "\ud7a3")
                            and not (ch == "." and _ABBREV.search(text[start:i + 1]))):
                        units.append(_trimmed(text, start, j, paragraph))
                        start = k
                        i = k
                        continue
            i += 1
        if start < end:
            units.append(_trimmed(text, start, end, paragraph))
        paragraph += 1
    return [piece for u in units if u.end > u.start for piece in _bounded(text, u)]


MAX_UNIT = 2000  # characters; a real sentence or quotation is far shorter


def _bounded(text: str, unit: Unit) -> list[Unit]:
    """A run-on "sentence" (no full stops for pages) cut at clause breaks, so the work per
    sentence stays bounded whatever the input."""
    pieces = []
    start = unit.start
    while unit.end - start > MAX_UNIT:
        window = text[start:start + MAX_UNIT]
        cut = max(window.rfind("; "), window.rfind(", "), window.rfind(" "))
        cut = start + (cut + 1 if cut > MAX_UNIT // 4 else MAX_UNIT)
        pieces.append(_trimmed(text, start, cut, unit.paragraph))
        start = cut
    pieces.append(_trimmed(text, start, unit.end, unit.paragraph))
    return [p for p in pieces if p.end > p.start]


def _trimmed(text: str, start: int, end: int, paragraph: int) -> Unit:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Unit(start, end, paragraph)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    return fold(ch)


@lru_cache(maxsize=100_000)
def _fold_word(word: str) -> tuple[str, tuple[int, ...] | None]:
    """A word folded, with each folded character's offset within the word (None when
    every character folds to exactly one, the usual case)."""
    if word.isascii():
        return word.lower(), None
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(word):
        for p in _fold_char(ch):
            out.append(p)
            offsets.append(i)
    if len(out) == len(word):
        return "".join(out), None
    return "".join(out), tuple(offsets)


_CHUNK = re.compile(r"\s+|\S+")


def folded_with_offsets(text: str) -> tuple[str, list[int]]:
    """`fold(text)` word by word, with each folded character's offset in `text`.

    Whitespace runs become one space, as in `fold`, so alias keys match across line breaks.
    """
    out: list[str] = []
    offsets: list[int] = []
    for m in _CHUNK.finditer(text):
        start = m.start()
        chunk = m.group()
        if chunk[0].isspace():
            out.append(" ")
            offsets.append(start)
            continue
        folded, rel = _fold_word(chunk)
        out.append(folded)
        if rel is None:
            offsets.extend(range(start, start + len(chunk)))
        else:
            offsets.extend(start + r for r in rel)
    offsets.append(len(text))
    return "".join(out), offsets


# Latin letters that look like Cyrillic ones, typed by mistake inside a Cyrillic word
# ("повiдомив" with a Latin i): read as the Cyrillic letter, one for one.
_LOOKALIKES = str.maketrans("aceopxyiABCEHKMOPTX", "асеорхуіАВСЕНКМОРТХ")
_MIXED = re.compile(r"\w*[а-яёіїєґА-ЯЁІЇЄҐ]\w*[a-zA-Z]\w*|\w*[a-zA-Z]\w*[а-яёіїєґА-ЯЁІЇЄҐ]\w*")


# A Latin letter touching a Cyrillic one: the cheap test that most texts fail.
_PAIR = re.compile(r"[а-яёіїєґА-ЯЁІЇЄҐ][a-zA-Z]|[a-zA-Z][а-яёіїєґА-ЯЁІЇЄҐ]")


def cyrillic_lookalikes(text: str) -> str:
    """The text with each Latin lookalike inside a Cyrillic word made Cyrillic; the same
    length, so every offset into it is one into the original."""
    if not _PAIR.search(text):
        return text
    return _MIXED.sub(lambda m: m.group().translate(_LOOKALIKES), text)
