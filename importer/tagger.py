"""A learned tagger for source mentions: a linear-chain CRF over a sentence's tokens.

The rules (cues bound to names) find the sources of the wordings the lexicons list; a
wording they do not list ("…, the ministry noted in a Telegram post") yields a claim with
no claimant, or no claim. The tagger reads every token with its word, shape, suffixes and
the rules' own evidence (an alias hit, a cue and how far it is, inside or after a
quotation, a Korean particle) and labels source mentions B/I by role (claimant, conduit,
outlet). It was trained on the corpus's dev split only (bench/tagger_train.py; the
passages it was trained on are listed in data/tagger.json, and a test holds them to the
dev split).

How it is combined with the rules (`fill`, a pass over the rules' output that
importer.extract runs when a model is given): only where the rules left a gap — a
sentence whose claims have no claimant, or a sentence with no claim at all — a span the
tagger labels with at least `add` confidence (the lowest per-token marginal of the span)
is resolved to a source as the rules resolve
a name (roles.resolve: alias, base form, description) and added; where the sentence had
no claim and a claimant span reaches `create`, the sentence becomes claims as a cued one
would (engine.claims_of_span: one per figure clause). The rules keep roles and figures where they
found them. Which thresholds, and whether it is on at all: chosen by K-fold
cross-validation on dev (docs/extraction.md, "The learned tagger").

python-crfsuite (CRFsuite's C implementation): a CRF is the classic sequence labeller for
short spans from sparse hand-made features, trains in seconds on a few thousand
sentences, tags in microseconds per token on one core and ships as a model file of a few
hundred kilobytes; no numeric stack or GPU.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import pycrfsuite

from sources.text import fold

from .aliases import AliasIndex, Mention
from .languages.base import Language
from .lexicon import Cue
from .phrases import Candidate
from .roles import ArticleState, resolve
from .text import Token, Unit, cyrillic_lookalikes, sentences, tokens
from .types import ProposedAttribution, ProposedClaim

DATA = Path(__file__).resolve().parent / "data"
MODEL = DATA / "tagger.crfsuite"
MANIFEST = DATA / "tagger.json"
ROLES = ("claimant", "conduit", "outlet")
_QUOTES = frozenset("“”«»„\"")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Settings:
    """add: least span confidence to add a source to a claim with no claimant; create:
    least claimant confidence to make claims of a sentence the rules left without one;
    veto / replace: a claimant the rules bound whose words the tagger gives less than
    `veto` chance of being a source mention (mean over its tokens) is replaced by the
    tagger's own claimant span of at least `replace` confidence, when there is one
    ("…в Москве погиб один человек, сообщил "Интерфаксу" начальник пресс-службы … Евгений
    Бобылев": not Moscow). None: never."""

    add: float = 0.5
    create: float | None = None
    veto: float | None = None
    replace: float | None = None


class Tagger:
    """One trained model (a .crfsuite file) and how its spans are used."""

    def __init__(self, path: Path | str, settings: Settings = Settings()):
        self.path = str(path)
        self.settings = settings
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(self.path)

    def spans(self, xseq: list[list[str]], toks: Sequence[Token]
              ) -> list[tuple[int, int, str, float]]:
        """(start, end, role, confidence) of each labelled span; confidence is the lowest
        marginal probability of the span's labels."""
        if not toks:
            return []
        t = self._tagger
        t.set(xseq)
        labels = t.tag()
        self._toks = toks
        out: list[tuple[int, int, str, float]] = []
        i = 0
        while i < len(labels):
            label = labels[i]
            if label == "O":
                i += 1
                continue
            role = label[2:]
            j = i + 1
            while j < len(labels) and labels[j] == f"I-{role}":
                j += 1
            conf = min(t.marginal(labels[k], k) for k in range(i, j))
            out.append((toks[i].start, toks[j - 1].end, role, conf))
            i = j
        return out

    def support(self, start: int, end: int) -> float:
        """After spans(): the mean chance that the tokens of start..end are a source
        mention (1 - the marginal of O)."""
        ks = [k for k, t in enumerate(self._toks) if t.start < end and t.end > start]
        if not ks:
            return 0.0
        return sum(1.0 - self._tagger.marginal("O", k) for k in ks) / len(ks)


def default() -> Tagger | None:
    """The shipped model with the settings cross-validation chose, or None when the
    manifest says it is off (cross-validation showed no gain) or no model is shipped."""
    return _default()


@lru_cache(maxsize=1)
def _default() -> Tagger | None:
    return load(MODEL, MANIFEST)


def load(model: Path, manifest: Path) -> Tagger | None:
    """The model with its manifest's settings, or None when the manifest does not switch
    it on."""
    if not model.exists() or not manifest.exists():
        return None
    about = json.loads(manifest.read_text())
    chosen = about.get("settings")
    if not about.get("enabled") or not chosen:
        return None
    return Tagger(model, Settings(**chosen))


# --- features -------------------------------------------------------------------------

def _shape(word: str) -> str:
    if _DIGIT.search(word):
        return "d"
    if word.isupper() and len(word) > 1:
        return "XX"
    if word[:1].isupper():
        return "Xx"
    if word[:1].isalpha() and not word[:1].islower():
        return "u"  # uncased script: Hangul
    return "x"


def _bucket(n: int) -> str:
    return str(n) if n < 4 else "4+"


@lru_cache(maxsize=200_000)
def _word(code: str, word: str) -> tuple[str, str, tuple[str, ...]]:
    """What a word says by itself, in one language: its folded form as a neighbour sees
    it, its shape, and its own features (form, suffixes, source noun, pronoun, particle).
    Cached: a word's features are computed once, not per occurrence."""
    from .languages import get as get_language  # languages import this module's callers

    lex = get_language(code).lex
    lw = word.lower()
    shape = _shape(word)
    own = [f"w={code}:{lw}", f"s3={code}:{lw[-3:]}", f"s2={code}:{lw[-2:]}",
           f"p3={code}:{lw[:3]}", f"sh={shape}"]
    if lex.is_noun(word):
        own.append("noun")
    if lw in lex.pronouns:
        own.append("pron")
    ending = next((p for p in lex.particles if len(word) > len(p) and word.endswith(p)), "")
    if ending:
        own.append(f"ptc={ending}")
        if ending in lex.subject_particles:
            own.append("subj")
    return f"{code}:{lw}", shape, tuple(own)


def features(text: str, unit: Unit, toks: Sequence[Token], lang: Language,
             mentions: Sequence[Mention], cues: Sequence[tuple[Cue, int, int]],
             index: AliasIndex) -> list[list[str]]:
    """One list of feature strings per token of one sentence: the word's own (`_word`),
    its neighbours' forms and shapes two either side, an alias hit on it or next to it,
    a cue on it or how far the nearest cue is and which side, inside or after a
    quotation, the punctuation either side, the sentence's edges."""
    code = lang.code
    n = len(toks)
    starts = [t.start for t in toks]

    def covered(s: int, e: int) -> range:
        return range(max(bisect_right(starts, s) - 1, 0), bisect_left(starts, e))

    alias = [""] * n
    for m in mentions:
        first = True
        for k in covered(m.start, m.end):
            if toks[k].end > m.start:
                alias[k] = ("B-" if first else "I-") + index.kind(m.source_id)
                first = False
    cue_at = [""] * n
    cue_tokens: list[int] = []
    for cue, s, e in cues:
        for k in covered(s, e):
            if toks[k].end > s:
                cue_at[k] = cue.kind
                cue_tokens.append(k)
    cue_tokens.sort()
    words = [_word(code, t.text) for t in toks]
    out: list[list[str]] = []
    depth = 0
    closed = False
    gap_start = unit.start
    for k, t in enumerate(toks):
        before = text[gap_start:t.start]
        gap_start = t.end
        for ch in before:
            if ch in _QUOTES:
                if ch in "“«„":
                    depth += 1
                elif ch in "”»":
                    depth = max(0, depth - 1)
                    closed = True
                else:  # '"' opens or closes
                    depth = 0 if depth else 1
                    closed = closed or depth == 0
        f = [*words[k][2], f"cue={cue_at[k]}", f"al={alias[k]}",
             f"q={int(depth > 0)}{int(closed and depth == 0)}"]
        if k == 0:
            f.append("first")
        elif k == n - 1:
            f.append("last")
        if cue_tokens and not cue_at[k]:
            at = bisect_left(cue_tokens, k)
            near = [c for c in cue_tokens[max(at - 1, 0):at + 1]]
            c = min(near, key=lambda c: abs(c - k))
            side = "<" if c > k else ">"
            f.append(f"cuedist={side}{_bucket(abs(c - k))}")
            f.append(f"cuekind={cue_at[c]}{side}")
        for d in (-2, -1, 1, 2):
            j = k + d
            if 0 <= j < n:
                f.append(f"{d}w={words[j][0]}")
                f.append(f"{d}sh={words[j][1]}")
                if cue_at[j]:
                    f.append(f"{d}cue={cue_at[j]}")
                if alias[j]:
                    f.append(f"{d}al={alias[j][:1]}")
            else:
                f.append(f"{d}edge")
        # Punctuation between this token and its neighbours: "…, said X", "X: «…»".
        mark = before.strip()
        if mark:
            f.append(f"pb={mark[:2]}")
        after = text[t.end:toks[k + 1].start if k + 1 < n else unit.end].strip()
        if after:
            f.append(f"pa={after[:2]}")
        out.append(f)
    return out


def sentence_inputs(text: str, lang: Language, index: AliasIndex,
                    mentions: Sequence[Mention] | None = None,
                    cues: Sequence[tuple[Cue, int, int]] | None = None
                    ) -> list[tuple[Unit, list[Token], list[list[str]]]]:
    """Each sentence with its tokens and their features (training and tagging alike)."""
    read = cyrillic_lookalikes(text) if lang.code in ("ru", "uk") else text  # as the engine
    if mentions is None:
        mentions = index.find(read, lang.lex)
    if cues is None:
        cues = [(cue, m.start(), m.end()) for cue in lang.lex.cues
                for m in cue.pattern.finditer(read) if m.end() > m.start()]
    out = []
    for unit in sentences(text):
        toks = tokens(text, unit.start, unit.end)
        inside = [m for m in mentions if unit.start <= m.start < unit.end]
        near = [c for c in cues if unit.start <= c[1] < unit.end]
        out.append((unit, toks, features(text, unit, toks, lang, inside, near, index)))
    return out


# --- combining with the rules ---------------------------------------------------------

def _replace(text: str, lang: Language, index: AliasIndex, mine: list[ProposedClaim],
             spans: list[tuple[int, int, str, float]], tagger: Tagger, unit: Unit,
             mentions: list[Mention]) -> None:
    """A rule claimant the tagger does not read as a source gives way to the tagger's
    best claimant span; a new source's name the tagger reads longer ("Seismology" in "the
    Philippine Institute of Volcanology and Seismology") is taken whole."""
    settings = tagger.settings
    if settings.replace is None:
        return
    claimants = [s for s in spans if s[2] == "claimant" and s[3] >= settings.replace]
    if not claimants:
        return
    best = max(claimants, key=lambda s: s[3])
    for claim in mine:
        for k, a in enumerate(claim.attributions):
            if a.role != "claimant" or a.inferred or not unit.start <= a.start < unit.end \
                    or fold(a.surface) in lang.lex.pronouns:
                continue
            longer = next((s for s in claimants if s[0] <= a.start and a.end <= s[1]
                           and s[1] - s[0] > a.end - a.start), None)
            if longer is not None and a.source.id is None:
                start, end = longer[0], longer[1]
            elif not (a.start < best[1] and a.end > best[0]) and \
                    tagger.support(a.start, a.end) < settings.veto:
                start, end = best[0], best[1]
            else:
                continue
            hit = next((m for m in mentions if min(m.end, end) - max(m.start, start)
                        >= 0.6 * (end - start)), None)
            source = resolve(text, Candidate(start, end, hit.source_id if hit else None),
                             lang, index, ArticleState())
            if source is not None:
                claim.attributions[k] = replace(a, surface=text[start:end], start=start,
                                                end=end, source=source, inferred=False)
        seen: set = set()
        claim.attributions[:] = [a for a in claim.attributions
                                 if (a.source, a.role) not in seen
                                 and not seen.add((a.source, a.role))]


def fill(text: str, lang: Language, index: AliasIndex, claims: list[ProposedClaim],
         tagger: Tagger, make_claims: Callable[..., list[ProposedClaim]],
         evidence: dict | None = None) -> None:
    """Fill the rules' gaps with the tagger's spans, in place (see the module's doc).

    A pass after the rules, over their output: the sentences they answered in full are
    not tagged at all, so the tagger's cost is paid only where they left a gap."""
    settings = tagger.settings
    made: list[ProposedClaim] = []
    read = cyrillic_lookalikes(text) if lang.code in ("ru", "uk") else text
    evidence = evidence or {}
    mentions: list[Mention] | None = evidence.get("mentions")
    all_cues: list[tuple[Cue, int, int]] | None = evidence.get("cues")
    cue_starts = [c[1] for c in all_cues] if all_cues is not None else []
    # The article's outlet (dateline, "Metbuat.az xəbər verir ki") is on every claim the
    # rules made: a claim made here gets it too.
    outlets = [a for a in claims[0].attributions if a.role == "outlet" and
               all(any(b.role == "outlet" and b.source == a.source for b in c.attributions)
                   for c in claims)] if claims else []
    for unit in sentences(text):
        mine = [c for c in claims if unit.start <= c.start < unit.end]
        # The claims whose speaker this sentence names ("Про це повідомив …" names the
        # speaker of the sentence before).
        bound = [c for c in claims if any(unit.start <= a.start < unit.end and not a.inferred
                                          for a in c.attributions)]
        if mine and all(c.claimants for c in mine) and (settings.veto is None or not bound):
            continue
        if not mine and not bound and settings.create is None:
            continue
        toks = tokens(text, unit.start, unit.end)
        if not toks:
            continue
        if mentions is None:
            mentions = index.find(read, lang.lex)
        inside = [m for m in mentions if unit.start <= m.start < unit.end]
        if all_cues is not None:
            near = all_cues[bisect_left(cue_starts, unit.start):
                            bisect_left(cue_starts, unit.end)]
        else:
            near = [(cue, m.start(), m.end()) for cue in lang.lex.cues
                    for m in cue.pattern.finditer(read, unit.start, unit.end)
                    if m.end() > m.start()]
        xseq = features(text, unit, toks, lang, inside, near, index)
        found = []
        state = ArticleState()
        spans = tagger.spans(xseq, toks)
        if settings.veto is not None and bound:
            _replace(text, lang, index, bound, spans, tagger, unit, inside)
        if mine and all(c.claimants for c in mine):
            continue
        taken_spans = [(a.start, a.end) for c in mine for a in c.attributions]
        for start, end, role, conf in spans:
            least = settings.add if mine else settings.create
            if least is None or conf < least or \
                    any(start < e and end > s for s, e in taken_spans):
                continue
            # An alias hit that is most of the span names it ("국정원은"); one inside a
            # longer span ("… İdarəsindən APA-ya") does not.
            hit = next((m for m in inside
                        if min(m.end, end) - max(m.start, start) >= 0.6 * (end - start)), None)
            cand = Candidate(start, end, hit.source_id if hit is not None else None)
            source = resolve(text, cand, lang, index, state)
            if source is None:
                continue
            found.append(ProposedAttribution(
                surface=text[start:end], start=start, end=end, role=role, phrase="",
                stance="asserts", source=source))
        if not found:
            continue
        if mine:
            for claim in mine:
                if claim.claimants:
                    continue
                taken = {a.source for a in claim.attributions}
                for a in found:
                    if a.source not in taken:
                        claim.attributions.append(replace(a))
                        taken.add(a.source)
        elif any(a.role == "claimant" for a in found):
            for claim in make_claims(text, unit.start, unit.end, found, lang):
                claim.attributions.extend(replace(o, inferred=True) for o in outlets
                                          if o.source not in {a.source
                                                              for a in claim.attributions})
                made.append(claim)
    if made:
        claims.extend(made)
        claims.sort(key=lambda c: c.start)
