"""Figures as said, in four languages: "10 mindən çox", "около 600", "1만5000여 명", "between
175,000 and 200,000" become value / lower / upper / qualifier, as claims.models.Quantity keeps them.

The words (qualifiers, multipliers, vague plurals, units, what is not a figure) are in
data/<lang>.toml under [figures]; this module only knows how numbers are written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from .languages import get as get_language
from .languages.base import Language
from .types import ProposedQuantity

_FLAGS = re.IGNORECASE | re.UNICODE
# A Korean counter right after a number: a count, not a year ("2000명").
_COUNTER = re.compile(r"(?:명|개|발|대|척|곳|건|여\s*명)")
# Dates and times are not figures: 2025-08-15, 15.08.2025, 8/15, 14:30.
_DATE = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{1,2}:\d{2}\b")


@dataclass(frozen=True)
class _Grammar:
    number: re.Pattern
    prefixes: tuple[tuple[re.Pattern, str], ...]
    suffixes: tuple[tuple[re.Pattern, str], ...]
    # Suffix qualifiers that do not override the prefix's ("약 770여km" is about 770).
    weak_suffixes: frozenset[str]
    range_joiners: re.Pattern
    range_prefix: re.Pattern | None
    range_suffix: re.Pattern | None
    multipliers: tuple[tuple[re.Pattern, int], ...]
    vague: tuple[tuple[re.Pattern, int], ...]
    units: tuple[tuple[re.Pattern, str], ...]
    not_counted: re.Pattern
    skip_after: re.Pattern | None
    skip_before: re.Pattern | None
    partitive: re.Pattern | None
    # "dozens wounded": a vague plural whose people are said by what befell them.
    vague_fate: re.Pattern | None
    counted_stop: re.Pattern
    decimal_comma: bool
    kinds: tuple[tuple[re.Pattern, str], ...] = ()
    # A counter that says what is counted whatever the clause is about ("12곳": places).
    said_kinds: tuple[tuple[re.Pattern, str], ...] = ()
    # After a figure that is only the context of the next ("85대 가운데 61대"): not one.
    context_after: re.Pattern | None = None
    words: tuple[tuple[re.Pattern, int], ...] = ()
    # A joiner that makes a range only after the range's opening word, "от 46% до 66%"
    # ("с 5% до 7%" is a change, not a range).
    range_opened: re.Pattern | None = None


@cache
def _grammar(language: str) -> _Grammar:
    lang = get_language(language)
    f = lang.lex.figures
    mult_words = "|".join(m["pattern"] for m in f.get("multiplier", []))
    word_numbers = "|".join(w["pattern"] for w in f.get("word", []))
    number = rf"(?P<num>{lang.number_pattern}" + (
        rf"|\b(?:{word_numbers})(?!\w)" if word_numbers else "") + ")"
    number += rf"(?:\s?(?P<mult>{mult_words}))?" if mult_words else ""

    def pairs(key: str, value: str):
        return tuple((re.compile(p["pattern"], _FLAGS), p[value]) for p in f.get(key, []))

    def opt(key: str):
        return re.compile(f[key], _FLAGS) if f.get(key) else None

    return _Grammar(
        number=re.compile(number, _FLAGS),
        prefixes=pairs("prefix", "qualifier"),
        suffixes=pairs("suffix", "qualifier"),
        weak_suffixes=frozenset(p["pattern"] for p in f.get("suffix", []) if p.get("weak")),
        context_after=opt("context_after"),
        range_joiners=re.compile(f["range_joiner"], _FLAGS),
        range_prefix=opt("range_prefix"),
        range_suffix=opt("range_suffix"),
        range_opened=opt("range_opened_joiner"),
        multipliers=tuple((re.compile(m["pattern"], _FLAGS), int(float(m["value"])))
                          for m in f.get("multiplier", [])),
        vague=tuple((re.compile(v["pattern"], _FLAGS), int(float(v["value"])))
                    for v in f.get("vague", [])),
        units=pairs("unit", "unit"),
        not_counted=re.compile(f["not_counted"], _FLAGS),
        skip_after=opt("skip_after"),
        skip_before=opt("skip_before"),
        partitive=opt("partitive"),
        vague_fate=opt("vague_fate"),
        counted_stop=re.compile(f["counted_stop"], _FLAGS),
        decimal_comma=bool(f.get("decimal_comma", False)),
        kinds=pairs("kind", "kind"),
        said_kinds=pairs("said_kind", "kind"),
        # "read": the word itself, for a pattern that also looks at what follows it.
        words=tuple((re.compile(w.get("read", w["pattern"]), _FLAGS), int(w["value"]))
                    for w in f.get("word", [])),
    )


def _read(raw: str, g: _Grammar, lang: Language) -> Decimal | None:
    if raw[:1].isdigit():
        return lang.read_number(raw, g.decimal_comma)
    for pattern, value in g.words:
        if pattern.fullmatch(raw):
            return Decimal(value)
    return lang.read_number(raw, g.decimal_comma)


def _value(match: re.Match, g: _Grammar, lang: Language) -> Decimal | None:
    value = _read(match.group("num"), g, lang)
    if value is None:
        return None
    mult = match.groupdict().get("mult")
    if mult:
        for pattern, factor in g.multipliers:
            if pattern.fullmatch(mult):
                value *= factor
                break
    return value


def _unit(g: _Grammar, before: str, after: str) -> str:
    for pattern, unit in g.units:
        if pattern.search(after[:14]) or (unit == "USD" and before.endswith("$")):
            return unit
    return ""


def _counted(text: str, start: int, lang: Language, g: _Grammar, before: str) -> str:
    """The few words after the figure that say what is counted (before it, in Korean)."""
    words = []
    window = text[start:start + 80]
    last = 0
    for m in re.finditer(r"[^\s,.;:!?()“”\"«»]+", window):
        word = m.group()
        gap = window[last:m.start()]
        # "28 «шахедів»": a quoted noun right after the figure is still what it counts.
        if g.counted_stop.fullmatch(word) or len(words) == 3 or \
                re.search(r"[,.;:!?()]", gap) or (words and re.search(r"[“”\"«»]", gap)):
            break
        words.append(word)
        last = m.end()
    if words and words[0].lower() in ("of", "из"):
        words = words[1:]
    noun = lang.counted_before(before)
    if noun is not None:
        return " ".join(w for w in (noun, *words[:1]) if w)
    return " ".join(words)


def parse_figures(text: str, language: str, start: int = 0, end: int | None = None
                  ) -> list[ProposedQuantity]:
    """Every figure in text[start:end], in order, with its qualifier and bounds."""
    g = _grammar(language)
    lang = get_language(language)
    end = len(text) if end is None else end
    found: list[ProposedQuantity] = []
    dates = [(d.start(), d.end()) for d in _DATE.finditer(text, start, end)]
    matches = [m for m in g.number.finditer(text, start, end)
               if not (m.start() > 0 and (text[m.start() - 1].isalnum()
                                          and not "\uac00" <= text[m.start() - 1] <= "\ud7a3"))
               and not any(s <= m.start() < e for s, e in dates)]
    used_until = start
    i = 0
    while i < len(matches):
        m = matches[i]
        i += 1
        if m.start() < used_until:
            continue
        value = _value(m, g, lang)
        if value is None:
            continue
        first = m
        # "28 min 700", "5 milyon 329 min 461", "1 млн 200 тыс.": a larger unit, then the
        # rest of the number, one figure.
        while m.groupdict().get("mult") and i < len(matches) and \
                matches[i].start() - m.end() == 1 and text[m.end()].isspace():
            rest = _value(matches[i], g, lang)
            if rest is None or rest >= _factor(m, g):
                break
            value += rest
            m = matches[i]
            i += 1
        after = text[m.end():min(end, m.end() + 40)]
        before = text[max(start, first.start() - 40):first.start()]
        if g.skip_after and g.skip_after.match(after):
            continue
        if g.skip_before and g.skip_before.search(before):
            continue
        raw = m.group()
        if not m.groupdict().get("mult") and re.fullmatch(r"(19|20)\d\d", raw) and \
                first is m and not _unit(g, "", after) and not _COUNTER.match(after):
            continue  # a year ("2000km", "2000명" are not)
        q = ProposedQuantity(qualifier="exact", value=value, start=first.start(), end=m.end())
        figure_end = m.end()
        # A range: "175,000 to 200,000", "от 175 до 200 тысяч", "17만5000∼20만".
        nxt = matches[i] if i < len(matches) else None
        joiner = text[m.end():nxt.start()] if nxt else ""
        opened = bool(nxt and g.range_opened and g.range_prefix and
                      g.range_opened.fullmatch(joiner) and
                      g.range_prefix.search(text, max(start, first.start() - 45), first.start()))
        if nxt and (g.range_joiners.fullmatch(joiner) or opened):
            upper = _value(nxt, g, lang)
            if upper is not None:
                if not m.groupdict().get("mult") and nxt.groupdict().get("mult"):
                    lower_scaled = value * (upper / _value_plain(nxt, g, lang))
                    if lower_scaled < upper:
                        value = lower_scaled
                if g.skip_after and g.skip_after.match(text[nxt.end():end]):
                    i += 1  # "새벽 4∼5시까지", "5-7 July": times and dates, not a figure
                    continue
                if value < upper:
                    q = ProposedQuantity(qualifier="range", lower=value, upper=upper,
                                         start=first.start(), end=nxt.end())
                    figure_end = nxt.end()
                    i += 1
        head = text[max(start, q.start - 45):q.start]
        tail = text[figure_end:min(end, figure_end + 30)]
        prefixed = False
        if q.qualifier != "range":
            for pattern, qualifier in g.prefixes:
                pm = pattern.search(head)
                if pm:
                    q.qualifier, q.start = qualifier, q.start - (len(head) - pm.start())
                    prefixed = True
                    break
            for pattern, qualifier in g.suffixes:
                sm = pattern.match(tail)
                if sm:
                    # "exact" suffixes only consume a counter word ("명"); a prefix
                    # qualifier ("약 600명") stands.
                    weak = pattern.pattern in g.weak_suffixes and q.qualifier != "exact"
                    if qualifier != "exact" and not weak and (
                            q.qualifier == "exact" or qualifier != "approximately"):
                        q.qualifier = qualifier
                    figure_end += sm.end()
                    break
            _bounds(q, value)
        else:
            if g.range_prefix:
                pm = g.range_prefix.search(head)
                if pm:
                    q.start -= len(head) - pm.start()
            if g.range_suffix:
                sm = g.range_suffix.match(tail)
                if sm:
                    figure_end += sm.end()
        q.end = figure_end
        if g.context_after and g.context_after.match(text, figure_end, end) and \
                any(n.start() > figure_end for n in matches[i:i + 1]):
            continue
        # "altı milyard dollardan çox": the qualifier after the figure took in its unit.
        q.unit = _unit(g, text[max(0, q.start - 2):q.start], text[figure_end:end]) or \
            _unit(g, "", text[m.end():figure_end])
        counted = _counted(text, figure_end, lang, g, text[max(start, q.start - 20):q.start])
        if counted and g.not_counted.match(counted) and not q.unit:
            continue
        # "Кількість жертв зросла до трьох": a total the clause's verb gives counts with
        # no noun after it, as a toll word after it does ("ще 11 поранені").
        if not counted and not (q.unit or q.qualifier != "exact" or m.groupdict().get("mult")
                                or lang.bare_numbers_count or (q.value or 0) >= 100
                                or (g.partitive and g.partitive.match(text, figure_end))
                                or prefixed or _toll_word(text, figure_end, end, g)):
            continue
        q.counted = counted[:200]
        q.as_said = text[q.start:q.end].strip()
        found.append(q)
        used_until = figure_end
    found.extend(_vague(text, start, end, g, lang, found))
    found.sort(key=lambda f: f.start)
    return found


_NEXT_WORD = re.compile(r"\s+(\w+)")
_TOLL_KINDS = {"killed", "wounded", "casualties", "missing", "captured", "detained"}


def _toll_word(text: str, at: int, end: int, g: _Grammar) -> bool:
    """"… were killed and seven wounded", "12 dead": a bare number is a count when the word
    after it says who was hurt (the kind lexicon's killed, wounded, missing …)."""
    m = _NEXT_WORD.match(text, at, end)
    return m is not None and any(kind in _TOLL_KINDS and pattern.match(m.group(1))
                                 for pattern, kind in g.kinds)


def _factor(m: re.Match, g: _Grammar) -> int:
    for pattern, factor in g.multipliers:
        if pattern.fullmatch(m.group("mult")):
            return factor
    return 1


def _value_plain(m: re.Match, g: _Grammar, lang: Language) -> Decimal:
    return _read(m.group("num"), g, lang) or Decimal(1)


def _bounds(q: ProposedQuantity, value: Decimal) -> None:
    if q.qualifier == "at_least":
        q.value, q.lower, q.upper = None, value, None
    elif q.qualifier == "at_most":
        q.value, q.lower, q.upper = None, None, value
    else:
        q.value, q.lower, q.upper = value, None, None


def _vague(text: str, start: int, end: int, g: _Grammar, lang: Language,
           found: list[ProposedQuantity]) -> list[ProposedQuantity]:
    """"thousands of", "minlərlə", "тысячи", "수천 명": at least the unit."""
    out = []
    taken = [(f.start, f.end) for f in found]
    for pattern, unit_value in g.vague:
        for m in pattern.finditer(text, start, end):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            counted = _counted(text, m.end(), lang, g, text[max(start, m.start() - 20):
                                                                   m.start()])
            if g.not_counted.match(counted or "-") and not (
                    not counted and g.vague_fate and g.vague_fate.match(text, m.end(), end)):
                continue
            out.append(ProposedQuantity(
                qualifier="at_least", lower=Decimal(unit_value), start=m.start(), end=m.end(),
                counted=counted[:200], as_said=m.group().strip(),
            ))
            taken.append((m.start(), m.end()))
    return out


def main_figure(figures: list[ProposedQuantity]) -> ProposedQuantity | None:
    """The figure a claim is about: the first precise one, else the first vague one."""
    precise = [f for f in figures if f.lower is None or f.qualifier != "at_least"
               or f.as_said[:1].isdigit() or any(ch.isdigit() for ch in f.as_said)]
    return (precise or figures or [None])[0]


_CURRENCIES = {"USD", "EUR", "RUB", "AZN", "KRW", "UAH", "GBP", "JPY", "CNY"}


_MEASURES = {"km"}
# What befalls the people a figure counts: it says more than "troops" does.
_FATES = {"casualties", "wounded", "killed", "captured", "missing", "displaced", "detained"}


def said_kind(q: ProposedQuantity, language: str) -> str | None:
    """The kind the figure's own counter says ("12곳": places, other), if any."""
    return next((kind for pattern, kind in _grammar(language).said_kinds
                 if pattern.search(q.as_said)), None)


def counted_kind(q: ProposedQuantity, clause: str, after: str, language: str) -> str:
    """The kind of thing a figure counts, from its unit, its counted words, its clause,
    then the nearest kind word after it in the sentence: "At least 65 Palestinians,
    including 16 minors, were killed" counts the killed, not "Palestinians"."""
    if q.unit == "%":
        return "percent"
    if q.unit.upper() in _CURRENCIES:
        return "money"
    if q.unit in _MEASURES:
        return "other"  # "약 1천 km": a distance counts nothing of the kinds
    g = _grammar(language)
    said = said_kind(q, language)
    if said is not None:
        return said  # "우크라이나 전역 12곳을 타격했다": twelve places, not weapons
    found = [next((kind for pattern, kind in g.kinds if words and pattern.search(words)), None)
             for words in (q.counted, clause)]
    if found[0] in ("deployed", "people") and found[1] in _FATES:
        return found[1]  # "30 troops were killed or wounded": what befell them
    if found[0] == "killed" and not get_language(language).predicate_follows and any(
            kind == "casualties" and pattern.search(after[:len(q.counted) + 24])
            for pattern, kind in g.kinds):
        # "1 150 військовослужбовців убитими й пораненими": the counted words end at the
        # first fate; the two together are casualties.
        return "casualties"
    if found[0] is None and get_language(language).predicate_follows:
        # Verb-final: "미사일 공격으로 아이 9명과 성인 9명이 숨졌다" — what befell the
        # counted is the verb after the figure, not the weapon before it.
        nearest = _nearest_kind(after, g)
        if nearest is not None:
            return nearest
    for kind in found:
        if kind:
            return kind
    return _nearest_kind(after, g) or "other"


def _nearest_kind(after: str, g: _Grammar) -> str | None:
    nearest = min(((m.start(), kind) for pattern, kind in g.kinds
                   for m in [pattern.search(after)] if m), default=None)
    return nearest[1] if nearest else None
