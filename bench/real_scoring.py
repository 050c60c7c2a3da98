"""Scoring the importer against the labelled real-news corpus (tests/data/real/).

Pure functions over the gold labels (docs/extraction-guide.md) and whatever the engine
proposes (importer.types.ProposedClaim, or anything shaped like it), so the scoring is
tested without running the engine (tests/test_real_corpus.py) and the bench
(bench/extraction_real.py) only adds the engine, the registry and the clock.

What is counted, per passage:

- claims: a proposed claim matches a gold claim when their character spans overlap; each
  proposal matches at most one gold claim (the unused one it overlaps most, gold claims
  taken in order), so one sentence-long proposal for a sentence of three claims finds one.
- sources: over (claim, source) pairs of matched claims. A proposed attribution names a
  gold source when (a) it resolved to a registry source whose name is the gold canonical
  name, or (b) it proposes a new source and the gold source is not in the registry, and
  the proposed name folds to the canonical name or, unless the gold mention is an
  anaphor ("the agency", "он"), its span overlaps an occurrence of the gold mention. An
  anaphor's source is its antecedent (guide §2, "Anaphora"), so a new source reached by
  anaphora is named when the proposed name, where the passage writes it, overlaps a
  mention the passage labels of that source without anaphora (the antecedent): "…
  депутат Пак Сун Вон заявил … Также он считает" proposing "депутат Пак Сун Вон" for
  "он" names Park Sun-won. A known source proposed as new does not match: matching by
  alias is what is measured.
- roles: over (claim, source, role) triples; a right source in the wrong role is a miss
  and a false alarm.
- figures: over (claim, figure) pairs; equal when the qualifier is equal, the bounds the
  qualifier uses are equal (value for exact/approximately, lower for at_least, upper for
  at_most, both for range) and what is counted is the same kind (killed / wounded /
  deployed ...). `figure_values` is the same without the kind.
- span IoU: mean character overlap / union of matched claim spans (1.0 = the same span).
- passage_sources (a diagnostic): the same source matching over the set of sources a passage
  names, whatever claim they were attached to, so finding sources is seen apart from
  splitting claims (closer to how single-claim-per-quote systems are scored).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from sources.text import fold

METRICS = ("claims", "sources", "roles", "figures", "figure_values", "passage_sources")
KINDS = ("killed", "wounded", "casualties", "deployed", "captured", "missing", "displaced",
         "detained", "weapons", "money", "percent", "people", "other")
_BOUNDS = {"exact": ("value",), "approximately": ("value",), "at_least": ("lower",),
           "at_most": ("upper",), "range": ("lower", "upper")}
_CURRENCIES = {"USD", "EUR", "RUB", "AZN", "KRW", "UAH", "GBP", "JPY", "CNY"}

# What the engine's "counted" words say, when it does not name a kind itself
# (ProposedQuantity.counted_kind). Checked in this order: "killed and wounded" is
# casualties before it is killed.
_KIND_WORDS: tuple[tuple[str, re.Pattern], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in (
        ("casualties", r"casualt|killed (?:and|or) wounded|dead (?:and|or) wounded|losses|"
                       r"потер|убитыми и ранен|погибш\w* и ранен|втрат|убитими й поранен|"
                       r"itki|ölən və yaralanan|사상|피해"),
        ("wounded", r"wound|injur|ранен|пострадав|поранен|yaral|xəsarət|부상|다쳐|다친"),
        ("killed", r"kill|dead|died|death|fatalit|погиб|убит|смерт|загин|вбит|помер|"
                   r"həlak|öl|şəhid|həyatını itir|사망|숨|전사|사살"),
        ("captured", r"captur|prisoner|pows?\b|плен|полон|əsir|포로|생포"),
        ("missing", r"missing|пропавш|зникл|itkin|실종"),
        ("displaced", r"displac|refugee|evacuat|беженц|эвакуир|переселен|біженц|евакуйов|"
                      r"qaçqın|köçkün|피란|피난|난민"),
        ("detained", r"arrest|detain|задерж|арестов|затрима|saxlanıl|həbs|체포|구금"),
        ("deployed", r"sent|deploy|troops|stationed|отправ|направ|переброс|размещ|"
                     r"військов|направил|göndər|yerləşdiril|파병|배치|병력"),
        ("weapons", r"drone|missile|shell|rocket|uav|tank|беспилот|дрон|ракет|снаряд|"
                    r"безпілот|pilotsuz|PUA|raket|mərmi|드론|미사일|발사체|무인기"),
        ("percent", r"percent|per cent|процент|відсот|faiz|퍼센트"),
        ("people", r"voter|избирател|виборц|seçici|유권자|선거인|투표"),
    ))


def kind_of(quantity) -> str:
    """The kind of what a proposed figure counts: the engine's own, else read from its words."""
    own = getattr(quantity, "counted_kind", None) or getattr(quantity, "kind", None)
    if own:
        return own
    unit = (getattr(quantity, "unit", "") or "").strip()
    if unit == "%":
        return "percent"
    if unit.upper() in _CURRENCIES:
        return "money"
    counted = getattr(quantity, "counted", "") or ""
    for kind, pattern in _KIND_WORDS:
        if pattern.search(counted):
            return kind
    return "other"


def split_of(url: str) -> str:
    """dev or test, fixed by the article's address: one article's passages stay together."""
    return "test" if int(hashlib.sha256(url.encode()).hexdigest(), 16) % 2 else "dev"


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def merge(self, other: Counts) -> None:
        self.add(other.tp, other.fp, other.fn)

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


@dataclass
class Score:
    counts: dict[str, Counts] = field(default_factory=lambda: {m: Counts() for m in METRICS})
    ious: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def merge(self, other: Score) -> None:
        for metric in METRICS:
            self.counts[metric].merge(other.counts[metric])
        self.ious.extend(other.ious)
        self.notes.extend(other.notes)

    def f1(self, metric: str) -> float:
        return self.counts[metric].prf()[2]

    def mean_iou(self) -> float:
        return sum(self.ious) / len(self.ious) if self.ious else 0.0


def _find(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    at = text.find(needle, after)
    if at < 0:
        at = text.find(needle)
    return at, at + len(needle)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _same_figure(gold: dict, pred) -> bool:
    if gold["qualifier"] != pred.qualifier:
        return False
    for key in _BOUNDS.get(gold["qualifier"], ()):
        got = getattr(pred, key)
        if got is None or Decimal(str(gold[key])) != Decimal(str(got)):
            return False
    return True


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    if not needle:
        return []
    return [(m.start(), m.start() + len(needle)) for m in re.finditer(re.escape(needle), text)]


def _antecedents(passage: dict) -> dict[str, set[str]]:
    """Per folded gold source, the surfaces the passage labels it by without anaphora."""
    out: dict[str, set[str]] = {}
    for claim in passage["claims"]:
        for a in claim["attributions"]:
            if not a.get("anaphor"):
                out.setdefault(fold(a["source"]), set()).add(a["surface"])
    return out


def _names_source(gold: dict, pred, text: str, known: set[str],
                  antecedents: dict[str, set[str]] | None = None) -> bool:
    canonical = fold(gold["source"])
    if pred.source.id is not None:
        return fold(pred.source.name) == canonical
    if canonical in known:
        return False
    if fold(pred.source.name) == canonical:
        return True
    if gold.get("anaphor"):
        # The anaphor's source is its antecedent: the proposal names it when its name is
        # where the passage names that source without anaphora.
        named = _occurrences(text, pred.source.name)
        return any(_overlap(n, m) > 0 for surface in (antecedents or {}).get(canonical, ())
                   for m in _occurrences(text, surface) for n in named)
    # The surface is the mention for this claim, not always the passage's first one
    # ("…, - сказал Чуров. … уточнил Чуров").
    return any(_overlap((pred.start, pred.end), m) > 0
               for m in _occurrences(text, gold["surface"]))


def _unique_sources(attributions: list[dict]) -> list[dict]:
    seen: set[tuple[str, str]] = set()
    out = []
    for a in attributions:
        key = (fold(a["source"]), a["role"])
        if key not in seen:
            seen.add(key)
            out.append(a)
    return out


def score_passage(passage: dict, predicted: list, known: set[str], details: bool = False
                  ) -> Score:
    """Score one passage's proposals against its gold labels.

    `known`: folded names of the sources in the registry the engine was given.
    """
    s = Score()
    c = s.counts
    text = passage["text"]
    pid = passage["id"]
    used: set[int] = set()
    after = 0
    antecedents = _antecedents(passage)
    for gold in passage["claims"]:
        span = _find(text, gold["text"], after)
        after = span[0]
        attributions = _unique_sources(gold["attributions"])
        overlaps = [(_overlap(span, (p.start, p.end)), -i) for i, p in enumerate(predicted)
                    if i not in used]
        best = max(overlaps, default=(0, 0))
        if best[0] == 0:
            c["claims"].add(fn=1)
            c["sources"].add(fn=len(attributions))
            c["roles"].add(fn=len(attributions))
            c["figures"].add(fn=1 if gold["quantity"] else 0)
            c["figure_values"].add(fn=1 if gold["quantity"] else 0)
            if details:
                s.notes.append(f"{pid} MISS claim: {gold['text'][:80]}")
            continue
        index = -best[1]
        used.add(index)
        claim = predicted[index]
        c["claims"].add(tp=1)
        union = max(span[1], claim.end) - min(span[0], claim.start)
        s.ious.append(best[0] / union if union else 0.0)
        free = list(claim.attributions)
        for g in attributions:
            hit = next((p for p in free if _names_source(g, p, text, known, antecedents)),
                       None)
            if hit is None:
                c["sources"].add(fn=1)
                c["roles"].add(fn=1)
                if details:
                    s.notes.append(f"{pid} MISS source: {g['surface']} = {g['source']} "
                                   f"({g['role']})")
                continue
            free.remove(hit)
            c["sources"].add(tp=1)
            if hit.role == g["role"]:
                c["roles"].add(tp=1)
            else:
                c["roles"].add(fp=1, fn=1)
                if details:
                    s.notes.append(f"{pid} ROLE {g['source']}: gold {g['role']}, got {hit.role}")
        c["sources"].add(fp=len(free))
        c["roles"].add(fp=len(free))
        if details:
            for p in free:
                s.notes.append(f"{pid} EXTRA source: {p.surface} -> {p.source.name} ({p.role})")
        _score_figure(s, gold["quantity"], claim.quantity, pid, details)
    _score_passage_sources(s, passage, predicted, known)
    for i, claim in enumerate(predicted):
        if i in used:
            continue
        c["claims"].add(fp=1)
        c["sources"].add(fp=len(claim.attributions))
        c["roles"].add(fp=len(claim.attributions))
        if claim.quantity is not None:
            c["figures"].add(fp=1)
            c["figure_values"].add(fp=1)
        if details:
            s.notes.append(f"{pid} EXTRA claim: {text[claim.start:claim.end][:80]}")
    return s


def _score_passage_sources(s: Score, passage: dict, predicted: list, known: set[str]) -> None:
    gold: dict[str, dict] = {}
    for claim in passage["claims"]:
        for a in claim["attributions"]:
            gold.setdefault(fold(a["source"]), a)
    found: list = []
    for claim in predicted:
        for p in claim.attributions:
            key = fold(p.source.name) if p.source.id is not None else None
            if key is None or key not in {fold(f.source.name) for f in found
                                          if f.source.id is not None}:
                found.append(p)
    free = list(found)
    antecedents = _antecedents(passage)
    for g in gold.values():
        hit = next((p for p in free
                    if _names_source(g, p, passage["text"], known, antecedents)), None)
        if hit is None:
            s.counts["passage_sources"].add(fn=1)
        else:
            free.remove(hit)
            s.counts["passage_sources"].add(tp=1)
    # A proposal naming a gold source already counted is a repeat, not a false alarm.
    extra = [p for p in free if not any(_names_source(g, p, passage["text"], known, antecedents)
                                        for g in gold.values())]
    s.counts["passage_sources"].add(fp=len(extra))


def _score_figure(s: Score, gold: dict | None, pred, pid: str, details: bool) -> None:
    c = s.counts
    if gold and pred is not None:
        same = _same_figure(gold, pred)
        c["figure_values"].add(tp=1) if same else c["figure_values"].add(fp=1, fn=1)
        kind = kind_of(pred)
        if same and kind == gold["kind"]:
            c["figures"].add(tp=1)
            return
        c["figures"].add(fp=1, fn=1)
        if details:
            s.notes.append(f"{pid} FIGURE gold {gold['qualifier']} {gold['value']}/"
                           f"{gold['lower']}/{gold['upper']} {gold['kind']} ({gold['as_said']}); "
                           f"got {pred.qualifier} {pred.value}/{pred.lower}/{pred.upper} "
                           f"{kind} ({pred.as_said})")
    elif gold:
        c["figures"].add(fn=1)
        c["figure_values"].add(fn=1)
        if details:
            s.notes.append(f"{pid} MISS figure: {gold['as_said']}")
    elif pred is not None:
        c["figures"].add(fp=1)
        c["figure_values"].add(fp=1)
        if details:
            s.notes.append(f"{pid} EXTRA figure: {pred.as_said}")
