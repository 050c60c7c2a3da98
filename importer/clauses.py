"""One sentence, several claims: each figure clause and each coordinated assertion its own
proposal.

"Some 1,500 troops were sent and about 200 have been killed, including 40 officers, the
ministry told parliament" is three claims sharing the sentence's attributions. A sentence
is cut between two figures at the last clause break the language's lexicon lists
(`clause_break`: ", and", "; ", ", including", "고 "); figures with no break between them
stay in one clause. Then each clause is cut where the lexicon's `assertion_break` finds a
coordinated assertion with a subject and predicate of its own (", and all reports about it
are false", "다치고, 열차 운행이 … 지연됐습니다"): a list of objects under one predicate is
one claim, as the guide says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from sources.text import fold

from .figures import counted_kind, main_figure, said_kind
from .languages.base import Language
from .types import ProposedQuantity

_TRIM = " \t\n,;:—–-.\"“”«»"
# A sentence's end inside one quotation or cue-less run ("«Погибли 41 909 человек. Еще
# 97 303 ранены», — сообщил Минздрав"): the sentence splitter keeps a quotation whole, but
# each of its sentences with a figure is an assertion of its own. The next sentence opens
# with a capital, a digit or a quote, so "5 тыс. человек" is no end.
_SENTENCE_END = re.compile(
    r"(?<=[^\W\d_]{3})[.!?…]+[\"»”]?\s+"
    r"(?=[\d\"«“]|[^\W\d_](?<=[^\W\d_a-zа-яёіїєґəöüğışç]))")


@dataclass
class Clause:
    start: int
    end: int
    quantity: ProposedQuantity | None


def clauses(text: str, start: int, end: int, figures: list[ProposedQuantity],
            lang: Language) -> list[Clause]:
    """The claim spans of text[start:end], one per figure clause (at least one)."""
    figures = sorted(figures, key=lambda f: f.start)
    spans: list[list[int]] = [[start, end]]
    groups: list[list[ProposedQuantity]] = [figures[:1]]
    parts = [False]  # whether each clause is a part of the count before ("including")
    for prev, nxt in pairwise(figures):
        cut = _cut(text, prev, nxt, lang)
        if cut is None:
            groups[-1].append(nxt)
            continue
        ends, opens, subset = cut
        if subset:
            # "At least 65 people, including 16 minors, have been killed": the part is a
            # claim of its own, up to its closing comma; the whole runs on past it.
            close = text.find(",", nxt.end, end)
            spans.append([opens, close if close > 0 else end])
        else:
            for span in spans:
                span[1] = min(span[1], ends)
            spans.append([opens, end])
        groups.append([nxt])
        parts.append(subset)
    out: list[Clause] = []
    previous_kind = ""
    for (s, e), group, part in zip(spans, groups, parts, strict=True):
        s, e = _trimmed(text, s, e)
        quantity = main_figure(group) if group else None
        if quantity is not None:
            kind = counted_kind(quantity, text[s:e], text[quantity.end:end], lang.code)
            if kind == "other" and previous_kind and (
                    part or _uncounted(quantity, lang)) and \
                    said_kind(quantity, lang.code) is None:
                # ", including 40 officers", "and 200 more": of the same count; not "15
                # hospitals are out of service" after "130 staff were killed".
                kind = previous_kind
            quantity.counted_kind = previous_kind = kind
        if e > s:
            out.append(Clause(s, e, quantity))
    out = out or [Clause(start, end, None)]
    if lang.lex.assertion_break is not None:
        out = [part for clause in out for part in _assertions(text, clause, lang)]
    return out


def _assertions(text: str, clause: Clause, lang: Language) -> list[Clause]:
    """A clause cut at each coordinated assertion with its own subject and predicate
    ("…, and all reports about it are false"; "1명이 다치고, 열차 운행이 … 지연됐다"); the
    figure stays with the part that holds it. A part of fewer than three words is not cut
    off."""
    assert lang.lex.assertion_break is not None
    cuts = [m for m in lang.lex.assertion_break.finditer(text, clause.start, clause.end)
            if len(text[clause.start:m.start()].split()) >= 3
            and len(text[m.end():clause.end].split()) >= 3]
    if not cuts:
        return [clause]
    bounds = [clause.start, *[x for m in cuts for x in (m.start(), m.end())], clause.end]
    out = []
    for s, e in zip(bounds[::2], bounds[1::2], strict=True):
        s, e = _trimmed(text, s, e)
        q = clause.quantity
        own = q if q is not None and s <= q.start < e else None
        if e > s:
            out.append(Clause(s, e, own))
    if clause.quantity is not None and not any(c.quantity for c in out):
        out[0].quantity = clause.quantity
    return out


def _cut(text: str, prev: ProposedQuantity, nxt: ProposedQuantity, lang: Language
         ) -> tuple[int, int, bool] | None:
    """Where the clause of `prev` ends, where that of `nxt` starts and whether `nxt` is a
    part of `prev`'s count ("including"); None: one clause.

    Every figure its own claim, lists included ("Хакасии (14,53%) и Калининградской
    области (14,48%)" is two, as the labelled corpus reads the guide); a break with a word
    of its own (", including", ", while") leaves it to open the next clause.
    """
    if prev.end >= nxt.start:
        return None
    # One past the figure: the lookahead reads its first digit.
    ends = [m for m in _SENTENCE_END.finditer(text, prev.end, nxt.start + 1)
            if m.end() <= nxt.start]
    if ends:
        return ends[-1].start(), ends[-1].end(), False
    breaks = lang.lex.clause_break
    if breaks is None:
        return None
    found = None
    # Not finditer(…, nxt.start): a break's lookahead may read the figure ("to 7.5").
    for m in breaks.finditer(text, prev.end):
        if m.end() > nxt.start:
            break
        found = m
    if found is None:
        return _bare(text, prev, nxt) if lang.lex.figures_apart else None
    words = [w for w in re.findall(r"\w+", found.group())
             if w.casefold() not in lang.lex.coordinators]
    if words or ";" in found.group():
        opens = found.start() + found.group().find(words[0]) if words else found.end()
        said = fold(text[opens:nxt.start])
        subset = any(said.startswith(w) for w in lang.lex.subset_words)
        return found.start(), opens, subset
    return found.start(), found.end(), False


_LEAD_WORD = re.compile(r"\s(?:[^\W\d_]{1,4})\s+$")  # a preposition: "in", "with", "на"


def _bare(text: str, prev: ProposedQuantity, nxt: ProposedQuantity
          ) -> tuple[int, int, bool] | None:
    """Two figures with no break between them ("over one million voters had voted in more
    than 2 thousand polling centers"): each its own claim all the same, cut before the
    short word that leads the second ("in", "на")."""
    between = text[prev.end:nxt.start]
    if len(between.split()) < 2 or not between[:1].isspace() or "(" in between:
        # "12 of 40", "5 to 7": one figure's parts; "1,000 km (621 miles)": the same
        # figure converted
        return None
    lead = _LEAD_WORD.search(text, prev.end, nxt.start)
    opens = lead.start() + 1 if lead is not None and lead.start() > prev.end else nxt.start
    return opens, opens, False


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _uncounted(quantity: ProposedQuantity, lang: Language) -> bool:
    """Whether the figure names no thing of its own after it ("and 200 more"); only where
    the words after a figure are what it counts (English: "15 hospitals")."""
    own = re.sub(r"\W", "", quantity.counted)
    return len(own) < 3 or not lang.noun_after_counts
