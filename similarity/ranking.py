"""Hybrid ranking: the embedding's cosine, corrected by what the database knows.

Two texts can be close in meaning and still be different claims: "600 killed"
and "600 wounded", "300 killed" and "600 killed", an assertion and its denial,
the same figure from another claimant. The embedding cannot see those
differences well (multilingual-e5 puts "600 killed" and "600 wounded" closer
than a faithful translation), so each is checked on the facts — the claim's
figure and what it counts, its claimants and their stance, the period it is
about — or, for what the database does not hold, on the text itself
(similarity/textfacts.py). Agreements add a little, disagreements take off
more, and each is named so an editor sees *why*. The weights were set on the
dev half of the labelled set (bench/matching.py, docs/matching.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from claims.models import Attribution, Claim, Qualifier, Role, Stance
from claims.relations import figure_range
from sources.text import fold

from . import numerals, storedfacts, textfacts

WEIGHTS = {
    "same_figure": 0.04,
    "precise_figure": 0.02,  # the same figure written to its last digit on both sides
    "different_figure": -0.15,
    "figure_other_event": -0.10,  # the same number, counting something else
    "secondary_figure": -0.10,  # the same figure, but not the one the text is about
    "same_counted": 0.03,
    "different_counted": -0.15,
    "denial": -0.15,
    "same_claimant": 0.03,
    "different_claimant": -0.10,
    "same_period": 0.01,
    "distant_period": -0.03,
    "lexical": 0.10,  # times the trigram Jaccard overlap
}
DISTANT = timedelta(days=45)
# However many facts differ, a related claim stays above claims about nothing
# in common: the penalties together take off at most this much.
MAX_PENALTY = -0.18
# Two claims are "likely the same" when no fact differs and the embeddings are
# this close; such a pair gets SAME_BONUS, so every likely-same claim ranks
# above every merely related one (e5's cosines are compressed: a near-verbatim
# "600 wounded" is closer than a faithful Korean translation of "600 killed",
# so no additive penalty alone can order them).
SAME_MIN = 0.82
SAME_BONUS = 0.25
# A claim that states the same figure and differs in nothing, but is not close enough to be
# "likely the same" (a translation: e5 puts "72 человека погибли" and a Korean "72명이 사망"
# at 0.80), gets this much: it ranks above a near-verbatim claim whose figure conflicts
# ("92 человек погибли", 0.96) unless that one is much closer still. The smallest that
# orders dev's case; the assessment (and attach.py) is unchanged.
AGREES_BONUS = 0.03


@dataclass(frozen=True)
class Facts:
    """What ranking compares about one claim (stored or only a text)."""

    id: int | None
    text: str
    summary_en: str = ""
    language: str = ""
    published: bool = True
    figures: frozenset[Decimal] = frozenset()
    # Each figure with what it counts ("" when unknown): (300, "killed"), (3000, "casualties").
    figure_events: frozenset[tuple[Decimal, str]] = frozenset()
    # The figure the claim is about (textfacts.main_figure_events); a recorded figure is it.
    main_figure_events: frozenset[tuple[Decimal, str]] = frozenset()
    ranges: tuple[tuple[Decimal, Decimal], ...] = ()
    counted: str = ""  # folded Quantity.counted, when recorded
    events: frozenset[str] = frozenset()
    denies: bool = False
    claimants: frozenset[int] = frozenset()
    # The bodies its claimants speak for (Source.parent): a central bank's governor, a
    # ministry's spokesperson. A claim by the body and one by its own person are one side.
    claimant_parents: frozenset[int] = frozenset()
    # The sources a stored claim's own text names (claimants.named_in), set on the
    # candidates of a bare text: see "mentioned by both" in `compare`.
    mentioned: frozenset[int] = frozenset()
    period: tuple[date, date] | None = None
    trigrams: frozenset[str] = frozenset()
    # A result of a count still under way (textfacts.interim): its figures stand only for
    # themselves, never for a figure they round to.
    interim: bool = False


@dataclass
class Comparison:
    score: float
    cosine: float
    agreements: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)

    @property
    def assessment(self) -> str:
        if "one denies what the other asserts" in self.differences or any(
            d.startswith("different figure") for d in self.differences
        ):
            return "conflicting"
        if self.differences or self.cosine < SAME_MIN:
            return "related"
        return "likely_same"


def _text_facts(text: str, figures: bool = True) -> dict:
    """`figures` False: leave out the text's figures (a recorded figure replaces them, and
    reading them is most of a text's cost: docs/matching.md)."""
    words = {
        "events": textfacts.events(text),
        "denies": textfacts.denies(text),
        "trigrams": textfacts.trigrams(text),
        "interim": textfacts.interim(text),
    }
    if figures:
        words.update(figures=numerals.numbers(text),
                     figure_events=textfacts.figure_events(text),
                     main_figure_events=textfacts.main_figure_events(text))
    return words


def facts_for_text(text: str, language: str = "", claimants=(), claimant_parents=()) -> Facts:
    """A bare text's facts: what its words say, and the sources it names (claimants.py)."""
    return Facts(id=None, text=text, language=language, claimants=frozenset(claimants),
                 claimant_parents=frozenset(claimant_parents), **_text_facts(text))


def _period(made_on: date | None, about_start: date | None,
            about_end: date | None) -> tuple[date, date] | None:
    start = about_start or made_on
    end = about_end or about_start or made_on
    return (start, end) if start and end else None


def stored_facts(*, id: int | None, text: str, summary_en: str = "", language: str = "",
                 published: bool = True, quantity=None, claimants=(), denies: bool = False,
                 period: tuple[date, date] | None = None, claimant_parents=(),
                 text_facts: dict | None = None) -> Facts:
    """Facts of a claim as stored: `quantity` is anything with Quantity's fields, or None.
    `text_facts`: its text's facts as the worker stored them (storedfacts.decode), if
    they are of this text and these rules; else they are read from the text now."""
    words = (dict(text_facts) if text_facts is not None
             else _text_facts(text, figures=quantity is None))
    counted, ranges = "", ()
    if quantity is not None:
        counted = fold(f"{quantity.counted} {quantity.unit or ''}".strip())
        words["figures"] = frozenset(v.normalize() for v in
                                     (quantity.value, quantity.lower, quantity.upper)
                                     if v is not None)
        # The recorded figure counts what Quantity.counted says, in the event words.
        kinds = textfacts.events(quantity.counted or "") or frozenset({""})
        words["figure_events"] = frozenset((v, kind) for v in words["figures"] for kind in kinds)
        words["main_figure_events"] = words["figure_events"]
        if quantity.qualifier not in (Qualifier.AT_LEAST, Qualifier.AT_MOST):
            ranges = (figure_range(quantity),)  # open-ended: compare the stated bound only
    return Facts(id=id, text=text, summary_en=summary_en, language=language,
                 published=published, counted=counted, ranges=ranges,
                 claimants=frozenset(claimants), period=period,
                 claimant_parents=frozenset(claimant_parents),
                 **{**words, "denies": words["denies"] or denies})


_CLAIM_COLUMNS = (
    "id", "text", "summary_en", "language", "published", "made_on", "about_start", "about_end",
    "quantity__claim", "quantity__value", "quantity__lower", "quantity__upper",
    "quantity__qualifier", "quantity__counted", "quantity__unit",
    "text_facts__key", "text_facts__facts",
)


def facts_for_claims(ids) -> dict[int, Facts]:
    """Facts of these claims in two queries (claims with figure, claimant attributions).

    Plain rows, not model instances: this runs for every candidate of every
    similar-claims request (docs/matching.md has the profile)."""
    ids = list(ids)
    # The ids as one array parameter, not one placeholder each: psycopg rewrites a
    # statement with 1,000 placeholders on every call (a limit=250 request's candidates),
    # ~3.5 ms of CPU per statement at 1M claims (docs/benchmarks.md).
    # (PostgreSQL only: the embedded default's SQLite takes the plain list.)
    in_ids = (RawSQL("SELECT unnest(%s::bigint[])", [[int(pk) for pk in ids]])
              if connection.vendor == "postgresql" else ids)
    claimants: dict[int, set[int]] = {}
    parents: dict[int, set[int]] = {}
    denying: set[int] = set()
    for claim_id, source_id, stance, parent_id in Attribution.objects.filter(
        Q(claim_id__in=in_ids), role=Role.CLAIMANT,
    ).order_by().values_list("claim_id", "source_id", "stance", "source__parent_id"):
        claimants.setdefault(claim_id, set()).add(source_id)
        if parent_id is not None:
            parents.setdefault(claim_id, set()).add(parent_id)
        if stance in (Stance.DENIES, Stance.DISPUTES):
            denying.add(claim_id)
    out: dict[int, Facts] = {}
    for (pk, text, summary_en, language, published, made_on, about_start, about_end,
         quantity_id, value, lower, upper, qualifier, counted, unit, facts_key,
         text_facts) in Claim.objects.filter(pk__in=in_ids).order_by().values_list(
            *_CLAIM_COLUMNS):
        quantity = None if quantity_id is None else _Quantity(
            value=value, lower=lower, upper=upper, qualifier=qualifier, counted=counted,
            unit=unit)
        out[pk] = stored_facts(
            id=pk, text=text, summary_en=summary_en, language=language, published=published,
            quantity=quantity, claimants=claimants.get(pk, ()), denies=pk in denying,
            period=_period(made_on, about_start, about_end),
            claimant_parents=parents.get(pk, ()),
            text_facts=(storedfacts.decode(text_facts)
                        if facts_key is not None and facts_key == storedfacts.key(text)
                        else None),
        )
    return out


@dataclass(frozen=True)
class _Quantity:
    """The Quantity fields stored_facts and figure_range read."""

    value: Decimal | None
    lower: Decimal | None
    upper: Decimal | None
    qualifier: str
    counted: str
    unit: str


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def same_number(a: Decimal, b: Decimal, rounded: bool = True) -> bool:
    """Equal, or one is a round figure the other rounds to: "70 тысяч", "41,9 min" and
    "over 50,000" are 70,100, 41,909 and 50,021 written to two or three digits. A round
    figure (a whole multiple of 100) stands for the values within 1 % of it that it
    rounds or cuts to at its last digit: "38.3 billion" is 38,356 million, not 38,609."""
    if a == b:
        return True
    if not rounded:  # `rounded` False: equal only (a snapshot of a count: Facts.interim)
        return False
    for short, other in ((a, b), (b, a)):
        # A decimal written to fewer places stands for one it rounds or cuts to, once it has
        # three significant digits: "49.4%" is 49.42 %, "41.1%" 41.15 % (not 3 % for 3.25 %).
        written = short.normalize().as_tuple()
        exponent, digits = written.exponent, len(written.digits)
        if (exponent < 0 and digits >= 3
                and other.normalize().as_tuple().exponent < exponent):
            step = Decimal(10) ** exponent
            if (other.quantize(step, rounding=ROUND_DOWN) == short
                    or other.quantize(step, rounding=ROUND_HALF_UP) == short):
                return True
    for rounded, other in ((a, b), (b, a)):
        if (rounded and rounded == rounded.to_integral_value() and rounded % 100 == 0
                and abs(other - rounded) <= abs(rounded) / 100):
            step = Decimal(10) ** rounded.normalize().as_tuple().exponent
            if (other // step * step == rounded
                    or (other / step).to_integral_value(ROUND_HALF_UP) * step == rounded):
                return True
    return False


def _pairs(facts: Facts, main: bool) -> frozenset[tuple[Decimal, str]]:
    pairs = facts.main_figure_events if main else facts.figure_events
    if not pairs:  # figures with no pairing recorded: what they count is unknown
        pairs = frozenset((value, "") for value in facts.figures)
    return pairs


def _agreement(a: frozenset, b: frozenset, rounded: bool = True) -> bool | None:
    """True: a figure of one is a figure of the other (same_number), counting the same
    thing or something unknown. None: only a same number counting something else.
    False: no number shared."""
    shared = False
    for value_a, kind_a in a:
        for value_b, kind_b in b:
            if same_number(value_a, value_b, rounded):
                shared = True
                if not kind_a or not kind_b or kind_a == kind_b:
                    return True
    return None if shared else False


def _precise(value: Decimal) -> bool:
    return len(value.normalize().as_tuple().digits) >= 3


def _precise_match(a: Facts, b: Facts) -> bool:
    """Both main figures are the same number written to three significant digits or more
    ("50,096" and "50 min 96"): stronger than a round figure that may stand for it ("over
    50 thousand" is within 1 % of 50,096, and of any toll between 50,000 and 50,499)."""
    return any(value_a == value_b and _precise(value_a)
               and (not kind_a or not kind_b or kind_a == kind_b)
               for value_a, kind_a in _pairs(a, True) for value_b, kind_b in _pairs(b, True))


def _figures_agree(a: Facts, b: Facts, main: bool = False) -> bool | None:
    """True: a figure of one is a figure of the other, counting the same thing (or what
    either counts is unknown). None: only a same number counting something else ("300
    killed" and "300 wounded", "3,000 casualties" and "3,000 sent"). False: no figure shared.
    `main`: the figures each claim is about only (a recorded figure is always its main)."""
    # A figure of a count still under way stands for itself only: "52.1 percent" after 98 %
    # of the ballots is not the final 52.14 % it happens to round to.
    agree = _agreement(_pairs(a, main), _pairs(b, main), rounded=not (a.interim or b.interim))
    if not agree and any(_overlap(ra, rb) for ra in a.ranges for rb in b.ranges):
        return True
    return agree


def _counts(facts: Facts) -> frozenset[str]:
    """What a claim counts, in event words: its main figure's event when it names one (a
    recorded figure's is its Quantity.counted's), else every event word of its text. "43
    тысячи погибли. 370 тысяч получили ранения" counts the killed, not the wounded too."""
    return (frozenset(kind for _, kind in facts.main_figure_events
                      if kind in textfacts.EVENTS) or facts.events)


def compare(query: Facts, other: Facts, cosine: float) -> Comparison:
    """The hybrid score of `other` as a match for `query`, with the reasons."""
    c = Comparison(score=cosine, cosine=cosine)
    penalty = 0.0

    def add(key: str, note: str, agree: bool) -> None:
        nonlocal penalty
        if agree:
            c.score += WEIGHTS[key]
            c.agreements.append(note)
        else:
            penalty += WEIGHTS[key]
            c.differences.append(note)

    if query.counted and other.counted:
        if query.counted == other.counted:
            add("same_counted", "same thing counted", True)
        else:
            add("different_counted", "different thing counted", False)
    elif (kinds := _counts(query)) and (other_kinds := _counts(other)):
        if kinds & other_kinds:
            add("same_counted", "same kind of event", True)
        else:
            add("different_counted", "different thing counted", False)
    if bool(query.figures) != bool(other.figures):
        # A claim stating a figure is never likely the same as one stating none.
        c.differences.append("only one states a figure")
    if query.figures and other.figures:
        agree = _figures_agree(query, other)
        if agree and not _figures_agree(query, other, main=True):
            # "350 dead shown, 600 reported in April, 2,000 now": 600 is in the text, but
            # the text is about 2,000.
            add("secondary_figure", "same figure, but not the one the text is about", False)
        elif agree:
            add("same_figure", "same figure", True)
            if _precise_match(query, other):
                add("precise_figure", "same figure to the last digit", True)
        elif agree is None:
            add("figure_other_event", "same number, counting something else", False)
        else:
            add("different_figure", "different figure", False)
    if query.denies != other.denies:
        add("denial", "one denies what the other asserts", False)
    if query.claimants and other.claimants:
        if query.claimants & other.claimants:
            add("same_claimant", "same claimant", True)
        elif query.claimants & other.claimant_parents or other.claimants & query.claimant_parents:
            # "Nabiullina" and "the Bank of Russia": a person and the body she speaks for.
            add("same_claimant", "same body (one claimant speaks for the other)", True)
        elif query.id is None and query.claimants <= other.mentioned:
            # A bare text's "claimants" are only the sources it names. When the claim on
            # file names them too ("… held talks with V. Putin", attributed to the one who
            # said it), the names say nothing about who asserts it: neither side.
            pass
        else:
            add("different_claimant", "different claimant", False)
    if query.period and other.period:
        gap = max(query.period[0], other.period[0]) - min(query.period[1], other.period[1])
        if gap <= timedelta(0):
            add("same_period", "same period", True)
        elif gap > DISTANT:
            add("distant_period", "periods far apart", False)
    if query.trigrams and other.trigrams:
        jaccard = len(query.trigrams & other.trigrams) / len(query.trigrams | other.trigrams)
        c.score += WEIGHTS["lexical"] * jaccard
    c.score += max(penalty, MAX_PENALTY)
    if c.assessment == "likely_same":
        c.score += SAME_BONUS
    elif not c.differences and "same figure" in c.agreements:
        c.score += AGREES_BONUS
    return c
